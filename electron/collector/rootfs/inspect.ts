import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { EntrypointInfo, RootfsInfo } from '../../../shared/rootfs';
import { readProcLink, readProcText } from '../procfs/read';
import { inspectEntrypoint } from './entrypoint';
import { readOsRelease } from './os-release';
import { RootHandle, RootOpenError } from './resolve';
import { findUserland } from './userland';
import { rootfsVerdict } from './verdict';
import { DEFAULT_WALK_BUDGET, parseMountPoints, walkRoot, type WalkBudget } from './walk';

/** What to inspect besides the tree: the init's executable, argv and cwd (paths inside the root), and mount points not to walk. */
export interface RootTreeOptions {
  /** readlink(/proc/PID/exe): the init's executable, a path inside the root. */
  readonly exePath?: string | null;
  readonly argv?: readonly string[];
  readonly cwd?: string | null;
  /** Mount points inside the root (from /proc/PID/mountinfo) to leave out of the walk. */
  readonly mountPoints?: readonly string[];
  readonly budget?: WalkBudget;
}

const EMPTY_WALK = { files: 0, bytes: 0, executables: 0, emptyFiles: 0, directories: 0, symlinks: 0, partial: false, skippedMounts: [] as string[] };

/**
 * Inspects a root directory (the container's /proc/PID/root, or a fixture tree in tests):
 * os-release(5), a budgeted walk of the tree, shells / package managers / tools, the
 * entrypoint's ELF, and a one-line verdict. Every path is resolved inside the root, so the
 * image's symlinks can never make a host file be read. Never throws.
 */
export function inspectRootTree(rootDir: string, opts: RootTreeOptions = {}): RootfsInfo {
  const started = performance.now();
  let root: RootHandle;
  try {
    root = RootHandle.open(rootDir);
  } catch (e) {
    const error = e instanceof RootOpenError ? e.message : `cannot open ${rootDir}: ${String(e)}`;
    return {
      os: null, ...EMPTY_WALK, shells: [], packageManagers: [], tools: [], busybox: false, entrypoint: null,
      verdict: rootfsVerdict({ os: null, files: 0, emptyFiles: 0, shells: [], packageManagers: [], busybox: false, entrypoint: null, partial: false, error }),
      error, tookMs: Math.round(performance.now() - started),
    };
  }
  try {
    const { os } = readOsRelease(root);
    const userland = findUserland(root);
    let entrypoint: EntrypointInfo | null = null;
    if (opts.exePath) entrypoint = inspectEntrypoint(root, opts.exePath, opts.argv ?? [], opts.cwd ?? null);
    // The walk gets what is left of the time budget.
    const budget = opts.budget ?? DEFAULT_WALK_BUDGET;
    const left = Math.max(1, budget.timeMs - (performance.now() - started));
    const walk = walkRoot(root, new Set(opts.mountPoints ?? []), { timeMs: left, maxEntries: budget.maxEntries });
    const verdict = rootfsVerdict({ os, files: walk.files, emptyFiles: walk.emptyFiles, shells: userland.shells, packageManagers: userland.packageManagers, busybox: userland.busybox, entrypoint, partial: walk.partial, error: null });
    return {
      os,
      files: walk.files,
      bytes: walk.bytes,
      executables: walk.executables,
      directories: walk.directories,
      symlinks: walk.symlinks,
      shells: userland.shells,
      packageManagers: userland.packageManagers,
      tools: userland.tools,
      busybox: userland.busybox,
      entrypoint,
      verdict,
      partial: walk.partial,
      skippedMounts: walk.skippedMounts,
      error: null,
      tookMs: Math.round(performance.now() - started),
    };
  } finally {
    root.close();
  }
}

/** readlink(/proc/PID/exe) without the " (deleted)" the kernel appends for an unlinked file (proc(5)). */
function readExe(procRoot: string, pid: number): string | null {
  try {
    return readProcLink(`${procRoot}/${pid}/exe`, pid).replace(/ \(deleted\)$/, '');
  } catch {
    return null;
  }
}

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/**
 * Inspects the root filesystem of process `pid` (a container's init) through proc(5)
 * /proc/PID/root, with its executable from /proc/PID/exe, argv from /proc/PID/cmdline, cwd
 * from /proc/PID/cwd and the mount points to skip from /proc/PID/mountinfo. Needs root
 * (else error: EACCES). Within `budget` for the walk; never throws.
 */
export function inspectRootfs(procRoot: string, pid: number, budget: WalkBudget = DEFAULT_WALK_BUDGET): RootfsInfo {
  const base = `${procRoot}/${pid}`;
  const mountinfo = readOr(() => readProcText(`${base}/mountinfo`, pid), '');
  const argv = readOr(() => readProcText(`${base}/cmdline`, pid).split('\0').filter((s, i, a) => s !== '' || i < a.length - 1), [] as string[]);
  const cwd = readOr(() => fs.readlinkSync(`${base}/cwd`), null);
  return inspectRootTree(`${base}/root`, {
    exePath: readExe(procRoot, pid),
    argv,
    cwd: cwd !== null && cwd.startsWith('/') ? cwd : null,
    mountPoints: parseMountPoints(mountinfo),
    budget,
  });
}

/** Options of RootfsCache. */
export interface RootfsCacheOptions {
  readonly procRoot?: string;
  readonly budget?: WalkBudget;
  /** How long a result is reused for the same container and pid (default 60 s). */
  readonly ttlMs?: number;
  /** Containers kept at most (default 256). */
  readonly max?: number;
}

/**
 * Reuses inspectRootfs results per container id and init pid for ttlMs, so a snapshot tick
 * does not walk every root filesystem; a new pid (restart) inspects again.
 */
export class RootfsCache {
  private readonly entries = new Map<string, { pid: number; at: number; info: RootfsInfo }>();
  private readonly procRoot: string;
  private readonly budget: WalkBudget;
  private readonly ttlMs: number;
  private readonly max: number;

  constructor(opts: RootfsCacheOptions = {}) {
    this.procRoot = opts.procRoot ?? '/proc';
    this.budget = opts.budget ?? DEFAULT_WALK_BUDGET;
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.max = opts.max ?? 256;
  }

  /** The cached rootfs of a container's init pid when fresh, without walking anything. */
  peek(containerId: string, pid: number, now: number = Date.now()): RootfsInfo | undefined {
    const hit = this.entries.get(containerId);
    return hit && hit.pid === pid && now - hit.at < this.ttlMs ? hit.info : undefined;
  }

  /** The rootfs of a container's init pid, from the cache when fresh. */
  get(containerId: string, pid: number, now: number = Date.now()): RootfsInfo {
    const hit = this.entries.get(containerId);
    if (hit && hit.pid === pid && now - hit.at < this.ttlMs) return hit.info;
    const info = inspectRootfs(this.procRoot, pid, this.budget);
    this.entries.delete(containerId);
    this.entries.set(containerId, { pid, at: now, info });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return info;
  }

  /** Drops the containers not in `live` (call after a relist). */
  prune(live: Iterable<string>): void {
    const keep = new Set(live);
    for (const id of [...this.entries.keys()]) if (!keep.has(id)) this.entries.delete(id);
  }
}
