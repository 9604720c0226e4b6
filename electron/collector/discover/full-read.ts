// The reads of a full snapshot: the process table (proc(5) /proc/PID) and the fd and thread
// holders of namespaces (namespaces(7)). With isolens-table built, processes of it (the one Node
// keeps running between reads, table-helper.ts, and those it forks: defaultTableParts, two on two
// cores) share out the pids as they go, one per core, while Node parses what they print as it
// arrives; else Node reads the table on two threads beside isolens-holders (or the JS holder scan).
import * as os from 'node:os';
import type { LsnsNamespace } from '../lsns';
import { findNativeHelper } from '../native-helper';
import { parseNsinfo } from '../nsinfo';
import { ProcReadError } from '../procfs/errors';
import { readProcessTableParallel } from '../procfs/parallel';
import { listPidsOrError, readProcessTable, type ProcessRecord } from '../procfs/process';
import { finishedHolderScan, type HolderScanHandle, parseHolderLine, startHolderScan } from './holders-native';
import type { FoundHolder } from './ns-holders';
import { keptTableHelper } from './table-helper';

/** Where `npm run build` puts isolens-table (scripts/build-native.js). */
export const findTableHelper = (): string | null => findNativeHelper('isolens-table');

/**
 * How many isolens-table processes read at once by default: one per core on one or two cores
 * (measured on two: two are best), else one per core but one left to Node, at most three. Node
 * builds the records on one thread at about half the rate two processes read (at 2,000 processes:
 * ~80 ms of CPU against the reads' ~150), so a fourth would only wait for it.
 */
export function defaultTableParts(cores: number = os.availableParallelism()): number {
  const n = Math.max(1, Math.floor(cores));
  return n <= 2 ? n : Math.min(3, n - 1);
}

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
  /** isolens-table processes run at once, sharing out the pids as they go (default defaultTableParts(), at most 16). */
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

/**
 * Reads these pids (ascending) with isolens-table in `parts` processes at once (the one Node keeps
 * running: table-helper.ts, the others forked by it for the run), which share out the pids as they
 * go, building each record as its dump arrives (readProcess on dumpSource: the same records and
 * errors as Node's own reads). Rejects when the helper fails, prints what it should not, or times
 * out; the caller then reads with Node.
 */
export async function readTableNative(
  procRoot: string, pids: readonly number[], binary: string, parts = defaultTableParts(), timeoutMs = 30_000, adopt: (rec: ProcessRecord) => ProcessRecord = (r) => r,
): Promise<NativeTableRead> {
  const n = Math.max(1, Math.min(Math.floor(parts), 16));
  const shares = await keptTableHelper(binary, procRoot, n).read(pids, timeoutMs, adopt);
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
        const t = await readTableNative(procRoot, pids, binary, opts.parts ?? defaultTableParts(), opts.timeoutMs ?? 30_000, opts.adopt);
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
