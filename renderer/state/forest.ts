// The host's process tree kept from one snapshot to the next: a node per pid, each node's children
// in ascending pid order, changed only where processes came, went or changed; flattened into its
// `ps axf` rows (flat-tree.ts) in one pass that makes no object per row.
import { NAMESPACE_KINDS } from '../../shared/namespaces';
import type { ProcessInfo } from '../../shared/model';
import type { DerivedContainer } from './derive';
import { FlatTree, newNode } from './flat-tree';
import type { HostNamespaces, ProcNode } from './flat-tree';

/** The process tree of the latest synced process list (see createForest). */
export interface Forest {
  /**
   * Brings the tree to `processes`, comparing records by identity with the previous list: a
   * record that is the same object is unchanged (applyDelta keeps untouched records). Host
   * namespaces decide each row's "differs from the host" kinds.
   */
  sync(processes: readonly ProcessInfo[], hostNs: HostNamespaces): void;
  /** The record of a pid in the synced list (the last one, should a pid appear twice, as a map from the list would hold). */
  process(pid: number): ProcessInfo | undefined;
  /** Bumped by every sync that changes a node: what was read at one version holds while it stays. */
  readonly version: number;
  /**
   * The rows in `ps axf` order: depth first from the roots, children by ascending pid, a header
   * above each run of a container. `rebuild` makes the same rows when the tree is read after
   * this forest has changed (from the snapshot it was made for).
   */
  flatten(containerOf: (id: string) => DerivedContainer | null, rebuild: () => FlatTree): FlatTree;
}

function search(list: readonly ProcNode[], pid: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as ProcNode).pid < pid) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: ProcNode[], n: ProcNode): void {
  const last = list[list.length - 1];
  if (!last || last.pid < n.pid) {
    list.push(n);
    return;
  }
  list.splice(search(list, n.pid), 0, n);
}

function removeSorted(list: ProcNode[], n: ProcNode): void {
  const i = search(list, n.pid);
  if (list[i] === n) list.splice(i, 1);
}

function byPid(a: ProcNode, b: ProcNode): number {
  return a.pid - b.pid;
}

function ascending(list: readonly ProcNode[]): boolean {
  for (let i = 1; i < list.length; i++) if ((list[i] as ProcNode).pid <= (list[i - 1] as ProcNode).pid) return false;
  return true;
}

/** A parent pid that names another process: not 0 (the kernel) and not itself. */
function parentPid(n: ProcNode): number | null {
  const ppid = n.p.ppid;
  return ppid !== 0 && ppid !== n.pid ? ppid : null;
}

/** Beyond this share of the list changed, building the tree again is cheaper than patching it. */
const REBUILD_SHARE = 0.25;

/** An empty forest; sync() fills it. */
export function createForest(): Forest {
  let nodes = new Map<number, ProcNode>();
  /** Nodes whose parent pid is 0, themselves, or absent; ascending pid. */
  let roots: ProcNode[] = [];
  /** Roots whose parent pid is absent, by that pid: adopted when it appears. */
  let waiting = new Map<number, ProcNode[]>();
  let list: readonly ProcessInfo[] | null = null;
  /** For a pid listed twice, its last record (process() answers with it). */
  let lastOfPid: Map<number, ProcessInfo> | null = null;
  let hostKey = '';
  let host: HostNamespaces = {};
  /** Changes with the host's namespaces: it keys the rows' cached "differs from the host" kinds. */
  let hostGen = 0;
  /** Bumped whenever a node changes: flat trees of an older version read from a tree of their own. */
  let version = 0;
  let stamp = 0;
  const stackNodes: ProcNode[] = [];
  const stackDepth: number[] = [];
  const stackParent: number[] = [];

  const wait = (ppid: number, n: ProcNode): void => {
    const w = waiting.get(ppid);
    if (w) w.push(n);
    else waiting.set(ppid, [n]);
  };
  const unwait = (ppid: number, n: ProcNode): void => {
    const w = waiting.get(ppid);
    if (!w) return;
    const i = w.indexOf(n);
    if (i >= 0) w.splice(i, 1);
    if (w.length === 0) waiting.delete(ppid);
  };

  /** Places a node by its record's parent pid: under that parent, or among the roots. */
  const attach = (n: ProcNode): void => {
    const ppid = parentPid(n);
    const parent = ppid !== null ? nodes.get(ppid) : undefined;
    if (parent) {
      insertSorted(parent.kids, n);
      n.up = parent;
      return;
    }
    n.up = null;
    insertSorted(roots, n);
    if (ppid !== null) wait(ppid, n);
  };
  /** Takes a node out of its parent's children or the roots (by its record's current parent pid). */
  const detach = (n: ProcNode): void => {
    if (n.up) removeSorted(n.up.kids, n);
    else {
      removeSorted(roots, n);
      const ppid = parentPid(n);
      if (ppid !== null) unwait(ppid, n);
    }
    n.up = null;
  };
  const add = (p: ProcessInfo): void => {
    const n = newNode(p);
    nodes.set(n.pid, n);
    attach(n);
    const orphans = waiting.get(n.pid);
    if (!orphans) return;
    waiting.delete(n.pid);
    for (const o of orphans) {
      removeSorted(roots, o);
      insertSorted(n.kids, o);
      o.up = n;
    }
  };
  const remove = (n: ProcNode): void => {
    detach(n);
    nodes.delete(n.pid);
    for (const k of n.kids) {
      k.up = null;
      insertSorted(roots, k);
      wait(n.pid, k);
    }
    n.kids = [];
  };
  const update = (n: ProcNode, p: ProcessInfo): void => {
    if (p.ppid === n.p.ppid) {
      n.p = p;
      return;
    }
    detach(n);
    n.p = p;
    attach(n);
  };

  const build = (processes: readonly ProcessInfo[]): void => {
    nodes = new Map();
    roots = [];
    waiting = new Map();
    lastOfPid = null;
    for (const p of processes) {
      if (!nodes.has(p.pid)) nodes.set(p.pid, newNode(p));
      else {
        // A pid listed twice (never from the collector, which reads each /proc/PID once): it is
        // drawn once, from its first record; its last is the one a pid map holds.
        lastOfPid ??= new Map();
        lastOfPid.set(p.pid, p);
      }
    }
    for (const n of nodes.values()) {
      const ppid = parentPid(n);
      const parent = ppid !== null ? nodes.get(ppid) : undefined;
      if (parent) {
        parent.kids.push(n);
        n.up = parent;
      } else {
        roots.push(n);
        if (ppid !== null) wait(ppid, n);
      }
    }
    if (!ascending(roots)) roots.sort(byPid);
    for (const n of nodes.values()) if (n.kids.length > 1 && !ascending(n.kids)) n.kids.sort(byPid);
  };

  /** Applies a patch's changes (all lists of distinct nodes and pids). */
  const apply = (removed: readonly ProcNode[], changed: readonly ProcNode[], changedTo: readonly ProcessInfo[], added: readonly ProcessInfo[]): void => {
    for (const n of removed) remove(n);
    changed.forEach((n, i) => update(n, changedTo[i] as ProcessInfo));
    for (const p of added) add(p);
  };

  /**
   * The patch for a list in applyDelta's order (shared/delta.ts merge: the records that stay in
   * their order, changed ones in place, new keys at the end), found by walking both lists side
   * by side without a lookup per process. Null when the lists are not in that order.
   */
  const patchInOrder = (before: readonly ProcessInfo[], after: readonly ProcessInfo[], limit: number): boolean | null => {
    const changed: ProcNode[] = [];
    const changedTo: ProcessInfo[] = [];
    const gone: ProcNode[] = [];
    const goneMark = ++stamp;
    const leave = (p: ProcessInfo): boolean => {
      const n = nodes.get(p.pid);
      if (!n || n.p !== p) return false;
      n.seen = goneMark;
      gone.push(n);
      return gone.length <= limit;
    };
    let i = 0;
    let j = 0;
    while (i < before.length && j < after.length) {
      const a = before[i] as ProcessInfo;
      const b = after[j] as ProcessInfo;
      if (a === b) {
        i++;
        j++;
      } else if (a.pid === b.pid) {
        const n = nodes.get(a.pid);
        if (!n || n.p !== a) return null;
        changed.push(n);
        changedTo.push(b);
        i++;
        j++;
      } else {
        if (!leave(a)) return null;
        i++;
      }
    }
    for (; i < before.length; i++) if (!leave(before[i] as ProcessInfo)) return null;
    // The rest are new processes, or (pid reuse: a new process under an old pid) ones just counted as gone.
    const added: ProcessInfo[] = [];
    for (; j < after.length; j++) {
      const b = after[j] as ProcessInfo;
      const n = nodes.get(b.pid);
      if (!n) added.push(b);
      else if (n.seen === goneMark) {
        n.seen = 0;
        if (n.p !== b) {
          changed.push(n);
          changedTo.push(b);
        }
      } else return null; // listed twice, or moved: not applyDelta's order
    }
    if (added.length > 1 && new Set(added.map((p) => p.pid)).size !== added.length) return null;
    const removed = gone.filter((n) => n.seen === goneMark);
    if (changed.length + added.length + removed.length > limit) return false;
    apply(removed, changed, changedTo, added);
    return true;
  };

  /** Patches the tree from `before` (the list it holds) to `after`; false when a full build is the better (or the only) way. */
  const patch = (before: readonly ProcessInfo[] | null, after: readonly ProcessInfo[]): boolean => {
    if (nodes.size === 0) return false;
    const limit = Math.max(16, after.length * REBUILD_SHARE);
    if (before && before.length === nodes.size) {
      const inOrder = patchInOrder(before, after, limit);
      if (inOrder !== null) return inOrder;
    }
    const mark = ++stamp;
    const changed: ProcNode[] = [];
    const changedTo: ProcessInfo[] = [];
    const added: ProcessInfo[] = [];
    let kept = 0;
    for (const p of after) {
      const n = nodes.get(p.pid);
      if (!n) {
        added.push(p);
        continue;
      }
      if (n.seen === mark) return false; // a pid twice in the list
      n.seen = mark;
      kept++;
      if (n.p !== p) {
        changed.push(n);
        changedTo.push(p);
      }
    }
    if (added.length > 1 && new Set(added.map((p) => p.pid)).size !== added.length) return false;
    const removed: ProcNode[] = [];
    if (kept < nodes.size) for (const n of nodes.values()) if (n.seen !== mark) removed.push(n);
    if (changed.length + added.length + removed.length > limit) return false;
    apply(removed, changed, changedTo, added);
    return true;
  };

  return {
    sync(processes, hostNs) {
      const key = NAMESPACE_KINDS.map((k) => hostNs[k] ?? '').join(',');
      if (key !== hostKey) {
        hostKey = key;
        host = hostNs;
        hostGen++;
        version++;
      }
      if (processes === list) return;
      const before = list;
      list = processes;
      version++;
      if (patch(before, processes)) lastOfPid = null; // a patched list has each pid once
      else build(processes);
    },
    process(pid) {
      return lastOfPid?.get(pid) ?? nodes.get(pid)?.p;
    },
    get version() {
      return version;
    },
    flatten(containerOf, rebuild) {
      const mark = ++stamp;
      const out = FlatTree.builder(nodes.size + (nodes.size >> 4), {
        get version() {
          return version;
        },
        host,
        hostGen,
        containerOf,
        rebuild,
      });
      const seenContainers = new Set<string>();
      let prevContainer: string | null = null;
      let lastId: string | null = null;
      let lastContainer: DerivedContainer | null = null;
      let count = 0;
      /**
       * Walks one subtree. From a root no node can be met twice (one parent each, and a parent
       * cycle is never reachable from a root), so `careful` (checking for nodes already shown)
       * is needed only for the nodes left over by a cycle.
       */
      const visit = (root: ProcNode, careful: boolean): void => {
        // Iterative depth-first walk: a 10,000-deep chain must not overflow the stack.
        stackNodes.push(root);
        stackDepth.push(0);
        stackParent.push(-1);
        while (stackNodes.length > 0) {
          const n = stackNodes.pop() as ProcNode;
          const depth = stackDepth.pop() as number;
          const parentIndex = stackParent.pop() as number;
          if (careful && n.visited === mark) continue;
          n.visited = mark;
          count++;
          const id = n.p.containerId;
          // Rows of one container mostly follow each other: look it up only when the id changes.
          if (id !== lastId) {
            lastId = id;
            lastContainer = id !== null ? containerOf(id) : null;
          }
          const container = lastContainer;
          if (container && id !== prevContainer) {
            const continued = seenContainers.has(id as string);
            seenContainers.add(id as string);
            out.header(n, depth, parentIndex, continued);
          }
          prevContainer = container ? id : null;
          const kids = n.kids;
          let open = kids.length;
          if (careful) for (let i = 0; i < kids.length; i++) if ((kids[i] as ProcNode).visited === mark) open--;
          const index = out.length;
          out.process(n, depth, parentIndex, open > 0);
          for (let i = kids.length - 1; i >= 0; i--) {
            const k = kids[i] as ProcNode;
            if (careful && k.visited === mark) continue;
            stackNodes.push(k);
            stackDepth.push(depth + 1);
            stackParent.push(index);
          }
        }
      };
      for (const r of roots) visit(r, false);
      if (count < nodes.size) {
        // A parent cycle (pid reuse between two reads) leaves processes unvisited: show them as roots.
        const rest = [...nodes.values()].filter((n) => n.visited !== mark).sort(byPid);
        for (const n of rest) visit(n, true);
      }
      return out.finish(count);
    },
  };
}
