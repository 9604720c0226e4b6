// Namespaces that no process is a member of, kept alive by a bind mount (`ip netns add`, and one
// inside another mount namespace), by an open fd only, or by a single thread: each is found with
// its holder on this machine.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NamespaceHolder } from '../../shared/model';
import { findTableHelper, readFullTable } from '../../electron/collector/discover/full-read';
import { findHoldersHelper, startHolderScan } from '../../electron/collector/discover/holders-native';
import { findNamespaceHolders, withHolders, type NamespaceHolderScan } from '../../electron/collector/discover/ns-holders';
import { readProcessTable } from '../../electron/collector/procfs/process';
import { liveSources, takeSnapshot } from '../../electron/collector/snapshot';
import { inCI, isRoot, requireOrSkip } from '../helpers/require';

const NETNS = `isolens-holders-${process.pid}`;
const DIR = `/tmp/isolens-holders-${process.pid}`;
const INNER = path.join(DIR, 'inner-net');
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
/** Y's second fd on the namespace, after a gap in its fd numbers. */
const GAP_FD = 40;

function skip(): string | false {
  let why: string | null = null;
  if (!isRoot) why = 'needs root (ip netns, unshare, reading every fd)';
  else {
    try {
      execFileSync('ip', ['-V'], { stdio: 'ignore' });
      execFileSync(PYTHON, ['-c', 'import ctypes'], { stdio: 'ignore' });
    } catch {
      why = 'ip (iproute2) or python3 is missing';
    }
  }
  if (why === null) return false;
  if (inCI) throw new Error(`CI=true but ${why}`);
  return why;
}

const nsOf = (pid: number | string, link: string): number => Number(/\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/${link}`))?.[1]);

/** Reads lines from a child's stdout until `n` lines arrived. */
function lines(child: ChildProcess, n: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no output from ${child.spawnfile} (got ${JSON.stringify(buf)})`)), 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      // Only complete lines count: a chunk may end in the middle of one.
      const got = buf.split('\n').slice(0, -1).filter((l) => l !== '');
      if (got.length >= n) {
        clearTimeout(timer);
        resolve(got);
      }
    });
    child.once('exit', (code) => reject(new Error(`${child.spawnfile} exited (${code}): ${buf}`)));
  });
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('namespaces no process is in, with their holders', { skip: skip() }, () => {
  const children: ChildProcess[] = [];
  let netnsId = 0;
  let fdNs = 0;
  let fdHolder = 0;
  let fdHolderFds: number[] = [];
  let threadNs = 0;
  let threadProc = 0;
  let threadTid = 0;
  let innerNs = 0;
  let innerHolderMnt = 0;
  let scan: NamespaceHolderScan;

  before(async () => {
    fs.mkdirSync(DIR, { recursive: true });
    fs.writeFileSync(INNER, '');
    execFileSync('ip', ['netns', 'add', NETNS]);
    netnsId = fs.statSync(`/run/netns/${NETNS}`).ino; // the nsfs inode is the namespace's id

    // Held by fds only: X makes a net namespace, Y opens /proc/X/ns/net, X is killed. Y holds it
    // twice: at its next fd (fds 0..N-1 are read without listing /proc/Y/fd) and at fd 40, after
    // a gap (found by listing the directory).
    const x = spawn('unshare', ['--net', 'sleep', '600'], { stdio: 'ignore' });
    children.push(x);
    await wait(300);
    fdNs = nsOf(x.pid ?? 0, 'net');
    const y = spawn(PYTHON, ['-c', `import os, time\nfd = os.open('/proc/${x.pid}/ns/net', os.O_RDONLY)\nos.dup2(fd, ${GAP_FD})\nprint(fd, flush=True)\ntime.sleep(600)`], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(y);
    const [fdLine] = await lines(y, 1);
    fdHolderFds = [Number(fdLine), GAP_FD];
    fdHolder = y.pid ?? 0;
    x.kill('SIGKILL');

    // Held by one thread only: a second thread calls unshare(CLONE_NEWNET).
    const t = spawn(PYTHON, ['-c', [
      'import ctypes, os, threading, time',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'def run():',
      '    assert libc.unshare(0x40000000) == 0, ctypes.get_errno()',
      "    print(threading.get_native_id(), os.readlink('/proc/thread-self/ns/net').split('[')[1][:-1], flush=True)",
      '    time.sleep(600)',
      'threading.Thread(target=run, daemon=True).start()',
      'time.sleep(600)',
    ].join('\n')], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(t);
    const [tidLine] = await lines(t, 1);
    const parts = (tidLine ?? '').trim().split(/\s+/).map(Number);
    threadTid = parts[0] ?? 0;
    threadNs = parts[1] ?? 0;
    if (!(threadNs > 0)) throw new Error(`unexpected thread line ${JSON.stringify(tidLine)}`);
    threadProc = t.pid ?? 0;

    // Held by a bind mount that exists only inside another mount namespace.
    const m = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c',
      `unshare --net mount --bind /proc/self/ns/net ${INNER} && exec sleep 600`], { stdio: 'ignore' });
    children.push(m);
    await wait(500);
    innerHolderMnt = nsOf(m.pid ?? 0, 'mnt');
    const line = fs.readFileSync(`/proc/${m.pid}/mountinfo`, 'utf8').split('\n').find((l) => l.includes(` ${INNER} `));
    innerNs = Number(/net:\[(\d+)\]/.exec(line ?? '')?.[1]);

    await wait(200);
    scan = findNamespaceHolders('/proc', readProcessTable('/proc').processes);
  });

  after(() => {
    for (const c of children) c.kill('SIGKILL');
    try {
      execFileSync('ip', ['netns', 'del', NETNS], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    fs.rmSync(DIR, { recursive: true, force: true });
  });

  const holdersOf = (id: number): NamespaceHolder[] => scan.holders.get(id) ?? [];

  /** Y's two fds on X's namespace, the one after the gap included. */
  function assertFdHolders(h: readonly NamespaceHolder[]): void {
    assert.deepEqual(h.map((x) => `${x.pid} ${x.via} ${x.fd}`).sort(), fdHolderFds.map((fd) => `${fdHolder} fd ${fd}`).sort(), JSON.stringify(h));
  }

  it('finds `ip netns add` by its bind mount, with its path', () => {
    assert.ok(netnsId > 0);
    assert.ok(holdersOf(netnsId).some((h) => h.via === 'bind-mount' && h.path === `/run/netns/${NETNS}`), JSON.stringify(holdersOf(netnsId)));
    assert.ok(scan.extra.some((e) => e.id === netnsId && e.type === 'net'));
  });

  it('finds a net namespace held only by an open fd, and the process holding it', () => {
    assert.ok(fdNs > 0);
    assertFdHolders(holdersOf(fdNs));
    assert.ok(scan.extra.some((e) => e.id === fdNs));
  });

  it('finds a net namespace only one thread is in', () => {
    assert.ok(threadNs > 0);
    assert.deepEqual(holdersOf(threadNs), [{ pid: threadProc, via: 'task', tid: threadTid }]);
    assert.ok(scan.extra.some((e) => e.id === threadNs));
  });

  it('finds a bind mount that only another mount namespace has', () => {
    assert.ok(innerNs > 0);
    const h = holdersOf(innerNs);
    assert.equal(h.length, 1, JSON.stringify(h));
    assert.equal(h[0]?.via, 'bind-mount');
    assert.equal(h[0]?.path, INNER);
    assert.equal(nsOf(h[0]?.pid ?? 0, 'mnt'), innerHolderMnt);
  });

  it('adds them to a snapshot\'s namespaces', async (t) => {
    const snap = await takeSnapshot(liveSources([]));
    const merged = withHolders(snap.namespaces, scan);
    for (const id of [netnsId, fdNs, threadNs, innerNs]) {
      const n = merged.find((x) => x.id === id);
      assert.ok(n, `namespace ${id} listed`);
      assert.ok((n.holders ?? []).length > 0, `namespace ${id} has holders`);
    }
    assert.equal(merged.find((x) => x.id === netnsId)?.path, `/run/netns/${NETNS}`);
    t.diagnostic(`findNamespaceHolders took ${scan.elapsedMs.toFixed(1)} ms`);
  });

  /** A native scan against the JS scan of the same table (a few tries: other processes may open or close a namespace fd in between). */
  async function sameAsJs(scan: () => Promise<{ native: NamespaceHolderScan; js: NamespaceHolderScan }>): Promise<NamespaceHolderScan> {
    const fdAndTask = (x: NamespaceHolderScan): string[] =>
      [...x.holders].flatMap(([id, hs]) => hs.filter((h) => h.via !== 'bind-mount').map((h) => `${id} ${JSON.stringify(h)}`)).sort();
    let got = await scan();
    for (let i = 1; i < 3 && JSON.stringify(fdAndTask(got.native)) !== JSON.stringify(fdAndTask(got.js)); i++) got = await scan();
    assert.deepEqual(fdAndTask(got.native), fdAndTask(got.js));
    const native = got.native;
    assertFdHolders(native.holders.get(fdNs) ?? []);
    assert.deepEqual(native.holders.get(threadNs), [{ pid: threadProc, via: 'task', tid: threadTid }]);
    assert.ok(native.extra.some((e) => e.id === fdNs) && native.extra.some((e) => e.id === threadNs));
    return native;
  }

  it('finds with the isolens-holders helper the same fd and thread holders as the JS scan', async (t) => {
    const binary = findHoldersHelper();
    if (!requireOrSkip(t, binary !== null, 'dist/native/isolens-holders is not built (npm run build)')) return;
    const native = await sameAsJs(async () => {
      const handle = startHolderScan('/proc', { binary, warn: (l) => assert.fail(l) });
      const table = readProcessTable('/proc').processes;
      return { native: await handle.result(table), js: findNamespaceHolders('/proc', table) };
    });
    assert.equal(native.source, 'isolens-holders');
    t.diagnostic(`isolens-holders: ${native.elapsedMs.toFixed(1)} ms (its own scan and the mounts)`);
  });

  it('finds with isolens-table, as a full snapshot reads, the same fd and thread holders as the JS scan', async (t) => {
    const binary = findTableHelper();
    if (!requireOrSkip(t, binary !== null, 'dist/native/isolens-table is not built (npm run build)')) return;
    const native = await sameAsJs(async () => {
      const full = await readFullTable('/proc', { binary, minProcesses: 0, warn: (l) => assert.fail(l) });
      assert.equal(full.reader, 'isolens-table');
      return { native: await full.holders.result(full.processes), js: findNamespaceHolders('/proc', full.processes) };
    });
    assert.equal(native.source, 'isolens-table');
    assert.ok(native.holders.get(netnsId)?.some((h) => h.via === 'bind-mount'), 'the bind mount too');
  });

  it('is cheap enough for every full snapshot (fd scan of every process included)', (t) => {
    const table = readProcessTable('/proc').processes;
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(findNamespaceHolders('/proc', table).elapsedMs);
    const median = [...times].sort((a, b) => a - b)[2] ?? 0;
    t.diagnostic(`${table.length} processes: median ${median.toFixed(1)} ms (${times.map((x) => x.toFixed(1)).join(', ')})`);
    assert.ok(median < 500, `median ${median} ms`);
  });
});
