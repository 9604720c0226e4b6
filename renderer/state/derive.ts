// What the views need, built from one snapshot: the process tree in `ps axf` order with container
// boxes, each container's colour, and each namespace's identity colour. The same snapshot gives
// the same model; a snapshot that differs from the previous one by a delta costs about the delta
// (the process tree is patched, unchanged rows and containers are the same objects), and the
// namespace views' parts are computed when first read.
import type { NamespaceId, NamespaceKind } from '../../shared/namespaces';
import type { ContainerInfo, HostInfo, NamespaceInfo, ProcessInfo, Snapshot } from '../../shared/model';
import { assignColors, colorOf, STRAY_GREY } from './colors';
import type { ContainerColor } from './colors';
import { namespaceHierarchy, namespaceHolders, namespaceIdentities, namespaceIdentityOf, namespaceMatrix } from './derive-namespaces';
import { innermostPid } from './flat-tree';
import type { FlatTree } from './flat-tree';
import { createForest } from './forest';
import type { Forest } from './forest';
import { compareText } from './collate';

export { innermostPid };

/** A container as the views draw it: the engine's record, its colour, its init process. */
export interface DerivedContainer {
  readonly info: ContainerInfo;
  readonly color: ContainerColor;
  /** Its init process (ContainerInfo.pid), or its first process when init is gone. */
  readonly init: ProcessInfo | null;
  /** Init's pid inside its own pid namespace (innermost NSpid, proc(5) status). */
  readonly initInsidePid: number | null;
}

/** A row of the `ps axf` tree: one process. */
export interface ProcessRow {
  readonly kind: 'process';
  readonly key: string;
  readonly process: ProcessInfo;
  readonly depth: number;
  /** Index in ViewModel.rows of the parent's row; -1 for a root. */
  readonly parentIndex: number;
  readonly hasChildren: boolean;
  readonly container: DerivedContainer | null;
  /** Innermost NSpid when it differs from the host pid, else null (proc(5) status NSpid). */
  readonly insidePid: number | null;
  /** Kinds of namespace in which the process differs from the host (namespaces(7)). */
  readonly nsDiff: readonly NamespaceKind[];
  /** True when its ns links could not be read (EACCES as a normal user). */
  readonly nsUnknown: boolean;
  readonly command: string;
}

/** A row of the tree that opens a container's box, placed just above its first process. */
export interface ContainerHeaderRow {
  readonly kind: 'container';
  readonly key: string;
  readonly depth: number;
  /** Parent row of the process it heads. */
  readonly parentIndex: number;
  readonly container: DerivedContainer;
  /** True for a second run of the same container's processes (not contiguous in the tree). */
  readonly continued: boolean;
}

/** One row of the process tree view. */
export type TreeRow = ProcessRow | ContainerHeaderRow;

/** How a container's namespace of one kind relates to the others (namespaces(7)). */
export type Sharing = 'host' | 'own' | 'shared' | 'unknown';

/** A namespace as the matrix colours it: by identity (its inode), grey for the host's. */
export interface NamespaceIdentity {
  readonly id: NamespaceId;
  readonly kind: NamespaceKind;
  readonly host: boolean;
  readonly color: string;
  /** The container that created it (the oldest holding it), or null for the host's or a stray one. */
  readonly owner: DerivedContainer | null;
  /** Every container whose init is in it. */
  readonly containers: readonly DerivedContainer[];
  readonly info: NamespaceInfo | null;
}

/** One cell of the namespace matrix. */
export interface MatrixCell {
  readonly kind: NamespaceKind;
  readonly id: NamespaceId | null;
  readonly sharing: Sharing;
  readonly color: string;
  readonly identity: NamespaceIdentity | null;
  /** The other containers in the same namespace. */
  readonly sharedWith: readonly DerivedContainer[];
}

/** One row of the matrix: a container (or the host, container null) × the 8 kinds. */
export interface MatrixRow {
  readonly container: DerivedContainer | null;
  readonly cells: Readonly<Record<NamespaceKind, MatrixCell>>;
}

/** A pid or user namespace in its hierarchy (ioctl_ns(2) NS_GET_PARENT). */
export interface NamespaceTreeNode {
  readonly ns: NamespaceInfo;
  readonly depth: number;
  readonly containers: readonly DerivedContainer[];
}

/** Everything the views draw, derived from one snapshot. */
export interface ViewModel {
  readonly host: HostInfo;
  /** Engine-managed containers first (by name), then engine `none` groups. */
  readonly containers: readonly DerivedContainer[];
  readonly containerById: ReadonlyMap<string, DerivedContainer>;
  readonly processByPid: ReadonlyMap<number, ProcessInfo>;
  readonly rows: readonly TreeRow[];
  readonly matrix: readonly MatrixRow[];
  readonly namespaceById: ReadonlyMap<NamespaceId, NamespaceIdentity>;
  readonly pidTree: readonly NamespaceTreeNode[];
  readonly userTree: readonly NamespaceTreeNode[];
  /** Namespaces no process is in, kept alive by a bind mount (or an open fd). */
  readonly unheld: readonly NamespaceInfo[];
  /** Process rows in `rows` (processByPid.size without building that map); absent from models made elsewhere. */
  readonly processCount?: number;
  /** The rows as parallel arrays, row objects made when read (what the tree view draws from); absent from models made elsewhere. */
  readonly tree?: FlatTree;
  /** namespaceById.get(id) without deriving every namespace (the tree's chips); absent from models made elsewhere. */
  readonly namespaceIdentity?: (id: NamespaceId) => NamespaceIdentity | undefined;
}


const STRAY: ContainerColor = colorOf(STRAY_GREY);

function byContainerOrder(a: DerivedContainer, b: DerivedContainer): number {
  const ea = a.info.engine === 'none' ? 1 : 0;
  const eb = b.info.engine === 'none' ? 1 : 0;
  return ea - eb || compareText(a.info.name, b.info.name) || compareText(a.info.id, b.info.id);
}

/** True when both lists hold the same ids with the same creation times, in the same order (what assignColors reads). */
function sameColorInputs(a: readonly ContainerInfo[], b: readonly ContainerInfo[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as ContainerInfo;
    const y = b[i] as ContainerInfo;
    if (x.id !== y.id || x.createdAt !== y.createdAt) return false;
  }
  return true;
}

/**
 * A model's processes by pid, as `new Map(s.processes.map((p) => [p.pid, p]))` would hold them:
 * lookups go to the forest while it is at the model's version (no map of 10,000 entries built
 * at every delta), the map itself is built when iterated or once the forest has moved on.
 */
class ProcessesByPid implements ReadonlyMap<number, ProcessInfo> {
  private built: Map<number, ProcessInfo> | null = null;
  private readonly version: number;

  constructor(
    private readonly processes: readonly ProcessInfo[],
    private readonly forest: Forest,
    private readonly count: number,
  ) {
    this.version = forest.version;
  }

  private map(): Map<number, ProcessInfo> {
    this.built ??= new Map(this.processes.map((p) => [p.pid, p]));
    return this.built;
  }

  private fresh(): boolean {
    return this.built === null && this.forest.version === this.version;
  }

  get size(): number {
    return this.count;
  }

  get(pid: number): ProcessInfo | undefined {
    return this.fresh() ? this.forest.process(pid) : this.map().get(pid);
  }

  has(pid: number): boolean {
    return this.get(pid) !== undefined;
  }

  forEach(fn: (value: ProcessInfo, key: number, map: ReadonlyMap<number, ProcessInfo>) => void, thisArg?: unknown): void {
    this.map().forEach((v, k) => fn.call(thisArg, v, k, this));
  }

  entries(): MapIterator<[number, ProcessInfo]> {
    return this.map().entries();
  }

  keys(): MapIterator<number> {
    return this.map().keys();
  }

  values(): MapIterator<ProcessInfo> {
    return this.map().values();
  }

  [Symbol.iterator](): MapIterator<[number, ProcessInfo]> {
    return this.map()[Symbol.iterator]();
  }
}

/** Identities of recent models, by id: a new model's identity equal to one of them is that object. */
interface IdentityMemory {
  /** The last full namespaceById a model computed. */
  all: ReadonlyMap<NamespaceId, NamespaceIdentity> | null;
  /** Identities looked up one at a time. */
  readonly one: Map<NamespaceId, NamespaceIdentity>;
}

/** A view model whose rows are made when read and whose namespace parts are computed on first read (from its own snapshot only). */
class Model implements ViewModel {
  readonly host: HostInfo;
  readonly containers: readonly DerivedContainer[];
  readonly containerById: ReadonlyMap<string, DerivedContainer>;
  readonly tree: FlatTree;
  readonly processCount: number;
  private readonly s: Snapshot;
  private readonly memory: IdentityMemory;
  readonly processByPid: ReadonlyMap<number, ProcessInfo>;
  private identities: ReadonlyMap<NamespaceId, NamespaceIdentity> | null = null;
  private readonly looked = new Map<NamespaceId, NamespaceIdentity | undefined>();
  private matrixRows: readonly MatrixRow[] | null = null;
  private pidNodes: readonly NamespaceTreeNode[] | null = null;
  private userNodes: readonly NamespaceTreeNode[] | null = null;
  private unheldList: readonly NamespaceInfo[] | null = null;

  constructor(
    s: Snapshot,
    containers: readonly DerivedContainer[],
    containerById: ReadonlyMap<string, DerivedContainer>,
    tree: FlatTree,
    processByPid: ReadonlyMap<number, ProcessInfo>,
    memory: IdentityMemory,
  ) {
    this.s = s;
    this.processByPid = processByPid;
    this.host = s.host;
    this.containers = containers;
    this.containerById = containerById;
    this.tree = tree;
    this.processCount = tree.processCount;
    this.memory = memory;
  }

  get rows(): readonly TreeRow[] {
    return this.tree.all();
  }

  get namespaceById(): ReadonlyMap<NamespaceId, NamespaceIdentity> {
    if (!this.identities) {
      this.identities = namespaceIdentities(this.s, this.containers, namespaceHolders(this.containers), this.memory.all);
      this.memory.all = this.identities;
    }
    return this.identities;
  }

  readonly namespaceIdentity = (id: NamespaceId): NamespaceIdentity | undefined => {
    if (this.identities) return this.identities.get(id);
    if (this.looked.has(id)) return this.looked.get(id);
    const one = this.memory.one;
    const found = namespaceIdentityOf(this.s, this.containers, id, one.get(id) ?? this.memory.all?.get(id));
    this.looked.set(id, found);
    if (found) {
      if (one.size > 4096) one.clear();
      one.set(id, found);
    }
    return found;
  };

  get matrix(): readonly MatrixRow[] {
    this.matrixRows ??= namespaceMatrix(this.s, this.containers, this.namespaceById);
    return this.matrixRows;
  }

  get pidTree(): readonly NamespaceTreeNode[] {
    this.pidNodes ??= namespaceHierarchy(this.s, 'pid', this.namespaceById);
    return this.pidNodes;
  }

  get userTree(): readonly NamespaceTreeNode[] {
    this.userNodes ??= namespaceHierarchy(this.s, 'user', this.namespaceById);
    return this.userNodes;
  }

  get unheld(): readonly NamespaceInfo[] {
    this.unheldList ??= this.s.namespaces.filter((n) => n.pids.length === 0);
    return this.unheldList;
  }
}

/** Derives view models from a sequence of snapshots, each from the previous one's state. */
export interface ModelDeriver {
  /** The model of `s` (the same object for the same snapshot while it is remembered). */
  derive(s: Snapshot): ViewModel;
}

/**
 * A deriver keeping the process tree and the derived containers of the last snapshot: the next
 * one is compared with it record by record (by identity, as applyDelta keeps untouched records)
 * and only what changed is derived again. Any snapshot may follow any other: a very different
 * one is derived from scratch.
 */
export function createModelDeriver(): ModelDeriver {
  const forest: Forest = createForest();
  const models = new WeakMap<Snapshot, ViewModel>();
  let colorsFor: readonly ContainerInfo[] = [];
  let colors = new Map<string, ContainerColor>();
  let sorted: readonly DerivedContainer[] = [];
  let byId: ReadonlyMap<string, DerivedContainer> = new Map();
  const memory: IdentityMemory = { all: null, one: new Map() };

  const deriveContainers = (s: Snapshot): void => {
    if (!sameColorInputs(colorsFor, s.containers)) {
      // A container coming or going recolours none of the others: keep their colour objects.
      const next = assignColors(s.containers);
      for (const [id, c] of next) {
        const was = colors.get(id);
        if (was && was.solid === c.solid) next.set(id, was);
      }
      colors = next;
      colorsFor = s.containers;
    }
    const made: DerivedContainer[] = [];
    const unique = new Set(s.containers.map((c) => c.id)).size === s.containers.length;
    let same = unique && s.containers.length === sorted.length;
    let sameOrder = same;
    for (const info of s.containers) {
      const first = info.pid ?? info.pids[0] ?? null;
      const init = (info.pid !== null ? forest.process(info.pid) : undefined) ?? (first !== null ? forest.process(first) : undefined) ?? null;
      const color = colors.get(info.id) ?? STRAY;
      const was = byId.get(info.id);
      if (was && was.info === info && was.color === color && was.init === init) {
        made.push(was);
        continue;
      }
      same = false;
      if (!was || was.info.name !== info.name || was.info.engine !== info.engine) sameOrder = false;
      made.push({ info, color, init, initInsidePid: init ? innermostPid(init) : null });
    }
    if (same) return; // every container as before: keep the list and map (and their identity)
    let next: DerivedContainer[];
    if (sameOrder) {
      const fresh = new Map(made.map((c) => [c.info.id, c]));
      next = sorted.map((c) => fresh.get(c.info.id) as DerivedContainer);
    } else next = made.sort(byContainerOrder);
    sorted = next;
    byId = new Map(next.map((c) => [c.info.id, c]));
  };

  return {
    derive(s) {
      const known = models.get(s);
      if (known) return known;
      forest.sync(s.processes, s.host.namespaces);
      deriveContainers(s);
      const containerById = byId;
      const containerOf = (id: string): DerivedContainer | null => containerById.get(id) ?? null;
      const tree = forest.flatten(containerOf, () => {
        const own = createForest();
        own.sync(s.processes, s.host.namespaces);
        return own.flatten(containerOf, () => {
          throw new Error('a forest of its own never changes');
        });
      });
      const model = new Model(s, sorted, containerById, tree, new ProcessesByPid(s.processes, forest, tree.processCount), memory);
      models.set(s, model);
      return model;
    },
  };
}

const shared = createModelDeriver();

/**
 * Builds everything the views draw from one snapshot. The same snapshot gives the same model;
 * successive snapshots (the store's, delta after delta) reuse what did not change.
 */
export function deriveModel(s: Snapshot): ViewModel {
  return shared.derive(s);
}
