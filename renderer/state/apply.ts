// Folding deltas into a snapshot in O(change) rather than O(snapshot): the same results as
// shared/delta.ts applyDelta, with the keyed indexes kept between deltas instead of rebuilt.
import { applyDelta, applyMembers, processKey } from '../../shared/delta';
import type { ApplyResult, Delta, NamespaceMembersChange, SequencedSnapshot } from '../../shared/delta';
import type { ContainerInfo, NamespaceInfo, ProcessInfo, Snapshot } from '../../shared/model';

/** Folds deltas like applyDelta (shared/delta.ts), keeping its keyed indexes from one delta to the next. */
export interface DeltaApplier {
  apply(state: SequencedSnapshot, d: Delta): ApplyResult;
}

/** A keyed index of one collection, valid while `list` is the collection it was built from. */
interface Index<T, K> {
  list: readonly T[];
  readonly map: Map<K, T>;
}

/** Pid lists known to be ascending: checked once, or made so here. */
const ascendingLists = new WeakSet<readonly number[]>();

function knownAscending(xs: readonly number[]): boolean {
  if (ascendingLists.has(xs)) return true;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) < (xs[i - 1] as number)) return false;
  ascendingLists.add(xs);
  return true;
}

function remember(xs: number[]): number[] {
  ascendingLists.add(xs);
  return xs;
}

/** Index of the first element of ascending `xs` that is ≥ x. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * applyMembers (shared/delta.ts) for an ascending pid list, without re-sorting it: a host
 * namespace holds every pid, and a tick changes a few of them. Falls back to applyMembers when
 * the list is not ascending.
 */
export function applyMembersSorted(pids: readonly number[], change: NamespaceMembersChange): number[] {
  if (!knownAscending(pids)) return applyMembers(pids, change);
  const gone = [...new Set(change.removed)].sort((x, y) => x - y);
  const isGone = (p: number): boolean => gone[lowerBound(gone, p)] === p;
  // As applyMembers: each added pid not kept from the list (duplicates within `added` kept).
  const add = change.added.filter((p) => pids[lowerBound(pids, p)] !== p || isGone(p)).sort((x, y) => x - y);
  if (gone.length === 0 && add.length === 0) return remember(pids.slice());
  // One merging pass: the list without the pids that left, the new ones in their places.
  const out: number[] = [];
  let g = 0;
  let k = 0;
  for (let i = 0; i < pids.length; i++) {
    const p = pids[i] as number;
    while (k < add.length && (add[k] as number) < p) out.push(add[k++] as number);
    while (g < gone.length && (gone[g] as number) < p) g++;
    if (gone[g] !== p) out.push(p);
  }
  while (k < add.length) out.push(add[k++] as number);
  return remember(out);
}

function indexOf<T, K>(idx: Index<T, K> | null, list: readonly T[], key: (x: T) => K): Index<T, K> {
  if (idx && idx.list === list) return idx;
  const map = new Map<K, T>();
  for (const x of list) map.set(key(x), x);
  return { list, map };
}

/** merge() of shared/delta.ts on a kept index: the same order (survivors in place, new keys appended). */
function mergeIndexed<T, K>(idx: Index<T, K>, key: (x: T) => K, added: readonly T[], updated: readonly T[], removed: readonly K[]): boolean {
  if (added.length === 0 && updated.length === 0 && removed.length === 0) return false;
  for (const k of removed) idx.map.delete(k);
  for (const x of added) idx.map.set(key(x), x);
  for (const x of updated) idx.map.set(key(x), x);
  return true;
}

/**
 * The processes keyed by pid alone (a number hashes faster than the `pid:startTime` string),
 * standing for the ProcessKey-keyed map of merge(): valid while no two records share a pid.
 * Null when a list or a delta would need two records of one pid: applyDelta then does it.
 */
function indexProcesses(idx: Index<ProcessInfo, number> | null, list: readonly ProcessInfo[]): Index<ProcessInfo, number> | null {
  if (idx && idx.list === list) return idx;
  const map = new Map<number, ProcessInfo>();
  for (const p of list) map.set(p.pid, p);
  return map.size === list.length ? { list, map } : null;
}

/** merge() of shared/delta.ts on the pid index; false when a record would join another of the same pid. */
function mergeProcesses(idx: Index<ProcessInfo, number>, d: Delta): boolean {
  const m = idx.map;
  for (const k of d.removed.processes) {
    const pid = Number(k.slice(0, k.indexOf(':')));
    const p = m.get(pid);
    if (p && processKey(p) === k) m.delete(pid);
  }
  const put = (x: ProcessInfo): boolean => {
    const old = m.get(x.pid);
    if (old && old.startTime !== x.startTime) return false;
    m.set(x.pid, x);
    return true;
  };
  for (const x of d.added.processes) if (!put(x)) return false;
  for (const x of d.updated.processes) if (!put(x)) return false;
  return true;
}

const nsKey = (n: NamespaceInfo): number => n.id;
const containerKey = (c: ContainerInfo): string => c.id;

/**
 * An applier for one state lineage (the store's). Each collection's index is rebuilt only when
 * the state's list is not the one it last produced (a fresh snapshot); a delta then costs a few
 * map operations per changed record and one copy of each changed list.
 */
export function createDeltaApplier(): DeltaApplier {
  let procs: Index<ProcessInfo, number> | null = null;
  let nss: Index<NamespaceInfo, number> | null = null;
  let ctrs: Index<ContainerInfo, string> | null = null;

  return {
    apply(state, d) {
      if (d.seq !== state.seq + 1) return applyDelta(state, d); // stale or resync: nothing to fold
      const s = state.snapshot;

      const pi = indexProcesses(procs, s.processes);
      procs = pi;
      if (!pi) return applyDelta(state, d);
      let processes = s.processes;
      if (d.added.processes.length > 0 || d.updated.processes.length > 0 || d.removed.processes.length > 0) {
        if (!mergeProcesses(pi, d)) {
          procs = null; // a pid twice: past what the pid index can stand for
          return applyDelta(state, d);
        }
        processes = Array.from(pi.map.values());
        pi.list = processes;
      }

      const ni = indexOf(nss, s.namespaces, nsKey);
      let namespaces = s.namespaces;
      let nsChanged = mergeIndexed(ni, nsKey, d.added.namespaces, d.updated.namespaces, d.removed.namespaces);
      if (d.members) {
        for (const [k, change] of Object.entries(d.members)) {
          const n = ni.map.get(Number(k));
          if (!n || String(n.id) !== k) continue;
          ni.map.set(n.id, { ...n, pids: applyMembersSorted(n.pids, change) });
        }
        nsChanged = true; // applyDelta maps the list whenever members are present
      }
      if (nsChanged) {
        namespaces = Array.from(ni.map.values());
        ni.list = namespaces;
      }
      nss = ni;

      const ci = indexOf(ctrs, s.containers, containerKey);
      let containers = s.containers;
      if (mergeIndexed(ci, containerKey, d.added.containers, d.updated.containers, d.removed.containers)) {
        containers = Array.from(ci.map.values());
        ci.list = containers;
      }
      ctrs = ci;

      const snapshot: Snapshot = {
        ...s,
        takenAt: d.takenAt,
        host: d.host ?? s.host,
        engines: d.engines ?? s.engines,
        warnings: d.warnings ?? s.warnings,
        processes,
        namespaces,
        containers,
      };
      const usage = { ...state.usage, ...d.usage };
      for (const id of d.removed.containers) delete usage[id];
      return { kind: 'applied', state: { seq: d.seq, snapshot, usage } };
    },
  };
}
