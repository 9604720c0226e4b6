import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignColors, HOST_GREY, PALETTE } from '../../../renderer/state/colors';
import { deriveModel } from '../../../renderer/state/derive';
import type { ProcessRow, TreeRow } from '../../../renderer/state/derive';
import { container, containerNamed, loadSnapshot, nsOf, proc, snapshotOf } from './fixtures';

function label(r: TreeRow): string {
  return r.kind === 'process' ? `${'  '.repeat(r.depth)}${r.process.pid}` : `${'  '.repeat(r.depth)}[${r.container.info.name}]`;
}
function processRow(rows: readonly TreeRow[], pid: number): ProcessRow {
  const r = rows.find((x): x is ProcessRow => x.kind === 'process' && x.process.pid === pid);
  if (!r) throw new Error(`no row for ${pid}`);
  return r;
}

describe('deriveModel: tree order (ps axf)', () => {
  const cases: { name: string; processes: ReturnType<typeof proc>[]; want: string[] }[] = [
    {
      name: 'depth first, children by ascending pid',
      processes: [proc(1, 0), proc(30, 1), proc(10, 1), proc(11, 10), proc(31, 30)],
      want: ['1', '  10', '    11', '  30', '    31'],
    },
    {
      name: 'roots in pid order (init, then kthreadd and its threads)',
      processes: [proc(2, 0), proc(1, 0), proc(3, 2), proc(5, 1)],
      want: ['1', '  5', '2', '  3'],
    },
    {
      name: 'a process whose parent vanished becomes a root',
      processes: [proc(1, 0), proc(40, 39), proc(41, 40)],
      want: ['1', '40', '  41'],
    },
    {
      name: 'a parent cycle (pid reuse between reads) still shows every process once',
      processes: [proc(1, 0), proc(50, 51), proc(51, 50)],
      want: ['1', '50', '  51'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(deriveModel(snapshotOf(c.processes)).rows.map(label), c.want);
    });
  }

  it('opens a container box with a header row just above its first process, under the shim', () => {
    const id = 'a'.repeat(64);
    const ns = nsOf({ pid: 9001, net: 9002 });
    const s = snapshotOf(
      [
        proc(1, 0),
        proc(100, 1, { comm: 'containerd-shim' }),
        proc(101, 100, { containerId: id, nspid: [101, 1], namespaces: ns }),
        proc(102, 101, { containerId: id, nspid: [102, 7], namespaces: ns }),
        proc(200, 1),
      ],
      [container(id, 'web', [101, 102])],
    );
    const m = deriveModel(s);
    assert.deepEqual(m.rows.map(label), ['1', '  100', '    [web]', '    101', '      102', '  200']);
    const init = processRow(m.rows, 101);
    assert.equal(init.insidePid, 1);
    assert.deepEqual(init.nsDiff, ['net', 'pid']);
    assert.equal(init.container?.info.name, 'web');
    assert.equal(processRow(m.rows, 200).container, null);
    assert.equal(processRow(m.rows, 100).hasChildren, true);
    assert.equal(processRow(m.rows, 102).hasChildren, false);
    assert.equal(processRow(m.rows, 102).parentIndex, m.rows.indexOf(init));
  });

  it('a 10,000-deep chain does not overflow the stack', () => {
    const ps = [proc(1, 0)];
    for (let i = 2; i <= 10_000; i++) ps.push(proc(i, i - 1));
    const rows = deriveModel(snapshotOf(ps)).rows;
    assert.equal(rows.length, 10_000);
    assert.equal(rows.at(-1)?.depth, 9_999);
  });
});

describe('deriveModel on the recorded snapshot', () => {
  const s = loadSnapshot('demo');
  const m = deriveModel(s);
  const web = containerNamed(s, 'isolens-demo-web');
  const hostpid = containerNamed(s, 'isolens-demo-hostpid');
  const sidecar = containerNamed(s, 'isolens-demo-sidecar');

  it('shows every process once', () => {
    const pids = m.rows.flatMap((r) => (r.kind === 'process' ? [r.process.pid] : []));
    assert.equal(pids.length, s.processes.length);
    assert.equal(new Set(pids).size, s.processes.length);
  });

  it("puts each container's header between its shim and its init", () => {
    for (const c of [web, hostpid, sidecar]) {
      const i = m.rows.findIndex((r) => r.kind === 'container' && r.container.info.id === c.id);
      const head = m.rows[i];
      const init = m.rows[i + 1];
      const shim = head && head.parentIndex >= 0 ? m.rows[head.parentIndex] : undefined;
      assert.ok(init?.kind === 'process' && init.process.pid === c.pid, `${c.name}: init follows the header`);
      assert.ok(shim?.kind === 'process' && shim.process.comm === 'containerd-shim', `${c.name}: under its shim`);
      assert.equal(head?.depth, init.depth);
    }
  });

  it('PID inside: 1 for a container with its own pid namespace, blank with --pid host', () => {
    assert.equal(processRow(m.rows, web.pid ?? -1).insidePid, 1);
    assert.equal(processRow(m.rows, hostpid.pid ?? -1).insidePid, null);
    assert.ok(!processRow(m.rows, hostpid.pid ?? -1).nsDiff.includes('pid'));
    assert.deepEqual(processRow(m.rows, web.pid ?? -1).nsDiff, ['ipc', 'mnt', 'net', 'pid', 'uts']);
  });

  it('colours: one per container, stable across snapshots, from the palette', () => {
    const again = deriveModel(loadSnapshot('demo'));
    for (const c of m.containers) {
      assert.ok(PALETTE.includes(c.color.solid));
      assert.equal(again.containerById.get(c.info.id)?.color.solid, c.color.solid);
    }
    assert.equal(new Set(m.containers.map((c) => c.color.solid)).size, m.containers.length);
  });

  it('matrix: host, own and shared cells', () => {
    const row = (name: string) => m.matrix.find((r) => r.container?.info.name === name);
    assert.equal(row('isolens-demo-hostpid')?.cells.pid.sharing, 'host');
    assert.equal(row('isolens-demo-hostpid')?.cells.pid.color, HOST_GREY);
    assert.equal(row('isolens-demo-web')?.cells.pid.sharing, 'own');
    const wNet = row('isolens-demo-web')?.cells.net;
    const sNet = row('isolens-demo-sidecar')?.cells.net;
    assert.equal(wNet?.sharing, 'shared');
    assert.equal(sNet?.sharing, 'shared');
    assert.equal(wNet?.id, sNet?.id);
    assert.equal(wNet?.color, sNet?.color);
    assert.deepEqual(sNet?.sharedWith.map((c) => c.info.name), ['isolens-demo-web']);
    assert.notEqual(row('isolens-demo-sidecar')?.cells.pid.color, row('isolens-demo-web')?.cells.pid.color);
    assert.ok(m.matrix[0]?.container === null && Object.values(m.matrix[0].cells).every((c) => c.sharing === 'host'), 'the first row is the host');
  });

  it('pid namespace hierarchy: containers below the host', () => {
    assert.equal(m.pidTree[0]?.ns.host, true);
    assert.equal(m.pidTree[0]?.depth, 0);
    const webPid = m.pidTree.find((n) => n.containers.some((c) => c.info.id === web.id));
    assert.ok(webPid && webPid.depth === 1 && !webPid.ns.host);
  });
});

describe('deriveModel: namespaces', () => {
  it('lists namespaces no process holds (bind-mounted)', () => {
    const s = snapshotOf([proc(1, 0)], [], [
      { id: 4026532500, type: 'net', pids: [], host: false, parent: null, owner: 4026531837, path: '/run/netns/demo' },
      { id: 4026531833, type: 'net', pids: [1], host: true, parent: null, owner: 4026531837, path: null },
    ]);
    assert.deepEqual(deriveModel(s).unheld.map((n) => n.path), ['/run/netns/demo']);
  });

  it('marks a namespace it cannot read as unknown', () => {
    const id = 'c'.repeat(64);
    const ns = { ...nsOf(), net: null };
    const m = deriveModel(snapshotOf([proc(1, 0), proc(5, 1, { containerId: id, namespaces: ns })], [container(id, 'x', [5])]));
    assert.equal(m.matrix[1]?.cells.net.sharing, 'unknown');
  });
});

describe('assignColors', () => {
  it('a new container never recolours the older ones', () => {
    const olds = Array.from({ length: 6 }, (_, i) => ({ id: `old${i}`, createdAt: `2026-01-0${i + 1}T00:00:00Z` }));
    const before = assignColors(olds);
    const after = assignColors([...olds, { id: 'newcomer', createdAt: '2026-02-01T00:00:00Z' }]);
    for (const o of olds) assert.equal(after.get(o.id)?.solid, before.get(o.id)?.solid);
    assert.equal(new Set([...after.values()].map((c) => c.solid)).size, 7);
  });
});

describe('deriveModel on a recorded snapshot with several engines (docker, podman, lxc, none)', () => {
  const s = loadSnapshot('multi-engine');
  const m = deriveModel(s);
  it('shows every process once, and heads each container with its init', () => {
    const pids = m.rows.flatMap((r) => (r.kind === 'process' ? [r.process.pid] : []));
    assert.equal(new Set(pids).size, s.processes.length);
    for (const c of s.containers) {
      const i = m.rows.findIndex((r) => r.kind === 'container' && r.container.info.id === c.id && !r.continued);
      const next = m.rows[i + 1];
      assert.ok(i >= 0 && next?.kind === 'process' && next.container?.info.id === c.id, `${c.engine} ${c.name}`);
    }
  });
  it('every matrix row has the 8 kinds, each host, own, shared or unknown', () => {
    assert.equal(m.matrix.length, s.containers.length + 1);
    for (const r of m.matrix) assert.equal(Object.keys(r.cells).length, 8);
  });
});
