import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A command-line tool (ctr, lxc-info…) that failed: not found, exited non-zero, or timed out. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly file: string,
    readonly args: readonly string[],
    /** errno name (ENOENT: not installed), 'TIMEOUT', or 'EXIT'. */
    readonly code: string,
    readonly stderr: string,
  ) {
    super(`${[file, ...args].join(' ')}: ${code === 'ENOENT' ? 'not installed' : code === 'TIMEOUT' ? 'timed out' : stderr.trim().split('\n').slice(-1)[0] || code}`);
  }
}

/** Runs FILE ARGS without a shell (execFile(3)-style) and returns its stdout; rejects with CommandError. */
export function runCommand(file: string, args: readonly string[], timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (!err) {
        resolve(stdout);
        return;
      }
      const e = err as NodeJS.ErrnoException & { killed?: boolean };
      const code = typeof e.code === 'string' ? e.code : e.killed ? 'TIMEOUT' : 'EXIT';
      reject(new CommandError(file, args, code, stderr || e.message));
    });
  });
}

const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The first executable NAME on PATH (and the usual sbin/bin directories), or null: "is it installed". */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = [...(env.PATH ?? '').split(':').filter((d) => d.startsWith('/')), ...SEARCH_PATH];
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** Whether PATH is a unix socket (stat(2) S_IFSOCK). */
export function isSocket(p: string): boolean {
  try {
    return fs.statSync(p).isSocket();
  } catch {
    return false;
  }
}

/** A process as an engine adapter needs it: pid, comm and argv (proc(5) /proc/PID/comm, cmdline). */
export interface ProcEntry {
  readonly pid: number;
  readonly comm: string;
  readonly cmdline: readonly string[];
}

function readSmall(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null; // vanished (ENOENT/ESRCH) or not ours (EACCES)
  }
}

/** How long a published process table stands in for a scan of /proc (the live service publishes one every tick). */
export const PUBLISHED_TABLE_TTL_MS = 5000;

/** The process table the collector read last, by procfs root: adapters search it instead of scanning /proc again. */
const published = new Map<string, { at: number; entries: readonly Pick<ProcEntry, 'pid' | 'comm'>[] }>();

/**
 * Publishes the process table just read from procRoot (the live service does it each tick), so that
 * engine adapters looking for their daemons (lxc monitor, systemd-nspawn, a nested dockerd) pick
 * candidates from it instead of reading every process's comm again: at 10,000 processes a scan
 * costs hundreds of milliseconds. Candidates are still re-read from /proc.
 */
export function publishProcessTable(procRoot: string, entries: readonly Pick<ProcEntry, 'pid' | 'comm'>[], now = Date.now()): void {
  published.set(procRoot, { at: now, entries });
}

/** The pids worth reading: from the published table when it is fresh, else every numeric entry of /proc. */
function candidatePids(procRoot: string, match: (comm: string) => boolean): number[] | null {
  const table = published.get(procRoot);
  if (table && Date.now() - table.at < PUBLISHED_TABLE_TTL_MS) return table.entries.filter((e) => match(e.comm)).map((e) => e.pid);
  let names: string[];
  try {
    names = fs.readdirSync(procRoot);
  } catch {
    return null;
  }
  return names.filter((n) => /^[1-9]\d*$/.test(n)).map(Number);
}

/**
 * The processes of proc(5) /proc whose comm satisfies `match`, with their argv; reads only comm for
 * the others (none at all when a fresh table was published). Vanished and unreadable processes are skipped.
 */
export function findProcesses(procRoot: string, match: (comm: string) => boolean): ProcEntry[] {
  const pids = candidatePids(procRoot, match);
  if (pids === null) return [];
  const out: ProcEntry[] = [];
  for (const pid of pids) {
    const comm = readSmall(`${procRoot}/${pid}/comm`);
    if (comm === null || !match(comm.replace(/\n$/, ''))) continue;
    const raw = readSmall(`${procRoot}/${pid}/cmdline`);
    if (raw === null) continue;
    const cmdline = raw.split('\0');
    if (cmdline[cmdline.length - 1] === '') cmdline.pop();
    out.push({ pid, comm: comm.replace(/\n$/, ''), cmdline });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** The children of a process from proc(5) /proc/PID/task/TID/children of all its threads (CONFIG_PROC_CHILDREN). */
export function childrenOf(procRoot: string, pid: number): number[] {
  let tids: string[];
  try {
    tids = fs.readdirSync(`${procRoot}/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tids) {
    const text = readSmall(`${procRoot}/${pid}/task/${tid}/children`);
    if (text === null) continue;
    for (const t of text.trim().split(/\s+/)) if (/^\d+$/.test(t)) out.push(Number(t));
  }
  return out.sort((a, b) => a - b);
}

/** The inode of a process's namespace link (namespaces(7) /proc/PID/ns/TYPE), or null. */
export function namespaceOf(procRoot: string, pid: number, link: string): number | null {
  try {
    const m = /\[(\d+)\]$/.exec(fs.readlinkSync(`${procRoot}/${pid}/ns/${link}`));
    return m && m[1] !== undefined ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** A readable record check for adapters parsing JSON. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
