// The namespace side of the view model (namespaces(7)): each namespace's identity colour and
// holders, the container × kind matrix, the pid and user namespace hierarchies. Pure; the model
// computes each when a view first asks for it.
import { NAMESPACE_KINDS } from '../../shared/namespaces';
import type { NamespaceId, NamespaceKind } from '../../shared/namespaces';
import type { NamespaceInfo, Snapshot } from '../../shared/model';
import { HOST_GREY, STRAY_GREY } from './colors';
import type { DerivedContainer, MatrixCell, MatrixRow, NamespaceIdentity, NamespaceTreeNode, Sharing } from './derive';
import { compareText } from './collate';


/** Oldest first: by creation time (localeCompare order), then init pid. */
function byAge(a: DerivedContainer, b: DerivedContainer): number {
  return compareText(a.info.createdAt ?? '', b.info.createdAt ?? '') || (a.info.pid ?? 0) - (b.info.pid ?? 0);
}

/** The containers whose init is in each namespace, oldest first (the oldest is taken as the one that made it). */
export function namespaceHolders(containers: readonly DerivedContainer[]): Map<NamespaceId, DerivedContainer[]> {
  const holders = new Map<NamespaceId, DerivedContainer[]>();
  for (const c of [...containers].sort(byAge)) {
    if (!c.init) continue;
    for (const k of NAMESPACE_KINDS) {
      const id = c.init.namespaces[k];
      if (id === null) continue;
      const list = holders.get(id);
      if (list) list.push(c);
      else holders.set(id, [c]);
    }
  }
  return holders;
}

const EMPTY: readonly DerivedContainer[] = [];

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Every namespace's identity: those of the snapshot, then those the matrix names without a
 * record (the host's, then each container init's, in the containers' order). An identity equal
 * to the one in `previous` is that same object, so a view can tell what changed by identity.
 */
export function namespaceIdentities(
  s: Snapshot,
  containers: readonly DerivedContainer[],
  holders: ReadonlyMap<NamespaceId, readonly DerivedContainer[]>,
  previous: ReadonlyMap<NamespaceId, NamespaceIdentity> | null,
): Map<NamespaceId, NamespaceIdentity> {
  const infoById = new Map<NamespaceId, NamespaceInfo>();
  for (const n of s.namespaces) infoById.set(n.id, n);
  const hostIds = new Set<NamespaceId>(Object.values(s.host.namespaces).filter((x): x is number => typeof x === 'number'));
  for (const n of s.namespaces) if (n.host) hostIds.add(n.id);

  const out = new Map<NamespaceId, NamespaceIdentity>();
  const identity = (id: NamespaceId, kind: NamespaceKind): void => {
    if (out.has(id)) return;
    const host = hostIds.has(id);
    const list = holders.get(id) ?? EMPTY;
    const owner = host ? null : (list[0] ?? null);
    const info = infoById.get(id) ?? null;
    const type = info?.type ?? kind;
    const color = host ? HOST_GREY : owner ? owner.color.cell : STRAY_GREY;
    const was = previous?.get(id);
    if (was && was.kind === type && was.host === host && was.color === color && was.owner === owner && was.info === info && sameList(was.containers, list)) {
      out.set(id, was);
      return;
    }
    out.set(id, { id, kind: type, host, color, owner, containers: list, info });
  };
  for (const n of s.namespaces) identity(n.id, n.type);
  for (const k of NAMESPACE_KINDS) {
    const id = s.host.namespaces[k];
    if (id !== undefined && id !== null) identity(id, k);
  }
  for (const c of containers) {
    if (!c.init) continue;
    for (const k of NAMESPACE_KINDS) {
      const id = c.init.namespaces[k];
      if (id !== null) identity(id, k);
    }
  }
  return out;
}

/**
 * namespaceIdentities(s, containers, …).get(id) for one id, reading only what concerns it: the
 * tree's chips need a few namespaces per drawn row, not all of them. `previous`, when equal, is
 * returned instead of a new object.
 */
export function namespaceIdentityOf(
  s: Snapshot,
  containers: readonly DerivedContainer[],
  id: NamespaceId,
  previous: NamespaceIdentity | undefined,
): NamespaceIdentity | undefined {
  let info: NamespaceInfo | null = null;
  let flaggedHost = false;
  for (const n of s.namespaces) {
    if (n.id !== id) continue;
    info = n; // the last record of an id, as a map built from the list keeps
    if (n.host) flaggedHost = true;
  }
  let hostKind: NamespaceKind | null = null;
  for (const k of NAMESPACE_KINDS) {
    if (s.host.namespaces[k] === id) {
      hostKind = k;
      break;
    }
  }
  const host = flaggedHost || Object.values(s.host.namespaces).some((x) => x === id);
  let firstKind: NamespaceKind | null = null;
  const list: DerivedContainer[] = [];
  for (const c of containers) {
    if (!c.init) continue;
    for (const k of NAMESPACE_KINDS) {
      if (c.init.namespaces[k] !== id) continue;
      firstKind ??= k;
      list.push(c);
    }
  }
  if (!info && hostKind === null && firstKind === null) return undefined;
  if (list.length > 1) list.sort(byAge);
  const owner = host ? null : (list[0] ?? null);
  const type = info?.type ?? hostKind ?? (firstKind as NamespaceKind);
  const color = host ? HOST_GREY : owner ? owner.color.cell : STRAY_GREY;
  const was = previous;
  if (was && was.id === id && was.kind === type && was.host === host && was.color === color && was.owner === owner && was.info === info && sameList(was.containers, list)) return was;
  return { id, kind: type, host, color, owner, containers: list.length > 0 ? list : EMPTY, info };
}

/** The matrix: the host's row, then one row per container, each × the 8 kinds. */
export function namespaceMatrix(s: Snapshot, containers: readonly DerivedContainer[], namespaceById: ReadonlyMap<NamespaceId, NamespaceIdentity>): MatrixRow[] {
  const cell = (kind: NamespaceKind, id: NamespaceId | null, self: DerivedContainer | null): MatrixCell => {
    if (id === null) return { kind, id, sharing: 'unknown', color: '#FFFFFF', identity: null, sharedWith: [] };
    const ident = namespaceById.get(id) as NamespaceIdentity; // namespaceIdentities made one for every id named here
    if (ident.host) return { kind, id, sharing: 'host', color: ident.color, identity: ident, sharedWith: [] };
    const sharedWith = ident.containers.filter((c) => c !== self);
    const sharing: Sharing = sharedWith.length > 0 ? 'shared' : 'own';
    return { kind, id, sharing, color: ident.color, identity: ident, sharedWith };
  };
  const rowOf = (self: DerivedContainer | null, ids: (k: NamespaceKind) => NamespaceId | null): MatrixRow => {
    const cells = {} as Record<NamespaceKind, MatrixCell>;
    for (const k of NAMESPACE_KINDS) cells[k] = cell(k, ids(k), self);
    return { container: self, cells };
  };
  const matrix: MatrixRow[] = [rowOf(null, (k) => s.host.namespaces[k] ?? null)];
  for (const c of containers) matrix.push(rowOf(c, (k) => (c.init ? c.init.namespaces[k] : null)));
  return matrix;
}

/** The pid or user namespaces as a tree (ioctl_ns(2) NS_GET_PARENT): the host's first, children by inode. */
export function namespaceHierarchy(s: Snapshot, kind: 'pid' | 'user', namespaceById: ReadonlyMap<NamespaceId, NamespaceIdentity>): NamespaceTreeNode[] {
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
  // Iterative, as the process tree: a deep nesting must not overflow the stack.
  const walk = (root: NamespaceInfo): void => {
    const stack: { n: NamespaceInfo; depth: number }[] = [{ n: root, depth: 0 }];
    while (stack.length > 0) {
      const { n, depth } = stack.pop() as { n: NamespaceInfo; depth: number };
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      out.push({ ns: n, depth, containers: namespaceById.get(n.id)?.containers ?? [] });
      const kids = (children.get(n.id) ?? []).sort((a, b) => a.id - b.id);
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ n: kids[i] as NamespaceInfo, depth: depth + 1 });
    }
  };
  for (const r of roots.sort((a, b) => Number(b.host) - Number(a.host) || a.id - b.id)) walk(r);
  for (const n of list) if (!seen.has(n.id)) walk(n);
  return out;
}
