import type { ContainerInfo, EngineStatus, HostInfo, NamespaceInfo, ProcessInfo, Snapshot } from './model';
import type { UsageSample } from './usage';

/** Key of a process across pid reuse: `${pid}:${startTime}` (proc(5) stat field 22). */
export type ProcessKey = string;

/** The key of a process. */
export const processKey = (p: Pick<ProcessInfo, 'pid' | 'startTime'>): ProcessKey => `${p.pid}:${p.startTime}`;

/** Records of each collection, keyed: processes by pid+start time, namespaces by inode, containers by id. */
export interface DeltaRecords {
  readonly processes: readonly ProcessInfo[];
  readonly namespaces: readonly NamespaceInfo[];
  readonly containers: readonly ContainerInfo[];
}

/** Keys of the records that went away. */
export interface DeltaRemovals {
  readonly processes: readonly ProcessKey[];
  readonly namespaces: readonly number[];
  readonly containers: readonly string[];
}

/** What changed since the previous tick; `seq` is consecutive, a gap means a delta was lost. */
export interface Delta {
  readonly seq: number;
  readonly takenAt: string;
  readonly added: DeltaRecords;
  readonly updated: DeltaRecords;
  readonly removed: DeltaRemovals;
  /** Present only when changed. */
  readonly host?: HostInfo;
  readonly engines?: readonly EngineStatus[];
  readonly warnings?: readonly string[];
  /** The newest cgroup usage sample of each container that has one this tick. */
  readonly usage: Readonly<Record<string, UsageSample>>;
  /**
   * Member pids that joined or left namespaces whose other fields did not change, by namespace
   * id: a process starting on the host changes one pid of each host namespace, and sending the
   * host namespaces' whole pid lists on every such tick would make deltas as big as snapshots.
   */
  readonly members?: Readonly<Record<string, NamespaceMembersChange>>;
}

/** Pids that joined and left one namespace. */
export interface NamespaceMembersChange {
  readonly added: readonly number[];
  readonly removed: readonly number[];
}

/** A namespace's pid list after a members change (ascending, as in snapshots). */
export function applyMembers(pids: readonly number[], change: NamespaceMembersChange): number[] {
  const gone = new Set(change.removed);
  const out = pids.filter((p) => !gone.has(p));
  const have = new Set(out);
  for (const p of change.added) if (!have.has(p)) out.push(p);
  return out.sort((a, b) => a - b);
}

/** A snapshot stamped with the sequence number of the last delta folded into it. */
export interface SequencedSnapshot {
  readonly seq: number;
  readonly snapshot: Snapshot;
  /** Latest usage sample per container id. */
  readonly usage: Readonly<Record<string, UsageSample>>;
}

/** The outcome of applying a delta: the new state, or a request to fetch a full snapshot. */
export type ApplyResult =
  | { readonly kind: 'applied'; readonly state: SequencedSnapshot }
  | { readonly kind: 'stale'; readonly state: SequencedSnapshot }
  | { readonly kind: 'resync'; readonly state: SequencedSnapshot; readonly expected: number; readonly got: number };

function withMembers(list: NamespaceInfo[], members: Delta['members']): NamespaceInfo[] {
  if (!members) return list;
  return list.map((n) => {
    const change = members[String(n.id)];
    return change ? { ...n, pids: applyMembers(n.pids, change) } : n;
  });
}

function merge<T, K>(list: readonly T[], key: (x: T) => K, added: readonly T[], updated: readonly T[], removed: readonly K[]): T[] {
  if (added.length === 0 && updated.length === 0 && removed.length === 0) return list as T[];
  const m = new Map<K, T>();
  for (const x of list) m.set(key(x), x);
  for (const k of removed) m.delete(k);
  for (const x of added) m.set(key(x), x);
  for (const x of updated) m.set(key(x), x);
  return [...m.values()];
}

/**
 * Folds a delta into a snapshot (pure). A delta older than the state is skipped as stale; one
 * that skips a number returns `resync` with the state untouched: the client fetches a snapshot.
 */
export function applyDelta(state: SequencedSnapshot, d: Delta): ApplyResult {
  if (d.seq <= state.seq) return { kind: 'stale', state };
  if (d.seq !== state.seq + 1) return { kind: 'resync', state, expected: state.seq + 1, got: d.seq };
  const s = state.snapshot;
  const snapshot: Snapshot = {
    ...s,
    takenAt: d.takenAt,
    host: d.host ?? s.host,
    engines: d.engines ?? s.engines,
    warnings: d.warnings ?? s.warnings,
    processes: merge(s.processes, processKey, d.added.processes, d.updated.processes, d.removed.processes),
    namespaces: withMembers(merge(s.namespaces, (n) => n.id, d.added.namespaces, d.updated.namespaces, d.removed.namespaces), d.members),
    containers: merge(s.containers, (c) => c.id, d.added.containers, d.updated.containers, d.removed.containers),
  };
  const usage = { ...state.usage, ...d.usage };
  for (const id of d.removed.containers) delete usage[id];
  return { kind: 'applied', state: { seq: d.seq, snapshot, usage } };
}
