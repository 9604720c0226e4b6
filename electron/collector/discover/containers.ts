import type { CgroupLimits, ContainerInfo, EngineKind, PodRef } from '../../../shared/model';
import type { CgroupAttribution } from '../cgroupfs/attribution';
import { attributeCgroupPath } from '../cgroupfs/attribution';
import { podOfLabels } from '../engines/kubernetes';
import type { EngineContainer } from '../engines/types';
import type { ProcessRecord } from '../procfs/process';
import type { HostNamespaces } from './host';
import { differingFromHost, sharedWithHost } from './host';

/** Reads the limits of the cgroup a process is in (injected so tests can use fixture trees). */
export type LimitsReader = (p: ProcessRecord) => CgroupLimits;

/** The containers found and, for each process that belongs to one, the container's id. */
export interface ContainerDiscovery {
  readonly containers: ContainerInfo[];
  readonly containerIdByPid: ReadonlyMap<number, string>;
}

const NO_LIMITS: CgroupLimits = { memoryBytes: null, cpus: null, pidsMax: null, cpuset: null };

/** Attributions by parsed cgroup file: processes in one cgroup share that list (procfs/intern.ts), so it is worked out once. */
const attributionByCgroups = new WeakMap<readonly unknown[], { cgroup: string | null; a: CgroupAttribution | null }>();

/** The container a process's cgroup path names, trying its paths in order (v2 / v1 memory first). */
export function attributeProcess(p: ProcessRecord): CgroupAttribution | null {
  const hit = attributionByCgroups.get(p.cgroups);
  if (hit && hit.cgroup === p.cgroup) return hit.a;
  let a: CgroupAttribution | null = p.cgroup === null ? null : attributeCgroupPath(p.cgroup);
  for (let i = 0; a === null && i < p.cgroups.length; i++) a = attributeCgroupPath((p.cgroups[i] as ProcessRecord['cgroups'][number]).path);
  attributionByCgroups.set(p.cgroups, { cgroup: p.cgroup, a });
  return a;
}

/** The id an engine-less isolated group is known by: `ns:<pid-ns inode>`, or its other differing namespaces. */
export function isolatedGroupId(p: ProcessRecord, host: HostNamespaces): string | null {
  const kinds = differingFromHost(p, host);
  if (kinds.length === 0) return null;
  if (kinds.includes('pid')) return `ns:${p.namespaces.pid}`;
  return 'ns:' + kinds.map((k) => `${k}:${p.namespaces[k]}`).join('+');
}

/** The topmost member of a group: its parent is outside the group; the lowest pid among such. */
function leaderOf(members: readonly ProcessRecord[]): ProcessRecord | undefined {
  const inGroup = new Set(members.map((m) => m.pid));
  const tops = members.filter((m) => !inGroup.has(m.ppid));
  return [...(tops.length > 0 ? tops : members)].sort((a, b) => a.pid - b.pid)[0];
}

/** Kernel threads (kthreadd and its children) live in the initial namespaces, but for kdevtmpfs's own mount namespace: not a container. */
const isKernelThread = (p: ProcessRecord): boolean => p.pid === 2 || p.ppid === 2;

/** An engine-less group: its members, its init (topmost in the group), and the process whose command names it. */
interface IsolatedGroup {
  members: ProcessRecord[];
  init: ProcessRecord | undefined;
  namer: ProcessRecord | undefined;
}

/**
 * Groups processes isolated without an engine by namespace set. A launcher that made the new
 * pid namespace (`unshare --pid --fork`: itself only in the new mount/uts/... namespaces) is
 * folded into the group of the pid namespace it created, and names it.
 */
function groupIsolated(isolated: readonly ProcessRecord[], host: HostNamespaces): Map<string, IsolatedGroup> {
  const raw = new Map<string, ProcessRecord[]>();
  for (const p of isolated) {
    const gid = isolatedGroupId(p, host);
    if (gid === null) continue;
    const list = raw.get(gid);
    if (list) list.push(p);
    else raw.set(gid, [p]);
  }
  const groups = new Map<string, IsolatedGroup>();
  for (const [gid, members] of raw) groups.set(gid, { members, init: leaderOf(members), namer: undefined });
  const kindsOf = (p: ProcessRecord): string => differingFromHost(p, host).filter((k) => k !== 'pid').join(',');
  for (const [gid, g] of groups) {
    if (!gid.startsWith('ns:') || gid.includes(':', 3) || !g.init) continue; // only pid-namespace groups ("ns:<inode>")
    const init = g.init;
    for (const [otherId, other] of groups) {
      if (otherId === gid || !/^ns:\D/.test(otherId)) continue;
      const launcher = other.members.find((m) => m.pid === init.ppid);
      if (!launcher || launcher.namespaces.pid_for_children !== init.namespaces.pid || kindsOf(launcher) !== kindsOf(init)) continue;
      g.members.push(...other.members);
      g.namer = launcher;
      groups.delete(otherId);
    }
  }
  return groups;
}

const shortName = (id: string): string => (/^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id);

/**
 * Joins the process table with the engines' containers: each process goes to the container its
 * cgroup path names (docker, podman, containerd, crio, lxc, nspawn); processes in no container
 * whose namespaces differ from the host's are grouped by namespace set as engine `none`.
 */
export function discoverContainers(
  processes: readonly ProcessRecord[],
  engineContainers: readonly EngineContainer[],
  host: HostNamespaces,
  readLimits: LimitsReader,
  /** The same processes by pid, when the caller has that map already. */
  byPidIn?: ReadonlyMap<number, ProcessRecord>,
): ContainerDiscovery {
  const byPid = byPidIn ?? new Map(processes.map((p) => [p.pid, p]));
  const members = new Map<string, ProcessRecord[]>();
  const attributions = new Map<string, CgroupAttribution>();
  const containerIdByPid = new Map<number, string>();
  const join = (id: string, p: ProcessRecord): void => {
    containerIdByPid.set(p.pid, id);
    const list = members.get(id);
    if (list) list.push(p);
    else members.set(id, [p]);
  };

  const known = new Map(engineContainers.map((c) => [c.id, c]));
  const byName = new Map(engineContainers.map((c) => [`${c.engine}/${c.name}`, c]));
  const isolated: ProcessRecord[] = [];
  for (const p of processes) {
    const a = attributeProcess(p);
    if (a) {
      const c = known.get(a.id) ?? byName.get(`${a.engine}/${a.id}`);
      // Engines that name containers (lxc, nspawn) key them as `engine:name`, so two engines' same name never merge.
      const id = c ? c.id : a.engine === 'lxc' || a.engine === 'nspawn' ? `${a.engine}:${a.id}` : a.id;
      if (!attributions.has(id)) attributions.set(id, a);
      join(id, p);
    } else {
      isolated.push(p);
    }
  }
  // A nested engine's container (engines/nested.ts) whose cgroup path names only the container its engine runs
  // in (a plain containerd namespace: /docker/<outer>/<ns>/<id>) takes back the processes of its init's pid namespace.
  for (const c of engineContainers) {
    const n = c.nestedIn;
    const init = n && c.pid !== null ? byPid.get(c.pid) : undefined;
    const owner = init ? containerIdByPid.get(init.pid) : undefined;
    if (!n || !init || owner === undefined || owner === c.id || (owner !== n.containerId && owner !== containerIdByPid.get(n.enginePid))) continue;
    const pidNs = init.namespaces.pid;
    if (pidNs === null || pidNs === byPid.get(n.enginePid)?.namespaces.pid) continue;
    const group = members.get(owner) ?? [];
    members.set(owner, group.filter((p) => p.namespaces.pid !== pidNs));
    for (const p of group) if (p.namespaces.pid === pidNs) join(c.id, p);
  }
  // An engine's init whose cgroup names no container (unreadable, or a custom --cgroup-parent)
  // still belongs to its container, and so does every process in its own pid namespace.
  const byPidNs = new Map<number, string>();
  for (const c of engineContainers) {
    const init = c.pid === null ? undefined : byPid.get(c.pid);
    if (!init || containerIdByPid.has(init.pid)) continue;
    join(c.id, init);
    const pidNs = init.namespaces.pid;
    if (pidNs !== null && pidNs !== host.namespaces.pid) byPidNs.set(pidNs, c.id);
  }
  for (let i = isolated.length - 1; i >= 0; i--) {
    const p = isolated[i];
    if (!p) continue;
    const owner = containerIdByPid.get(p.pid) ?? (p.namespaces.pid === null ? undefined : byPidNs.get(p.namespaces.pid));
    if (owner === undefined) continue;
    if (!containerIdByPid.has(p.pid)) join(owner, p);
    isolated.splice(i, 1);
  }

  /** The container an engine running inside another container belongs to (docker-in-docker: /docker/<outer>/docker/<inner>). */
  const parentOf = (id: string): string | null => {
    const outer = attributions.get(id)?.parents.at(-1);
    return outer === undefined ? null : (known.get(outer)?.id ?? outer);
  };

  /** A Podman pod known only from the cgroup path (libpod_parent/<pod id>/, *-libpod_pod_<id>.slice): named by its short id. */
  const podmanPodOfCgroup = (id: string): PodRef | null => {
    const a = attributions.get(id);
    return a?.engine === 'podman' && a.pod ? { name: a.pod.uid.slice(0, 12), namespace: '', uid: a.pod.uid, kind: 'podman' } : null;
  };

  const build = (
    id: string, name: string, engine: EngineKind, group: readonly ProcessRecord[], init: ProcessRecord | undefined,
    initPid: number | null, c: EngineContainer | undefined,
  ): ContainerInfo => ({
    id,
    name,
    engine,
    image: c?.image ?? null,
    state: c?.state ?? 'running',
    pid: initPid,
    pids: group.map((m) => m.pid).sort((a, b) => a - b),
    limits: init ? readLimits(init) : NO_LIMITS,
    sharedWithHost: init ? sharedWithHost(init, host) : [],
    cgroup: init?.cgroup ?? null,
    labels: c?.labels ?? {},
    config: c?.config ?? null,
    createdAt: c?.createdAt ?? null,
    pod: c?.pod ?? (c ? podOfLabels(c.labels) : null) ?? podmanPodOfCgroup(id),
    parentId: parentOf(id),
    ...(c?.sandbox === true ? { sandbox: true } : {}),
  });

  const containers: ContainerInfo[] = [];
  for (const c of engineContainers) {
    const group = members.get(c.id) ?? [];
    const init = (c.pid === null ? undefined : byPid.get(c.pid)) ?? leaderOf(group);
    containers.push(build(c.id, c.name, c.engine, group, init, c.pid ?? init?.pid ?? null, c));
  }
  for (const [id, group] of members) {
    if (known.has(id)) continue;
    const a = attributions.get(id);
    if (!a) continue;
    const init = leaderOf(group);
    containers.push(build(id, a.name ?? shortName(id), a.engine, group, init, init?.pid ?? null, undefined));
  }

  const groups = groupIsolated(isolated.filter((p) => !isKernelThread(p)), host);
  for (const [gid, group] of groups) {
    for (const p of group.members) containerIdByPid.set(p.pid, gid);
    const init = group.init;
    const namer = group.namer ?? init;
    const name = namer ? (namer.cmdline.length > 0 ? namer.cmdline.join(' ') : namer.comm) : gid;
    containers.push(build(gid, name, 'none', group.members, init, init?.pid ?? null, undefined));
  }

  // An engine running inside a container (engines/nested.ts) nests its containers under the container its
  // daemon's process belongs to, where their own cgroup paths do not already name an enclosing container.
  for (let i = 0; i < containers.length; i++) {
    const ci = containers[i];
    const n = ci !== undefined && ci.parentId === null ? known.get(ci.id)?.nestedIn : undefined;
    const parent = n ? (containerIdByPid.get(n.enginePid) ?? n.containerId) : null;
    if (ci !== undefined && parent !== null && parent !== ci.id) containers[i] = { ...ci, parentId: parent };
  }
  containers.sort((a, b) => a.engine.localeCompare(b.engine) || a.name.localeCompare(b.name));
  return { containers, containerIdByPid };
}
