// What a container is allowed to do: capabilities, seccomp, LSM, user namespace, mounts; and the
// findings drawn from them. Plain data shared by the collector, the CLI and the renderer.

/** What a capability mainly grants, to group them in the UI (capabilities(7)). */
export type CapabilityGroup = 'files' | 'processes' | 'network' | 'admin' | 'kernel';

/** The groups in display order, with a short title. */
export const CAPABILITY_GROUPS: readonly { readonly id: CapabilityGroup; readonly title: string }[] = [
  { id: 'files', title: 'files' },
  { id: 'processes', title: 'processes' },
  { id: 'network', title: 'network' },
  { id: 'admin', title: 'system admin' },
  { id: 'kernel', title: 'kernel' },
];

/** One capability as linux/capability.h numbers it, with what it grants (capabilities(7)). */
export interface CapabilityInfo {
  readonly bit: number;
  /** Upper-case name with the CAP_ prefix, e.g. "CAP_NET_ADMIN". */
  readonly name: string;
  readonly group: CapabilityGroup;
  readonly summary: string;
}

const cap = (bit: number, name: string, group: CapabilityGroup, summary: string): CapabilityInfo => ({ bit, name: `CAP_${name}`, group, summary });

/** Every capability of linux/capability.h up to CAP_LAST_CAP = CAP_CHECKPOINT_RESTORE (40, Linux 5.9), indexed by bit (capabilities(7)). */
export const CAPABILITIES: readonly CapabilityInfo[] = [
  cap(0, 'CHOWN', 'files', 'change the owner of any file'),
  cap(1, 'DAC_OVERRIDE', 'files', 'bypass file read, write and execute permission checks'),
  cap(2, 'DAC_READ_SEARCH', 'files', 'bypass read and directory search checks; open_by_handle_at(2) on any file'),
  cap(3, 'FOWNER', 'files', 'bypass checks that need the caller to own the file'),
  cap(4, 'FSETID', 'files', 'keep set-user/group-ID bits when a file is modified'),
  cap(5, 'KILL', 'processes', 'send signals to any process'),
  cap(6, 'SETGID', 'processes', 'set any group id'),
  cap(7, 'SETUID', 'processes', 'set any user id'),
  cap(8, 'SETPCAP', 'processes', 'drop capabilities from the bounding set; set inheritable ones'),
  cap(9, 'LINUX_IMMUTABLE', 'files', 'set the immutable and append-only file attributes'),
  cap(10, 'NET_BIND_SERVICE', 'network', 'bind ports below 1024'),
  cap(11, 'NET_BROADCAST', 'network', 'broadcast and listen to multicast (unused)'),
  cap(12, 'NET_ADMIN', 'network', 'configure interfaces, routes, firewall rules of its network namespace'),
  cap(13, 'NET_RAW', 'network', 'use raw and packet sockets'),
  cap(14, 'IPC_LOCK', 'processes', 'lock memory (mlock, huge pages)'),
  cap(15, 'IPC_OWNER', 'processes', 'bypass System V IPC permission checks'),
  cap(16, 'SYS_MODULE', 'kernel', 'load and unload kernel modules'),
  cap(17, 'SYS_RAWIO', 'kernel', 'raw I/O ports, /dev/mem, /dev/kmem'),
  cap(18, 'SYS_CHROOT', 'files', 'chroot(2): change the root directory'),
  cap(19, 'SYS_PTRACE', 'processes', 'trace and inspect any process (ptrace, process_vm_readv)'),
  cap(20, 'SYS_PACCT', 'admin', 'turn process accounting on and off'),
  cap(21, 'SYS_ADMIN', 'admin', 'mount, sethostname, bpf, quotas… ("the new root")'),
  cap(22, 'SYS_BOOT', 'admin', 'reboot and kexec_load'),
  cap(23, 'SYS_NICE', 'processes', 'raise priority and set the scheduling of any process'),
  cap(24, 'SYS_RESOURCE', 'processes', 'override resource limits and quotas'),
  cap(25, 'SYS_TIME', 'admin', 'set the system clock'),
  cap(26, 'SYS_TTY_CONFIG', 'admin', 'vhangup and privileged terminal ioctls'),
  cap(27, 'MKNOD', 'files', 'create device files with mknod(2)'),
  cap(28, 'LEASE', 'files', 'take leases on any file'),
  cap(29, 'AUDIT_WRITE', 'admin', 'write records to the kernel audit log'),
  cap(30, 'AUDIT_CONTROL', 'admin', 'configure kernel auditing'),
  cap(31, 'SETFCAP', 'files', 'set file capabilities'),
  cap(32, 'MAC_OVERRIDE', 'admin', 'override mandatory access control (Smack)'),
  cap(33, 'MAC_ADMIN', 'admin', 'configure mandatory access control (Smack)'),
  cap(34, 'SYSLOG', 'admin', 'privileged syslog(2); read kernel addresses'),
  cap(35, 'WAKE_ALARM', 'admin', 'set alarms that wake the system'),
  cap(36, 'BLOCK_SUSPEND', 'admin', 'block system suspend'),
  cap(37, 'AUDIT_READ', 'admin', 'read the audit log over netlink'),
  cap(38, 'PERFMON', 'kernel', 'perf_event_open(2) and other performance monitoring'),
  cap(39, 'BPF', 'kernel', 'load BPF programs and create maps'),
  cap(40, 'CHECKPOINT_RESTORE', 'processes', 'checkpoint/restore: set the pid of the next process, read /proc/PID/map_files'),
];

/** The highest capability this table names (linux/capability.h CAP_LAST_CAP at Linux 5.9+). */
export const LAST_KNOWN_CAP = 40;

/** The name of a capability bit: "CAP_CHOWN", or "CAP_41" for a bit newer than this table. */
export function capabilityName(bit: number): string {
  return CAPABILITIES[bit]?.name ?? `CAP_${bit}`;
}

/** The table entry for a name ("CAP_NET_ADMIN" or "NET_ADMIN", any case); undefined for unknown names. */
export function capabilityInfo(name: string): CapabilityInfo | undefined {
  const n = name.toUpperCase();
  const full = n.startsWith('CAP_') ? n : `CAP_${n}`;
  return CAPABILITIES.find((c) => c.name === full);
}

/** The group of a capability name; unknown bits ("CAP_41") go to 'kernel'. */
export function capabilityGroup(name: string): CapabilityGroup {
  return capabilityInfo(name)?.group ?? 'kernel';
}

/** Docker's default capability set (moby oci/caps/defaults.go DefaultCapabilities), with the CAP_ prefix. */
export const DOCKER_DEFAULT_CAPS: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** One line of /proc/PID/uid_map or gid_map: `count` ids from `inside` map to `outside` (user_namespaces(7)). */
export interface IdMapEntry {
  /** First id inside the process's user namespace. */
  readonly inside: number;
  /** First id in the user namespace of the reader (the host, for the collector). */
  readonly outside: number;
  readonly count: number;
}

/** Kernel seccomp mode from /proc/PID/status `Seccomp:` (seccomp(2), proc(5)). */
export type SeccompMode = 'disabled' | 'strict' | 'filter';

/** The kind of Linux Security Module labelling a process (AppArmor, SELinux), 'none' when the kernel runs neither. */
export type LsmKind = 'apparmor' | 'selinux' | 'none';

/** A process's LSM label from /proc/PID/attr/apparmor/current or attr/current (proc(5), apparmor(7), selinux(8)). */
export interface LsmLabel {
  /** null when unknown (unreadable, or an LSM other than AppArmor / SELinux). */
  readonly kind: LsmKind | null;
  /** AppArmor profile ("docker-default", "unconfined") or SELinux context ("system_u:system_r:container_t:s0:c1,c2"). */
  readonly label: string | null;
  /** AppArmor mode ("enforce", "complain"), SELinux "enforcing" / "permissive"; null when unknown or unconfined. */
  readonly mode: string | null;
}

/** What a mount is, for a reader: the container's own root and pseudo filesystems, or something from the host (proc(5) mountinfo). */
export type MountKind =
  | 'rootfs' // the container's root filesystem
  | 'pseudo' // proc, sysfs, cgroup, devpts, mqueue, its own tmpfs instances
  | 'masked' // a path the engine hid or made read-only by re-mounting part of its own pseudo filesystems (/proc/kcore -> /dev/null)
  | 'engine' // a file the engine writes for it: /etc/hosts, /etc/hostname, /etc/resolv.conf
  | 'host' // a host path bind-mounted in (docker run -v /path:/target)
  | 'volume' // an engine-managed named volume (…/volumes/NAME/_data)
  | 'device' // a host device node bind-mounted in (from the host's devtmpfs)
  | 'socket'; // a container engine's API socket (docker.sock, containerd.sock, podman.sock)

/** Why a mount matters for confinement. */
export type MountFlag = 'host-rootfs' | 'engine-socket' | 'host-path' | 'host-path-writable' | 'device' | 'proc-sys-writable' | 'sys-writable';

/** One mount of the container's mount namespace, from its init's /proc/PID/mountinfo (proc(5)). */
export interface MountFact {
  /** Mount point inside the container. */
  readonly target: string;
  /** Path within the source filesystem (mountinfo field 4): for a bind mount, the host path (relative to that filesystem's root). */
  readonly root: string;
  readonly fsType: string;
  /** The host path it shows (for the root filesystem, host paths, volumes, devices and sockets), when the host's mount table says where that filesystem is mounted. */
  readonly hostPath: string | null;
  /** Mount source (e.g. /dev/vda, overlay, proc). */
  readonly source: string;
  /** major:minor of the filesystem. */
  readonly device: string;
  readonly readOnly: boolean;
  readonly kind: MountKind;
  readonly flags: readonly MountFlag[];
}

/** Everything that says what a container's init may do (capabilities(7), seccomp(2), user_namespaces(7), proc(5) mountinfo, LSM). */
export interface ContainerSecurity {
  /** Capability sets of its init (/proc/PID/status), as names ("CAP_CHOWN"; unknown bits "CAP_41"). */
  readonly capEff: readonly string[];
  readonly capBnd: readonly string[];
  readonly capPrm: readonly string[];
  readonly capInh: readonly string[];
  readonly capAmb: readonly string[];
  /** Bounding set minus Docker's default set: what was added (`--cap-add`, `--privileged`). */
  readonly capAdded: readonly string[];
  /** Docker's default set minus the bounding set: what was dropped (`--cap-drop`). */
  readonly capDropped: readonly string[];
  readonly seccomp: { readonly mode: SeccompMode | null; readonly filters: number | null };
  /** prctl(2) PR_SET_NO_NEW_PRIVS: setuid binaries and file capabilities cannot raise privileges. */
  readonly noNewPrivs: boolean | null;
  readonly lsm: LsmLabel;
  readonly uidMap: readonly IdMapEntry[];
  readonly gidMap: readonly IdMapEntry[];
  /** "identity (no remapping)" or "root inside = uid 100000 outside". */
  readonly uidMapSummary: string;
  /** Its init's effective uid inside the container, and that uid's name where known. */
  readonly user: { readonly uid: number | null; readonly name: string | null };
  /** Its init's effective uid as the host sees it. */
  readonly hostUid: number | null;
  readonly mounts: readonly MountFact[];
  readonly readOnlyRootfs: boolean | null;
  /** HostConfig.Privileged; null without an engine. */
  readonly privileged: boolean | null;
  /** Engine security options (HostConfig.SecurityOpt, e.g. "seccomp=unconfined"). */
  readonly securityOpt: readonly string[];
  /** Files that could not be read (e.g. "mountinfo: EACCES"): the matching fields are empty or null. */
  readonly unreadable: readonly string[];
}

/** How urgent a finding is. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Severities from most to least urgent. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** One thing an engineer should know about a container's confinement: a one-line reason and the field that shows it. */
export interface Finding {
  /** Stable id, e.g. "privileged", "host-ns-pid", "cap-sys-admin", "seccomp-disabled". */
  readonly id: string;
  readonly severity: Severity;
  readonly message: string;
  /** The field and value that show it, e.g. "security.seccomp.mode = disabled (/proc/1234/status Seccomp: 0)". */
  readonly evidence: string;
}
