// The process tree flattened into `ps axf` rows, kept as parallel arrays (no object per row): a
// row object is made when a view reads it, and is the same object as the previous model's when
// nothing it shows changed. Built by forest.ts; read by the tree view and tree-filter.ts.
import { NAMESPACE_KINDS } from '../../shared/namespaces';
import type { NamespaceId, NamespaceKind } from '../../shared/namespaces';
import type { ProcessInfo } from '../../shared/model';
import type { ContainerHeaderRow, DerivedContainer, ProcessRow, TreeRow } from './derive';
import { commandOf } from './format';

/** The innermost pid (last NSpid entry), or the host pid when NSpid is absent (proc(5) status NSpid). */
export function innermostPid(p: ProcessInfo): number {
  return p.nspid.length > 0 ? (p.nspid[p.nspid.length - 1] ?? p.pid) : p.pid;
}

/** The kinds whose bit is set in a mask, in NAMESPACE_KINDS order: one shared array per mask. */
const KINDS_BY_MASK: readonly (readonly NamespaceKind[])[] = Array.from({ length: 1 << NAMESPACE_KINDS.length }, (_, mask) =>
  NAMESPACE_KINDS.filter((_k, i) => (mask & (1 << i)) !== 0),
);

/** The host's namespace ids, by kind (HostInfo.namespaces). */
export type HostNamespaces = Readonly<Partial<Record<NamespaceKind, NamespaceId>>>;

/** What a process row shows beyond its record, computed from the record and the host's namespaces. */
interface Derived {
  key: string;
  insidePid: number | null;
  nsDiff: readonly NamespaceKind[];
  nsUnknown: boolean;
  command: string;
}

/** A process of the forest (mutable, owned by one forest); the flat tree reads its caches. */
export interface ProcNode extends Derived {
  readonly pid: number;
  p: ProcessInfo;
  /** Children (by ppid), ascending pid. */
  kids: ProcNode[];
  /** The node whose `kids` hold this one; null for a root. */
  up: ProcNode | null;
  /** Stamp of the last sync that saw it in the process list. */
  seen: number;
  /** Stamp of the last flatten that emitted it. */
  visited: number;
  /** The record and host generation the Derived fields were computed for. */
  derivedFor: ProcessInfo | null;
  derivedGen: number;
  /** The rows made last for it (any model), reused when equal. */
  row: ProcessRow | null;
  rowGen: number;
  header: ContainerHeaderRow | null;
}

/** A new node for a record. */
export function newNode(p: ProcessInfo): ProcNode {
  return {
    pid: p.pid, p, kids: [], up: null, seen: 0, visited: 0,
    derivedFor: null, derivedGen: -1, key: '', insidePid: null, nsDiff: KINDS_BY_MASK[0] ?? [], nsUnknown: false, command: '',
    row: null, rowGen: -1, header: null,
  };
}

function computeDerived(p: ProcessInfo, host: HostNamespaces, into: Derived): void {
  into.key = `p:${p.pid}:${p.startTime}`;
  const inside = innermostPid(p);
  into.insidePid = inside !== p.pid ? inside : null;
  let mask = 0;
  let unknown = true;
  for (let i = 0; i < NAMESPACE_KINDS.length; i++) {
    const k = NAMESPACE_KINDS[i] as NamespaceKind;
    const mine = p.namespaces[k];
    if (mine === null) continue;
    unknown = false;
    const h = host[k];
    if (h !== undefined && mine !== h) mask |= 1 << i;
  }
  into.nsDiff = KINDS_BY_MASK[mask] ?? [];
  into.nsUnknown = unknown;
  into.command = commandOf(p);
}

const HEADER = 1;
const HAS_CHILDREN = 2;
const CONTINUED = 4;

/** Appends rows while the forest is walked (see FlatTree.builder). */
export interface FlatTreeBuilder {
  process(n: ProcNode, depth: number, parentIndex: number, hasChildren: boolean): void;
  header(n: ProcNode, depth: number, parentIndex: number, continued: boolean): void;
  readonly length: number;
  finish(processCount: number): FlatTree;
}

/** Where a flat tree came from: the forest (its nodes hold the records while its version stays), and how to build it again. */
export interface FlatTreeOrigin {
  /** Bumped by every change of the forest's nodes. */
  readonly version: number;
  readonly host: HostNamespaces;
  /** Changes whenever `host` does (it keys the nodes' caches). */
  readonly hostGen: number;
  /** The container of an id in the model being built. */
  readonly containerOf: (id: string) => DerivedContainer | null;
  /** The same rows from a forest of its own: for a model read after the shared forest moved on. */
  readonly rebuild: () => FlatTree;
}

/**
 * The rows of one model's process tree (immutable). Row i is a process row or the header that
 * opens a container's box above the process that follows it. The structure is kept in typed
 * arrays; the records are read through the forest's nodes while the forest is at the version
 * this tree was made from, else from a tree built again from the model's own snapshot.
 */
export class FlatTree {
  /** Rows, headers included. */
  readonly length: number;
  /** Process rows (one per pid). */
  readonly processCount: number;
  private readonly nodes: readonly ProcNode[];
  private readonly depths: Int32Array;
  private readonly parents: Int32Array;
  private readonly flags: Uint8Array;
  private readonly origin: FlatTreeOrigin;
  private readonly version: number;
  private readonly host: HostNamespaces;
  private readonly hostGen: number;
  private readonly made: (TreeRow | undefined)[];
  private everything: readonly TreeRow[] | null = null;
  private again: FlatTree | null = null;

  private constructor(nodes: readonly ProcNode[], depths: Int32Array, parents: Int32Array, flags: Uint8Array, processCount: number, origin: FlatTreeOrigin) {
    this.length = nodes.length;
    this.processCount = processCount;
    this.nodes = nodes;
    this.depths = depths;
    this.parents = parents;
    this.flags = flags;
    this.origin = origin;
    this.version = origin.version;
    this.host = origin.host;
    this.hostGen = origin.hostGen;
    this.made = new Array<TreeRow | undefined>(nodes.length);
  }

  /** A builder for rows in order, `capacity` a guess of their number. */
  static builder(capacity: number, origin: FlatTreeOrigin): FlatTreeBuilder {
    let size = Math.max(16, capacity);
    let nodes = new Array<ProcNode>(size);
    let depths = new Int32Array(size);
    let parents = new Int32Array(size);
    let flags = new Uint8Array(size);
    let count = 0;
    const push = (n: ProcNode, depth: number, parentIndex: number, flag: number): void => {
      const i = count++;
      if (i === size) {
        size *= 2;
        nodes.length = size;
        const d = new Int32Array(size);
        d.set(depths);
        depths = d;
        const p = new Int32Array(size);
        p.set(parents);
        parents = p;
        const f = new Uint8Array(size);
        f.set(flags);
        flags = f;
      }
      nodes[i] = n;
      depths[i] = depth;
      parents[i] = parentIndex;
      flags[i] = flag;
    };
    return {
      process: (n, depth, parentIndex, hasChildren) => push(n, depth, parentIndex, hasChildren ? HAS_CHILDREN : 0),
      header: (n, depth, parentIndex, continued) => push(n, depth, parentIndex, HEADER | (continued ? CONTINUED : 0)),
      get length() {
        return count;
      },
      finish: (processCount) => {
        nodes.length = count;
        const tree = new FlatTree(nodes, depths, parents, flags, processCount, origin);
        nodes = [];
        return tree;
      },
    };
  }

  /** This tree while the forest still holds its records, else the same rows built again. */
  private live(): FlatTree {
    if (this.origin.version === this.version) return this;
    this.again ??= this.origin.rebuild();
    return this.again;
  }

  /** Nesting depth of row i (0 for a root). */
  depth(i: number): number {
    return this.depths[i] ?? 0;
  }

  /** Index of row i's parent row; -1 for a root. */
  parentIndex(i: number): number {
    return this.parents[i] ?? -1;
  }

  /** True for a container header row. */
  isHeader(i: number): boolean {
    return ((this.flags[i] ?? 0) & HEADER) !== 0;
  }

  /** True for a process row with children under it. */
  hasChildren(i: number): boolean {
    return ((this.flags[i] ?? 0) & HAS_CHILDREN) !== 0;
  }

  /** The process of row i (for a header, the process it heads). */
  process(i: number): ProcessInfo {
    const t = this.live();
    return (t.nodes[i] as ProcNode).p;
  }

  /** The container of row i's process, or null. */
  container(i: number): DerivedContainer | null {
    const id = this.process(i).containerId;
    return id !== null ? this.origin.containerOf(id) : null;
  }

  private derived(i: number): Derived {
    const t = this.live();
    if (t !== this) return t.derived(i);
    const n = this.nodes[i] as ProcNode;
    const p = n.p;
    if (n.derivedFor !== p || n.derivedGen !== this.hostGen) {
      computeDerived(p, this.host, n);
      n.derivedFor = p;
      n.derivedGen = this.hostGen;
    }
    return n;
  }

  /** PID inside (ProcessRow.insidePid) of row i's process. */
  insidePid(i: number): number | null {
    return this.derived(i).insidePid;
  }

  /** The command column (ProcessRow.command) of row i's process. */
  command(i: number): string {
    return this.derived(i).command;
  }

  /** Row i as an object (the same object as the previous model's when equal). */
  row(i: number): TreeRow {
    const known = this.made[i];
    if (known) return known;
    const t = this.live();
    if (t !== this) {
      const again = t.row(i);
      this.made[i] = again;
      return again;
    }
    const n = this.nodes[i] as ProcNode;
    const p = n.p;
    const id = p.containerId;
    const container = id !== null ? this.origin.containerOf(id) : null;
    const depth = this.depths[i] ?? 0;
    const parentIndex = this.parents[i] ?? -1;
    const flag = this.flags[i] ?? 0;
    let made: TreeRow;
    if (flag & HEADER) {
      const continued = (flag & CONTINUED) !== 0;
      const c = container as DerivedContainer;
      const h = n.header;
      if (h && h.container === c && h.depth === depth && h.parentIndex === parentIndex && h.continued === continued) made = h;
      else {
        made = { kind: 'container', key: `c:${c.info.id}:${p.pid}`, depth, parentIndex, container: c, continued };
        n.header = made;
      }
    } else {
      const hasChildren = (flag & HAS_CHILDREN) !== 0;
      const r = n.row;
      if (r && n.rowGen === this.hostGen && r.process === p && r.depth === depth && r.parentIndex === parentIndex && r.hasChildren === hasChildren && r.container === container) made = r;
      else {
        const d = this.derived(i);
        const row: ProcessRow = {
          kind: 'process', key: d.key, process: p, depth, parentIndex, hasChildren, container,
          insidePid: d.insidePid, nsDiff: d.nsDiff, nsUnknown: d.nsUnknown, command: d.command,
        };
        n.row = row;
        n.rowGen = this.hostGen;
        made = row;
      }
    }
    this.made[i] = made;
    return made;
  }

  /** Every row as objects (made on first call). */
  all(): readonly TreeRow[] {
    if (!this.everything) {
      const out = new Array<TreeRow>(this.length);
      for (let i = 0; i < this.length; i++) out[i] = this.row(i);
      this.everything = out;
    }
    return this.everything;
  }
}
