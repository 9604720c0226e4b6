import * as fs from 'node:fs';
import { toProcReadError } from './errors';

// One buffer reused by every read: /proc files are small, and this is the hot path
// (four files per process, 10,000 processes per snapshot). It only grows.
let buf = Buffer.allocUnsafe(16 * 1024);

/**
 * Reads a whole /proc file as UTF-8 text with sync reads until EOF; proc(5) files report
 * size 0, so stat().size is never trusted. Throws ProcReadError with the errno code.
 * `shortReadIsEof`: stop at the first read that does not fill the buffer, one syscall less per
 * file. Only for files the kernel renders whole before the first read returns (a process's stat,
 * status, cgroup: single_open seq files; cmdline, copied until its end): a multi-record seq file
 * such as mountinfo may return less than asked and still have more.
 */
export function readProcText(path: string, pid: number | null = null, shortReadIsEof = false): string {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    throw toProcReadError(err, pid, path);
  }
  try {
    return readFd(fd, shortReadIsEof, false);
  } catch (err) {
    throw toProcReadError(err, pid, path);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads an open file to its end (or its first short read, as readProcText) into the shared
 * buffer, as UTF-8 text. `fromStart`: with pread(2) from offset 0, the file position untouched:
 * a procfs or kernfs seq file renders its content afresh for a read at offset 0, so a file kept
 * open is read again this way (procfs/open-files.ts). Throws the fs error.
 */
export function readFd(fd: number, shortReadIsEof: boolean, fromStart: boolean): string {
  let len = 0;
  for (;;) {
    if (len === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
    const room = buf.length - len;
    const n = fs.readSync(fd, buf, len, room, fromStart ? len : null);
    if (n === 0) break;
    len += n;
    if (shortReadIsEof && n < room) break;
  }
  return buf.toString('utf8', 0, len);
}

/** Reads a symbolic link such as /proc/PID/ns/net (readlink(2)); throws ProcReadError with the errno code. */
export function readProcLink(path: string, pid: number | null = null): string {
  try {
    return fs.readlinkSync(path);
  } catch (err) {
    throw toProcReadError(err, pid, path);
  }
}
