// How `isolens serve` sends a full snapshot over the WebSocket: each process's namespaces, cgroup
// path and container id, which thousands of processes share (every process of a container has the
// same nine namespace ids and the same cgroup), are sent once in tables and referred to by index.
// At 10,000 processes (bench/render-snapshot.ts) the snapshot's text falls from 5.9 MB to 3.0 MB:
// the page receives and parses half as much (bench/render.ts), and unpacking costs ~1 ms.
// The client unpacks it to the very SequencedSnapshot the service gave (renderer/transport/ws-client.ts).
import type { SequencedSnapshot } from './delta';
import type { ProcessInfo, Snapshot } from './model';
import type { ProcessNamespaces } from './namespaces';

/** A process as packed: `namespaces` indexes namespaceSets, `cgroup` and `containerId` index strings (-1: null). */
export type PackedProcess = Omit<ProcessInfo, 'namespaces' | 'cgroup' | 'containerId'> & {
  readonly namespaces: number;
  readonly cgroup: number;
  readonly containerId: number;
};

/** A SequencedSnapshot as serve sends it for 'snapshot:get' (see the file comment). */
export type PackedSnapshot = Omit<SequencedSnapshot, 'snapshot'> & {
  readonly snapshot: Omit<Snapshot, 'processes'> & { readonly processes: readonly PackedProcess[] };
  /** The version of this packing; a client that does not know it refuses the snapshot. */
  readonly packing: 1;
  readonly namespaceSets: readonly ProcessNamespaces[];
  readonly strings: readonly string[];
};

/** Interns strings: each distinct one is kept once, referred to by its index. */
class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  of(x: string | null): number {
    if (x === null) return -1;
    let i = this.index.get(x);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(x);
      this.index.set(x, i);
    }
    return i;
  }
}

/** Same kinds, same ids. */
function sameSet(a: ProcessNamespaces, b: ProcessNamespaces): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k as keyof ProcessNamespaces] !== b[k as keyof ProcessNamespaces]) return false;
    n++;
  }
  for (const _k in b) n--;
  return n === 0;
}

/**
 * Interns namespace sets: candidates are found by their mount namespace (a Map of numbers: far
 * cheaper than a string key for each of 10,000 processes), then compared id by id.
 */
class NamespaceSetTable {
  readonly values: ProcessNamespaces[] = [];
  private readonly byMnt = new Map<number | null | undefined, number[]>();
  of(ns: ProcessNamespaces): number {
    let bucket = this.byMnt.get(ns.mnt);
    if (bucket === undefined) this.byMnt.set(ns.mnt, (bucket = []));
    for (const i of bucket) {
      const v = this.values[i];
      if (v !== undefined && (v === ns || sameSet(v, ns))) return i;
    }
    const i = this.values.length;
    this.values.push(ns);
    bucket.push(i);
    return i;
  }
}

/** Packs a snapshot for the wire (the input is not changed). */
export function packSnapshot(s: SequencedSnapshot): PackedSnapshot {
  const sets = new NamespaceSetTable();
  const strings = new StringTable();
  const processes = s.snapshot.processes.map(
    (p): PackedProcess => ({ ...p, namespaces: sets.of(p.namespaces), cgroup: strings.of(p.cgroup), containerId: strings.of(p.containerId) }),
  );
  return { ...s, snapshot: { ...s.snapshot, processes }, packing: 1, namespaceSets: sets.values, strings: strings.values };
}

/** True when a 'snapshot:get' value is packed (it carries `packing`). */
export function isPackedSnapshot(value: unknown): value is PackedSnapshot {
  return typeof value === 'object' && value !== null && 'packing' in value;
}

/** A packed process being filled in place. */
type Unpacking = { namespaces: number | ProcessNamespaces; cgroup: number | string | null; containerId: number | string | null };

/**
 * Unpacks what packSnapshot made, in place: it takes `p` over (a message just parsed, which no
 * one else holds) and turns its processes into ProcessInfo without copying them. Processes of
 * one namespace set share one namespaces object (the model is read-only). Throws on an unknown
 * packing version or an index out of range.
 */
export function unpackSnapshot(p: PackedSnapshot): SequencedSnapshot {
  if (p.packing !== 1) throw new Error(`unknown snapshot packing ${JSON.stringify(p.packing)}`);
  const { namespaceSets: sets, strings } = p;
  const str = (i: number): string | null => {
    if (i === -1) return null;
    const v = strings[i];
    if (v === undefined) throw new Error(`packed snapshot: no string ${i}`);
    return v;
  };
  for (const x of p.snapshot.processes as unknown as Unpacking[]) {
    const ns = sets[x.namespaces as number];
    if (ns === undefined) throw new Error(`packed snapshot: no namespace set ${String(x.namespaces)}`);
    x.namespaces = ns;
    x.cgroup = str(x.cgroup as number);
    x.containerId = str(x.containerId as number);
  }
  return { seq: p.seq, usage: p.usage, snapshot: p.snapshot as unknown as Snapshot };
}
