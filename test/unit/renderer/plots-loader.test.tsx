import { testDom } from './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, render, screen } from '@testing-library/react';
import type { PlotProps, Plots } from '../../../renderer/views/containers/plot-types';
import { CpuChart, MemoryChart, PidsChart } from '../../../renderer/views/containers/charts';
import { PLOTS_SCRIPT, resetPlotsForTests } from '../../../renderer/views/containers/plots-loader';
import { registerPlots, SHARED_MODULE_NAMES, unregisterPlotsForTests } from '../../../renderer/views/containers/plots-registry';
import { sample } from './fixtures';

/** Plots that show what they were given, standing in for recharts (charts.js). */
const fake = (name: string) => (p: PlotProps) => <svg data-testid={`plot-${name}`} data-points={p.data.length} data-limit={p.limit?.label ?? ''} />;
const FAKE: Plots = { MemoryPlot: fake('memory'), CpuPlot: fake('cpu'), PidsPlot: fake('pids') };
const MiB = 1024 * 1024;

function scripts(): HTMLScriptElement[] {
  return [...document.head.querySelectorAll('script')].filter((s) => s.getAttribute('src') === PLOTS_SCRIPT);
}

function charts(): void {
  const samples = [sample(1000), sample(2000, { memoryBytes: 20 * MiB, pidsMax: 64 })];
  render(
    <>
      <MemoryChart samples={samples} limitBytes={64 * MiB} />
      <CpuChart samples={samples} quota={0.5} />
      <PidsChart samples={samples} pidsMax={64} />
    </>,
  );
}

afterEach(() => {
  cleanup();
  for (const s of scripts()) s.remove();
  unregisterPlotsForTests();
  resetPlotsForTests();
});

describe('charts.js, loaded the first time a chart is shown', () => {
  it('draws the captions at once and asks for charts.js once, lending it React, react-dom and the JSX runtime', () => {
    charts();
    assert.match(screen.getByTestId('detail-memory-chart').textContent ?? '', /limit 64 MiB/);
    assert.equal(screen.getAllByTestId('chart-loading').length, 3);
    assert.match(screen.getAllByTestId('chart-loading')[0]?.textContent ?? '', /Loading the charts/);
    assert.equal(scripts().length, 1, 'three charts, one script');
    const shared = (globalThis as { __isolensShared?: Record<string, unknown> }).__isolensShared ?? {};
    assert.deepEqual(Object.keys(shared).sort(), [...SHARED_MODULE_NAMES].sort());
    for (const name of SHARED_MODULE_NAMES) assert.ok(shared[name], `${name} is shared`);
  });

  it('draws the plots when charts.js has run and registered them', () => {
    charts();
    act(() => {
      registerPlots(FAKE);
      scripts()[0]?.dispatchEvent(new testDom.window.Event('load'));
    });
    assert.equal(screen.queryAllByTestId('chart-loading').length, 0);
    assert.equal(screen.getByTestId('plot-memory').getAttribute('data-limit'), 'limit 64 MiB');
    assert.equal(screen.getByTestId('plot-cpu').getAttribute('data-limit'), 'quota 0.5 cores');
    assert.equal(screen.getByTestId('plot-pids').getAttribute('data-points'), '2');
  });

  it('draws at once, with no script, when the plots are registered already (the tests, a second view)', () => {
    registerPlots(FAKE);
    charts();
    assert.ok(screen.getByTestId('plot-memory'));
    assert.equal(scripts().length, 0);
  });

  it('says so in each chart when charts.js cannot be loaded, and removes the failed script', () => {
    charts();
    act(() => {
      scripts()[0]?.dispatchEvent(new testDom.window.Event('error'));
    });
    assert.equal(scripts().length, 0);
    const msgs = screen.getAllByTestId('chart-loading').map((e) => e.textContent ?? '');
    assert.equal(msgs.length, 3);
    for (const m of msgs) assert.match(m, /could not load charts\.js/);
  });

  it('says so when charts.js ran but registered nothing', () => {
    charts();
    act(() => {
      scripts()[0]?.dispatchEvent(new testDom.window.Event('load'));
    });
    assert.match(screen.getAllByTestId('chart-loading')[0]?.textContent ?? '', /charts\.js ran but registered no charts/);
  });
});
