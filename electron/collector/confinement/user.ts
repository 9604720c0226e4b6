import * as fs from 'node:fs';

const MAX_PASSWD_BYTES = 1024 * 1024;

/** uid -> name from passwd(5) text ("name:x:uid:gid:gecos:home:shell"); malformed lines are skipped. */
export function parsePasswdNames(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 4 || f[0] === '' || !/^\d+$/.test(f[2] ?? '')) continue;
    const uid = Number(f[2]);
    if (!out.has(uid)) out.set(uid, f[0] ?? '');
  }
  return out;
}

/**
 * Reads the container's own /etc/passwd through ${procRoot}/PID/root (proc(5) /proc/PID/root).
 * An absolute symlink there would resolve against the collector's root (the host's), so /etc and
 * /etc/passwd must not be symlinks (lstat, then O_NOFOLLOW). null when absent or unreadable.
 */
export function readContainerPasswd(procRoot: string, pid: number): string | null {
  const etc = `${procRoot}/${pid}/root/etc`;
  let fd: number | null = null;
  try {
    if (!fs.lstatSync(etc).isDirectory()) return null;
    fd = fs.openSync(`${etc}/passwd`, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    if (!fs.fstatSync(fd).isFile()) return null;
    const buf = Buffer.alloc(MAX_PASSWD_BYTES);
    let len = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, len, buf.length - len, null);
      if (n === 0 || len + n >= buf.length) {
        len += n;
        break;
      }
      len += n;
    }
    return buf.toString('utf8', 0, len);
  } catch {
    return null;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * The name of `uid` inside a container: from its /etc/passwd, else the engine's configured user
 * when that is a name ("nginx" or "nginx:www"), else "root" for uid 0; null otherwise.
 */
export function userName(uid: number | null, passwd: string | null, configUser: string | null): string | null {
  if (uid === null) return null;
  const fromFile = passwd === null ? undefined : parsePasswdNames(passwd).get(uid);
  if (fromFile !== undefined) return fromFile;
  const configured = configUser?.split(':')[0] ?? '';
  if (configured !== '' && !/^\d+$/.test(configured)) return configured;
  return uid === 0 ? 'root' : null;
}
