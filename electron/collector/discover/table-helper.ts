// isolens-table kept running between full reads (`--serve`: native/table.c): a full read is a
// request on its stdin, not a new process. Starting one costs a fork of Node, on the thread that
// asks (6 ms at 44 MB resident, 14 ms at 200 MB: measured), every full read; the helper's own
// forks, for its other parts, cost microseconds. One helper per program, /proc root and part
// count; it never keeps Node alive, and ends when Node closes its stdin (or exits).
import { type ChildProcess, spawn } from 'node:child_process';
import { isVanished, ProcReadError } from '../procfs/errors';
import { readProcess, type ProcessRecord } from '../procfs/process';
import { dumpSource, TableDumpParser } from '../procfs/table-dump';

/** What one isolens-table process printed in a run: its records in pid order, losses, holder and relation lines. */
export interface Share {
  readonly processes: ProcessRecord[];
  readonly errors: ProcReadError[];
  readonly holderLines: string[];
  readonly relationLines: string[];
  /** Its own time for the run, in milliseconds. */
  readonly elapsedMs: number;
  /** Pids this process read (its done line). */
  readonly count: number;
}

/** One helper process's output in one run, parsed as it arrives (records built at once) and checked at its done line. */
class ShareReader {
  readonly processes: ProcessRecord[] = [];
  readonly errors: ProcReadError[] = [];
  private readonly parser = new TableDumpParser();

  constructor(private readonly procRoot: string, private readonly adopt: (rec: ProcessRecord) => ProcessRecord) {}

  get done(): boolean {
    return this.parser.done !== null;
  }

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

/** The run being read: one reader per part, and how it ends. */
interface Run {
  readonly readers: ShareReader[];
  readonly pids: number;
  readonly resolve: (shares: Share[]) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** A stream or child process that can stop keeping the event loop alive (net.Socket, ChildProcess). */
interface Refable {
  ref?: () => unknown;
  unref?: () => unknown;
}

const setRef = (h: Refable | null | undefined, on: boolean): void => {
  if (on) h?.ref?.();
  else h?.unref?.();
};

/**
 * One `isolens-table --serve PROCROOT PARTS`: runs one at a time (later ones wait their turn), each
 * checked as a whole (every part's done line, together every pid once). Any failure (the helper
 * exits, prints what it should not, or times out) kills it and fails the run; it is not used again.
 */
export class KeptTableHelper {
  private readonly child: ChildProcess;
  private run: Run | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stderr = '';
  /** Why it can no longer be used; null while it can. */
  private failure: Error | null = null;

  constructor(binary: string, private readonly procRoot: string, private readonly parts: number) {
    this.child = spawn(binary, ['--serve', procRoot, String(parts)], { stdio: ['pipe', 'pipe', 'pipe', ...Array.from({ length: parts - 1 }, () => 'pipe' as const)] });
    const child = this.child;
    child.on('error', (e) => this.fail(e));
    child.stdin?.on('error', () => undefined); // a helper that died: 'close' tells why
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      if (this.stderr.length < 4096) this.stderr += s;
    });
    for (let k = 0; k < parts; k++) {
      const out = k === 0 ? child.stdout : child.stdio[2 + k];
      if (!out || !('on' in out)) {
        this.fail(new Error(`no pipe for share ${k}`));
        continue;
      }
      out.on('data', (chunk: Buffer) => this.data(k, chunk));
    }
    child.on('close', (code, signal) => this.closed(code, signal));
    this.refAll(false);
  }

  /** Whether runs can still be asked of it. */
  get usable(): boolean {
    return this.failure === null;
  }

  /** Reads these pids: each part's records, handed to `adopt` as built; rejects unless together they read every pid once. */
  read(pids: readonly number[], timeoutMs: number, adopt: (rec: ProcessRecord) => ProcessRecord): Promise<Share[]> {
    const turn = this.queue.then(() => this.start(pids, timeoutMs, adopt));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Ends the helper: its stdin is closed, so it exits; a run in progress fails. */
  close(): void {
    this.fail(new Error('closed'), false);
    this.child.stdin?.end();
  }

  private start(pids: readonly number[], timeoutMs: number, adopt: (rec: ProcessRecord) => ProcessRecord): Promise<Share[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      this.run = { readers: Array.from({ length: this.parts }, () => new ShareReader(this.procRoot, adopt)), pids: pids.length, resolve, reject, timer };
      this.refAll(true);
      this.child.stdin?.write(pids.length > 0 ? `${pids.join('\n')}\n.\n` : '.\n');
    });
  }

  private data(k: number, chunk: Buffer): void {
    const run = this.run;
    if (this.failure) return;
    if (run === null) {
      this.fail(new Error(`printed ${chunk.length} bytes outside a run`));
      return;
    }
    try {
      const reader = run.readers[k] as ShareReader;
      reader.push(chunk);
      if (reader.done && run.readers.every((r) => r.done)) this.finish(run);
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** Every part printed its done line: checks the run as a whole. */
  private finish(run: Run): void {
    const shares = run.readers.map((r) => r.end());
    const read = shares.reduce((n, s) => n + s.count, 0);
    if (read !== run.pids) throw new Error(`read ${read} of ${run.pids} pids`);
    clearTimeout(run.timer);
    this.run = null;
    this.refAll(false);
    run.resolve(shares);
  }

  private closed(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.failure) return;
    const why = this.stderr.trim() ? `: ${this.stderr.trim().split('\n')[0] ?? ''}` : '';
    if (code !== 0) {
      this.fail(new Error(code === null ? `killed by ${signal ?? 'a signal'}` : `exited ${code}${why}`));
      return;
    }
    // Ended on its own in a run: what its output lacks says why (cut short, …).
    try {
      this.run?.readers.forEach((r) => r.end());
      this.fail(new Error(`exited${why}`));
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** Gives the helper up: the run in progress fails with `e`, and the helper is killed (with its forked parts: PR_SET_PDEATHSIG). */
  private fail(e: Error, kill = true): void {
    if (this.failure) return;
    this.failure = e;
    const run = this.run;
    this.run = null;
    if (kill) this.child.kill('SIGKILL');
    this.refAll(false);
    if (run) {
      clearTimeout(run.timer);
      run.reject(e);
    }
  }

  /** While a run is read (on), its pipes keep Node running; between runs nothing of the helper does. */
  private refAll(on: boolean): void {
    setRef(this.child, on);
    for (const s of this.child.stdio) setRef(s as Refable | null, on);
  }
}

const kept = new Map<string, KeptTableHelper>();

/** The kept helper for this program, /proc root and part count: the one already running, or a new one. */
export function keptTableHelper(binary: string, procRoot: string, parts: number): KeptTableHelper {
  const key = `${binary}\0${procRoot}\0${parts}`;
  const have = kept.get(key);
  if (have?.usable) return have;
  const made = new KeptTableHelper(binary, procRoot, parts);
  kept.set(key, made);
  return made;
}

/** Ends every kept helper (tests; a process that wants no child left behind before it exits). */
export function closeTableHelpers(): void {
  for (const h of kept.values()) h.close();
  kept.clear();
}
