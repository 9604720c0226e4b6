// Path resolution inside a container's root, as openat2(2) RESOLVE_IN_ROOT would do it, for a
// Node that has no openat2: one component at a time, each looked up relative to an open file
// descriptor of its parent directory through /proc/self/fd/N/<name> (the kernel resolves the
// magic link /proc/self/fd/N to that very directory, then <name> inside it). So:
//   - an absolute symlink restarts at the container's root, never at the host's /;
//   - `..` pops one resolved component and stops at the root (it never climbs out);
//   - at most 40 symlinks are followed (ELOOP), as path_resolution(7) allows;
//   - no intermediate component is ever followed by the kernel: each directory is opened with
//     O_NOFOLLOW|O_DIRECTORY and checked (fstat dev+ino) against the lstat that chose it, so a
//     directory swapped for a symlink between the lstat and the open is refused, not followed;
//   - directories on another device than the root (a mount point inside it: /proc, /sys, /dev,
//     volumes) are refused with EXDEV, so /proc/1/environ & co cannot be reached by a symlink;
//   - a final component is opened only when lstat says it is a regular file or a directory,
//     with O_NOFOLLOW|O_NONBLOCK|O_NOCTTY (a FIFO or a device node is never opened), then fstat
//     must show the same dev+ino.
// What remains (TOCTOU): a file may be replaced by another regular file of the container's own
// tree between lstat and open (the dev+ino check then refuses it), and the contents may change
// while we read; neither can make us read outside the container's root.
import * as fs from 'node:fs';

/** Symlinks followed before ELOOP (path_resolution(7); Linux's MAXSYMLINKS is 40). */
export const MAX_SYMLINKS = 40;
/** PATH_MAX (limits.h): longer paths, or ones grown by symlinks beyond it, give ENAMETOOLONG. */
export const PATH_MAX = 4096;
/** Directory depth beyond which resolution stops (each level holds one open fd). */
export const MAX_DEPTH = 256;

/** How our own process reaches an open fd as a path (proc(5) /proc/self/fd). */
const SELF_FD = '/proc/self/fd';

/** Why a path could not be resolved in the root (errno names, errno(3)). */
export type ResolveErrorCode = 'ENOENT' | 'ENOTDIR' | 'ELOOP' | 'EXDEV' | 'EACCES' | 'ENAMETOOLONG' | 'ESTALE' | 'EIO';

/** A failed resolution: the errno-like code and the path asked for. */
export interface ResolveFailure {
  readonly ok: false;
  readonly code: ResolveErrorCode;
  readonly path: string;
}

/** A path resolved inside the root: symlink-free, absolute inside the container. */
export interface Resolved {
  readonly ok: true;
  /** Container path with every symlink resolved (no symlink is left in it unless followLast was false). */
  readonly path: string;
  /** lstat(2) of the final component. */
  readonly stat: fs.Stats;
}

/** Why a container root could not be opened (e.g. /proc/PID/root: EACCES without root, ENOENT when the process ended). */
export class RootOpenError extends Error {
  override readonly name = 'RootOpenError';
  constructor(
    readonly root: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The errno name of a Node fs error, or EIO. */
export function errnoOf(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  return typeof code === 'string' ? code : 'EIO';
}

function toCode(e: unknown): ResolveErrorCode {
  const c = errnoOf(e);
  switch (c) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ELOOP':
    case 'EXDEV':
    case 'EACCES':
    case 'ENAMETOOLONG':
    case 'ESTALE':
      return c;
    case 'EPERM':
      return 'EACCES';
    default:
      return 'EIO';
  }
}

const sameFile = (a: fs.Stats, b: fs.Stats): boolean => a.dev === b.dev && a.ino === b.ino;

/**
 * An open container root: a directory fd (e.g. of /proc/PID/root, which stays the same
 * directory even if the pid is reused while we work) plus its device, for the mount checks.
 */
export class RootHandle {
  private closed = false;
  private constructor(
    /** The directory as given (for messages). */
    readonly root: string,
    readonly fd: number,
    /** st_dev of the root directory: directories elsewhere are mount points. */
    readonly dev: number,
  ) {}

  /** Opens a root directory (open(2) O_DIRECTORY; /proc/PID/root is followed to the container's root). */
  static open(root: string): RootHandle {
    let fd: number;
    try {
      fd = fs.openSync(root, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    } catch (e) {
      const code = errnoOf(e);
      throw new RootOpenError(root, code, `cannot open ${root}: ${code}${code === 'EACCES' || code === 'EPERM' ? ' (reading another process\'s root needs root)' : ''}`);
    }
    try {
      return new RootHandle(root, fd, fs.fstatSync(fd).dev);
    } catch (e) {
      fs.closeSync(fd);
      throw new RootOpenError(root, errnoOf(e), `cannot stat ${root}: ${errnoOf(e)}`);
    }
  }

  /** The path our process reaches a file under an open directory fd by. */
  static at(dirFd: number, name: string): string {
    return `${SELF_FD}/${dirFd}/${name}`;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed: nothing to do
    }
  }
}

/** Splits a path into components, dropping empty ones and `.`. */
export function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

interface Frame {
  readonly name: string;
  readonly fd: number;
}

/** What the final step gets: the fd of the directory holding the last component, its name (or '.'), its lstat, and its container path. */
type FinalStep<T> = (dirFd: number, name: string, stat: fs.Stats, path: string) => T;

function closeAll(stack: Frame[]): void {
  for (const f of stack.splice(0)) {
    try {
      fs.closeSync(f.fd);
    } catch {
      // nothing to do
    }
  }
}

/** Opens a directory under dirFd without following a symlink (O_NOFOLLOW|O_DIRECTORY), and checks it is the one lstat saw (else ESTALE). */
export function openDirAt(dirFd: number, name: string, expect: fs.Stats): number | ResolveErrorCode {
  let fd: number;
  try {
    fd = fs.openSync(RootHandle.at(dirFd, name), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
  } catch (e) {
    return toCode(e);
  }
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    return toCode(e);
  }
  if (!sameFile(st, expect)) {
    fs.closeSync(fd);
    return 'ESTALE';
  }
  return fd;
}

/**
 * Resolves `path` inside the root, component by component (see the file comment), and runs
 * `final` on the last component while its parent directory's fd is still open. With
 * followLast false a final symlink is not followed (as lstat(2) / O_NOFOLLOW).
 * Never throws for anything the container's tree holds; returns a ResolveFailure instead.
 */
export function walkInRoot<T>(root: RootHandle, path: string, followLast: boolean, final: FinalStep<T>): T | ResolveFailure {
  const fail = (code: ResolveErrorCode): ResolveFailure => ({ ok: false, code, path });
  if (path.length > PATH_MAX || path.includes('\0')) return fail(path.includes('\0') ? 'ENOENT' : 'ENAMETOOLONG');
  const stack: Frame[] = [];
  const dirFd = (): number => stack[stack.length - 1]?.fd ?? root.fd;
  const here = (name: string | null): string => '/' + [...stack.map((f) => f.name), ...(name === null ? [] : [name])].join('/');
  let queue = components(path);
  let links = 0;
  try {
    while (queue.length > 0) {
      const c = queue.shift() as string;
      if (c === '..') {
        const top = stack.pop();
        if (top) fs.closeSync(top.fd);
        continue;
      }
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(RootHandle.at(dirFd(), c), { throwIfNoEntry: false });
      } catch (e) {
        return fail(toCode(e));
      }
      if (st === undefined) return fail('ENOENT');
      const last = queue.length === 0;
      if (st.isSymbolicLink() && (!last || followLast)) {
        if (++links > MAX_SYMLINKS) return fail('ELOOP');
        let target: string;
        try {
          target = fs.readlinkSync(RootHandle.at(dirFd(), c));
        } catch (e) {
          return fail(toCode(e));
        }
        if (target === '') return fail('ENOENT');
        if (target.startsWith('/')) closeAll(stack);
        queue = [...components(target), ...queue];
        if (queue.length > PATH_MAX / 2) return fail('ENAMETOOLONG');
        continue;
      }
      if (last) return final(dirFd(), c, st, here(c));
      if (!st.isDirectory()) return fail('ENOTDIR');
      if (st.dev !== root.dev) return fail('EXDEV');
      if (stack.length >= MAX_DEPTH) return fail('ENAMETOOLONG');
      const fd = openDirAt(dirFd(), c, st);
      if (typeof fd !== 'number') return fail(fd);
      stack.push({ name: c, fd });
    }
    // The path named a directory already opened (the root, or one reached through `..`).
    let st: fs.Stats;
    try {
      st = fs.fstatSync(dirFd());
    } catch (e) {
      return fail(toCode(e));
    }
    return final(dirFd(), '.', st, here(null));
  } finally {
    closeAll(stack);
  }
}

/** lstat(2) of a path resolved in the root (the final symlink followed unless followLast is false). */
export function statInRoot(root: RootHandle, path: string, followLast = true): Resolved | ResolveFailure {
  return walkInRoot(root, path, followLast, (_dir, _name, stat, resolved): Resolved => ({ ok: true, path: resolved, stat }));
}

/** An open regular file inside the root: its fd (caller closes), resolved path and fstat. */
export interface OpenedFile {
  readonly ok: true;
  readonly fd: number;
  readonly path: string;
  readonly stat: fs.Stats;
}

/** Why a resolved path was not opened: not a regular file (a FIFO, a device, a directory…). */
export type OpenFailure = ResolveFailure | { readonly ok: false; readonly code: 'ENOTREG'; readonly path: string };

/**
 * Opens a regular file by its path inside the root (O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_NOCTTY,
 * after lstat said it is a regular file, and fstat must agree). The caller closes the fd.
 */
export function openFileInRoot(root: RootHandle, path: string): OpenedFile | OpenFailure {
  return walkInRoot(root, path, true, (dirFd, name, stat, resolved): OpenedFile | OpenFailure => {
    if (!stat.isFile()) return { ok: false, code: 'ENOTREG', path };
    let fd: number;
    try {
      const flags = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY;
      fd = fs.openSync(RootHandle.at(dirFd, name), flags);
    } catch (e) {
      return { ok: false, code: toCode(e), path };
    }
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile() || !sameFile(st, stat)) {
        fs.closeSync(fd);
        return { ok: false, code: 'ESTALE', path };
      }
      return { ok: true, fd, path: resolved, stat: st };
    } catch (e) {
      fs.closeSync(fd);
      return { ok: false, code: toCode(e), path };
    }
  });
}

/** Reads up to `length` bytes at `position` from an fd; short at the end of the file, empty on error. */
export function preadSafe(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(Math.max(0, length));
  let got = 0;
  try {
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, position + got);
      if (n === 0) break;
      got += n;
    }
  } catch {
    // a read error (EIO, EISDIR…) ends the read: what was read so far is returned
  }
  return got === buf.length ? buf : buf.subarray(0, got);
}

/** A file's first bytes, read through the root: at most maxBytes, with `truncated` when there were more. */
export interface FileBytes {
  readonly ok: true;
  readonly path: string;
  readonly data: Buffer;
  readonly truncated: boolean;
}

/** Reads a regular file inside the root (resolved as openFileInRoot does), at most maxBytes of it. */
export function readFileInRoot(root: RootHandle, path: string, maxBytes: number): FileBytes | OpenFailure {
  const f = openFileInRoot(root, path);
  if (!f.ok) return f;
  try {
    const data = preadSafe(f.fd, 0, maxBytes + 1);
    return { ok: true, path: f.path, data: data.subarray(0, maxBytes), truncated: data.length > maxBytes };
  } finally {
    fs.closeSync(f.fd);
  }
}

/** The names in a directory inside the root (readdir(3)); the directory must be on the root's device. */
export function listDirInRoot(root: RootHandle, path: string, maxEntries = 100_000): { ok: true; path: string; names: string[] } | ResolveFailure {
  return walkInRoot(root, path, true, (dirFd, name, stat, resolved) => {
    if (!stat.isDirectory()) return { ok: false, code: 'ENOTDIR', path } as const;
    if (stat.dev !== root.dev) return { ok: false, code: 'EXDEV', path } as const;
    const fd = name === '.' ? null : openDirAt(dirFd, name, stat);
    if (typeof fd === 'string') return { ok: false, code: fd, path } as const;
    try {
      const names = readNames(fd ?? dirFd, maxEntries);
      return { ok: true, path: resolved, names } as const;
    } catch (e) {
      return { ok: false, code: toCode(e), path } as const;
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
  });
}

/** Up to maxEntries names of the directory open as dirFd (opendir(3) on /proc/self/fd/N). */
export function readNames(dirFd: number, maxEntries: number): string[] {
  return readEntries(dirFd, maxEntries).names;
}

/**
 * readNames, with which entries the directory itself says are symbolic links (d_type DT_LNK,
 * getdents64(2)): a walk counts those without an lstat(2) each. A file system that does not fill
 * d_type says nothing, and those entries are looked at as any other.
 */
export function readEntries(dirFd: number, maxEntries: number): { names: string[]; symlinks: boolean[] } {
  const dir = fs.opendirSync(`${SELF_FD}/${dirFd}`);
  const names: string[] = [];
  const symlinks: boolean[] = [];
  try {
    for (let e = dir.readSync(); e !== null && names.length < maxEntries; e = dir.readSync()) {
      names.push(e.name);
      symlinks.push(e.isSymbolicLink());
    }
  } finally {
    dir.closeSync();
  }
  return { names, symlinks };
}
