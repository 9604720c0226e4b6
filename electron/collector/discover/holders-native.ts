import { execFile } from 'node:child_process';
import type { NamespaceHolder } from '../../../shared/model';
import { findNativeHelper } from '../native-helper';
import type { ProcessRecord } from '../procfs/process';
import type { FoundHolder, NamespaceHolderOptions, NamespaceHolderScan } from './ns-holders';
import { completeHolderScan, findNamespaceHolders, holderCandidates, parseNamespaceTarget } from './ns-holders';

/** A line of isolens-holders output that is not what native/holders.c prints. */
export class HolderLinesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HolderLinesError';
  }
}

/** What isolens-holders printed: the fd and thread holders (namespaces(7) "Namespace lifetime"), and its own figures. */
export interface NativeHolderOutput {
  readonly found: FoundHolder[];
  /** Process directories it scanned. */
  readonly scanned: number;
  /** Time the helper's scan took (its own clock), in milliseconds. */
  readonly elapsedMs: number;
}

const NUMBER = /^\d{1,10}$/;
const COUNT = /^\d{1,15}$/;

/**
 * Parses one holder line (`fd PID FD TYPE INODE` or `task PID TID TYPE INODE`, as
 * native/holders-scan.h prints it for isolens-holders and isolens-table). Throws HolderLinesError.
 */
export function parseHolderLine(line: string): FoundHolder {
  const f = line.split(' ');
  const [via, pidText, nText, type, inode] = f;
  if (f.length !== 5 || (via !== 'fd' && via !== 'task') || !NUMBER.test(pidText ?? '') || !NUMBER.test(nText ?? '')) {
    throw new HolderLinesError(`not a holder line: ${JSON.stringify(line)}`);
  }
  const ns = parseNamespaceTarget(`${type ?? ''}:[${inode ?? ''}]`);
  if (ns === null) throw new HolderLinesError(`not a namespace: ${JSON.stringify(line)}`);
  const pid = Number(pidText);
  const n = Number(nText);
  const holder: NamespaceHolder = via === 'fd' ? { pid, via: 'fd', fd: n } : { pid, via: 'task', tid: n };
  return { ns, holder };
}

/**
 * Parses isolens-holders output (native/holders.c: `fd PID FD TYPE INODE`, `task PID TID TYPE
 * INODE`, a last line `done COUNT MICROSECONDS`; proc(5) /proc/PID/fd, /proc/PID/task/TID/ns).
 * Pure; throws HolderLinesError on any other line or when the `done` line is missing (cut short).
 */
export function parseHolderLines(text: string): NativeHolderOutput {
  const found: FoundHolder[] = [];
  let done: { scanned: number; elapsedMs: number } | null = null;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (done !== null) throw new HolderLinesError(`a line after the done line: ${JSON.stringify(line)}`);
    const f = line.split(' ');
    if (f[0] === 'done' && f.length === 3 && COUNT.test(f[1] ?? '') && COUNT.test(f[2] ?? '')) {
      done = { scanned: Number(f[1]), elapsedMs: Number(f[2]) / 1000 };
      continue;
    }
    found.push(parseHolderLine(line));
  }
  if (done === null) throw new HolderLinesError('no done line: the output was cut short');
  return { found, ...done };
}

/** Where `npm run build` puts isolens-holders (scripts/build-native.js). */
export const findHoldersHelper = (): string | null => findNativeHelper('isolens-holders');

/** How startHolderScan runs; the NamespaceHolderOptions choose which holders to look for. */
export interface HolderScanOptions extends NamespaceHolderOptions {
  /** The helper; undefined: where `npm run build` puts it (findHoldersHelper); null: the JS scan only. */
  readonly binary?: string | null;
  /** The helper is given up on (and the JS scan used) after this long (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Where the reason for falling back to the JS scan goes, once per distinct reason (default stderr). */
  readonly warn?: (line: string) => void;
}

/** A holder scan under way (startHolderScan). */
export interface HolderScanHandle {
  /** The scan for this process table: the helper's fd and thread holders of these processes, the bind mounts and extra namespaces read now; the JS scan when the helper failed. */
  result(processes: readonly ProcessRecord[]): Promise<NamespaceHolderScan>;
}

const warned = new Set<string>();
const defaultWarn = (line: string): void => {
  process.stderr.write(`isolens: ${line}\n`);
};

function warnOnce(warn: (line: string) => void, line: string): void {
  if (warned.has(line)) return;
  if (warned.size < 32) warned.add(line);
  warn(line);
}

interface ExecError extends Error {
  readonly code?: number | string | null;
  readonly signal?: NodeJS.Signals | null;
}

/**
 * Runs the helper on a procfs root; rejects with a short reason (no pids: the same failure reads
 * the same). On time-out it rejects at once, whether or not the helper has died yet (SIGKILL sent).
 */
function runHelper(binary: string, procRoot: string, timeoutMs: number): Promise<NativeHolderOutput> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, [procRoot], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err: ExecError | null, stdout, stderr) => {
      clearTimeout(timer);
      if (err) {
        const why = typeof err.code === 'number' ? `exited ${err.code}${stderr.trim() === '' ? '' : `: ${stderr.trim().split('\n')[0]}`}`
          : typeof err.code === 'string' ? err.code
          : err.signal ? `killed by ${err.signal}` : err.message;
        reject(new Error(why));
        return;
      }
      try {
        resolve(parseHolderLines(stdout));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
}

/** The fd and thread holders of the table's processes (kernel threads and processes the table does not have are left out), fds first as in the JS scan. */
function ofTable(found: readonly FoundHolder[], processes: readonly ProcessRecord[], opts: NamespaceHolderOptions): FoundHolder[] {
  if (found.length === 0) return [];
  const pids = new Set(holderCandidates(processes).map((p) => p.pid));
  const keep = (via: 'fd' | 'task'): FoundHolder[] => found.filter((f) => f.holder.via === via && pids.has(f.holder.pid));
  return [...(opts.fds === false ? [] : keep('fd')), ...(opts.tasks === false ? [] : keep('task'))];
}

/**
 * Starts the fd and thread part of the namespace holder scan (findNamespaceHolders) in the
 * isolens-holders helper, a child process that reads /proc/PID/fd/* and /proc/PID/task/TID/ns/*
 * while Node reads the process table; result() adds the bind mounts and extra namespaces
 * (namespaces(7) "Namespace lifetime"). Without the helper, or when it fails or times out, result()
 * runs the JS scan instead, and the reason is warned once. Never rejects.
 */
export function startHolderScan(procRoot: string, opts: HolderScanOptions = {}): HolderScanHandle {
  const warn = opts.warn ?? defaultWarn;
  const js = (processes: readonly ProcessRecord[]): NamespaceHolderScan => ({ ...findNamespaceHolders(procRoot, processes, opts), source: 'js' });
  if (opts.fds === false && opts.tasks === false) return { result: async (processes) => js(processes) };
  const binary = opts.binary === undefined ? findHoldersHelper() : opts.binary;
  if (binary === null) {
    if (opts.binary === undefined) warnOnce(warn, 'isolens-holders is not built (npm run build): namespace holders are scanned in JavaScript.');
    return { result: async (processes) => js(processes) };
  }
  const output: Promise<NativeHolderOutput | Error> = runHelper(binary, procRoot, opts.timeoutMs ?? 5000).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  return {
    result: async (processes) => {
      const out = await output;
      if (out instanceof Error) {
        warnOnce(warn, `isolens-holders (${binary}) failed (${out.message}): namespace holders are scanned in JavaScript.`);
        return js(processes);
      }
      return holdersOf(procRoot, out, processes, opts, 'isolens-holders');
    },
  };
}

function holdersOf(procRoot: string, out: NativeHolderOutput, processes: readonly ProcessRecord[], opts: NamespaceHolderOptions, source: 'isolens-holders' | 'isolens-table'): NamespaceHolderScan {
  const scan = completeHolderScan(procRoot, processes, ofTable(out.found, processes, opts), opts.mounts !== false, process.hrtime.bigint());
  return { ...scan, elapsedMs: scan.elapsedMs + out.elapsedMs, source };
}

/** A holder scan whose fd and thread part is done already (isolens-table scans them as it reads the table); result() adds the rest. */
export function finishedHolderScan(procRoot: string, out: NativeHolderOutput, opts: NamespaceHolderOptions = {}): HolderScanHandle {
  return { result: async (processes) => holdersOf(procRoot, out, processes, opts, 'isolens-table') };
}
