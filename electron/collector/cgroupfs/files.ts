import * as path from 'node:path';
import type { OpenFiles } from '../procfs/open-files';
import { readProcText } from '../procfs/read';
import { CgroupReadError, errnoCode } from './errors';

/**
 * errno codes meaning "no such file here": the cgroup was removed (the process exited), or the
 * controller is not enabled for it, so its interface files do not exist (cgroup-v2.rst "Controlling Controllers").
 */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ENODEV', 'ESRCH']);

/** The files kept open for the reads running inside withKeptFiles (null: open, read, close). */
let kept: OpenFiles | null = null;

/**
 * Runs `read` (synchronous: readUsage, readLimits) with every cgroupfs file it reads kept open
 * in `files` between calls, read again with pread(2) (procfs/open-files.ts). The live service's
 * per-tick reads go through here; one-off reads (a snapshot, a process's detail) do not.
 */
export function withKeptFiles<T>(files: OpenFiles | null, read: () => T): T {
  const before = kept;
  kept = files;
  try {
    return read();
  } finally {
    kept = before;
  }
}

/**
 * Reads one cgroupfs interface file whole (size is never trusted; kernfs reports 4096); null when
 * absent; CgroupReadError on any other failure. The files read here (limits, usage, stats) are
 * rendered whole by one show call, so the first short read is the end: open, read, close (or,
 * inside withKeptFiles, pread of a file kept open).
 */
export function readCgroupFile(dir: string, name: string): string | null {
  const file = path.join(dir, name);
  try {
    return kept ? kept.read(file, null, true) : readProcText(file, null, true);
  } catch (err) {
    if (ABSENT.has(errnoCode(err) ?? '')) return null;
    throw new CgroupReadError(file, err);
  }
}

/**
 * Reads and parses one interface file without ever throwing: absent -> null silently; unreadable or
 * malformed -> null with a message pushed to `warnings` (when given).
 */
export function readParsed<T>(dir: string | null, name: string, parse: (text: string) => T, warnings?: string[]): T | null {
  if (dir === null) return null;
  let text: string | null;
  try {
    text = readCgroupFile(dir, name);
  } catch (err) {
    warnings?.push(err instanceof Error ? err.message : String(err));
    return null;
  }
  if (text === null) return null;
  try {
    return parse(text);
  } catch (err) {
    warnings?.push(`${path.join(dir, name)}: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
