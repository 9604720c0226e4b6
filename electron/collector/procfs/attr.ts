import { ProcReadError, toProcReadError } from './errors';
import { readProcText } from './read';

/** Which attr file gave a label: the AppArmor-specific one (Linux 5.8+), or the shared attr/current of the first major LSM. */
export type AttrSource = 'apparmor' | 'current';

/** The text of a process's LSM label file, or why there is none (proc(5) /proc/PID/attr/current). */
export type AttrLabel =
  | { readonly ok: true; readonly source: AttrSource; readonly text: string }
  | { readonly ok: false; readonly reason: 'no-lsm' | 'unreadable'; readonly error: ProcReadError | null };

/**
 * Normalises an attr/current value: the kernel ends AppArmor labels with a newline and SELinux
 * contexts with a NUL byte (proc(5), selinux getpidcon(3)); both are stripped. Empty gives null.
 */
export function parseAttrCurrent(text: string): string | null {
  const s = text.replace(/[\0\n]+$/, '').trim();
  return s === '' ? null : s;
}

/**
 * Reads a process's LSM label: /proc/PID/attr/apparmor/current where AppArmor has its own file,
 * else /proc/PID/attr/current. EINVAL (no LSM provides a task label: the kernel runs neither
 * AppArmor nor SELinux nor Smack) and ENOENT on both give reason 'no-lsm', not an error.
 */
export function readAttrLabel(procRoot: string, pid: number): AttrLabel {
  let lastError: ProcReadError | null = null;
  for (const [source, rel] of [['apparmor', 'attr/apparmor/current'], ['current', 'attr/current']] as const) {
    const path = `${procRoot}/${pid}/${rel}`;
    try {
      const label = parseAttrCurrent(readProcText(path, pid));
      if (label !== null) return { ok: true, source, text: label };
    } catch (err) {
      const e = toProcReadError(err, pid, path);
      if (e.code === 'ENOENT' || e.code === 'EINVAL') continue;
      lastError = e;
    }
  }
  return lastError === null ? { ok: false, reason: 'no-lsm', error: null } : { ok: false, reason: 'unreadable', error: lastError };
}
