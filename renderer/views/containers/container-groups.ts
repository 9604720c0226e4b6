// How the containers list is arranged (pure): containers of one pod (Kubernetes or Podman) under their pod,
// containers that run inside another container (docker-in-docker) under that container.
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import type { NamespaceKind } from '../../../shared/namespaces';
import type { HostInfo, PodRef } from '../../../shared/model';
import type { DerivedContainer } from '../../state/derive';

/** A container in the list, with the containers that run inside it. */
export interface ContainerEntry {
  readonly kind: 'container';
  readonly container: DerivedContainer;
  readonly children: readonly ListEntry[];
  /** True for a pod's sandbox (pause) container. */
  readonly sandbox: boolean;
  /** Its parentId when that container is not in the snapshot (it is listed at the top level). */
  readonly missingParent: string | null;
}

/** The containers of one pod (same pod uid), its sandbox first. */
export interface PodEntry {
  readonly kind: 'pod';
  readonly pod: PodRef;
  readonly containers: readonly ContainerEntry[];
  /** Kinds whose namespace every container of the pod is in, and which is not the host's: what the pod shares through its sandbox. */
  readonly shared: readonly NamespaceKind[];
}

/** One item of the list. */
export type ListEntry = ContainerEntry | PodEntry;

/** Whether a container is its pod's sandbox: marked by its engine (Podman infra), or by CRI labels (kubelet labels.go; containerd CRI "io.cri-containerd.kind", cri-dockerd "io.kubernetes.docker.type"). */
export function isSandboxContainer(c: DerivedContainer): boolean {
  if (c.info.sandbox === true) return true; // marked by its engine (Podman's infra container)
  const l = c.info.labels;
  if (l['io.cri-containerd.kind'] === 'sandbox' || l['io.kubernetes.docker.type'] === 'podsandbox') return true;
  if (l['io.cri-containerd.kind'] === 'container' || l['io.kubernetes.docker.type'] === 'container') return false;
  return c.info.name.startsWith('k8s_POD_') || /(^|\/)pause(:|@|$)/.test(c.info.image ?? '');
}

/** The kinds in which all the containers' inits are in one namespace that is not the host's (namespaces(7)). */
export function sharedKinds(containers: readonly DerivedContainer[], host: HostInfo): NamespaceKind[] {
  if (containers.length < 2) return [];
  const inits = containers.map((c) => c.init);
  return NAMESPACE_KINDS.filter((k) => {
    const first = inits[0]?.namespaces[k] ?? null;
    if (first === null || first === host.namespaces[k]) return false;
    return inits.every((p) => p !== null && p.namespaces[k] === first);
  });
}

/**
 * Arranges containers (in the order given) into pods and nesting: a container whose parentId is
 * another listed container goes under it; at each level, containers with one pod uid are gathered
 * under a pod entry at the place of its first container, its sandbox first. A parent cycle is
 * broken where it is found.
 */
export function groupContainers(containers: readonly DerivedContainer[], host: HostInfo): ListEntry[] {
  const ids = new Set(containers.map((c) => c.info.id));
  const parentOf = (c: DerivedContainer): string | null => {
    const p = c.info.parentId ?? null;
    return p !== null && p !== c.info.id && ids.has(p) ? p : null;
  };
  const children = new Map<string, DerivedContainer[]>();
  for (const c of containers) {
    const p = parentOf(c);
    if (p === null) continue;
    const l = children.get(p);
    if (l) l.push(c);
    else children.set(p, [c]);
  }
  const placed = new Set<string>();

  const level = (items: readonly DerivedContainer[]): ListEntry[] => {
    const out: ListEntry[] = [];
    const pods = new Map<string, { pod: PodRef; members: ContainerEntry[] }>();
    for (const c of items) {
      if (placed.has(c.info.id)) continue; // a parent cycle
      placed.add(c.info.id);
      const missing = c.info.parentId != null && c.info.parentId !== c.info.id && !ids.has(c.info.parentId) ? c.info.parentId : null;
      const entry: ContainerEntry = { kind: 'container', container: c, children: level(children.get(c.info.id) ?? []), sandbox: false, missingParent: missing };
      const pod = c.info.pod ?? null;
      if (pod === null) {
        out.push(entry);
        continue;
      }
      const g = pods.get(pod.uid);
      if (g) g.members.push(entry);
      else {
        const made = { pod, members: [entry] };
        pods.set(pod.uid, made);
        out.push({ kind: 'pod', pod, containers: made.members, shared: [] });
      }
    }
    return out.map((e) => {
      if (e.kind !== 'pod') return e;
      const members = pods.get(e.pod.uid)?.members ?? [];
      const marked = members.map((m) => ({ ...m, sandbox: isSandboxContainer(m.container) }));
      const sorted = [...marked.filter((m) => m.sandbox), ...marked.filter((m) => !m.sandbox)];
      return { ...e, containers: sorted, shared: sharedKinds(sorted.map((m) => m.container), host) };
    });
  };

  const top = containers.filter((c) => parentOf(c) === null);
  const out = level(top);
  // Containers only reachable through a parent cycle: listed at the top level.
  const rest = containers.filter((c) => !placed.has(c.info.id));
  return rest.length > 0 ? [...out, ...level(rest)] : out;
}
