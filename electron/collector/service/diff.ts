import type { Delta, DeltaRecords, DeltaRemovals, NamespaceMembersChange } from '../../../shared/delta';
import { processKey } from '../../../shared/delta';
import type { Snapshot } from '../../../shared/model';
import type { UsageSample } from '../../../shared/usage';

/** Structural equality of JSON-like values (what crosses the wire is all that matters). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

function diffList<T, K>(prev: readonly T[], next: readonly T[], key: (x: T) => K): { added: T[]; updated: T[]; removed: K[] } {
  // The live service hands back the very same list while nothing in it changed.
  if (prev === next) return { added: [], updated: [], removed: [] };
  const before = new Map<K, T>();
  for (const x of prev) before.set(key(x), x);
  const added: T[] = [];
  const updated: T[] = [];
  for (const x of next) {
    const k = key(x);
    const old = before.get(k);
    if (old === undefined) added.push(x);
    else if (!sameValue(old, x)) updated.push(x);
    before.delete(k);
  }
  return { added, updated, removed: [...before.keys()] };
}

/** The keyed delta that turns `prev` into `next` (processes by pid+start time, namespaces by inode, containers by id). */
export function diffSnapshots(prev: Snapshot, next: Snapshot, seq: number, usage: Readonly<Record<string, UsageSample>>): Delta {
  const p = diffList(prev.processes, next.processes, processKey);
  const n = diffList(prev.namespaces, next.namespaces, (x) => x.id);
  // Namespaces whose only change is their member pids travel as pid changes, not whole records.
  const before = new Map(n.updated.length > 0 ? prev.namespaces.map((x) => [x.id, x]) : []);
  const members: Record<string, NamespaceMembersChange> = {};
  n.updated = n.updated.filter((x) => {
    const old = before.get(x.id);
    if (!old || !sameValue({ ...old, pids: null }, { ...x, pids: null })) return true;
    const was = new Set(old.pids);
    const now = new Set(x.pids);
    members[String(x.id)] = { added: x.pids.filter((p) => !was.has(p)), removed: old.pids.filter((p) => !now.has(p)) };
    return false;
  });
  const c = diffList(prev.containers, next.containers, (x) => x.id);
  const added: DeltaRecords = { processes: p.added, namespaces: n.added, containers: c.added };
  const updated: DeltaRecords = { processes: p.updated, namespaces: n.updated, containers: c.updated };
  const removed: DeltaRemovals = { processes: p.removed, namespaces: n.removed, containers: c.removed };
  return {
    seq,
    takenAt: next.takenAt,
    added,
    updated,
    removed,
    ...(sameValue(prev.host, next.host) ? {} : { host: next.host }),
    ...(sameValue(prev.engines, next.engines) ? {} : { engines: next.engines }),
    ...(sameValue(prev.warnings, next.warnings) ? {} : { warnings: next.warnings }),
    usage,
    ...(Object.keys(members).length > 0 ? { members } : {}),
  };
}
