import type { ProcessRecord } from './process';
import type { ProcStatus } from './status';

const sameList = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function sameStatus(a: ProcStatus | null, b: ProcStatus | null): boolean {
  if (a === null || b === null) return a === b;
  return a.name === b.name && a.umask === b.umask && a.tgid === b.tgid && a.pid === b.pid
    && sameList(a.uid, b.uid) && sameList(a.gid, b.gid)
    && sameList(a.nstgid, b.nstgid) && sameList(a.nspid, b.nspid) && sameList(a.nspgid, b.nspgid) && sameList(a.nssid, b.nssid)
    && a.capInh === b.capInh && a.capPrm === b.capPrm && a.capEff === b.capEff && a.capBnd === b.capBnd && a.capAmb === b.capAmb
    && a.noNewPrivs === b.noNewPrivs && a.seccomp === b.seccomp && a.seccompFilters === b.seccompFilters;
}

/**
 * Whether a process read again (the periodic full pass) shows nothing new beside what changes
 * all the time (proc(5) stat state, utime/stime, num_threads; status State, Threads, VmRSS):
 * same namespaces (setns(2) without exec), cgroups (a migration), credentials, capabilities,
 * seccomp, cmdline (setproctitle) and NSpid. Then the cache keeps the old record, so everything
 * built from it (wire records, the discovery passes) is reused; the discovery memo asks the same
 * of a record a steady tick made new (its stat state changed).
 */
export function sameProcess(a: ProcessRecord, b: ProcessRecord): boolean {
  if (a.pid !== b.pid || a.ppid !== b.ppid || a.comm !== b.comm || a.startTime !== b.startTime || a.uid !== b.uid || a.cgroup !== b.cgroup) return false;
  if (!sameList(a.cmdline, b.cmdline) || !sameList(a.nspid, b.nspid)) return false;
  for (const k of Object.keys(a.namespaces) as (keyof ProcessRecord['namespaces'])[]) if (a.namespaces[k] !== b.namespaces[k]) return false;
  if (a.cgroups.length !== b.cgroups.length) return false;
  for (let i = 0; i < a.cgroups.length; i++) {
    const x = a.cgroups[i];
    const y = b.cgroups[i];
    if (!x || !y || x.hierarchyId !== y.hierarchyId || x.path !== y.path || !sameList(x.controllers, y.controllers)) return false;
  }
  if (a.errors.length !== b.errors.length || a.errors.some((e, i) => e.code !== b.errors[i]?.code)) return false;
  return sameStatus(a.status, b.status);
}
