import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultTableParts, mergeAscending, readFullTable, readTableNative } from '../../../electron/collector/discover/full-read';
import { closeTableHelpers } from '../../../electron/collector/discover/table-helper';
import { listPids, readProcessTable } from '../../../electron/collector/procfs/process';
import { REPO_ROOT as ROOT, testHelperBuild } from '../../helpers/native-build';

const GOOD = path.join(ROOT, 'test', 'fixtures', 'proc');
const BROKEN = path.join(ROOT, 'test', 'fixtures', 'proc-broken');

/** Errors compared by what they say (code, pid, file), not by their message. */
const plain = (t: { processes: ReturnType<typeof readProcessTable>['processes']; errors: ReturnType<typeof readProcessTable>['errors'] }) => ({
  processes: t.processes.map((p) => ({ ...p, errors: p.errors.map((e) => [e.name, e.code, e.pid, e.file]) })),
  errors: t.errors.map((e) => [e.name, e.code, e.pid, e.file]),
});

describe('mergeAscending: the helper processes\' records back in pid order', () => {
  const cases: { name: string; lists: number[][]; want: number[] }[] = [
    { name: 'no lists', lists: [], want: [] },
    { name: 'empty lists', lists: [[], []], want: [] },
    { name: 'one list', lists: [[1, 5, 9]], want: [1, 5, 9] },
    { name: 'chunks taken in turn', lists: [[1, 2, 5, 6], [3, 4, 7]], want: [1, 2, 3, 4, 5, 6, 7] },
    { name: 'one process took everything', lists: [[], [2, 4, 8]], want: [2, 4, 8] },
    { name: 'three processes', lists: [[10, 40], [20, 50], [30]], want: [10, 20, 30, 40, 50] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(mergeAscending(c.lists, (x) => x), c.want));
});

describe('defaultTableParts: how many isolens-table processes read at once', () => {
  const cases: { name: string; cores: number; want: number }[] = [
    { name: 'one core: one (a second would only take turns with it)', cores: 1, want: 1 },
    { name: 'two cores: two (measured best here)', cores: 2, want: 2 },
    { name: 'three cores: two, one left to Node', cores: 3, want: 2 },
    { name: 'four cores: three, one left to Node', cores: 4, want: 3 },
    { name: 'sixty-four cores: three (Node\'s parsing is the limit)', cores: 64, want: 3 },
    { name: 'nonsense (0): one', cores: 0, want: 1 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(defaultTableParts(c.cores), c.want));
});

describe('isolens-table (native/table.c): the reads of a full snapshot', () => {
  const helper = testHelperBuild('table.c', 'isolens-table');
  const { binary, dir } = helper;
  before(() => helper.build());
  after(() => {
    closeTableHelpers();
    helper.cleanup();
  });
  const needBinary = (t: { skip(why: string): void }): boolean => helper.need(t);

  for (const [name, root] of [['the fixture tree', GOOD], ['the broken fixture tree (each damage as Node reads it)', BROKEN]] as const) {
    for (const parts of [1, 2, 3]) {
      it(`on ${name}, in ${parts} part(s) it gives the records and errors Node's own reads give`, async (t) => {
        if (!needBinary(t)) return;
        const native = await readTableNative(root, listPids(root), binary, parts);
        assert.deepEqual(plain(native), plain(readProcessTable(root)));
        assert.deepEqual(native.found, []);
      });
    }
  }

  it('reads what a line-based format could not: a comm with a newline and parentheses, a 1 MiB cmdline, bytes that are not UTF-8', async (t) => {
    if (!needBinary(t)) return;
    const root = fs.mkdtempSync(path.join(dir, 'odd-'));
    fs.cpSync(GOOD, root, { recursive: true, verbatimSymlinks: true });
    const stat = path.join(root, '7993', 'stat');
    fs.writeFileSync(stat, fs.readFileSync(stat, 'utf8').replace('(bash)', '(a\nP 1\n) (b)'));
    const long = Array.from({ length: 4096 }, (_, i) => `arg${i}-${'x'.repeat(250)}`);
    fs.writeFileSync(path.join(root, '7993', 'cmdline'), `${long.join('\0')}\0`);
    fs.writeFileSync(path.join(root, '7994', 'cmdline'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x00, 0xff, 0xfe, 0x00]));
    const native = await readTableNative(root, listPids(root), binary, 2);
    assert.deepEqual(plain(native), plain(readProcessTable(root)));
    const odd = native.processes.find((p) => p.pid === 7993);
    assert.equal(odd?.comm, 'a\nP 1\n) (b');
    assert.equal(odd?.cmdline.length, 4096);
  });

  it('readFullTable uses it from minProcesses on, and says so', async (t) => {
    if (!needBinary(t)) return;
    const full = await readFullTable(GOOD, { binary, minProcesses: 1, warn: (l) => assert.fail(l) });
    assert.equal(full.reader, 'isolens-table');
    assert.deepEqual(plain(full), plain(readProcessTable(GOOD)));
    assert.equal((await full.holders.result(full.processes)).source, 'isolens-table');
    const few = await readFullTable(GOOD, { binary, minProcesses: 1000, warn: (l) => assert.fail(l) });
    assert.equal(few.reader, 'node', 'below minProcesses Node reads');
    assert.deepEqual(full.relations, [], 'a fixture tree\'s ns links are not nsfs files: no relations');
    assert.equal(few.relations, null, 'Node\'s read leaves the relations to isolens-nsinfo');
  });

  it('hands each record to adopt as it is built and keeps what adopt returns (the live cache keeps its own records), by either reader', async (t) => {
    if (!needBinary(t)) return;
    for (const [b, nodeThreads] of [[binary, 2], [null, 2], [null, 1]] as const) {
      const seen: number[] = [];
      const kept = new Map<number, ReturnType<typeof readProcessTable>['processes'][number]>();
      const full = await readFullTable(GOOD, {
        binary: b, minProcesses: 1, nodeThreads, warn: (l) => assert.fail(l),
        adopt: (rec) => {
          seen.push(rec.pid);
          const mine = { ...rec, comm: `kept ${rec.comm}` };
          kept.set(rec.pid, mine);
          return mine;
        },
      });
      assert.equal(full.reader, b === null ? 'node' : 'isolens-table');
      assert.deepEqual([...seen].sort((x, y) => x - y), readProcessTable(GOOD).processes.map((p) => p.pid), 'each record once (the two helpers may hand theirs over in either order)');
      assert.ok(full.processes.every((p) => kept.get(p.pid) === p));
    }
  });

  it('on the real /proc, the same processes as Node reads (those that lived through both reads), each read whole', async (t) => {
    if (!needBinary(t)) return;
    const full = await readFullTable('/proc', { binary, minProcesses: 0, warn: (l) => assert.fail(l) });
    const node = readProcessTable('/proc');
    assert.equal(full.reader, 'isolens-table');
    const byKey = new Map(node.processes.map((p) => [`${p.pid}:${p.startTime}`, p]));
    const common = full.processes.filter((p) => byKey.has(`${p.pid}:${p.startTime}`));
    assert.ok(common.length > 0.9 * node.processes.length, `${common.length} of ${node.processes.length}`);
    assert.ok(full.processes.every((p, i) => i === 0 || p.pid > (full.processes[i - 1]?.pid ?? 0)), 'in pid order');
    // What does not move while a process sleeps is the same, read by either.
    const stable = (p: (typeof common)[number]) => ({ pid: p.pid, ppid: p.ppid, comm: p.comm, cmdline: p.cmdline, uid: p.uid, nspid: p.nspid, namespaces: p.namespaces, cgroups: p.cgroups, capEff: String(p.status?.capEff) });
    let same = 0;
    for (const p of common) if (JSON.stringify(stable(p)) === JSON.stringify(stable(byKey.get(`${p.pid}:${p.startTime}`) ?? p))) same++;
    assert.ok(same > 0.95 * common.length, `${same} of ${common.length} the same`);
    const self = full.processes.find((p) => p.pid === process.pid);
    assert.ok(self && self.namespaces.pid !== null && self.cgroups.length > 0 && self.status !== null && self.cmdline.length > 0, "this test's own process read whole");
    // Each namespace's relations once (both helpers saw the host's), this process's among them.
    const ids = (full.relations ?? []).map((r) => r.ns);
    assert.equal(new Set(ids).size, ids.length, 'each namespace once');
    const own = full.relations?.find((r) => r.ns === self.namespaces.user);
    assert.equal(own?.type, 'user');
    const net = full.relations?.find((r) => r.ns === self.namespaces.net);
    assert.equal(net?.type, 'net');
    assert.equal(net?.ons, self.namespaces.user, 'its net namespace is owned by its user namespace');
  });

  describe('falls back to Node, warning the reason once, when the helper', () => {
    const script = (name: string, body: string): string => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return p;
    };
    /** A script's first run, as isolens-table --serve reads it: the pids up to the line ".". */
    const RUN_READ = "sed '/^\\.$/q' >/dev/null";
    const cases: { name: string; binary: () => string; timeoutMs?: number; reason: RegExp }[] = [
      { name: 'does not exist', binary: () => path.join(dir, 'missing'), reason: /ENOENT/ },
      { name: 'fails', binary: () => script('fails', `${RUN_READ}; echo "it broke" >&2; exit 3`), reason: /exited 3: it broke/ },
      { name: 'prints garbage', binary: () => script('garbage', `${RUN_READ}; echo hello`), reason: /not an isolens-table line/ },
      { name: 'is cut short (no done line)', binary: () => script('short', `${RUN_READ}; printf "P 1\\n"`), reason: /cut short/ },
      { name: 'says a forked part failed', binary: () => script('fail', `${RUN_READ}; echo "fail a process could not be forked"; sleep 5`), reason: /isolens-table failed: a process could not be forked/ },
      { name: 'reads fewer pids than asked', binary: () => script('fewer', `${RUN_READ}; echo "done 1 5"`), reason: /read 1 of \d+ pids/ },
      { name: 'hangs', binary: () => script('hangs', 'exec sleep 5'), timeoutMs: 200, reason: /timed out after 200 ms/ },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const warnings: string[] = [];
        const opts = { binary: c.binary(), minProcesses: 0, parts: 1, warn: (l: string) => warnings.push(l), ...(c.timeoutMs === undefined ? {} : { timeoutMs: c.timeoutMs }) };
        for (let i = 0; i < 2; i++) {
          const full = await readFullTable(GOOD, opts);
          assert.equal(full.reader, 'node');
          assert.deepEqual(plain(full), plain(readProcessTable(GOOD)));
        }
        assert.equal(warnings.length, 1, JSON.stringify(warnings));
        assert.match(warnings[0] ?? '', c.reason);
        assert.match(warnings[0] ?? '', /read by Node/);
      });
    }
  });

  /** The running isolens-table processes whose command line names `arg`. */
  const helpersNaming = (arg: string): number[] => fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').includes(arg);
    } catch {
      return false;
    }
  }).map(Number);

  /** A procfs-like root of pids 1..count, each a copy of the fixture's pid 7993 renumbered; pid 1's stat a FIFO (the reader blocks opening it). */
  function manyPids(count: number, fifos: readonly number[]): { root: string; stat: (pid: number) => string } {
    const root = fs.mkdtempSync(path.join(dir, 'many-'));
    const stat = (pid: number): string => fs.readFileSync(path.join(GOOD, '7993', 'stat'), 'utf8').replace(/^7993 /, `${pid} `);
    for (let pid = 1; pid <= count; pid++) {
      const to = path.join(root, String(pid));
      fs.cpSync(path.join(GOOD, '7993'), to, { recursive: true, verbatimSymlinks: true });
      if (fifos.includes(pid)) {
        fs.rmSync(path.join(to, 'stat'));
        execFileSync('mkfifo', [path.join(to, 'stat')]);
      } else fs.writeFileSync(path.join(to, 'stat'), stat(pid));
    }
    return { root, stat };
  }

  it('shares out the pids as it goes: while one process is stalled (a stat that is a FIFO), the other reads all the rest', async (t) => {
    if (!needBinary(t)) return;
    const { root, stat } = manyPids(200, [1]);
    const pids = Array.from({ length: 200 }, (_, i) => i + 1);
    const read = readTableNative(root, pids, binary, 2);
    await new Promise((r) => setTimeout(r, 300));
    fs.writeFileSync(path.join(root, '1', 'stat'), stat(1)); // the stalled reader's open(2) returns
    const native = await read;
    assert.deepEqual([...native.counts].sort((a, b) => a - b), [32, 168], 'the stalled process read its first 32 pids only');
    assert.deepEqual(native.processes.map((p) => p.pid), pids, 'records in pid order');
    fs.rmSync(path.join(root, '1', 'stat'));
    fs.writeFileSync(path.join(root, '1', 'stat'), stat(1));
    assert.deepEqual(plain(native), plain(readProcessTable(root)));
  });

  it('takes its forked process down with it when it is given up on (both stuck opening a FIFO where a stat file should be)', async (t) => {
    if (!needBinary(t)) return;
    // Each process takes 32 pids at a time: one blocks on pid 1, the other on pid 33.
    const { root } = manyPids(64, [1, 33]);
    const helpers = (): number[] => helpersNaming(root);
    const read = readTableNative(root, Array.from({ length: 64 }, (_, i) => i + 1), binary, 2, 600);
    await new Promise((r) => setTimeout(r, 300));
    const running = helpers();
    await assert.rejects(read, /timed out after 600 ms/);
    let left = helpers();
    for (let i = 0; i < 40 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      left = helpers();
    }
    for (const pid of left) process.kill(pid, 'SIGKILL'); // so that a failure here does not hang the run
    assert.equal(running.length, 2, `the helper and its forked process were running (${running.join(', ')})`);
    assert.deepEqual(left, [], 'no isolens-table process left running');
  });

  it('is kept between reads: the next read is a run of the same helper, not a new process', async (t) => {
    if (!needBinary(t)) return;
    const root = fs.mkdtempSync(path.join(dir, 'kept-'));
    fs.cpSync(GOOD, root, { recursive: true, verbatimSymlinks: true });
    const first = await readTableNative(root, listPids(root), binary, 2);
    const running = helpersNaming(root);
    const second = await readTableNative(root, listPids(root), binary, 2);
    assert.equal(running.length, 1, 'one helper between runs (its forked part exits with each run)');
    assert.deepEqual(helpersNaming(root), running, 'the same helper answered the second read');
    assert.deepEqual(plain(second), plain(first));
    assert.deepEqual(second.relations, first.relations, 'each run tells every namespace\'s relations again');
    closeTableHelpers();
    for (let i = 0; i < 40 && helpersNaming(root).length > 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(helpersNaming(root), [], 'it exits when its stdin is closed');
  });

  it('never keeps Node running: a script that reads once exits at once, and its helper ends with it', (t) => {
    if (!needBinary(t)) return;
    const root = fs.mkdtempSync(path.join(dir, 'exit-'));
    fs.cpSync(GOOD, root, { recursive: true, verbatimSymlinks: true });
    const code = `require('./electron/collector/discover/full-read').readFullTable(${JSON.stringify(root)}, { binary: ${JSON.stringify(binary)}, minProcesses: 0 })
      .then((f) => console.log(f.reader + ' ' + f.processes.length))`;
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `isolens-table ${readProcessTable(root).processes.length}`);
    assert.ok(Date.now() - started < 15_000, 'it did not wait for the helper');
    assert.deepEqual(helpersNaming(root), [], 'no helper left behind');
  });

  it('a procfs root that cannot be listed gives that error and no processes', async (t) => {
    if (!needBinary(t)) return;
    const full = await readFullTable('/nonexistent-procfs', { binary, minProcesses: 0 });
    assert.deepEqual(full.processes, []);
    assert.equal(full.errors[0]?.code, 'ENOENT');
  });
});
