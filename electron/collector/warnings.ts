import type { ProcReadError } from './procfs/errors';
import type { ProcessRecord } from './procfs/process';

/**
 * Says what a normal user cannot see and how to see everything: other users' ns links and
 * some /proc files are readable only with CAP_SYS_PTRACE (ptrace access mode, proc(5)).
 */
export function privilegeWarnings(uid: number, processes: readonly ProcessRecord[], tableErrors: readonly ProcReadError[]): string[] {
  const out: string[] = [];
  const denied = processes.filter((p) => p.errors.some((e) => e.code === 'EACCES')).length;
  if (denied > 0) {
    out.push(
      `${denied} of ${processes.length} processes could not be read whole (permission denied): their namespaces show as null.` +
        (uid === 0 ? '' : ` Running as uid ${uid}; run as root (sudo bin/isolens snapshot) to see every process's namespaces.`),
    );
  }
  const other = tableErrors.filter((e) => e.code !== 'ENOENT' && e.code !== 'ESRCH' && e.code !== 'EACCES');
  if (other.length > 0) {
    const first = other[0];
    out.push(`${other.length} processes could not be read${first ? ` (first: ${first.message})` : ''}.`);
  }
  return out;
}
