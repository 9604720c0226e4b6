import type { Delta, DeltaRecords, DeltaRemovals, NamespaceMembersChange } from '../../../shared/delta';
import { processKey } from '../../../shared/delta';
import type { ProcessInfo, Snapshot } from '../../../shared/model';
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

/** Whether a list is in strictly ascending pid order (the live table always is). */
function byPidAscending(list: readonly ProcessInfo[]): boolean {
  for (let i = 1; i < list.length; i++) if ((list[i] as ProcessInfo).pid <= (list[i - 1] as ProcessInfo).pid) return false;
  return true;
}

/**
 * diffList for two process lists in ascending pid order: a merge walk, no map of 10,000 keys; an
 * unchanged record is the same object (the live service reuses them), so most steps are one compare.
 */
function diffProcesses(prev: readonly ProcessInfo[], next: readonly ProcessInfo[]): { added: ProcessInfo[]; updated: ProcessInfo[]; removed: string[] } {
  if (prev === next) return { added: [], updated: [], removed: [] };
  if (!byPidAscending(prev) || !byPidAscending(next)) return diffList(prev, next, processKey);
  const added: ProcessInfo[] = [];
  const updated: ProcessInfo[] = [];
  const removed: string[] = [];
  let i = 0;
  let j = 0;
  while (i < prev.length || j < next.length) {
    const a = prev[i];
    const b = next[j];
    if (a === b) {
      i++;
      j++;
    } else if (b === undefined || (a !== undefined && a.pid < b.pid)) {
      removed.push(processKey(a as ProcessInfo));
      i++;
    } else if (a === undefined || b.pid < a.pid) {
      added.push(b);
      j++;
    } else {
      // The same pid: the same process (start time) changed, or a reused pid (removed + added).
      if (a.startTime === b.startTime) {
        if (!sameValue(a, b)) updated.push(b);
      } else {
        removed.push(processKey(a));
        added.push(b);
      }
      i++;
      j++;
    }
  }
  return { added, updated, removed };
}

/** The pids in `a` but not in `b`; both ascending (a merge walk), else by a set. */
function missingFrom(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let sorted = true;
  for (let k = 1; k < a.length && sorted; k++) sorted = (a[k] as number) > (a[k - 1] as number);
  for (let k = 1; k < b.length && sorted; k++) sorted = (b[k] as number) > (b[k - 1] as number);
  if (!sorted) {
    const has = new Set(b);
    return a.filter((x) => !has.has(x));
  }
  let j = 0;
  for (const x of a) {
    while (j < b.length && (b[j] as number) < x) j++;
    if (b[j] !== x) out.push(x);
  }
  return out;
}

/** The keyed delta that turns `prev` into `next` (processes by pid+start time, namespaces by inode, containers by id). */
export function diffSnapshots(prev: Snapshot, next: Snapshot, seq: number, usage: Readonly<Record<string, UsageSample>>): Delta {
  const p = diffProcesses(prev.processes, next.processes);
  const n = diffList(prev.namespaces, next.namespaces, (x) => x.id);
  // Namespaces whose only change is their member pids travel as pid changes, not whole records.
  const before = new Map(n.updated.length > 0 ? prev.namespaces.map((x) => [x.id, x]) : []);
  const members: Record<string, NamespaceMembersChange> = {};
  n.updated = n.updated.filter((x) => {
    const old = before.get(x.id);
    if (!old || !sameValue({ ...old, pids: null }, { ...x, pids: null })) return true;
    members[String(x.id)] = { added: missingFrom(x.pids, old.pids), removed: missingFrom(old.pids, x.pids) };
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
