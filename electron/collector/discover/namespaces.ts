import type { NamespaceInfo } from '../../../shared/model';
import type { NamespaceId, NamespaceKind } from '../../../shared/namespaces';
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import type { LsnsNamespace } from '../lsns';
import type { ProcessRecord } from '../procfs/process';
import type { HostNamespaces } from './host';
import type { NsfsMount } from './nsfs-mounts';

interface Draft {
  id: NamespaceId;
  type: NamespaceKind;
  pids: number[];
  parent: NamespaceId | null;
  owner: NamespaceId | null;
  paths: string[];
}

/** The pids sorted and without repeats; the list itself when it already is (the table is read in pid order). */
function ascendingUnique(pids: number[]): number[] {
  for (let i = 1; i < pids.length; i++) {
    if ((pids[i] as number) <= (pids[i - 1] as number)) return [...new Set(pids)].sort((a, b) => a - b);
  }
  return pids;
}

/**
 * Joins the namespaces seen in /proc/PID/ns with lsns(8) (parent, owner, namespaces no process
 * holds) and nsfs bind mounts into one list, keyed by inode (namespaces(7), ioctl_ns(2)).
 */
export function discoverNamespaces(
  processes: readonly ProcessRecord[],
  lsns: readonly LsnsNamespace[],
  mounts: readonly NsfsMount[],
  host: HostNamespaces,
): NamespaceInfo[] {
  const byId = new Map<NamespaceId, Draft>();
  const draft = (id: NamespaceId, type: NamespaceKind): Draft => {
    let d = byId.get(id);
    if (!d) {
      d = { id, type, pids: [], parent: null, owner: null, paths: [] };
      byId.set(id, d);
    }
    return d;
  };

  for (const p of processes) {
    for (const kind of NAMESPACE_KINDS) {
      const id = p.namespaces[kind];
      if (id !== null) draft(id, kind).pids.push(p.pid);
    }
    // A pid namespace made by unshare(CLONE_NEWPID) before its first child exists only here.
    const forChildren = p.namespaces.pid_for_children;
    if (forChildren !== null && forChildren !== p.namespaces.pid) draft(forChildren, 'pid');
  }

  for (const l of lsns) {
    const d = draft(l.ns, l.type);
    if ((l.type === 'pid' || l.type === 'user') && l.pns !== null && l.pns !== l.ns && l.pns !== 0) d.parent = l.pns;
    if (l.ons !== null && l.ons !== 0) d.owner = l.ons;
    for (const path of l.nsfs) if (!d.paths.includes(path)) d.paths.push(path);
    // lsns may see a member we missed (it ran a moment later); count it rather than lose the namespace's holder.
    if (d.pids.length === 0 && l.pid !== null && l.pid > 0) d.pids.push(l.pid);
  }

  for (const m of mounts) {
    const d = draft(m.id, m.type);
    if (!d.paths.includes(m.path)) d.paths.push(m.path);
  }

  return [...byId.values()]
    .map((d) => ({
      id: d.id,
      type: d.type,
      pids: ascendingUnique(d.pids),
      host: host.namespaces[d.type] === d.id,
      parent: d.parent,
      owner: d.owner,
      path: d.paths[0] ?? null,
    }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.id - b.id);
}
