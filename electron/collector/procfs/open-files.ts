// Files the live service reads every tick (the cgroup files of each container, the stat of the
// processes on screen), kept open between ticks and read again with pread(2) from offset 0: a
// seq file of procfs or kernfs renders its content afresh for each read at offset 0, and open(2)
// and close(2) were a third of a steady tick at 10,000 processes (README, Performance).
// A kept file whose process exited or whose cgroup was removed fails its read (ESRCH, ENODEV):
// it is closed and the path opened again, as a read by path would.
import * as fs from 'node:fs';
import { toProcReadError } from './errors';
import { readFd } from './read';

/** At most this many files kept open, and at most a quarter of the process's open-file limit (getrlimit(2) RLIMIT_NOFILE). */
const MAX_KEPT = 4096;

/** A quarter of the soft "Max open files" of /proc/self/limits (proc(5)); 256 when it cannot be read. */
export function keptFilesLimit(limitsText: string | null): number {
  const m = limitsText === null ? null : /^Max open files\s+(\d+|unlimited)\s/m.exec(limitsText);
  if (!m) return 256;
  const soft = m[1] === 'unlimited' ? Infinity : Number(m[1]);
  return Math.max(0, Math.min(MAX_KEPT, Math.floor(soft / 4)));
}

function readLimitsFile(): string | null {
  try {
    return fs.readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return null;
  }
}

/** Files kept open across ticks (see the file comment); one per service, swept at the end of each tick. */
export class OpenFiles {
  private readonly kept = new Map<string, { readonly fd: number; used: number }>();
  private tick = 0;
  readonly maxOpen: number;

  constructor(maxOpen: number = keptFilesLimit(readLimitsFile())) {
    this.maxOpen = maxOpen;
  }

  /** Files open now. */
  get size(): number {
    return this.kept.size;
  }

  /**
   * Reads `path` whole as readProcText(path, pid, shortReadIsEof) does, from the kept fd when
   * there is one; throws ProcReadError like it.
   */
  read(path: string, pid: number | null = null, shortReadIsEof = false): string {
    const k = this.kept.get(path);
    if (k) {
      k.used = this.tick;
      try {
        return readFd(k.fd, shortReadIsEof, true);
      } catch {
        // The process exited or the cgroup was removed: opened again below, as a read by path would.
        this.close(path);
      }
    }
    let fd: number;
    try {
      fd = fs.openSync(path, 'r');
    } catch (err) {
      throw toProcReadError(err, pid, path);
    }
    let keep = false;
    try {
      const text = readFd(fd, shortReadIsEof, true);
      keep = this.kept.size < this.maxOpen;
      if (keep) this.kept.set(path, { fd, used: this.tick });
      return text;
    } catch (err) {
      throw toProcReadError(err, pid, path);
    } finally {
      if (!keep) fs.closeSync(fd);
    }
  }

  /** Ends a tick: closes the files not read during it nor the one before (containers gone, rows scrolled away). */
  sweep(): void {
    for (const [path, k] of this.kept) if (k.used < this.tick - 1) this.close(path);
    this.tick++;
  }

  /** Closes every kept file (the service stops). */
  closeAll(): void {
    for (const path of [...this.kept.keys()]) this.close(path);
  }

  private close(path: string): void {
    const k = this.kept.get(path);
    if (!k) return;
    this.kept.delete(path);
    try {
      fs.closeSync(k.fd);
    } catch {
      // already closed
    }
  }
}
