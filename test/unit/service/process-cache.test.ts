import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { readFullTable } from '../../../electron/collector/discover/full-read';
import { ProcessCache } from '../../../electron/collector/service/process-cache';

const fixture = path.resolve(__dirname, '..', '..', 'fixtures', 'proc');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-cache-'));
let root = '';

/** Rewrites stat fields (1-based as in proc(5)) of a pid in the copied tree. */
function editStat(pid: number, edit: (fields: string[]) => void, comm?: string): void {
  const file = path.join(root, String(pid), 'stat');
  const text = fs.readFileSync(file, 'utf8');
  const close = text.lastIndexOf(')');
  const head = text.slice(0, text.indexOf('(') + 1);
  const fields = text.slice(close + 2).trimEnd().split(' ');
  edit(fields);
  fs.writeFileSync(file, `${head}${comm ?? text.slice(text.indexOf('(') + 1, close)}) ${fields.join(' ')}\n`);
}

/** A full pass as the service runs it (readFullTable; Node's reads, as the fixture tree is small). */
const whole = (cache: ProcessCache) => cache.tickWholeWith(async (adopt) => readFullTable(root, { binary: null, nodeThreads: 1, adopt }));

describe('ProcessCache', () => {
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(tmp, 'proc-'));
    execFileSync('cp', ['-a', `${fixture}/.`, root]);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads every process whole on the first tick, and none on a quiet second tick', () => {
    const cache = new ProcessCache(root);
    const first = cache.tick();
    assert.equal(first.readWhole, first.processes.length);
    const second = cache.tick();
    assert.equal(second.readWhole, 0);
    assert.deepEqual(second.processes.map((p) => p.pid), first.processes.map((p) => p.pid));
    assert.equal(second.processes[0], first.processes[0], 'the same record object is reused');
  });

  it('a pid reused by a new process (another start time) is read whole as a new process', () => {
    const cache = new ProcessCache(root);
    const before = cache.tick().processes.find((p) => p.pid === 7993);
    editStat(7993, (f) => (f[22 - 3] = String(Number(f[22 - 3]) + 500)));
    const t = cache.tick();
    const after = t.processes.find((p) => p.pid === 7993);
    assert.equal(t.readWhole, 1);
    assert.equal(after?.startTime, (before?.startTime ?? 0) + 500);
  });

  it('an exec (comm changed) is read whole; a reparent only updates ppid', () => {
    const cache = new ProcessCache(root);
    cache.tick();
    editStat(7993, () => undefined, 'sleep');
    editStat(7941, (f) => (f[4 - 3] = '1'));
    const t = cache.tick();
    assert.equal(t.readWhole, 1);
    assert.equal(t.processes.find((p) => p.pid === 7993)?.comm, 'sleep');
    assert.equal(t.processes.find((p) => p.pid === 7941)?.ppid, 1);
  });

  it('a kworker renamed for its next workqueue (comm changes, no exec) keeps its record; a watched user process renamed is read whole', () => {
    // A kernel thread beside kthreadd: pid 2's files, with ppid 2 and a kworker's name.
    execFileSync('cp', ['-a', path.join(root, '2'), path.join(root, '77')]);
    fs.writeFileSync(path.join(root, '77', 'stat'), fs.readFileSync(path.join(root, '2', 'stat'), 'utf8').replace(/^2 \(kthreadd\) S 0 /, '77 (kworker/0:2-events) I 2 '));
    const cache = new ProcessCache(root);
    const first = cache.tick();
    const kworker = first.processes.find((p) => p.pid === 77);
    assert.equal(kworker?.comm, 'kworker/0:2-events');
    editStat(77, () => undefined, 'kworker/0:2-mm_percpu_wq');
    editStat(7993, () => undefined, 'sleep');
    const t = cache.tick(new Set([77, 7993]));
    assert.equal(t.processes.find((p) => p.pid === 77), kworker, 'the same record: nothing for the discovery passes to redo');
    assert.deepEqual(t.fresh.map((p) => p.pid), [7993]);
    assert.equal(t.processes.find((p) => p.pid === 7993)?.comm, 'sleep');
  });

  it('a vanished process is dropped without an error; a full pass re-reads everything', async () => {
    const cache = new ProcessCache(root);
    cache.tick();
    fs.rmSync(path.join(root, '7992'), { recursive: true });
    const t = cache.tick();
    assert.equal(t.processes.some((p) => p.pid === 7992), false);
    assert.deepEqual(t.errors, []);
    assert.equal(cache.get(7992), undefined);
    const again = await whole(cache);
    assert.equal(again.readWhole, 0, 'a full pass that finds nothing new reports nothing fresh');
    assert.ok(again.processes.every((p, i) => p === t.processes[i]), 'and keeps every record (identity), so nothing downstream is rebuilt');
  });

  it('lists /proc only when /proc/loadavg says a task came or went (last pid, thread count)', () => {
    const loadavg = (threads: number, lastPid: number): void => fs.writeFileSync(path.join(root, 'loadavg'), `0.00 0.00 0.00 1/${threads} ${lastPid}\n`);
    loadavg(100, 8369);
    const cache = new ProcessCache(root, { skipUnchangedListing: true });
    const before = cache.tick().processes.map((p) => p.pid);
    execFileSync('cp', ['-a', path.join(root, '7993'), path.join(root, '7995')]);
    fs.writeFileSync(path.join(root, '7995', 'stat'), fs.readFileSync(path.join(root, '7995', 'stat'), 'utf8').replace(/^7993 /, '7995 '));
    assert.deepEqual(cache.tick().processes.map((p) => p.pid), before, 'counters unchanged: the last listing stands');
    loadavg(101, 7995);
    assert.ok(cache.tick().processes.some((p) => p.pid === 7995), 'the last pid moved: listed again, the new process is read');
    fs.rmSync(path.join(root, '7995'), { recursive: true });
    loadavg(100, 7995);
    assert.equal(cache.tick().processes.some((p) => p.pid === 7995), false, 'the thread count dropped: listed again, it is gone');
  });

  it('on the real /proc, a process started between two ticks is in the second', async () => {
    const cache = new ProcessCache('/proc');
    cache.tick();
    cache.tick();
    const { spawn } = await import('node:child_process');
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(cache.tick().processes.some((p) => p.pid === child.pid));
    } finally {
      child.kill();
    }
  });

  it('the full pass (tickWholeWith) catches setns(2) without exec and setproctitle; steady ticks do not', async () => {
    const cache = new ProcessCache(root);
    const before = cache.tick();
    const ns = path.join(root, '7993', 'ns', 'net');
    fs.rmSync(ns);
    fs.symlinkSync('net:[4026532999]', ns);
    fs.writeFileSync(path.join(root, '7992', 'cmdline'), 'postgres: checkpointer\0');
    assert.equal(cache.tick().readWhole, 0);
    const full = await whole(cache);
    assert.deepEqual(full.fresh.map((p) => p.pid).sort(), [7992, 7993]);
    assert.equal(full.processes.find((p) => p.pid === 7993)?.namespaces.net, 4026532999);
    assert.deepEqual(full.processes.find((p) => p.pid === 7992)?.cmdline, ['postgres: checkpointer']);
    const others = full.processes.filter((p) => p.pid !== 7992 && p.pid !== 7993);
    assert.ok(others.length > 0 && others.every((p) => before.processes.includes(p)), 'the unchanged ones keep their records');
  });

  it('a full pass drops a process gone since, counts only what changed, and the next steady tick starts from it', async () => {
    const cache = new ProcessCache(root);
    const before = cache.tick();
    const ns = path.join(root, '7993', 'ns', 'net');
    fs.rmSync(ns);
    fs.symlinkSync('net:[4026532999]', ns);
    fs.rmSync(path.join(root, '7994'), { recursive: true });
    const full = await whole(cache);
    assert.deepEqual(full.fresh.map((p) => p.pid), [7993]);
    assert.equal(full.readWhole, 1);
    assert.equal(full.processes.find((p) => p.pid === 7993)?.namespaces.net, 4026532999);
    assert.equal(full.processes.some((p) => p.pid === 7994), false, 'a process gone is gone');
    assert.equal(cache.get(7994), undefined);
    const others = full.processes.filter((p) => p.pid !== 7993);
    assert.ok(others.length > 0 && others.every((p) => before.processes.includes(p)), 'the unchanged ones keep their records');
    assert.equal(cache.tick().readWhole, 0, 'and the next steady tick starts from what it found');
  });

  it('with a watched set, unwatched processes cost no read: their exec waits for the resync', () => {
    const cache = new ProcessCache(root);
    cache.tick();
    editStat(7993, () => undefined, 'sleep');
    const quiet = cache.tick(new Set());
    assert.equal(quiet.readWhole, 0);
    assert.equal(quiet.processes.find((p) => p.pid === 7993)?.comm, 'bash', 'not watched: not re-read');
    const watched = cache.tick(new Set([7993]));
    assert.equal(watched.processes.find((p) => p.pid === 7993)?.comm, 'sleep', 'watched: the exec is seen');
  });

  it('with a watched set, the children of a vanished process are re-read (reparented)', () => {
    const cache = new ProcessCache(root);
    const first = cache.tick();
    const child = first.processes.find((p) => p.pid === 7941);
    assert.ok(child);
    const parent = child.ppid;
    // The parent vanishes (it is in the tree only if the fixture has it: make one up by rewriting the child's ppid).
    editStat(7941, (f) => (f[4 - 3] = '7992'));
    cache.tick(); // now cached with ppid 7992
    fs.rmSync(path.join(root, '7992'), { recursive: true });
    editStat(7941, (f) => (f[4 - 3] = String(parent)));
    const t = cache.tick(new Set());
    assert.equal(t.processes.find((p) => p.pid === 7941)?.ppid, parent);
  });
});
