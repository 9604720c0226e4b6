import type { NamespaceId, NamespaceKind } from '../../../shared/namespaces';
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import type { ProcessRecord } from '../procfs/process';

/** The initial ("host") namespaces and the pid they were read from (namespaces(7): the initial namespaces). */
export interface HostNamespaces {
  readonly namespaces: Partial<Record<NamespaceKind, NamespaceId>>;
  /** 1, or 2 (kthreadd, always in the initial namespaces) when PID 1's links are unreadable; null if neither. */
  readonly from: number | null;
}

/**
 * Takes the host's namespaces from PID 1 where its ns links are readable, else from kthreadd
 * (PID 2), a kernel thread that always lives in the initial namespaces.
 */
export function findHostNamespaces(processes: ReadonlyMap<number, ProcessRecord>): HostNamespaces {
  for (const pid of [1, 2]) {
    const p = processes.get(pid);
    if (!p) continue;
    const namespaces: Partial<Record<NamespaceKind, NamespaceId>> = {};
    for (const kind of NAMESPACE_KINDS) {
      const inode = p.namespaces[kind];
      if (inode !== null) namespaces[kind] = inode;
    }
    if (Object.keys(namespaces).length > 0) return { namespaces, from: pid };
  }
  return { namespaces: {}, from: null };
}

/** The kinds in which a process's namespace equals the host's (unknown ones are left out). */
export function sharedWithHost(p: ProcessRecord, host: HostNamespaces): NamespaceKind[] {
  return NAMESPACE_KINDS.filter((k) => {
    const mine = p.namespaces[k];
    return mine !== null && host.namespaces[k] !== undefined && mine === host.namespaces[k];
  });
}

/** The kinds in which a process's namespace is known to differ from the host's. */
export function differingFromHost(p: ProcessRecord, host: HostNamespaces): NamespaceKind[] {
  return NAMESPACE_KINDS.filter((k) => {
    const mine = p.namespaces[k];
    const theirs = host.namespaces[k];
    return mine !== null && theirs !== undefined && mine !== theirs;
  });
}
