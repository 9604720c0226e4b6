// The reads of a full snapshot: the process table (proc(5) /proc/PID) and the fd and thread
// holders of namespaces (namespaces(7)). With isolens-table built, two processes of it (one forked
// by the other) share out the pids as they go, one per core, while Node parses what they print as
// it arrives; else Node reads the table on two threads beside isolens-holders (or the JS holder
// scan).
import { spawn } from 'node:child_process';
import type { LsnsNamespace } from '../lsns';
import { findNativeHelper } from '../native-helper';
import { parseNsinfo } from '../nsinfo';
import { isVanished, ProcReadError } from '../procfs/errors';
import { readProcessTableParallel } from '../procfs/parallel';
import { listPidsOrError, readProcess, readProcessTable, type ProcessRecord } from '../procfs/process';
import { dumpSource, TableDumpParser } from '../procfs/table-dump';
import { finishedHolderScan, type HolderScanHandle, parseHolderLine, startHolderScan } from './holders-native';
import type { FoundHolder } from './ns-holders';

/** Where `npm run build` puts isolens-table (scripts/build-native.js). */
export const findTableHelper = (): string | null => findNativeHelper('isolens-table');

/** Below this many processes Node's own read is as quick as starting the helpers. */
export const NATIVE_TABLE_MIN_PROCESSES = 1000;

/** The table and the holder scan of a full snapshot, and who read them. */
export interface FullRead {
  readonly processes: ProcessRecord[];
  readonly errors: ProcReadError[];
  readonly holders: HolderScanHandle;
  /** 'isolens-table', or 'node' (Node's reads beside isolens-holders or the JS holder scan). */
  readonly reader: 'isolens-table' | 'node';
  /**
   * Parent and owner (ioctl_ns(2)) of every namespace a process's ns link names, as isolens-nsinfo
   * gives them, asked by isolens-table as it read the links; null when Node read the table.
   */
  readonly relations: LsnsNamespace[] | null;
}

/** How readFullTable reads. */
export interface FullReadOptions {
  /** The helper; undefined: where `npm run build` puts it; null: Node's reads only. */
  readonly binary?: string | null;
  /** Use the helper from this many processes (default NATIVE_TABLE_MIN_PROCESSES). */
  readonly minProcesses?: number;
  /** isolens-table processes run at once, sharing out the pids as they go (default 2, at most 16). */
  readonly parts?: number;
  /**
   * Without the helper, Node reads on two threads (default) or on one: the live service reads on
   * one, as a worker thread's heap costs more memory than the pass gains in time every 30 s.
   */
  readonly nodeThreads?: 1 | 2;
  /** The helpers are given up on after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** Where the reason for falling back to Node's reads goes, once per distinct reason (default stderr). */
  readonly warn?: (line: string) => void;
  /**
   * Called with each record as it is built; what it returns is kept instead (the live cache hands
   * back its own record when nothing changed, so the new one is garbage at once, not at the end).
   */
  readonly adopt?: (rec: ProcessRecord) => ProcessRecord;
}

/** What isolens-table's processes gave: records in pid order, whole-process losses, holders. */
export interface NativeTableRead {
  readonly processes: ProcessRecord[];
  readonly errors: ProcReadError[];
  readonly found: FoundHolder[];
  /** Relations of the namespaces the helpers saw, each namespace once. */
  readonly relations: LsnsNamespace[];
  /** The slowest helper's own time, in milliseconds. */
  readonly elapsedMs: number;
  /** How many pids each helper process read (they share them out as they go). */
  readonly counts: number[];
}

interface Share {
  readonly processes: ProcessRecord[];
  readonly errors: ProcReadError[];
  readonly holderLines: string[];
  readonly relationLines: string[];
  readonly elapsedMs: number;
  /** Pids this process read (its done line). */
  readonly count: number;
}

/**
 * The items of lists each in ascending order of `key`, as one list in that order (a k-way merge:
 * each helper process prints its pids in input order, taking them in chunks as it goes).
 */
export function mergeAscending<T>(lists: readonly (readonly T[])[], key: (item: T) => number): T[] {
  const out: T[] = [];
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    let bestKey = Infinity;
    for (let k = 0; k < lists.length; k++) {
      const list = lists[k] as readonly T[];
      const i = at[k] as number;
      if (i < list.length) {
        const v = key(list[i] as T);
        if (v < bestKey) {
          best = k;
          bestKey = v;
        }
      }
    }
    if (best < 0) return out;
    out.push((lists[best] as readonly T[])[at[best] as number] as T);
    at[best] = (at[best] as number) + 1;
  }
}

/** One helper process's output, parsed as it arrives (records built at once) and checked at its end. */
class ShareReader {
  readonly processes: ProcessRecord[] = [];
  readonly errors: ProcReadError[] = [];
  private readonly parser = new TableDumpParser();

  constructor(private readonly procRoot: string, private readonly adopt: (rec: ProcessRecord) => ProcessRecord) {}

  push(chunk: Buffer): void {
    for (const d of this.parser.push(chunk)) {
      const r = readProcess(this.procRoot, d.pid, dumpSource(d, this.procRoot));
      if (!(r instanceof ProcReadError)) this.processes.push(this.adopt(r));
      else if (!isVanished(r)) this.errors.push(r);
    }
  }

  end(): Share {
    this.parser.end();
    const done = this.parser.done;
    if (done === null) throw new Error('no done line');
    return { processes: this.processes, errors: this.errors, holderLines: this.parser.holderLines, relationLines: this.parser.relationLines, elapsedMs: done.elapsedMs, count: done.count };
  }
}

/**
 * Runs isolens-table once on these pids with `parts` processes (it forks for the others:
 * native/table.c), process K's output on stdio K (0: stdout, K: fd 2 + K). Rejects unless
 * together they read every pid once.
 */
function readShares(
  binary: string, procRoot: string, pids: readonly number[], parts: number, timeoutMs: number, adopt: (rec: ProcessRecord) => ProcessRecord,
): Promise<Share[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [procRoot, String(parts)], { stdio: ['pipe', 'pipe', 'pipe', ...Array.from({ length: parts - 1 }, () => 'pipe' as const)] });
    const readers = Array.from({ length: parts }, () => new ShareReader(procRoot, adopt));
    let stderr = '';
    let failure: Error | null = null;
    const fail = (e: Error): void => {
      if (failure) return;
      failure = e;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    const timer = setTimeout(() => fail(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    child.on('error', (e) => fail(e));
    child.stdin?.on('error', () => undefined); // a helper that died early: 'close' tells why
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      if (stderr.length < 4096) stderr += s;
    });
    readers.forEach((r, k) => {
      const out = k === 0 ? child.stdout : child.stdio[2 + k];
      if (!out || !('on' in out)) return fail(new Error(`no pipe for share ${k}`));
      out.on('data', (chunk: Buffer) => {
        if (failure) return;
        try {
          r.push(chunk);
        } catch (e) {
          fail(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
    child.on('close', (code, signal) => {
      if (failure) return;
      clearTimeout(timer);
      if (code !== 0) {
        fail(new Error(code === null ? `killed by ${signal ?? 'a signal'}` : `exited ${code}${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''}`));
        return;
      }
      try {
        const shares = readers.map((r) => r.end());
        const read = shares.reduce((n, s) => n + s.count, 0);
        if (read !== pids.length) throw new Error(`read ${read} of ${pids.length} pids`);
        resolve(shares);
      } catch (e) {
        fail(e instanceof Error ? e : new Error(String(e)));
      }
    });
    child.stdin?.end(pids.length > 0 ? `${pids.join('\n')}\n` : '');
  });
}

/**
 * Reads these pids (ascending) with isolens-table in `parts` processes at once (one started by
 * Node, the others forked by it), which share out the pids as they go, building each record as its dump
 * arrives (readProcess on dumpSource: the same records and errors as Node's own reads). Rejects
 * when the helper fails, prints what it should not, or times out; the caller then reads with Node.
 */
export async function readTableNative(
  procRoot: string, pids: readonly number[], binary: string, parts = 2, timeoutMs = 30_000, adopt: (rec: ProcessRecord) => ProcessRecord = (r) => r,
): Promise<NativeTableRead> {
  const n = Math.max(1, Math.min(parts, pids.length, 16));
  const shares = await readShares(binary, procRoot, pids, n, timeoutMs, adopt);
  return {
    processes: mergeAscending(shares.map((s) => s.processes), (p) => p.pid),
    errors: mergeAscending(shares.map((s) => s.errors), (e) => e.pid ?? 0),
    found: shares.flatMap((s) => s.holderLines.map(parseHolderLine)),
    // Each helper tells a namespace's relations the first time it sees it: once per share.
    relations: [...new Map(shares.flatMap((s) => parseNsinfo(s.relationLines.join('\n'))).map((r) => [r.ns, r])).values()],
    elapsedMs: Math.max(0, ...shares.map((s) => s.elapsedMs)),
    counts: shares.map((s) => s.count),
  };
}

const warned = new Set<string>();

/**
 * The process table and the namespace holder scan of a full snapshot (see the file's comment).
 * Never rejects: the helper's failure is warned once and Node reads instead; a /proc that cannot
 * be listed gives no processes and that error.
 */
export async function readFullTable(procRoot: string, opts: FullReadOptions = {}): Promise<FullRead> {
  const binary = opts.binary === undefined ? findTableHelper() : opts.binary;
  if (binary !== null) {
    const pids = listPidsOrError(procRoot);
    if (pids instanceof ProcReadError) return { processes: [], errors: [pids], holders: startHolderScan(procRoot), reader: 'node', relations: null };
    if (pids.length >= (opts.minProcesses ?? NATIVE_TABLE_MIN_PROCESSES)) {
      try {
        const t = await readTableNative(procRoot, pids, binary, opts.parts ?? 2, opts.timeoutMs ?? 30_000, opts.adopt);
        return { processes: t.processes, errors: t.errors, holders: finishedHolderScan(procRoot, { found: t.found, scanned: pids.length, elapsedMs: t.elapsedMs }), reader: 'isolens-table', relations: t.relations };
      } catch (e) {
        const line = `isolens-table (${binary}) failed (${e instanceof Error ? e.message : String(e)}): the process table is read by Node.`;
        if (!warned.has(line)) {
          if (warned.size < 32) warned.add(line);
          (opts.warn ?? ((l: string) => process.stderr.write(`isolens: ${l}\n`)))(line);
        }
      }
    }
  }
  const holders = startHolderScan(procRoot);
  const table = opts.nodeThreads === 1 ? readProcessTable(procRoot) : await readProcessTableParallel(procRoot);
  const adopt = opts.adopt;
  return { processes: adopt ? table.processes.map(adopt) : table.processes, errors: table.errors, holders, reader: 'node', relations: null };
}
