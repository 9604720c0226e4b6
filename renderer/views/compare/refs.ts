// What the user picked for a comparison, as the route carries it: a container id, `pid:<n>` for a
// process, or `host` for the host's own namespaces; and how each becomes a CompareSubject. Pure.
import { subjectFromContainer, subjectFromProcess } from '../../../shared/compare';
import type { CompareSubject } from '../../../shared/compare';
import type { Snapshot } from '../../../shared/model';
import type { ViewModel } from '../../state/derive';

/** A picked row: a container id, "pid:<host pid>", or "host" (the matrix's host row). */
export type CompareRef = string;

/** The ref the matrix's host row picks. */
export const HOST_REF = 'host';

/** The ref of a host process. */
export function pidRef(pid: number): CompareRef {
  return `pid:${pid}`;
}

/** The pid of a "pid:<n>" ref, else null. */
export function refPid(ref: CompareRef): number | null {
  const m = /^pid:(\d{1,10})$/.exec(ref);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** A ref as people read it: the container's name, "pid 1234 (sleep)", "the host"; the raw ref when gone. */
export function refLabel(model: ViewModel, ref: CompareRef): string {
  const c = model.containerById.get(ref);
  if (c) return c.info.name;
  if (ref === HOST_REF) return model.host.namespacesFrom !== null ? `the host (pid ${model.host.namespacesFrom})` : 'the host';
  const pid = refPid(ref);
  if (pid !== null) {
    const p = model.processByPid.get(pid);
    return p ? `pid ${pid} (${p.comm})` : `pid ${pid} (gone)`;
  }
  return ref.length > 16 ? `${ref.slice(0, 12)}… (gone)` : `${ref} (gone)`;
}

/**
 * The host as a subject: the process its initial namespaces were read from (PID 1, or kthreadd),
 * named "host pid 1 (systemd)" so the verdict reads plainly; without it, the namespaces alone.
 */
function hostSubject(snap: Snapshot): CompareSubject {
  const from = snap.host.namespacesFrom;
  const p = from !== null ? snap.processes.find((x) => x.pid === from) : undefined;
  const ns = snap.host.namespaces;
  const base: CompareSubject = {
    kind: 'process', name: 'the host', id: null, pid: from, containerName: null,
    namespaces: ns, hostNamespaces: ns, cgroup: '/', limits: null, security: null,
  };
  return p ? { ...base, name: `host pid ${p.pid} (${p.comm})`, cgroup: p.cgroup } : base;
}

/**
 * The comparison subject of a ref (shared/compare.ts), or null when it is gone. A process that
 * is its container's init carries the container's security and limits (the snapshot reads them
 * for inits only); another process of a container carries the limits when it is in the
 * container's cgroup; a host process neither.
 */
export function subjectOf(snap: Snapshot, model: ViewModel, ref: CompareRef): CompareSubject | null {
  const c = model.containerById.get(ref);
  if (c) return subjectFromContainer(snap, c.info);
  if (ref === HOST_REF) return hostSubject(snap);
  const pid = refPid(ref);
  if (pid === null) return null;
  const p = model.processByPid.get(pid);
  if (!p) return null;
  const owner = p.containerId !== null ? model.containerById.get(p.containerId)?.info : undefined;
  const isInit = owner !== undefined && owner.pid === pid;
  return subjectFromProcess(snap, pid, {
    security: isInit ? (owner.security ?? null) : null,
    limits: owner && (isInit || p.cgroup === owner.cgroup) ? owner.limits : null,
  });
}

/** Adds a ref to the picks, or removes it when already picked; at most two are kept (the newest). */
export function togglePick(picks: readonly CompareRef[], ref: CompareRef): CompareRef[] {
  if (picks.includes(ref)) return picks.filter((r) => r !== ref);
  return [...picks, ref].slice(-2);
}
