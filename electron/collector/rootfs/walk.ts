import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { unescapeMountinfo } from '../cgroupfs/mounts';
import { openDirAt, readEntries, RootHandle } from './resolve';

/** How much a walk of a root filesystem may cost before it stops with partial results. */
export interface WalkBudget {
  readonly timeMs: number;
  readonly maxEntries: number;
}

/** 200 ms and 200,000 directory entries: a huge rootfs cannot stall the collector. */
export const DEFAULT_WALK_BUDGET: WalkBudget = { timeMs: 200, maxEntries: 200_000 };
/** Directory depth the walk descends to (each level holds one open fd). */
export const WALK_MAX_DEPTH = 128;

/** Counts from a walk of a root filesystem (lstat(2) of every entry, symlinks never followed). */
export interface WalkResult {
  /** Regular files, hard links counted once. */
  readonly files: number;
  readonly bytes: number;
  readonly executables: number;
  /** Regular files of size 0. */
  readonly emptyFiles: number;
  readonly directories: number;
  readonly symlinks: number;
  /** FIFOs, sockets, device nodes. */
  readonly others: number;
  /** Entries seen (all kinds). */
  readonly entries: number;
  readonly partial: boolean;
  /** Mount points inside the root that were not entered, in the order met. */
  readonly skippedMounts: readonly string[];
}

/**
 * The mount points of a process's mount namespace other than its root, from proc(5)
 * /proc/PID/mountinfo field 5 (relative to the process's root), unescaped.
 */
export function parseMountPoints(mountinfo: string): string[] {
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const f = line.split(' ');
    const mp = f[4];
    if (f.length < 6 || mp === undefined || !mp.startsWith('/')) continue;
    const path = unescapeMountinfo(mp);
    if (path !== '/' && !out.includes(path)) out.push(path);
  }
  return out;
}

interface Frame {
  readonly path: string;
  /** The directory's fd; closed when done unless it is the root's (owned by the RootHandle). */
  readonly fd: number;
  readonly own: boolean;
  readonly names: string[];
  /** Which names the directory says are symlinks (d_type): counted without an lstat. */
  readonly symlinks: boolean[];
  i: number;
}

const EXEC_BITS = 0o111;

/**
 * Walks a root filesystem depth-first through directory fds (readdir of /proc/self/fd/N,
 * lstat of /proc/self/fd/N/<name>, subdirectories opened O_NOFOLLOW and checked), so no
 * symlink is ever followed. Directories on another device than the root, and any path in
 * `skip` (the container's mount points: /proc, /sys, /dev, bind-mounted files, volumes),
 * are not entered or counted. Stops at the budget with partial: true. Never throws.
 */
export function walkRoot(root: RootHandle, skip: ReadonlySet<string>, budget: WalkBudget = DEFAULT_WALK_BUDGET, now: () => number = () => performance.now()): WalkResult {
  const deadline = now() + budget.timeMs;
  let files = 0;
  let bytes = 0;
  let executables = 0;
  let emptyFiles = 0;
  let directories = 0;
  let symlinks = 0;
  let others = 0;
  let entries = 0;
  let partial = false;
  const skippedMounts: string[] = [];
  const seenLinks = new Set<string>();
  const stack: Frame[] = [];
  const push = (path: string, fd: number, own: boolean): void => {
    let read: { names: string[]; symlinks: boolean[] };
    try {
      read = readEntries(fd, Math.max(0, budget.maxEntries - entries) + 1);
    } catch {
      read = { names: [], symlinks: [] };
    }
    stack.push({ path, fd, own, names: read.names, symlinks: read.symlinks, i: 0 });
  };
  try {
    push('', root.fd, false);
    outer: while (stack.length > 0) {
      const top = stack[stack.length - 1] as Frame;
      const dirFd = top.fd;
      while (top.i < top.names.length) {
        const symlink = top.symlinks[top.i] === true;
        const name = top.names[top.i++] as string;
        entries++;
        if (entries > budget.maxEntries || ((entries & 63) === 0 && now() > deadline)) {
          partial = true;
          break outer;
        }
        const path = `${top.path}/${name}`;
        if (symlink) {
          // A symlink is only counted (never followed): the directory's word for its type is enough.
          if (skip.has(path)) skippedMounts.push(path);
          else symlinks++;
          continue;
        }
        let st: fs.Stats | undefined;
        try {
          st = fs.lstatSync(RootHandle.at(dirFd, name), { throwIfNoEntry: false });
        } catch {
          st = undefined;
        }
        if (st === undefined) continue;
        if (skip.has(path)) {
          skippedMounts.push(path);
          continue;
        }
        if (st.isDirectory()) {
          if (st.dev !== root.dev) {
            skippedMounts.push(path);
            continue;
          }
          directories++;
          if (stack.length >= WALK_MAX_DEPTH) {
            partial = true;
            continue;
          }
          const fd = openDirAt(dirFd, name, st);
          if (typeof fd !== 'number') continue;
          push(path, fd, true);
          continue outer;
        }
        if (st.isSymbolicLink()) symlinks++;
        else if (st.isFile()) {
          if (st.nlink > 1) {
            const key = `${st.dev}:${st.ino}`;
            if (seenLinks.has(key)) continue;
            seenLinks.add(key);
          }
          files++;
          bytes += st.size;
          if (st.size === 0) emptyFiles++;
          if ((st.mode & EXEC_BITS) !== 0) executables++;
        } else others++;
      }
      const done = stack.pop() as Frame;
      if (done.own) fs.closeSync(done.fd);
    }
  } finally {
    for (const f of stack) {
      if (f.own) {
        try {
          fs.closeSync(f.fd);
        } catch {
          // nothing to do
        }
      }
    }
  }
  return { files, bytes, executables, emptyFiles, directories, symlinks, others, entries: Math.min(entries, budget.maxEntries), partial, skippedMounts };
}
