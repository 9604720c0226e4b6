// A Podman pod in the containers view: grouped like a Kubernetes pod, headed "podman pod" with its
// short id instead of a namespace, its infra container (marked by the collector: `sandbox`) first.
import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { ContainerInfo, Snapshot } from '../../../shared/model';
import { deriveModel } from '../../../renderer/state/derive';
import { ContainersView } from '../../../renderer/views/containers/ContainersView';
import { containerNamed, loadSnapshot } from './fixtures';

afterEach(() => cleanup());

const recorded = loadSnapshot('inside');
const POD = { name: 'isotest-pod', namespace: '', uid: '1b3f6ec39b6af7078801007d15ae3caa10fa25b30acb009f71c64038785cd43d', kind: 'podman' } as const;

/** inside-busybox becomes the pod's infra container, inside-hello a member (no CRI labels: Podman sets none). */
function withPodmanPod(s: Snapshot): Snapshot {
  const infra = containerNamed(s, 'inside-busybox');
  return {
    ...s,
    containers: s.containers.map((c): ContainerInfo => {
      if (c.id === infra.id) return { ...c, engine: 'podman', pod: POD, sandbox: true };
      if (c.name === 'inside-hello') return { ...c, engine: 'podman', pod: POD };
      return { ...c, pod: null };
    }),
  };
}

describe('a Podman pod in the containers view', () => {
  it('sits under a "podman pod" header with its short id, the infra container first and tagged', () => {
    render(<ContainersView model={deriveModel(withPodmanPod(recorded))} onOpenContainer={() => undefined} />);
    const pod = screen.getByTestId('pod-podman-isotest-pod');
    assert.equal(pod.dataset.uid, POD.uid);
    assert.match(pod.textContent ?? '', /podman pod\s*isotest-pod/);
    assert.match(pod.textContent ?? '', /id 1b3f6ec39b6a · 1 container and its sandbox/);
    const cards = [...pod.querySelectorAll<HTMLElement>('[data-testid^="container-card-"]')].map((x) => x.dataset.testid);
    assert.deepEqual(cards, ['container-card-inside-busybox', 'container-card-inside-hello']);
    assert.match(within(pod).getByTestId('sandbox-tag-inside-busybox').textContent ?? '', /infra/);
    assert.equal(within(pod).queryByTestId('sandbox-tag-inside-hello'), null);
  });
});
