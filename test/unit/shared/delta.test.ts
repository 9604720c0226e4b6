import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyDelta, processKey, type Delta, type SequencedSnapshot } from '../../../shared/delta';
import type { ProcessInfo, Snapshot } from '../../../shared/model';
import { HOST_NS } from '../../helpers/records';

const proc = (pid: number, startTime: number, comm = `p${pid}`): ProcessInfo => ({
  pid, ppid: 1, comm, cmdline: [], uid: 0, startTime, nspid: [pid], namespaces: HOST_NS, cgroup: '/', containerId: null,
});
const snapshot: Snapshot = {
  schema: 1, takenAt: 't0', host: { hostname: 'h', kernel: 'k', cgroupVersion: 2, namespaces: {}, namespacesFrom: 1, collectorUid: 0 },
  processes: [proc(1, 10), proc(2, 20)], namespaces: [], containers: [], engines: [], warnings: [],
};
const state: SequencedSnapshot = { seq: 5, snapshot, usage: {} };
const empty = { processes: [], namespaces: [], containers: [] };
const delta = (over: Partial<Delta>): Delta => ({ seq: 6, takenAt: 't1', added: empty, updated: empty, removed: empty, usage: {}, ...over });

describe('applyDelta', () => {
  it('adds, updates and removes by key', () => {
    const r = applyDelta(state, delta({
      added: { ...empty, processes: [proc(3, 30)] },
      updated: { ...empty, processes: [proc(1, 10, 'renamed')] },
      removed: { ...empty, processes: ['2:20'] },
    }));
    assert.equal(r.kind, 'applied');
    assert.equal(r.state.seq, 6);
    assert.deepEqual(r.state.snapshot.processes.map((p) => [processKey(p), p.comm]).sort(), [['1:10', 'renamed'], ['3:30', 'p3']]);
    assert.equal(r.state.snapshot.takenAt, 't1');
  });
  it('a reused pid is a different key: removing the old one keeps the new one', () => {
    const r = applyDelta(state, delta({ added: { ...empty, processes: [proc(2, 99)] }, removed: { ...empty, processes: ['2:20'] } }));
    assert.deepEqual(r.state.snapshot.processes.filter((p) => p.pid === 2).map((p) => p.startTime), [99]);
  });
  it('a gap in seq asks for a resync and leaves the state alone', () => {
    const r = applyDelta(state, delta({ seq: 8 }));
    assert.deepEqual(r.kind === 'resync' && [r.expected, r.got], [6, 8]);
    assert.equal(r.state, state);
  });
  it('an old delta is skipped as stale', () => {
    assert.equal(applyDelta(state, delta({ seq: 5 })).kind, 'stale');
  });
  it('usage of a removed container is dropped', () => {
    const withUsage: SequencedSnapshot = { ...state, usage: { c1: { t: 1, memoryBytes: 1, memoryLimitBytes: null, memoryPeakBytes: null, oomKills: 0, cpuCores: null, cpuQuotaCores: null, throttledPeriods: null, throttledMs: null, pids: 1, pidsMax: null } } };
    const r = applyDelta(withUsage, delta({ removed: { ...empty, containers: ['c1'] } }));
    assert.deepEqual(r.state.usage, {});
  });
});
