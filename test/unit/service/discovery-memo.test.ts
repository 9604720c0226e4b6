import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { assembleSnapshot, DiscoveryMemo, type SnapshotParts } from '../../../electron/collector/snapshot';
import { readProcessTable, type ProcessRecord } from '../../../electron/collector/procfs/process';

const GOOD = path.resolve(__dirname, '../../../test/fixtures/proc');

function partsOf(processes: readonly ProcessRecord[], memo: DiscoveryMemo, shared: Pick<SnapshotParts, 'engines' | 'lsns' | 'nsfs' | 'mounts'>): SnapshotParts {
  return {
    procRoot: GOOD, sysRoot: path.join(GOOD, 'no-sys'), processes, tableErrors: [], ...shared, warnings: [], holders: null,
    hostname: 'fixture', kernel: '6.1.0', collectorUid: 0, takenAt: new Date(0), memo,
  };
}

describe('DiscoveryMemo (the live service skips the discovery passes while the table holds the same processes)', () => {
  const table = readProcessTable(GOOD);
  const shared = { engines: { statuses: [], containers: [], warnings: [] }, lsns: [], nsfs: [], mounts: { v2: null, v1: new Map() } };
  const busy = table.processes.find((p) => p.pid === 7992);
  assert.ok(busy, 'the fixture tree has pid 7992');
  const swap = (rec: ProcessRecord): ProcessRecord[] => table.processes.map((p) => (p.pid === rec.pid ? rec : p));

  it('a record new only in what a steady tick re-reads (stat state, CPU times, threads) reuses the passes', () => {
    const memo = new DiscoveryMemo();
    const first = assembleSnapshot(partsOf(table.processes, memo, shared));
    const again = assembleSnapshot(partsOf(swap({ ...busy, state: busy.state === 'R' ? 'S' : 'R', utime: busy.utime + 7, stime: busy.stime + 3, numThreads: busy.numThreads + 1 }), memo, shared));
    assert.equal(memo.runs, 1);
    assert.equal(memo.hits, 1);
    assert.equal(again.processes, first.processes, 'the same wire process list');
    assert.equal(again.namespaces, first.namespaces, 'the same namespace list');
  });

  it('a new parent, a setns(2) into another namespace or another cgroup runs them again', () => {
    const memo = new DiscoveryMemo();
    const first = assembleSnapshot(partsOf(table.processes, memo, shared));
    const reparented = assembleSnapshot(partsOf(swap({ ...busy, ppid: 7941 }), memo, shared));
    assert.equal(memo.runs, 2);
    assert.notEqual(reparented.processes, first.processes);
    assert.equal(reparented.processes.find((p) => p.pid === busy.pid)?.ppid, 7941);
    const net = 4026599999;
    const moved = assembleSnapshot(partsOf(swap({ ...busy, namespaces: { ...busy.namespaces, net } }), memo, shared));
    assert.equal(memo.runs, 3);
    assert.ok(moved.namespaces.some((n) => n.id === net && n.pids.includes(busy.pid)), 'the new net namespace is listed with the process');
    assembleSnapshot(partsOf(swap({ ...busy, cgroup: '/other' }), memo, shared));
    assert.equal(memo.runs, 4);
    assert.equal(memo.hits, 0);
  });
});
