// The view model as deriveModel built it from scratch before it became incremental (commit
// d1b52aa renderer/state/derive.ts), kept as the oracle of the incremental derivation's tests.
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import type { NamespaceId, NamespaceKind } from '../../../shared/namespaces';
import type { NamespaceInfo, ProcessInfo, Snapshot } from '../../../shared/model';
import { assignColors, colorOf, HOST_GREY, STRAY_GREY } from '../../../renderer/state/colors';
import type {
  DerivedContainer, MatrixCell, MatrixRow, NamespaceIdentity, NamespaceTreeNode, Sharing, TreeRow, ViewModel,
} from '../../../renderer/state/derive';
import { innermostPid } from '../../../renderer/state/derive';
import { commandOf } from '../../../renderer/state/format';

function byContainerOrder(a: DerivedContainer, b: DerivedContainer): number {
  const ea = a.info.engine === 'none' ? 1 : 0;
  const eb = b.info.engine === 'none' ? 1 : 0;
  return ea - eb || a.info.name.localeCompare(b.info.name) || a.info.id.localeCompare(b.info.id);
}

function deriveContainers(s: Snapshot, processByPid: ReadonlyMap<number, ProcessInfo>): DerivedContainer[] {
  const colors = assignColors(s.containers);
  return s.containers
    .map((info): DerivedContainer => {
      const first = info.pid ?? info.pids[0] ?? null;
      const init = (info.pid !== null ? processByPid.get(info.pid) : undefined) ?? (first !== null ? processByPid.get(first) : undefined) ?? null;
      const color = colors.get(info.id) ?? colorOf(STRAY_GREY);
      return { info, color, init, initInsidePid: init ? innermostPid(init) : null };
    })
    .sort(byContainerOrder);
}

/** The process tree in `ps axf` order: depth first from the roots, children by ascending pid. */
function deriveRows(s: Snapshot, containerById: ReadonlyMap<string, DerivedContainer>): TreeRow[] {
  const pids = new Set(s.processes.map((p) => p.pid));
  const children = new Map<number, ProcessInfo[]>();
  const roots: ProcessInfo[] = [];
  for (const p of s.processes) {
    if (p.ppid === 0 || p.ppid === p.pid || !pids.has(p.ppid)) roots.push(p);
    else {
      const list = children.get(p.ppid);
      if (list) list.push(p);
      else children.set(p.ppid, [p]);
    }
  }
  const byPid = (a: ProcessInfo, b: ProcessInfo): number => a.pid - b.pid;
  roots.sort(byPid);
  for (const list of children.values()) list.sort(byPid);

  const hostNs = s.host.namespaces;
  const rows: TreeRow[] = [];
  const seenContainers = new Set<string>();
  const visited = new Set<number>();
  let prevContainer: string | null = null;

  const visit = (root: ProcessInfo): void => {
    // Iterative depth-first walk: a 10,000-deep chain must not overflow the stack.
    const stack: { p: ProcessInfo; depth: number; parentIndex: number }[] = [{ p: root, depth: 0, parentIndex: -1 }];
    while (stack.length > 0) {
      const item = stack.pop();
      if (!item || visited.has(item.p.pid)) continue;
      const { p, depth, parentIndex } = item;
      visited.add(p.pid);
      const container = p.containerId !== null ? (containerById.get(p.containerId) ?? null) : null;
      if (container && container.info.id !== prevContainer) {
        const continued = seenContainers.has(container.info.id);
        seenContainers.add(container.info.id);
        rows.push({ kind: 'container', key: `c:${container.info.id}:${p.pid}`, depth, parentIndex, container, continued });
      }
      prevContainer = container ? container.info.id : null;
      const inside = innermostPid(p);
      const nsDiff = NAMESPACE_KINDS.filter((k) => {
        const mine = p.namespaces[k];
        const host = hostNs[k];
        return mine !== null && host !== undefined && mine !== host;
      });
      const nsUnknown = NAMESPACE_KINDS.every((k) => p.namespaces[k] === null);
      const kids = (children.get(p.pid) ?? []).filter((c) => !visited.has(c.pid));
      const index = rows.length;
      rows.push({
        kind: 'process',
        key: `p:${p.pid}:${p.startTime}`,
        process: p,
        depth,
        parentIndex,
        hasChildren: kids.length > 0,
        container,
        insidePid: inside !== p.pid ? inside : null,
        nsDiff,
        nsUnknown,
        command: commandOf(p),
      });
      for (let i = kids.length - 1; i >= 0; i--) {
        const kid = kids[i];
        if (kid) stack.push({ p: kid, depth: depth + 1, parentIndex: index });
      }
    }
  };
  for (const r of roots) visit(r);
  // A parent cycle (pid reuse between two reads) leaves processes unvisited: show them as roots.
  for (const p of [...s.processes].sort(byPid)) if (!visited.has(p.pid)) visit(p);
  return rows;
}

function deriveNamespaces(
  s: Snapshot,
  containers: readonly DerivedContainer[],
): { matrix: MatrixRow[]; namespaceById: Map<NamespaceId, NamespaceIdentity> } {
  const infoById = new Map<NamespaceId, NamespaceInfo>(s.namespaces.map((n) => [n.id, n]));
  const hostIds = new Set<NamespaceId>(Object.values(s.host.namespaces).filter((x): x is number => typeof x === 'number'));
  for (const n of s.namespaces) if (n.host) hostIds.add(n.id);

  // Oldest first: the oldest container holding a namespace is taken as the one that made it.
  const byAge = [...containers].sort(
    (a, b) => (a.info.createdAt ?? '').localeCompare(b.info.createdAt ?? '') || (a.info.pid ?? 0) - (b.info.pid ?? 0),
  );
  const holders = new Map<NamespaceId, DerivedContainer[]>();
  for (const c of byAge) {
    if (!c.init) continue;
    for (const k of NAMESPACE_KINDS) {
      const id = c.init.namespaces[k];
      if (id === null) continue;
      const list = holders.get(id);
      if (list) list.push(c);
      else holders.set(id, [c]);
    }
  }

  const namespaceById = new Map<NamespaceId, NamespaceIdentity>();
  const identity = (id: NamespaceId, kind: NamespaceKind): NamespaceIdentity => {
    const known = namespaceById.get(id);
    if (known) return known;
    const host = hostIds.has(id);
    const held = host ? [] : (holders.get(id) ?? []);
    const owner = held[0] ?? null;
    const made: NamespaceIdentity = {
      id,
      kind: infoById.get(id)?.type ?? kind,
      host,
      color: host ? HOST_GREY : owner ? owner.color.cell : STRAY_GREY,
      owner,
      containers: holders.get(id) ?? [],
      info: infoById.get(id) ?? null,
    };
    namespaceById.set(id, made);
    return made;
  };
  for (const n of s.namespaces) identity(n.id, n.type);

  const cell = (kind: NamespaceKind, id: NamespaceId | null, self: DerivedContainer | null): MatrixCell => {
    if (id === null) return { kind, id, sharing: 'unknown', color: '#FFFFFF', identity: null, sharedWith: [] };
    const ident = identity(id, kind);
    const sharedWith = ident.containers.filter((c) => c !== self);
    const sharing: Sharing = ident.host ? 'host' : sharedWith.length > 0 ? 'shared' : 'own';
    return { kind, id, sharing, color: ident.color, identity: ident, sharedWith: ident.host ? [] : sharedWith };
  };
  const rowOf = (self: DerivedContainer | null, ids: (k: NamespaceKind) => NamespaceId | null): MatrixRow => {
    const cells = {} as Record<NamespaceKind, MatrixCell>;
    for (const k of NAMESPACE_KINDS) cells[k] = cell(k, ids(k), self);
    return { container: self, cells };
  };
  const matrix: MatrixRow[] = [rowOf(null, (k) => s.host.namespaces[k] ?? null)];
  for (const c of containers) matrix.push(rowOf(c, (k) => (c.init ? c.init.namespaces[k] : null)));
  return { matrix, namespaceById };
}

function deriveHierarchy(s: Snapshot, kind: 'pid' | 'user', namespaceById: ReadonlyMap<NamespaceId, NamespaceIdentity>): NamespaceTreeNode[] {
  const list = s.namespaces.filter((n) => n.type === kind);
  const ids = new Set(list.map((n) => n.id));
  const children = new Map<NamespaceId, NamespaceInfo[]>();
  const roots: NamespaceInfo[] = [];
  for (const n of list) {
    if (n.parent === null || n.parent === n.id || !ids.has(n.parent)) roots.push(n);
    else {
      const l = children.get(n.parent);
      if (l) l.push(n);
      else children.set(n.parent, [n]);
    }
  }
  const out: NamespaceTreeNode[] = [];
  const seen = new Set<NamespaceId>();
  const walk = (n: NamespaceInfo, depth: number): void => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    out.push({ ns: n, depth, containers: namespaceById.get(n.id)?.containers ?? [] });
    for (const c of (children.get(n.id) ?? []).sort((a, b) => a.id - b.id)) walk(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => Number(b.host) - Number(a.host) || a.id - b.id)) walk(r, 0);
  for (const n of list) if (!seen.has(n.id)) walk(n, 0);
  return out;
}

/** The view model derived from scratch, as deriveModel did before it became incremental: the oracle. */
export function referenceModel(s: Snapshot): ViewModel {
  const processByPid = new Map<number, ProcessInfo>(s.processes.map((p) => [p.pid, p]));
  const containers = deriveContainers(s, processByPid);
  const containerById = new Map(containers.map((c) => [c.info.id, c]));
  const rows = deriveRows(s, containerById);
  const { matrix, namespaceById } = deriveNamespaces(s, containers);
  return {
    host: s.host,
    containers,
    containerById,
    processByPid,
    rows,
    matrix,
    namespaceById,
    pidTree: deriveHierarchy(s, 'pid', namespaceById),
    userTree: deriveHierarchy(s, 'user', namespaceById),
    unheld: s.namespaces.filter((n) => n.pids.length === 0),
  };
}
