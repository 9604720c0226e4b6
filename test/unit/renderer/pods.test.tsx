import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { ContainerInfo, Snapshot } from '../../../shared/model';
import { deriveModel } from '../../../renderer/state/derive';
import { groupContainers, isSandboxContainer, sharedKinds } from '../../../renderer/views/containers/container-groups';
import type { ListEntry } from '../../../renderer/views/containers/container-groups';
import { ContainersView } from '../../../renderer/views/containers/ContainersView';
import { containerNamed, loadSnapshot } from './fixtures';

afterEach(() => cleanup());

// Synthetic pods and nesting, built from the recorded inside.json (four Docker containers and
// demo-hello): kubelet's CRI labels and the `pod` and `parentId` fields the collector would set.
const recorded = loadSnapshot('inside');
const POD = { name: 'web-7f9c', namespace: 'shop', uid: '3f1e2d4c-0000-4000-8000-000000000001' };
const SANDBOX_LABELS = { 'io.kubernetes.pod.name': POD.name, 'io.kubernetes.pod.namespace': POD.namespace, 'io.kubernetes.pod.uid': POD.uid, 'io.cri-containerd.kind': 'sandbox' };
const APP_LABELS = { ...SANDBOX_LABELS, 'io.cri-containerd.kind': 'container' };

/**
 * inside-busybox becomes the pod's sandbox, inside-debian and inside-hello its app containers:
 * their inits join the sandbox's net, ipc and uts namespaces (as the pause container's are joined).
 */
function withPod(s: Snapshot): Snapshot {
  const sandbox = containerNamed(s, 'inside-busybox');
  const apps = new Set(['inside-debian', 'inside-hello']);
  const sbInit = s.processes.find((p) => p.pid === sandbox.pid);
  assert.ok(sbInit);
  const appPids = new Set(s.containers.filter((c) => apps.has(c.name)).flatMap((c) => c.pids));
  return {
    ...s,
    processes: s.processes.map((p) =>
      appPids.has(p.pid) ? { ...p, namespaces: { ...p.namespaces, net: sbInit.namespaces.net, ipc: sbInit.namespaces.ipc, uts: sbInit.namespaces.uts } } : p,
    ),
    containers: s.containers.map((c): ContainerInfo => {
      if (c.id === sandbox.id) return { ...c, pod: POD, labels: { ...c.labels, ...SANDBOX_LABELS } };
      if (apps.has(c.name)) return { ...c, pod: POD, labels: { ...c.labels, ...APP_LABELS } };
      return { ...c, pod: null };
    }),
  };
}

/** inside-dynamic runs inside inside-debian (docker-in-docker), demo-hello inside a container that is gone. */
function withNesting(s: Snapshot): Snapshot {
  const debian = containerNamed(s, 'inside-debian');
  return {
    ...s,
    containers: s.containers.map((c): ContainerInfo => {
      if (c.name === 'inside-dynamic') return { ...c, parentId: debian.id };
      if (c.name === 'demo-hello') return { ...c, parentId: 'f'.repeat(64) };
      return c;
    }),
  };
}

const cardNames = (el: HTMLElement): string[] =>
  [...el.querySelectorAll<HTMLElement>('[data-testid^="container-card-"]')].map((x) => (x.dataset.testid ?? '').replace('container-card-', ''));

describe('pods in the containers view', () => {
  it('the containers of one pod sit under its header, sandbox first and labelled, with the namespaces they share', () => {
    const model = deriveModel(withPod(recorded));
    render(<ContainersView model={model} onOpenContainer={() => undefined} />);
    const pod = screen.getByTestId(`pod-${POD.namespace}-${POD.name}`);
    assert.equal(pod.dataset.uid, POD.uid);
    assert.match(pod.textContent ?? '', /web-7f9c/);
    assert.match(pod.textContent ?? '', /namespace shop · 2 containers and its sandbox/);
    assert.deepEqual(cardNames(pod), ['inside-busybox', 'inside-debian', 'inside-hello']);
    assert.ok(within(pod).getByTestId('sandbox-tag-inside-busybox'));
    assert.equal(within(pod).queryByTestId('sandbox-tag-inside-debian'), null);
    const shared = within(pod).getByTestId(`pod-shared-${POD.namespace}-${POD.name}`).textContent ?? '';
    assert.match(shared, /share ipcnetuts namespaces, made by the sandbox/);
    // The others stay outside the pod.
    assert.ok(screen.getByTestId('container-card-inside-dynamic'));
    assert.equal(within(pod).queryByTestId('container-card-inside-dynamic'), null);
  });

  it('without a shared namespace, it says so', () => {
    const s = withPod(recorded);
    // Undo the joined namespaces: each app container in its own again.
    const model = deriveModel({ ...s, processes: recorded.processes });
    render(<ContainersView model={model} onOpenContainer={() => undefined} />);
    assert.match(screen.getByTestId(`pod-shared-${POD.namespace}-${POD.name}`).textContent ?? '', /no namespace shared by all of them/);
  });

  it('a snapshot without pods shows plain cards, as before', () => {
    render(<ContainersView model={deriveModel(recorded)} onOpenContainer={() => undefined} />);
    assert.equal(document.querySelectorAll('.pod-group').length, 0);
    assert.equal(document.querySelectorAll('.card').length, recorded.containers.length);
  });
});

describe('nesting in the containers view', () => {
  it('a container with parentId sits under its parent; one whose parent is gone says so', () => {
    render(<ContainersView model={deriveModel(withNesting(recorded))} onOpenContainer={() => undefined} />);
    const nested = screen.getByTestId('nested-in-inside-debian');
    assert.deepEqual(cardNames(nested), ['inside-dynamic']);
    assert.match(nested.textContent ?? '', /started inside inside-debian/);
    assert.match(screen.getByTestId('container-card-demo-hello').textContent ?? '', /runs inside container ffffffffffff \(not in the snapshot\)/);
  });

  it('pods and nesting together: a pod inside a container (kind, k3d)', () => {
    const s = withPod(recorded);
    const parent = containerNamed(s, 'inside-dynamic');
    const model = deriveModel({ ...s, containers: s.containers.map((c) => (c.pod ? { ...c, parentId: parent.id } : c)) });
    render(<ContainersView model={model} onOpenContainer={() => undefined} />);
    const nested = screen.getByTestId('nested-in-inside-dynamic');
    assert.ok(within(nested).getByTestId(`pod-${POD.namespace}-${POD.name}`));
  });
});

describe('groupContainers', () => {
  const model = deriveModel(withNesting(withPod(recorded)));
  const names = (es: readonly ListEntry[]): unknown[] =>
    es.map((e) => (e.kind === 'pod' ? { pod: e.pod.name, of: names(e.containers) } : e.children.length > 0 ? { [e.container.info.name]: names(e.children) } : e.container.info.name));

  it('pods at the place of their first container; children under their parent', () => {
    assert.deepEqual(names(groupContainers(model.containers, model.host)), [
      'demo-hello',
      { pod: 'web-7f9c', of: ['inside-busybox', { 'inside-debian': ['inside-dynamic'] }, 'inside-hello'] },
    ]);
  });

  it('a parent cycle is broken, nobody lost', () => {
    const a = model.containers.find((c) => c.info.name === 'inside-hello');
    const b = model.containers.find((c) => c.info.name === 'demo-hello');
    assert.ok(a && b);
    const cyc = [
      { ...a, info: { ...a.info, parentId: b.info.id, pod: null } },
      { ...b, info: { ...b.info, parentId: a.info.id } },
    ];
    assert.deepEqual(names(groupContainers(cyc, model.host)), [{ 'inside-hello': ['demo-hello'] }]);
  });

  const sandboxCases: { name: string; labels: Record<string, string>; cname?: string; image?: string; want: boolean }[] = [
    { name: 'containerd CRI sandbox', labels: { 'io.cri-containerd.kind': 'sandbox' }, want: true },
    { name: 'cri-dockerd podsandbox', labels: { 'io.kubernetes.docker.type': 'podsandbox' }, want: true },
    { name: 'an app container', labels: { 'io.cri-containerd.kind': 'container' }, image: 'registry.k8s.io/pause:3.9', want: false },
    { name: 'no label, pause image', labels: {}, image: 'registry.k8s.io/pause:3.9', want: true },
    { name: 'no label, dockershim name', labels: {}, cname: 'k8s_POD_web_shop_1', want: true },
    { name: 'no label, other image', labels: {}, image: 'nginx:1.27', want: false },
  ];
  for (const c of sandboxCases) {
    it(`isSandboxContainer: ${c.name}`, () => {
      const base = model.containers[0];
      assert.ok(base);
      const d = { ...base, info: { ...base.info, labels: c.labels, name: c.cname ?? 'x', image: c.image ?? null } };
      assert.equal(isSandboxContainer(d), c.want);
    });
  }

  it('sharedKinds: one container shares nothing with itself', () => {
    const one = model.containers.slice(0, 1);
    assert.deepEqual(sharedKinds(one, model.host), []);
  });
});
