import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyDelta } from '../../../shared/delta';
import type { ContainerInfo, ProcessInfo, Snapshot } from '../../../shared/model';
import { diffSnapshots, sameValue } from '../../../electron/collector/service/diff';
import { HOST_NS } from '../../helpers/records';

const proc = (pid: number, startTime = pid * 10, ppid = 1): ProcessInfo => ({
  pid, ppid, comm: `p${pid}`, cmdline: [], uid: 0, startTime, nspid: [pid], namespaces: HOST_NS, cgroup: '/', containerId: null,
});
const container = (id: string, memoryBytes: number | null): ContainerInfo => ({
  id, name: id, engine: 'docker', image: null, state: 'running', pid: 1, pids: [1], limits: { memoryBytes, cpus: null, pidsMax: null, cpuset: null },
  sharedWithHost: [], cgroup: null, labels: {}, config: null, createdAt: null,
});
const snap = (processes: ProcessInfo[], containers: ContainerInfo[] = [], warnings: string[] = []): Snapshot => ({
  schema: 1, takenAt: 't', host: { hostname: 'h', kernel: 'k', cgroupVersion: 1, namespaces: {}, namespacesFrom: 2, collectorUid: 0 },
  processes, namespaces: [], containers, engines: [], warnings,
});

describe('sameValue', () => {
  const cases: [string, unknown, unknown, boolean][] = [
    ['equal nested objects', { a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, true],
    ['different array lengths', [1], [1, 2], false],
    ['null against object', null, {}, false],
    ['array against object', [], {}, false],
    ['extra key', { a: 1 }, { a: 1, b: 2 }, false],
  ];
  for (const [name, a, b, want] of cases) it(name, () => assert.equal(sameValue(a, b), want));
});

describe('diffSnapshots', () => {
  it('keys processes by pid and start time: a reused pid is removed + added', () => {
    const d = diffSnapshots(snap([proc(1), proc(2)]), snap([proc(1), proc(2, 999)]), 2, {});
    assert.deepEqual(d.removed.processes, ['2:20']);
    assert.deepEqual(d.added.processes.map((p) => p.startTime), [999]);
    assert.deepEqual(d.updated.processes, []);
  });
  it('reports changed records as updated, unchanged ones not at all', () => {
    const d = diffSnapshots(snap([proc(1), proc(2)], [container('c', 1)]), snap([proc(1), proc(2, 20, 7)], [container('c', 2)]), 2, {});
    assert.deepEqual(d.updated.processes.map((p) => p.pid), [2]);
    assert.deepEqual(d.updated.containers.map((c) => c.limits.memoryBytes), [2]);
    assert.equal(d.host, undefined);
    assert.equal(d.warnings, undefined);
  });
  it('carries warnings only when they change', () => {
    assert.deepEqual(diffSnapshots(snap([]), snap([], [], ['w']), 2, {}).warnings, ['w']);
  });
  it('applyDelta(prev, diff(prev, next)) gives next', () => {
    const prev = snap([proc(1), proc(2), proc(3)], [container('a', 1), container('b', null)]);
    const next = snap([proc(1), proc(3, 30, 2), proc(4)], [container('b', 5), container('c', null)], ['x']);
    const r = applyDelta({ seq: 1, snapshot: prev, usage: {} }, diffSnapshots(prev, next, 2, {}));
    assert.equal(r.kind, 'applied');
    const sort = <T>(xs: readonly T[], k: (x: T) => string): T[] => [...xs].sort((a, b) => k(a).localeCompare(k(b)));
    assert.deepEqual(sort(r.state.snapshot.processes, (p) => String(p.pid)), sort(next.processes, (p) => String(p.pid)));
    assert.deepEqual(sort(r.state.snapshot.containers, (c) => c.id), sort(next.containers, (c) => c.id));
    assert.deepEqual(r.state.snapshot.warnings, ['x']);
  });

  it('a namespace whose only change is its members travels as pid changes, and applies back', () => {
    const ns = (pids: number[], path: string | null = null) => ({ id: 7, type: 'pid' as const, pids, host: true, parent: null, owner: null, path });
    const prev = { ...snap([proc(1), proc(2)]), namespaces: [ns([1, 2])] };
    const next = { ...snap([proc(1), proc(3)]), namespaces: [ns([1, 3])] };
    const d = diffSnapshots(prev, next, 2, {});
    assert.deepEqual(d.updated.namespaces, []);
    assert.deepEqual(d.members, { '7': { added: [3], removed: [2] } });
    const r = applyDelta({ seq: 1, snapshot: prev, usage: {} }, d);
    assert.deepEqual(r.state.snapshot.namespaces, next.namespaces);
    const moved = diffSnapshots(prev, { ...next, namespaces: [ns([1, 3], '/run/netns/x')] }, 2, {});
    assert.equal(moved.updated.namespaces.length, 1, 'another field changed: the whole record');
    assert.equal(moved.members, undefined);
  });
});
