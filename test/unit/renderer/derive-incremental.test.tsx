import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seededRng, syntheticSnapshot } from '../../../bench/render-snapshot';
import type { Rng } from '../../../bench/render-snapshot';
import { diffSnapshots } from '../../../electron/collector/service/diff';
import { applyDelta } from '../../../shared/delta';
import type { Delta, SequencedSnapshot } from '../../../shared/delta';
import type { ContainerInfo, NamespaceInfo, ProcessInfo, Snapshot } from '../../../shared/model';
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import type { NamespaceId, ProcessNamespaces } from '../../../shared/namespaces';
import { applyMembersSorted, createDeltaApplier } from '../../../renderer/state/apply';
import { applyMembers } from '../../../shared/delta';
import { createModelDeriver, deriveModel } from '../../../renderer/state/derive';
import type { TreeRow, ViewModel } from '../../../renderer/state/derive';
import { referenceModel } from './derive-reference';
import { container, loadSnapshot, nsOf, proc, snapshotOf } from './fixtures';

const pick = <T,>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

/** Namespace and container pid lists that agree with the processes (ascending), as the collector gives them. */
function reindex(s: Snapshot): Snapshot {
  const nsPids = new Map<NamespaceId, number[]>();
  const cPids = new Map<string, number[]>();
  for (const p of [...s.processes].sort((a, b) => a.pid - b.pid)) {
    for (const k of NAMESPACE_KINDS) {
      const id = p.namespaces[k];
      if (id === null) continue;
      const l = nsPids.get(id);
      if (l) l.push(p.pid);
      else nsPids.set(id, [p.pid]);
    }
    if (p.containerId !== null) {
      const l = cPids.get(p.containerId);
      if (l) l.push(p.pid);
      else cPids.set(p.containerId, [p.pid]);
    }
  }
  const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  return {
    ...s,
    namespaces: s.namespaces.map((n) => {
      const pids = nsPids.get(n.id) ?? [];
      return same(pids, n.pids) ? n : { ...n, pids };
    }),
    containers: s.containers.map((c) => {
      const pids = cPids.get(c.id) ?? [];
      return same(pids, c.pids) ? c : { ...c, pids };
    }),
  };
}

/**
 * One tick of a restless host: processes start (under a live parent, an absent one, or none),
 * exit (parents too: their children become roots), change their command, move to another parent
 * (cycles included), are replaced by a new process with the same pid; containers are renamed,
 * re-dated, lose their init, go and come; namespaces go and come; the host's namespaces change.
 */
function randomTick(s: Snapshot, rng: Rng, step: number): Snapshot {
  const procs = new Map<number, ProcessInfo>(s.processes.map((p) => [p.pid, p]));
  let containers = [...s.containers];
  let namespaces: NamespaceInfo[] = [...s.namespaces];
  let host = s.host;
  let maxPid = Math.max(1, ...procs.keys());
  const gone: number[] = [];
  let clock = Math.max(0, ...s.processes.map((p) => p.startTime)) + 1;
  const live = (): ProcessInfo[] => [...procs.values()];
  const ops = 1 + Math.floor(rng() * 8);
  for (let i = 0; i < ops; i++) {
    const r = rng();
    const all = live();
    if (r < 0.25 || all.length < 4) {
      // Under a live process, none, or one yet to come (a pid soon given out, or one that just exited).
      const parent = rng() < 0.75 && all.length > 0 ? pick(rng, all).pid : rng() < 0.3 ? 0 : rng() < 0.5 ? maxPid + 1 + Math.floor(rng() * 3) : (gone[0] ?? 0);
      const c = rng() < 0.5 && containers.length > 0 ? pick(rng, containers) : null;
      const initNs = c?.pid != null ? procs.get(c.pid)?.namespaces : undefined;
      // A new pid, or (as the kernel does once pids wrap) the pid of a process that exited.
      const reuse = rng() < 0.3 ? gone.shift() : undefined;
      const pid = reuse !== undefined && !procs.has(reuse) ? reuse : ++maxPid;
      procs.set(pid, proc(pid, parent, {
        startTime: clock++,
        containerId: rng() < 0.1 ? 'f'.repeat(64) : (c?.id ?? null), // a container the snapshot lacks, at times
        namespaces: initNs ?? (rng() < 0.1 ? { ...nsOf(), net: null, mnt: null } : nsOf()),
        nspid: c ? [pid, 1 + Math.floor(rng() * 30)] : [pid],
        cmdline: rng() < 0.2 ? [] : ['/bin/job', String(step)],
      }));
    } else if (r < 0.45) {
      const p = pick(rng, all);
      procs.delete(p.pid);
      gone.push(p.pid);
    } else if (r < 0.6) {
      const p = pick(rng, all);
      procs.set(p.pid, { ...p, cmdline: [...p.cmdline, `--step=${step}`] });
    } else if (r < 0.7) {
      const p = pick(rng, all);
      const to = rng() < 0.5 ? 1 : pick(rng, all).pid; // may be itself, a descendant (a cycle), or pid 1
      procs.set(p.pid, { ...p, ppid: to });
    } else if (r < 0.75) {
      const p = pick(rng, all);
      procs.set(p.pid, { ...p, startTime: clock++, comm: 'reused' }); // pid reuse: a new process, same pid
    } else if (r < 0.8) {
      const p = pick(rng, all);
      procs.set(p.pid, { ...p, namespaces: { ...p.namespaces, uts: 4026540000 + step } as ProcessNamespaces });
    } else if (r < 0.85 && containers.length > 0) {
      const c = pick(rng, containers);
      const change = rng();
      const next: ContainerInfo =
        change < 0.4 ? { ...c, name: `renamed-${step}-${c.name}` }
        : change < 0.6 ? { ...c, createdAt: `2026-0${1 + Math.floor(rng() * 9)}-01T00:00:00Z` }
        : change < 0.8 ? { ...c, pid: pick(rng, all).pid }
        : { ...c, engine: c.engine === 'none' ? 'docker' : 'none' };
      containers = containers.map((x) => (x.id === c.id ? next : x));
    } else if (r < 0.9 && containers.length > 0) {
      const c = pick(rng, containers);
      containers = containers.filter((x) => x.id !== c.id);
      if (rng() < 0.5) containers.push({ ...c, id: c.id.replace(/^./, String(step % 10)), name: `${c.name}-again` });
    } else if (r < 0.95) {
      if (rng() < 0.5 && namespaces.length > 0) {
        const n = pick(rng, namespaces);
        namespaces = namespaces.filter((x) => x !== n);
      } else {
        namespaces.push({ id: 4026560000 + step * 10 + i, type: pick(rng, ['pid', 'user', 'net'] as const), pids: [], host: false, parent: rng() < 0.5 ? 4026531836 : null, owner: null, path: '/run/netns/x' });
      }
    } else {
      const ns = { ...host.namespaces, net: rng() < 0.5 ? 4026531833 : 4026531999 };
      host = { ...host, namespaces: ns };
    }
  }
  return reindex({ ...s, takenAt: new Date(Date.parse(s.takenAt) + 1000).toISOString(), host, processes: [...procs.values()].sort((a, b) => a.pid - b.pid), containers, namespaces });
}

function label(r: TreeRow): string {
  return r.kind === 'process'
    ? `${r.depth} ${r.process.pid} ^${r.parentIndex} ${r.hasChildren ? '+' : '-'} ${r.container?.info.name ?? ''} ${r.nsDiff.join(',')}${r.nsUnknown ? '?' : ''} ${r.insidePid ?? ''} ${r.command}`
    : `${r.depth} [${r.container.info.name}${r.continued ? ' (continued)' : ''}] ^${r.parentIndex}`;
}

/** Every field of two models equal (Maps in the same order); the tree's accessors and one-namespace lookups agree with them. */
function assertSameModel(got: ViewModel, want: ViewModel, what: string, s?: Snapshot): void {
  // One namespace at a time first (before namespaceById is computed, which then answers instead).
  if (got.namespaceIdentity) {
    const ids = new Set<NamespaceId>([...want.namespaceById.keys(), 1, 4026599999]);
    for (const p of s?.processes ?? []) for (const k of NAMESPACE_KINDS) if (p.namespaces[k] !== null) ids.add(p.namespaces[k] as number);
    for (const id of ids) assert.deepEqual(got.namespaceIdentity(id), want.namespaceById.get(id), `${what}: namespace ${id}`);
  }
  // Pid lookups first (before iterating builds the map, which then answers instead).
  for (const [pid, p] of want.processByPid) assert.equal(got.processByPid.get(pid), p, `${what}: pid ${pid}`);
  assert.equal(got.processByPid.get(-1), undefined);
  assert.equal(got.processByPid.size, want.processByPid.size);
  const t = got.tree;
  if (t) {
    assert.equal(t.length, want.rows.length, `${what}: tree length`);
    want.rows.forEach((r, i) => {
      assert.equal(t.depth(i), r.depth);
      assert.equal(t.parentIndex(i), r.parentIndex);
      assert.equal(t.isHeader(i), r.kind === 'container');
      assert.equal(t.container(i), t.row(i).container);
      if (r.kind === 'process') {
        assert.equal(t.hasChildren(i), r.hasChildren);
        assert.equal(t.process(i), r.process);
        assert.equal(t.insidePid(i), r.insidePid);
        assert.equal(t.command(i), r.command);
      }
    });
  }
  assert.deepEqual(got.rows.map(label), want.rows.map(label), `${what}: rows`);
  assert.deepEqual(got.rows, want.rows, `${what}: rows in full`);
  assert.deepEqual(got.containers, want.containers, `${what}: containers`);
  assert.deepEqual([...got.containerById], [...want.containerById], `${what}: containerById`);
  assert.deepEqual([...got.processByPid], [...want.processByPid], `${what}: processByPid`);
  assert.deepEqual([...got.namespaceById], [...want.namespaceById], `${what}: namespaceById`);
  assert.deepEqual(got.matrix, want.matrix, `${what}: matrix`);
  assert.deepEqual(got.pidTree, want.pidTree, `${what}: pidTree`);
  assert.deepEqual(got.userTree, want.userTree, `${what}: userTree`);
  assert.deepEqual(got.unheld, want.unheld, `${what}: unheld`);
  assert.equal(got.host, want.host);
  assert.equal(got.processCount, want.processByPid.size, `${what}: processCount`);
}

function run(base: Snapshot, seed: number, ticks: number): void {
  const rng = seededRng(seed);
  const deriver = createModelDeriver();
  const applier = createDeltaApplier();
  let plain: SequencedSnapshot = { seq: 0, snapshot: base, usage: {} };
  let fast = plain;
  let truth = base;
  let previous: { model: ViewModel; snapshot: Snapshot } | null = null;
  assertSameModel(deriver.derive(fast.snapshot), referenceModel(base), `seed ${seed} start`, base);
  for (let t = 1; t <= ticks; t++) {
    const next = randomTick(truth, rng, t);
    const d = diffSnapshots(truth, next, t, {});
    truth = next;
    if (t % 10 === 5) {
      // A resync: this delta is lost, a fresh snapshot (new records throughout) replaces the state.
      plain = JSON.parse(JSON.stringify({ seq: t, snapshot: truth, usage: {} })) as SequencedSnapshot;
      fast = JSON.parse(JSON.stringify(plain)) as SequencedSnapshot;
      assertSameModel(deriver.derive(fast.snapshot), referenceModel(fast.snapshot), `seed ${seed} tick ${t} resync`);
      continue;
    }
    const a = applyDelta(plain, d);
    const b = applier.apply(fast, d);
    assert.equal(a.kind, 'applied');
    assert.equal(b.kind, 'applied');
    plain = a.state;
    fast = b.state;
    assert.deepEqual(fast, plain, `seed ${seed} tick ${t}: the applier folds the delta as applyDelta does`);
    // The incremental model (from the previous one), a fresh deriver's, and the reference agree;
    // the previous model, read only now, still shows its own snapshot.
    const inc = deriver.derive(fast.snapshot);
    if (previous) assertSameModel(previous.model, referenceModel(previous.snapshot), `seed ${seed} tick ${t - 1} read late`, previous.snapshot);
    previous = null;
    if (t % 3 === 0) previous = { model: inc, snapshot: fast.snapshot }; // read at the next tick only
    else assertSameModel(inc, referenceModel(fast.snapshot), `seed ${seed} tick ${t}`, fast.snapshot);
    if (t % 7 === 0) assertSameModel(createModelDeriver().derive(fast.snapshot), referenceModel(fast.snapshot), `seed ${seed} tick ${t} from scratch`, fast.snapshot);
  }
}

describe('incremental derivation: delta after delta, the same model as from scratch', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`synthetic host of 240 processes, 40 random ticks (seed ${seed})`, () => run(syntheticSnapshot({ processes: 240, seed }), seed, 40));
  }
  it('the recorded demo snapshot, 40 random ticks', () => run(loadSnapshot('demo'), 11, 40));
  it('the recorded multi-engine snapshot, 40 random ticks', () => run(loadSnapshot('multi-engine'), 12, 40));
  it('the same processes in another order, some changed, one listed twice', () => {
    const deriver = createModelDeriver();
    const a = syntheticSnapshot({ processes: 200, seed: 9 });
    const rng = seededRng(9);
    const shuffled = [...a.processes].sort(() => rng() - 0.5);
    shuffled[3] = { ...(shuffled[3] as ProcessInfo), cmdline: ['changed'] };
    const b: Snapshot = { ...a, processes: shuffled.filter((_, i) => i !== 10) };
    const c: Snapshot = { ...b, processes: [...b.processes, b.processes[5] as ProcessInfo] };
    for (const s of [a, b, c, a]) assertSameModel(deriver.derive(s), referenceModel(s), 'reordered');
  });
  it('a small host torn down and rebuilt (most processes change: derived from scratch)', () => {
    const deriver = createModelDeriver();
    const a = syntheticSnapshot({ processes: 200, seed: 7 });
    const b = syntheticSnapshot({ processes: 300, seed: 8 });
    for (const s of [a, b, a]) assertSameModel(deriver.derive(s), referenceModel(s), 'rebuilt');
  });
});

describe('incremental derivation: odd snapshots', () => {
  it('a namespace listed twice: the last record is its info, either record makes it a host namespace', () => {
    const id = 'd'.repeat(64);
    const ns = nsOf({ net: 9100 });
    const s = snapshotOf([proc(1, 0), proc(5, 1, { containerId: id, namespaces: ns })], [container(id, 'x', [5])], [
      { id: 9100, type: 'net', pids: [5], host: false, parent: null, owner: null, path: null },
      { id: 9100, type: 'uts', pids: [5], host: true, parent: null, owner: null, path: '/run/x' },
    ]);
    assertSameModel(createModelDeriver().derive(s), referenceModel(s), 'duplicate namespace', s);
  });
});

describe('incremental derivation: a pid listed twice (never from the collector)', () => {
  it('is drawn once, and is counted once', () => {
    const second = proc(5, 1, { cmdline: ['second'] });
    const s = snapshotOf([proc(1, 0), proc(5, 1, { cmdline: ['first'] }), second]);
    const m = createModelDeriver().derive(s);
    const fives = m.rows.filter((r) => r.kind === 'process' && r.process.pid === 5);
    assert.equal(fives.length, 1);
    assert.equal(m.processCount, 2);
    assert.equal(m.processByPid.get(5), second);
  });
});

describe('incremental derivation: identity', () => {
  it('the same snapshot gives the same model object', () => {
    const s = syntheticSnapshot({ processes: 200 });
    assert.equal(deriveModel(s), deriveModel(s));
  });

  it('keeps unchanged rows and containers, and makes new ones only where the delta touched', () => {
    const id = 'a'.repeat(64);
    const ns = nsOf({ pid: 9001, net: 9002 });
    const s1 = snapshotOf(
      [proc(1, 0), proc(100, 1), proc(101, 100, { containerId: id, namespaces: ns, nspid: [101, 1] }), proc(200, 1), proc(300, 1), proc(301, 300)],
      [container(id, 'web', [101])],
    );
    const deriver = createModelDeriver();
    const m1 = deriver.derive(s1);
    const rows1 = m1.rows; // read while current, as a view does (rows are made when read)
    const changed = { ...(s1.processes[4] as ProcessInfo), cmdline: ['/bin/changed'] }; // pid 300
    const s2: Snapshot = { ...s1, processes: s1.processes.map((p) => (p.pid === 300 ? changed : p)) };
    const m2 = deriver.derive(s2);
    assert.equal(m2.containers, m1.containers, 'containers untouched: the same list');
    const row = (m: ViewModel, pid: number) => m.rows.find((r) => r.kind === 'process' && r.process.pid === pid);
    assert.equal(m1.rows, rows1);
    for (const pid of [1, 100, 101, 200, 301]) assert.equal(row(m2, pid), row(m1, pid), `row ${pid} kept`);
    assert.notEqual(row(m2, 300), row(m1, 300));
    assert.equal(m2.namespaceById.get(9001), m1.namespaceById.get(9001), 'namespace identities kept');
  });
});

describe('createDeltaApplier: odd deltas, as applyDelta', () => {
  const base: SequencedSnapshot = { seq: 0, snapshot: snapshotOf([proc(1, 0), proc(5, 1, { startTime: 1 })]), usage: {} };
  const none = { processes: [], namespaces: [], containers: [] };
  const cases: { name: string; state: SequencedSnapshot; delta: Delta }[] = [
    { name: 'a second process under a pid still listed', state: base, delta: { seq: 1, takenAt: 't', added: { ...none, processes: [proc(5, 1, { startTime: 2 })] }, updated: none, removed: none, usage: {} } },
    { name: 'an update of a process not listed', state: base, delta: { seq: 1, takenAt: 't', added: none, updated: { ...none, processes: [proc(9, 1)] }, removed: none, usage: {} } },
    { name: 'removal of a key not listed, or malformed', state: base, delta: { seq: 1, takenAt: 't', added: none, updated: none, removed: { ...none, processes: ['5:999', 'junk', '1:101'] }, usage: {} } },
    { name: 'a state listing a pid twice', state: { ...base, snapshot: snapshotOf([proc(1, 0), proc(1, 0, { startTime: 7 })]) }, delta: { seq: 1, takenAt: 't', added: { ...none, processes: [proc(2, 1)] }, updated: none, removed: none, usage: {} } },
    { name: 'stale', state: { ...base, seq: 4 }, delta: { seq: 2, takenAt: 't', added: none, updated: none, removed: none, usage: {} } },
    { name: 'a gap', state: base, delta: { seq: 3, takenAt: 't', added: none, updated: none, removed: none, usage: {} } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const applier = createDeltaApplier();
      const first = applier.apply(c.state, c.delta);
      assert.deepEqual(first, applyDelta(c.state, c.delta));
      // And the next delta, on the state it made.
      const next = first.state;
      const d2: Delta = { seq: next.seq + 1, takenAt: 'u', added: { ...none, processes: [proc(77, 1)] }, updated: none, removed: none, usage: {} };
      assert.deepEqual(applier.apply(next, d2), applyDelta(next, d2));
    });
  }
});

describe('applyMembersSorted', () => {
  const cases: { name: string; pids: number[]; added: number[]; removed: number[] }[] = [
    { name: 'adds in order', pids: [1, 5, 9], added: [7, 2, 12], removed: [] },
    { name: 'removes', pids: [1, 5, 9], added: [], removed: [5, 40] },
    { name: 'both, an added pid already there', pids: [1, 5, 9], added: [5, 6], removed: [1] },
    { name: 'a pid both left and came back', pids: [1, 5, 9], added: [5], removed: [5] },
    { name: 'duplicates among the added', pids: [2], added: [3, 3], removed: [] },
    { name: 'an unsorted list falls back to applyMembers', pids: [9, 1, 5], added: [3], removed: [] },
    { name: 'empty', pids: [], added: [4], removed: [4] },
    { name: 'a pid listed twice, removed twice', pids: [1, 3, 3, 5], added: [2], removed: [3, 3] },
    { name: 'many leave at once', pids: Array.from({ length: 100 }, (_, i) => i * 2), added: [3, 301], removed: Array.from({ length: 30 }, (_, i) => i * 6) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(applyMembersSorted(c.pids, c), applyMembers(c.pids, c));
    });
  }
  it('random lists and changes: as applyMembers', () => {
    const rng = seededRng(77);
    const some = (n: number, max: number): number[] => Array.from({ length: Math.floor(rng() * n) }, () => Math.floor(rng() * max));
    for (let i = 0; i < 2000; i++) {
      const pids = some(40, 60).sort((a, b) => a - b);
      const change = { added: some(6, 70), removed: some(6, 70).concat(rng() < 0.5 ? pids.slice(0, 2) : []) };
      assert.deepEqual(applyMembersSorted(pids, change), applyMembers(pids, change), JSON.stringify({ pids, change }));
    }
  });
});
