import './dom';
import '../../../renderer/charts';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render, screen } from '@testing-library/react';
import { deriveModel } from '../../../renderer/state/derive';
import { ContainerDetail } from '../../../renderer/views/containers/ContainerDetail';
import { risesOf } from '../../../renderer/views/containers/charts';
import { containerNamed, loadSnapshot, sample } from './fixtures';

afterEach(() => cleanup());

const s = loadSnapshot('demo');
const model = deriveModel(s);
const MiB = 1024 * 1024;

function renderDetail(name: string, samples = [sample(1000), sample(2000, { memoryBytes: 40 * MiB, oomKills: 1 })]): string[] {
  const loaded: string[] = [];
  const c = containerNamed(s, name);
  render(
    <ContainerDetail
      model={model}
      containerId={c.id}
      samples={samples}
      onLoadHistory={(id) => loaded.push(id)}
      onOpenContainer={() => undefined}
      onBack={() => undefined}
    />,
  );
  return loaded;
}

describe('ContainerDetail', () => {
  it('says which host PID is PID 1 inside, and asks for its history', () => {
    const web = containerNamed(s, 'isolens-demo-web');
    const loaded = renderDetail('isolens-demo-web');
    assert.equal(screen.getByTestId('detail-pid-sentence').textContent, `host PID ${web.pid} = PID 1 inside`);
    assert.deepEqual(loaded, [web.id]);
  });

  it('shows the memory limit as text on the memory chart', () => {
    renderDetail('isolens-demo-web');
    const chart = screen.getByTestId('detail-memory-chart');
    assert.match(chart.textContent ?? '', /limit 64 MiB/);
    assert.equal(screen.getByTestId('detail-memory-limit').textContent, 'limit 64 MiB');
    assert.match(chart.textContent ?? '', /1 OOM kill/);
    assert.ok(chart.querySelector('svg'), 'recharts drew an SVG');
  });

  it('draws CPU against its quota and pids against pids.max', () => {
    renderDetail('isolens-demo-web', [
      sample(1000, { cpuCores: 0.2, cpuQuotaCores: 0.5, throttledPeriods: 3, pids: 3, pidsMax: 64 }),
      sample(2000, { cpuCores: 0.5, cpuQuotaCores: 0.5, throttledPeriods: 9, pids: 3, pidsMax: 64 }),
    ]);
    assert.match(screen.getByTestId('detail-cpu-chart').textContent ?? '', /quota 0\.5 cores.*throttled in 1 of the last 2 samples/);
    assert.match(screen.getByTestId('detail-pids-chart').textContent ?? '', /pids\.max 64/);
  });

  it('with --pid host: the same number inside and out', () => {
    const c = containerNamed(s, 'isolens-demo-hostpid');
    renderDetail('isolens-demo-hostpid', []);
    assert.equal(screen.getByTestId('detail-pid-sentence').textContent, `host PID ${c.pid} = PID ${c.pid} inside`);
    assert.equal(screen.getByTestId('detail-ns-pid').dataset.shared, 'host');
    assert.match(screen.getByTestId('detail-ns-pid').textContent ?? '', /every process on the host/);
    assert.match(screen.getByTestId('detail-memory-limit').textContent ?? '', /limit 32 MiB/);
  });

  it('lists its namespaces (shared with whom) and its processes', () => {
    renderDetail('isolens-demo-sidecar');
    assert.match(screen.getByTestId('detail-ns-net').textContent ?? '', /shared with.*isolens-demo-web/);
    const side = containerNamed(s, 'isolens-demo-sidecar');
    assert.ok(screen.getByTestId(`detail-proc-${side.pid}`));
  });

  it('waits for samples when there are none', () => {
    renderDetail('isolens-demo-web', []);
    assert.match(screen.getByTestId('detail-memory-chart').textContent ?? '', /Waiting for samples.*|limit 64 MiB/);
    assert.equal(screen.getByTestId('detail-memory-limit').textContent, 'limit 64 MiB');
  });

  it('says so when the container is gone', () => {
    render(
      <ContainerDetail model={model} containerId="gone" samples={[]} onLoadHistory={() => undefined} onOpenContainer={() => undefined} onBack={() => undefined} />,
    );
    assert.match(screen.getByTestId('container-detail').textContent ?? '', /gone/);
  });
});

describe('risesOf', () => {
  const cases = [
    { name: 'no rise', values: [0, 0, 0], want: [] },
    { name: 'one rise', values: [0, 1, 1], want: [2] },
    { name: 'unknown values are skipped', values: [null, 1, 2], want: [3] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const samples = c.values.map((v, i) => sample(i + 1, { oomKills: v }));
      assert.deepEqual(risesOf(samples, (x) => x.oomKills), c.want);
    });
  }
});
