// The process table read on two threads: a full read is almost all procfs work in the kernel
// (open, read, readlink), which a second core can share. Used for full snapshots (the CLI, the
// bench); falls back to one thread when the worker cannot start or fails.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { isVanished, ProcReadError } from './errors';
import { listPidsOrError, readProcesses, shareRecordParts, type ProcessRecord } from './process';
import { fromPlainError, type TableReply, type TableRequest } from './table-protocol';

/** Below this many processes one thread is as fast (a worker's round trip costs a few milliseconds). */
export const PARALLEL_MIN_PROCESSES = 1000;

let worker: Worker | null = null;
let unavailable: string | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (r: TableReply) => void; reject: (e: Error) => void }>();

function failAll(e: Error): void {
  for (const p of pending.values()) p.reject(e);
  pending.clear();
}

/** The table worker, started on first use; null (with the reason kept) when it cannot run here. */
function tableWorker(): Worker | null {
  if (worker || unavailable !== null) return worker;
  // The same file name as this one: .ts under tsx (tests, bench), .js in dist/.
  const entry = path.join(__dirname, `table-worker${path.extname(__filename)}`);
  if (!fs.existsSync(entry)) {
    unavailable = `${entry} not found`;
    return null;
  }
  try {
    const w = entry.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true })
      : new Worker(entry);
    w.unref();
    w.on('message', (r: TableReply) => {
      const p = pending.get(r.id);
      pending.delete(r.id);
      if (pending.size === 0) w.unref();
      p?.resolve(r);
    });
    w.on('error', (e) => {
      unavailable = e.message;
      worker = null;
      failAll(e);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      failAll(new Error(`the table worker exited (${code})`));
    });
    worker = w;
  } catch (e) {
    unavailable = e instanceof Error ? e.message : String(e);
  }
  return worker;
}

function ask(w: Worker, procRoot: string, pids: readonly number[]): Promise<TableReply> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    w.ref(); // a request in flight keeps the process alive; none pending, the worker does not
    const m: TableRequest = { id, procRoot, pids };
    w.postMessage(m);
  });
}

/**
 * readProcessTable on two threads: the upper half of the pids is read by a worker while this
 * thread reads the lower half; the result is the same (records in pid order, vanished processes
 * dropped, other losses in `errors`). One thread below PARALLEL_MIN_PROCESSES, or when the
 * worker cannot start or fails (then its half is read here).
 */
export async function readProcessTableParallel(procRoot: string, minProcesses = PARALLEL_MIN_PROCESSES): Promise<{ processes: ProcessRecord[]; errors: ProcReadError[] }> {
  const processes: ProcessRecord[] = [];
  const errors: ProcReadError[] = [];
  const pids = listPidsOrError(procRoot);
  if (pids instanceof ProcReadError) return { processes, errors: [pids] };
  const w = pids.length >= minProcesses ? tableWorker() : null;
  if (!w) {
    readProcesses(procRoot, pids, processes, errors);
    return { processes, errors };
  }
  const half = pids.length >> 1;
  const upper = pids.slice(half);
  const reply = ask(w, procRoot, upper).catch(() => null);
  readProcesses(procRoot, pids.slice(0, half), processes, errors);
  const r = await reply;
  if (r === null) {
    readProcesses(procRoot, upper, processes, errors);
    return { processes, errors };
  }
  for (const rec of r.records) processes.push(shareRecordParts(rec as ProcessRecord, rec.errors.map(fromPlainError)));
  for (const e of r.lost) {
    const err = fromPlainError(e);
    if (!isVanished(err)) errors.push(err);
  }
  return { processes, errors };
}

/** Why the worker is not used, or null (for the bench and tests). */
export const parallelUnavailable = (): string | null => unavailable;
