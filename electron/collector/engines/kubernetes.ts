import type { ContainerInfo, PodRef, ProcessInfo } from '../../../shared/model';
import type { NamespaceId, NamespaceKind } from '../../../shared/namespaces';
import { NAMESPACE_KINDS } from '../../../shared/namespaces';

/** The labels kubelet gives every CRI container and sandbox (kubelet pkg/kubelet/types/labels.go). */
export const CRI_LABELS = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUid: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  /** containerd's CRI plugin: "sandbox" (the pause container) or "container". */
  containerdKind: 'io.cri-containerd.kind',
  /** dockershim / cri-dockerd: "podsandbox" or "container". */
  dockerType: 'io.kubernetes.docker.type',
} as const;

/** The pod a container's CRI labels name, or null when they do not name one (not a Kubernetes container). */
export function podOfLabels(labels: Readonly<Record<string, string>>): PodRef | null {
  const name = labels[CRI_LABELS.podName];
  const namespace = labels[CRI_LABELS.podNamespace];
  const uid = labels[CRI_LABELS.podUid];
  if (!name || !namespace || !uid) return null;
  return { name, namespace, uid };
}

/** Whether CRI labels mark the pod's sandbox (pause) container (containerd CRI or cri-dockerd). */
export function isSandbox(labels: Readonly<Record<string, string>>): boolean {
  return labels[CRI_LABELS.containerdKind] === 'sandbox' || labels[CRI_LABELS.dockerType] === 'podsandbox';
}

/** A Kubernetes pod as seen on this node: its sandbox, its containers, and the namespaces they share through the sandbox. */
export interface PodGroup {
  readonly pod: PodRef;
  /** The pause container's id, if it was found. */
  readonly sandboxId: string | null;
  /** Its app containers (not the sandbox), by id, in name order. */
  readonly containerIds: readonly string[];
  /** The sandbox's non-host namespaces that every app container's init is also in (net, ipc, uts; pid with shareProcessNamespace). */
  readonly shared: Readonly<Partial<Record<NamespaceKind, NamespaceId>>>;
}

/**
 * Groups containers into pods by their CRI labels (or `pod` when the join set it): the sandbox
 * (pause) container and the app containers of each pod uid; `shared` lists the sandbox init's
 * namespaces that all app containers' inits are in too, i.e. the pod's own namespaces (the host's
 * namespaces, given in `host`, are left out: sharing those is not the pod's doing).
 */
export function groupPods(
  containers: readonly ContainerInfo[],
  processes: readonly ProcessInfo[],
  host: Readonly<Partial<Record<NamespaceKind, NamespaceId>>> = {},
): PodGroup[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const pods = new Map<string, { pod: PodRef; sandbox: ContainerInfo | null; apps: ContainerInfo[] }>();
  for (const c of containers) {
    const pod = c.pod ?? podOfLabels(c.labels);
    if (!pod) continue;
    let g = pods.get(pod.uid);
    if (!g) {
      g = { pod, sandbox: null, apps: [] };
      pods.set(pod.uid, g);
    }
    if (isSandbox(c.labels)) g.sandbox = c;
    else g.apps.push(c);
  }
  const out: PodGroup[] = [];
  for (const g of pods.values()) {
    const shared: Partial<Record<NamespaceKind, NamespaceId>> = {};
    const sandboxInit = g.sandbox?.pid == null ? undefined : byPid.get(g.sandbox.pid);
    const appInits = g.apps.map((a) => (a.pid === null ? undefined : byPid.get(a.pid)));
    if (sandboxInit && appInits.length > 0 && appInits.every((p) => p !== undefined)) {
      for (const k of NAMESPACE_KINDS) {
        const id = sandboxInit.namespaces[k];
        if (id !== null && id !== host[k] && appInits.every((p) => p?.namespaces[k] === id)) shared[k] = id;
      }
    }
    out.push({
      pod: g.pod,
      sandboxId: g.sandbox?.id ?? null,
      containerIds: [...g.apps].sort((a, b) => a.name.localeCompare(b.name)).map((a) => a.id),
      shared,
    });
  }
  return out.sort((a, b) => a.pod.namespace.localeCompare(b.pod.namespace) || a.pod.name.localeCompare(b.pod.name));
}
