import type { ContainerSecurity, Finding } from './confinement';
import type { NamespaceId, NamespaceKind, ProcessNamespaces } from './namespaces';
import type { ImageInfo, RootfsInfo } from './rootfs';

/** Version of the snapshot JSON shape; bumped on any incompatible change. */
export const SNAPSHOT_SCHEMA = 1;

/** A process as seen in /proc/PID (proc(5): stat, status, cmdline, ns/, cgroup). */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** proc(5) /proc/PID/comm (stat field 2). */
  readonly comm: string;
  /** proc(5) /proc/PID/cmdline split at NUL; empty for kernel threads and zombies. */
  readonly cmdline: readonly string[];
  /** Real UID (first field of `Uid:` in /proc/PID/status). */
  readonly uid: number | null;
  /** proc(5) stat field 22, clock ticks after boot: with pid, identifies a process across pid reuse. */
  readonly startTime: number;
  /** proc(5) status `NSpid:` from outermost (host) to innermost pid namespace. */
  readonly nspid: readonly number[];
  readonly namespaces: ProcessNamespaces;
  /** cgroup v2 path, or on v1 the memory controller's path; null if unreadable. */
  readonly cgroup: string | null;
  /** Full id of the container this process belongs to, if any. */
  readonly containerId: string | null;
}

/** A namespace, as listed by lsns(8) and joined with /proc (namespaces(7)). */
export interface NamespaceInfo {
  readonly id: NamespaceId;
  readonly type: NamespaceKind;
  /** Host pids of the processes in it, ascending. */
  readonly pids: readonly number[];
  /** True when it is one of the initial namespaces (those of PID 1, or of kthreadd where PID 1 is unreadable). */
  readonly host: boolean;
  /** Parent namespace (pid and user namespaces only; ioctl NS_GET_PARENT via lsns PNS). */
  readonly parent: NamespaceId | null;
  /** Owning user namespace (ioctl NS_GET_USERNS via lsns ONS). */
  readonly owner: NamespaceId | null;
  /** Bind-mount path keeping it alive (e.g. /run/netns/demo), if any. */
  readonly path: string | null;
  /** What else keeps it alive: open fds, single threads, nsfs bind mounts (discover/ns-holders.ts); absent when not scanned. */
  readonly holders?: readonly NamespaceHolder[];
}

/** Something other than a member process that keeps a namespace alive (namespaces(7) "Namespace lifetime"). */
export interface NamespaceHolder {
  /** The process holding it: the fd's or thread's owner, or for a bind mount the process whose mountinfo shows it. */
  readonly pid: number;
  /** An open fd (/proc/PID/fd/N), a thread whose ns link differs from its leader's (/proc/PID/task/TID/ns), or an nsfs bind mount. */
  readonly via: 'fd' | 'task' | 'bind-mount';
  readonly fd?: number;
  readonly tid?: number;
  /** Mount point, as the holder's mount namespace sees it. */
  readonly path?: string;
}

/** The pod a container belongs to: a Kubernetes pod (CRI labels io.kubernetes.pod.name/namespace/uid) or a Podman pod (podman-pod(1)). */
export interface PodRef {
  readonly name: string;
  /** Kubernetes namespace; "" for a Podman pod. */
  readonly namespace: string;
  /** Kubernetes pod UID, or the Podman pod id (64 hex). */
  readonly uid: string;
  /** Whose pod it is; absent: kubernetes. */
  readonly kind?: 'kubernetes' | 'podman';
}

/** Limits enforced by the kernel through the container's cgroup (cgroup-v1 memory/cpu/pids/cpuset, cgroup-v2.rst). null = unlimited or unknown. */
export interface CgroupLimits {
  readonly memoryBytes: number | null;
  /** CPU quota in cores: cfs_quota_us / cfs_period_us (v1) or cpu.max (v2). */
  readonly cpus: number | null;
  readonly pidsMax: number | null;
  /** cpuset.cpus, when it restricts the container (e.g. "0-1"). */
  readonly cpuset: string | null;
}

/** The runtime or tool that created a container; `none` = isolated by namespaces without an engine. */
export type EngineKind = 'docker' | 'podman' | 'containerd' | 'crio' | 'lxc' | 'nspawn' | 'none';

/** The namespace modes and security settings an engine reports for a container (docker inspect HostConfig). */
export interface ContainerConfig {
  readonly privileged: boolean;
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly securityOpt: readonly string[];
  /** HostConfig.PidMode, NetworkMode, IpcMode, UTSMode, UsernsMode, CgroupnsMode ("" = default/private). */
  readonly namespaceModes: Readonly<Record<string, string>>;
  readonly user: string | null;
  readonly readOnlyRootfs: boolean;
}

/** A container: a group of processes an engine started, or that share non-host namespaces. */
export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  readonly engine: EngineKind;
  readonly image: string | null;
  readonly state: string;
  /** Host pid of its init process. */
  readonly pid: number | null;
  readonly pids: readonly number[];
  readonly limits: CgroupLimits;
  /** Of the 8 namespace kinds, those its init shares with the host's. */
  readonly sharedWithHost: readonly NamespaceKind[];
  /** Cgroup path of the container (v2 path, or v1 memory controller path). */
  readonly cgroup: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly config: ContainerConfig | null;
  readonly createdAt: string | null;
  /** What its root filesystem holds, seen through /proc/PID/root of its init (absent when not inspected). */
  readonly rootfs?: RootfsInfo;
  /** Its image's layers (Engine API ImageInspect + ImageHistory); `image` above stays the name string. */
  readonly imageInfo?: ImageInfo;
  /** What its init is allowed to do (capabilities, seccomp, LSM, user namespace, mounts); absent when its init could not be read. */
  readonly security?: ContainerSecurity;
  /** What an engineer should act on, most severe first; absent with `security`. */
  readonly findings?: readonly Finding[];
  /** The pod it belongs to, Kubernetes or Podman (null: none; absent: not determined). */
  readonly pod?: PodRef | null;
  /** True for its pod's sandbox: the Podman infra container (Kubernetes pause containers are told by their CRI labels); absent: not marked. */
  readonly sandbox?: boolean;
  /** Id of the container it runs inside (docker-in-docker, an engine in an LXC container…): cgroup attribution `parents`, innermost. */
  readonly parentId?: string | null;
}

/** Whether an engine's API could be reached, and why not. */
export interface EngineStatus {
  readonly name: string;
  readonly available: boolean;
  readonly endpoint: string;
  readonly version: string | null;
  readonly error: string | null;
}

/** The host: its name, kernel, cgroup version and initial namespaces. */
export interface HostInfo {
  readonly hostname: string;
  readonly kernel: string;
  readonly cgroupVersion: 1 | 2;
  readonly namespaces: Readonly<Partial<Record<NamespaceKind, NamespaceId>>>;
  /** Where the host namespaces were taken from: pid 1, or kthreadd (pid 2) when PID 1's links are unreadable. */
  readonly namespacesFrom: number | null;
  /** Effective uid of the collector; not root means some fields are null. */
  readonly collectorUid: number;
  /** Slow-changing figures of the machine (live service only; absent from `snapshot`). */
  readonly figures?: HostFigures;
}

/** CPU, memory, OS and load of the host, as systeminformation reports them (fetched at a slow rate). */
export interface HostFigures {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryTotalBytes: number;
  readonly memoryAvailableBytes: number;
  readonly os: string;
  /** 1-minute load average. */
  readonly load1: number;
  readonly fetchedAt: string;
}

/** Everything the collector knows at one instant: `isolens snapshot --json`. */
export interface Snapshot {
  readonly schema: typeof SNAPSHOT_SCHEMA;
  readonly takenAt: string;
  readonly host: HostInfo;
  readonly processes: readonly ProcessInfo[];
  readonly namespaces: readonly NamespaceInfo[];
  readonly containers: readonly ContainerInfo[];
  readonly engines: readonly EngineStatus[];
  readonly warnings: readonly string[];
}
