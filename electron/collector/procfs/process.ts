import * as fs from 'node:fs';
import type { ProcessNamespaces } from '../../../shared/namespaces';
import { type CgroupEntry, parseCgroupFile, pickCgroupPath } from './cgroup';
import { parseCmdline } from './cmdline';
import { isVanished, ProcReadError, toProcReadError } from './errors';
import { readNamespaces } from './ns';
import { FS_SOURCE, type ProcSource } from './source';
import { type ProcStat, parseStat } from './stat';
import { type ProcStatus, parseStatus } from './status';
import { internBigint, internNamespaces, internNumbers, internStrings, TextIntern } from './intern';

/** One process as read from proc(5) /proc/PID: stat, status, cmdline, cgroup and ns/. */
export interface ProcessRecord {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  readonly state: string;
  /** [] for kernel threads and zombies, and when cmdline could not be read. */
  readonly cmdline: readonly string[];
  /** Real uid from status; null when status could not be read. */
  readonly uid: number | null;
  readonly startTime: number;
  readonly utime: number;
  readonly stime: number;
  readonly numThreads: number;
  /** status NSpid, host pid first; [pid] on kernels without NSpid or when status is unreadable. */
  readonly nspid: readonly number[];
  readonly namespaces: ProcessNamespaces;
  readonly cgroups: readonly CgroupEntry[];
  /** pickCgroupPath(cgroups). */
  readonly cgroup: string | null;
  readonly status: ProcStatus | null;
  /** Failures reading the files after stat; the matching fields are null or empty. */
  readonly errors: readonly ProcReadError[];
}

/** The pids of the numeric directories of proc(5) /proc (thread-group leaders only), ascending. Throws ProcReadError. */
export function listPids(procRoot: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(procRoot);
  } catch (err) {
    throw toProcReadError(err, null, procRoot);
  }
  const pids: number[] = [];
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 49 || c > 57 || !/^\d+$/.test(name)) continue; // pids start with 1-9
    pids.push(Number(name));
  }
  return pids.sort((a, b) => a - b);
}

/** listPids, with its failure (ENOENT, EACCES on the procfs root) returned rather than thrown. */
export function listPidsOrError(procRoot: string): number[] | ProcReadError {
  try {
    return listPids(procRoot);
  } catch (err) {
    return toProcReadError(err, null, procRoot);
  }
}

function readStat(procRoot: string, pid: number, src: ProcSource): ProcStat | ProcReadError {
  const path = `${procRoot}/${pid}/stat`;
  try {
    return parseStat(src.text(path, pid, true));
  } catch (err) {
    return toProcReadError(err, pid, path);
  }
}

/** Reads `file` of a process and parses it; a failure is pushed to `errors` and gives null. */
function readPart<T>(procRoot: string, pid: number, file: string, parse: (text: string) => T, errors: ProcReadError[], src: ProcSource): T | null {
  const path = `${procRoot}/${pid}/${file}`;
  try {
    return parse(src.text(path, pid, true));
  } catch (err) {
    errors.push(toProcReadError(err, pid, path));
    return null;
  }
}

/**
 * Reads proc(5) /proc/PID: stat first (an error there, e.g. ENOENT when the process vanished,
 * is returned), then status, cmdline, cgroup and ns/. A failure on one of those is recorded in
 * `errors` and its field left null or empty; if it was ENOENT/ESRCH and stat is gone or names
 * another process (pid reused), the process vanished mid-read and that error is returned.
 * `src` gives the texts (default: the file system; a helper's dump for full snapshots).
 */
export function readProcess(procRoot: string, pid: number, src: ProcSource = FS_SOURCE): ProcessRecord | ProcReadError {
  const stat = readStat(procRoot, pid, src);
  if (stat instanceof ProcReadError) return stat;
  if (stat.pid !== pid) {
    const path = `${procRoot}/${pid}/stat`;
    return new ProcReadError(`${path} is for pid ${stat.pid}`, { pid, file: path, code: 'EPARSE' });
  }

  const errors: ProcReadError[] = [];
  const status = readPart(procRoot, pid, 'status', parseStatus, errors, src);
  const cmdline = internStrings(readPart(procRoot, pid, 'cmdline', parseCmdline, errors, src) ?? []);
  const cgroups = readPart(procRoot, pid, 'cgroup', (text) => cgroupFiles.parseText(text), errors, src) ?? [];
  const ns = readNamespaces(procRoot, pid, src);
  errors.push(...ns.errors);

  const gone = errors.find(isVanished);
  if (gone !== undefined) {
    const again = readStat(procRoot, pid, src);
    if (again instanceof ProcReadError || again.startTime !== stat.startTime) return gone;
  }

  return {
    pid,
    ppid: stat.ppid,
    comm: stat.comm,
    state: stat.state,
    cmdline,
    uid: status === null ? null : status.uid[0],
    startTime: stat.startTime,
    utime: stat.utime,
    stime: stat.stime,
    numThreads: stat.numThreads,
    nspid: status !== null && status.nspid.length > 0 ? status.nspid : [pid],
    namespaces: internNamespaces(ns.namespaces),
    cgroups,
    cgroup: pickCgroupPath(cgroups),
    status: status === null ? null : sharedParts(status),
    errors: errors.length === 0 ? NO_ERRORS : errors,
  };
}

/** Processes in one cgroup share one parsed cgroup file (proc(5) /proc/PID/cgroup). */
const cgroupFiles = new TextIntern(parseCgroupFile);

/** A record read on another thread, with the parts processes share made shared here too (procfs/intern.ts). */
export function shareRecordParts(r: ProcessRecord, errors: readonly ProcReadError[]): ProcessRecord {
  // The file's text again (the parse is lossless), so the list is the one this thread shares.
  const cgroups = r.cgroups.length === 0 ? r.cgroups : cgroupFiles.parseText(r.cgroups.map((c) => `${c.hierarchyId}:${c.controllers.join(',')}:${c.path}\n`).join(''));
  return {
    ...r,
    cmdline: internStrings(r.cmdline),
    namespaces: internNamespaces(r.namespaces),
    cgroups,
    cgroup: pickCgroupPath(cgroups),
    status: r.status === null ? null : sharedParts(r.status),
    errors: errors.length === 0 ? NO_ERRORS : errors,
  };
}
const NO_ERRORS: readonly ProcReadError[] = Object.freeze([]);

/**
 * The status with the parts many processes share (credentials, capability sets) interned, in
 * place: `s` was just parsed (or cloned from another thread) and nothing else holds it yet, and a
 * copy of its ~25 fields per process was ~6% of what a full read allocated.
 */
function sharedParts(s: ProcStatus): ProcStatus {
  const m = s as { -readonly [K in keyof ProcStatus]: ProcStatus[K] };
  m.uid = internNumbers(s.uid);
  m.gid = internNumbers(s.gid);
  m.capInh = internBigint(s.capInh);
  m.capPrm = internBigint(s.capPrm);
  m.capEff = internBigint(s.capEff);
  m.capBnd = internBigint(s.capBnd);
  m.capAmb = internBigint(s.capAmb);
  return s;
}

/**
 * Reads every process of proc(5) /proc. Processes that vanish while being read are dropped
 * silently (that is normal); other failures that lose a whole process are in `errors`.
 * Per-file failures stay in each record's own `errors`.
 */
export function readProcessTable(procRoot: string): { processes: ProcessRecord[]; errors: ProcReadError[] } {
  const processes: ProcessRecord[] = [];
  const errors: ProcReadError[] = [];
  const pids = listPidsOrError(procRoot);
  if (pids instanceof ProcReadError) return { processes, errors: [pids] };
  readProcesses(procRoot, pids, processes, errors);
  return { processes, errors };
}

/** Reads these pids whole into `processes` (in order); vanished ones are dropped, other losses go to `errors`. */
export function readProcesses(procRoot: string, pids: readonly number[], processes: ProcessRecord[], errors: ProcReadError[]): void {
  for (const pid of pids) {
    const r = readProcess(procRoot, pid);
    if (r instanceof ProcReadError) {
      if (!isVanished(r)) errors.push(r);
    } else {
      processes.push(r);
    }
  }
}
