import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { syntheticSnapshot } from '../../../bench/render-snapshot';
import type { ProcessInfo, Snapshot } from '../../../shared/model';
import { createModelDeriver, deriveModel } from '../../../renderer/state/derive';
import { visibleRows } from '../../../renderer/state/tree-filter';
import { windowRange } from '../../../renderer/views/common/VirtualList';
import { ProcessTree, ROW_HEIGHT } from '../../../renderer/views/tree/ProcessTree';
import { bigSnapshot, container, containerNamed, loadSnapshot, nsOf, proc, snapshotOf } from './fixtures';

afterEach(() => cleanup());

const demo = loadSnapshot('demo');
const demoModel = deriveModel(demo);

function shownPids(query: string, containersOnly = false, collapsed: number[] = []): number[] {
  return visibleRows(demoModel.rows, { query, containersOnly, collapsed: new Set(collapsed) }).flatMap((v) =>
    v.row.kind === 'process' ? [v.row.process.pid] : [],
  );
}

describe('visibleRows', () => {
  const web = containerNamed(demo, 'isolens-demo-web');
  it('without a filter: every row', () => {
    assert.equal(visibleRows(demoModel.rows, { query: '', containersOnly: false, collapsed: new Set() }).length, demoModel.rows.length);
  });
  it('a collapsed process hides its subtree, not itself', () => {
    const pids = shownPids('', false, [2]);
    assert.ok(pids.includes(2));
    assert.ok(!pids.includes(3), 'kernel threads under kthreadd are hidden');
    assert.ok(pids.includes(web.pid ?? -1));
  });
  it('search by container name: its processes, with their ancestors for context', () => {
    const pids = shownPids('demo-web');
    for (const p of web.pids) assert.ok(pids.includes(p));
    assert.ok(pids.includes(1), 'init is shown as an ancestor');
    assert.ok(!pids.includes(2));
  });
  it('search by pid matches that pid exactly (host or inside)', () => {
    const matches = visibleRows(demoModel.rows, { query: String(web.pid), containersOnly: false, collapsed: new Set() }).filter((v) => v.match);
    assert.deepEqual(
      matches.map((v) => (v.row.kind === 'process' ? v.row.process.pid : `[${v.row.container.info.name}]`)),
      ['[isolens-demo-web]', web.pid],
    );
  });
  it('containers only: container processes and their ancestors, nothing else', () => {
    const pids = new Set(shownPids('', true));
    for (const c of demo.containers) for (const p of c.pids) assert.ok(pids.has(p), `${c.name} ${p}`);
    assert.ok(!pids.has(5520), 'dockerd is not an ancestor of a container process');
  });
  it('search ignores collapse', () => {
    assert.ok(shownPids('kdevtmpfs', false, [2]).includes(25));
  });
});

describe('windowRange', () => {
  const cases: { name: string; args: [number, number, number, number, number]; want: [number, number] }[] = [
    { name: 'top', args: [10_000, 32, 0, 640, 5], want: [0, 26] },
    { name: 'middle', args: [10_000, 32, 32_000, 640, 5], want: [995, 1026] },
    { name: 'bottom is clamped', args: [100, 32, 3_000, 640, 5], want: [88, 100] },
    { name: 'empty list', args: [0, 32, 0, 640, 5], want: [0, 0] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(windowRange(...c.args), c.want));
});

describe('ProcessTree', () => {
  it('renders only a window of rows for 10,000 processes, and scrolls', () => {
    const big = bigSnapshot(10_000);
    assert.equal(big.processes.length, 10_000);
    const model = deriveModel(big);
    render(<ProcessTree model={model} onOpenContainer={() => undefined} fallbackHeight={640} />);
    const rows = () => document.querySelectorAll('[data-testid^="proc-"]');
    assert.ok(rows().length > 10 && rows().length < 60, `${rows().length} rows in the DOM`);
    assert.ok(screen.getByTestId('proc-1'));
    const list = screen.getByTestId('process-tree');
    act(() => {
      list.scrollTop = 5000 * ROW_HEIGHT;
      fireEvent.scroll(list);
    });
    assert.equal(screen.queryByTestId('proc-1'), null, 'scrolled out of the window');
    assert.ok(rows().length < 60);
    const inner = list.firstElementChild as HTMLElement;
    assert.ok(Number.parseInt(inner.style.height, 10) > 10_000 * ROW_HEIGHT * 0.99, 'the scroll height covers every row');
  });

  it('filters by search', () => {
    const model = deriveModel(bigSnapshot(10_000));
    render(<ProcessTree model={model} onOpenContainer={() => undefined} fallbackHeight={640} />);
    fireEvent.change(screen.getByLabelText('Search processes'), { target: { value: 'box1050' } });
    const pids = [...document.querySelectorAll('[data-testid^="proc-"]')].map((e) => e.getAttribute('data-testid'));
    const box = model.containers.find((c) => c.info.name === 'box1050');
    assert.ok(box);
    assert.deepEqual(pids, ['proc-1', `proc-${box.info.pid! - 1}`, ...box.info.pids.map((p) => `proc-${p}`)]);
    assert.ok(screen.getByTestId('container-box1050'));
    assert.match(screen.getByTestId('tree-count').textContent ?? '', /^2 matching/);
  });

  it('draws container boxes with a header named after the container; clicking it opens the container', () => {
    const opened: string[] = [];
    render(<ProcessTree model={demoModel} onOpenContainer={(id) => opened.push(id)} fallbackHeight={4000} />);
    const web = containerNamed(demo, 'isolens-demo-web');
    const header = screen.getByTestId('container-isolens-demo-web');
    assert.match(header.textContent ?? '', /isolens\/busybox:test/);
    assert.match(header.textContent ?? '', new RegExp(`host PID ${web.pid} = PID 1 inside`));
    const init = screen.getByTestId(`proc-${web.pid}`);
    assert.equal(init.querySelector('.c-inside')?.textContent, '1');
    assert.notEqual(init.style.borderLeftColor, '', 'the box band');
    fireEvent.click(header.querySelector('button') as HTMLElement);
    assert.deepEqual(opened, [web.id]);
  });

  it('folds kernel threads at first and unfolds them on click', () => {
    render(<ProcessTree model={demoModel} onOpenContainer={() => undefined} fallbackHeight={4000} />);
    assert.equal(screen.queryByTestId('proc-3'), null);
    fireEvent.click(screen.getByLabelText('Expand 2'));
    assert.ok(screen.getByTestId('proc-3'));
  });

  it('containers only hides other processes', () => {
    render(<ProcessTree model={demoModel} onOpenContainer={() => undefined} fallbackHeight={4000} />);
    assert.ok(screen.getByTestId('proc-5520'));
    fireEvent.click(screen.getByLabelText('Containers only'));
    assert.equal(screen.queryByTestId('proc-5520'), null);
    assert.ok(screen.getByTestId('container-isolens-demo-sidecar'));
  });
});

describe('ProcessTree under deltas (memoised rows redraw what changed)', () => {
  const id = 'e'.repeat(64);
  const ns = nsOf({ pid: 9301, net: 9302 });
  const base = snapshotOf(
    [proc(1, 0), proc(100, 1, { comm: 'containerd-shim' }), proc(101, 100, { containerId: id, namespaces: ns, nspid: [101, 1] }), proc(200, 1), proc(300, 1)],
    [container(id, 'live', [101])],
  );
  const step = (s: Snapshot, processes: readonly ProcessInfo[], containers = s.containers): Snapshot => ({ ...s, processes, containers });

  it('shows added, removed and changed processes, and a container recoloured by its namespace owner', () => {
    const deriver = createModelDeriver();
    const m1 = deriver.derive(base);
    const view = render(<ProcessTree model={m1} onOpenContainer={() => undefined} fallbackHeight={4000} />);
    assert.ok(screen.getByTestId('proc-300'));
    // pid 300 exits, 301 starts under 200, 200 changes its command line.
    const p200 = { ...(base.processes[3] as ProcessInfo), cmdline: ['/bin/renamed'] };
    const s2 = step(base, [...base.processes.filter((p) => p.pid !== 300 && p.pid !== 200), p200, proc(301, 200)]);
    view.rerender(<ProcessTree model={deriver.derive(s2)} onOpenContainer={() => undefined} fallbackHeight={4000} />);
    assert.equal(screen.queryByTestId('proc-300'), null);
    assert.ok(screen.getByTestId('proc-301'));
    assert.match(screen.getByTestId('proc-200').textContent ?? '', /\/bin\/renamed/);
    assert.ok(screen.getByLabelText('Collapse 200'), '200 has a child now');
    // A second container joins the first one's net namespace: its chip says it is shared now.
    const other = 'f'.repeat(64);
    const s3 = step(s2, [...s2.processes, proc(400, 1, { containerId: other, namespaces: nsOf({ net: 9302 }), nspid: [400, 1] })], [
      ...s2.containers,
      container(other, 'joiner', [400], { createdAt: '2026-02-01T00:00:00Z' }),
    ]);
    view.rerender(<ProcessTree model={deriver.derive(s3)} onOpenContainer={() => undefined} fallbackHeight={4000} />);
    const netChip = [...screen.getByTestId('proc-101').querySelectorAll('.chip')].find((c) => c.textContent === 'net');
    assert.match(netChip?.getAttribute('title') ?? '', /held by live, joiner/);
    assert.ok(screen.getByTestId('container-joiner'));
  });

  it('draws the rows of a model read after newer ones were derived', () => {
    const deriver = createModelDeriver();
    const m1 = deriver.derive(base);
    deriver.derive(step(base, base.processes.filter((p) => p.pid !== 200)));
    render(<ProcessTree model={m1} onOpenContainer={() => undefined} fallbackHeight={4000} />);
    assert.ok(screen.getByTestId('proc-200'), 'the old model still has its own rows');
  });

  it('with many containers, draws the "Jump to" bar in the frame after the first rows', async () => {
    const s = syntheticSnapshot({ processes: 2000 }); // 80 containers
    render(<ProcessTree model={deriveModel(s)} onOpenContainer={() => undefined} fallbackHeight={640} />);
    assert.ok(screen.getByTestId('proc-1'));
    assert.equal(screen.queryByTestId('tree-jump'), null, 'not in the first frame');
    await waitFor(() => screen.getByTestId('tree-jump'), { timeout: 5000 });
    assert.equal(screen.getByTestId('tree-jump').querySelectorAll('button').length, s.containers.length);
  });
});
