import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parallelUnavailable, readProcessTableParallel } from '../../../electron/collector/procfs/parallel';
import { readProcessTable } from '../../../electron/collector/procfs/process';

const GOOD = path.resolve(__dirname, '..', '..', 'fixtures', 'proc');
const BROKEN = path.resolve(__dirname, '..', '..', 'fixtures', 'proc-broken');

/** Errors compared by what they say, not by class identity across threads. */
const plain = (t: ReturnType<typeof readProcessTable>) => ({
  processes: t.processes.map((p) => ({ ...p, errors: p.errors.map((e) => [e.name, e.code, e.pid, e.file]) })),
  errors: t.errors.map((e) => [e.name, e.code, e.pid, e.file]),
});

describe('readProcessTableParallel', () => {
  for (const [name, root] of [['the fixture tree', GOOD], ['the broken fixture tree', BROKEN]] as const) {
    it(`on ${name}, two threads read what one thread reads`, async () => {
      const two = await readProcessTableParallel(root, 1);
      assert.equal(parallelUnavailable(), null, 'the worker ran');
      assert.deepEqual(plain(two), plain(readProcessTable(root)));
      assert.ok(two.processes.every((p, i) => i === 0 || p.pid > (two.processes[i - 1]?.pid ?? 0)), 'in pid order');
    });
  }

  it('processes in one cgroup share one parsed list, also when read by the worker', async () => {
    const two = await readProcessTableParallel(GOOD, 1);
    const a = two.processes.find((p) => p.pid === 7992);
    const b = two.processes.find((p) => p.pid === 7993);
    const c = two.processes.find((p) => p.pid === 7994);
    assert.ok(a && b && c);
    assert.equal(a.cgroups, c.cgroups, 'one from this thread, one from the worker');
    assert.equal(a.namespaces, b.namespaces);
  });

  it('on the real /proc, the same processes as one thread (those that lived through both reads)', async () => {
    const two = await readProcessTableParallel('/proc', 1);
    const one = readProcessTable('/proc');
    const both = new Set(one.processes.map((p) => `${p.pid}:${p.startTime}`));
    const common = two.processes.filter((p) => both.has(`${p.pid}:${p.startTime}`));
    assert.ok(common.length > 0.9 * one.processes.length, `${common.length} of ${one.processes.length}`);
    const self = two.processes.find((p) => p.pid === process.pid);
    assert.ok(self && self.namespaces.pid !== null && self.cgroups.length > 0, 'this test\'s own process read whole');
  });

  it('a procfs root that does not exist gives the listing error, as one thread does', async () => {
    const two = await readProcessTableParallel('/nonexistent-procfs', 1);
    assert.deepEqual(two.processes, []);
    assert.equal(two.errors[0]?.code, 'ENOENT');
  });
});
