// What each concept the UI shows means, in plain words, and the commands a student can run to see
// the same fact on the machine. Pure content: one entry per concept, command templates filled in
// with the selected process's real values by fillTemplate / conceptCommands.
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import type { NamespaceKind } from '../../../shared/namespaces';

/** A concept that has an explanation: each namespace kind (namespaces(7)), then pid, cgroup and confinement facts. */
export type ConceptId =
  | `ns-${NamespaceKind}`
  | 'nspid'
  | 'cgroup'
  | 'memory-limit'
  | 'cpu-quota'
  | 'capability'
  | 'seccomp'
  | 'apparmor'
  | 'uid-map'
  | 'scratch'
  | 'static';

/**
 * One explanation (the man page or kernel document it paraphrases in `ref`). Command templates
 * name values in braces: {pid} (host PID of the subject), {name} (container name), {id}
 * (container id), {image}, {cgroup} (the subject's cgroup path: the v2 path, or on v1 the
 * memory controller's, which Docker uses for every controller).
 */
export interface Concept {
  readonly id: ConceptId;
  readonly title: string;
  /** Two or three plain sentences. */
  readonly text: string;
  /** Commands that show the same fact (on a cgroup v2 host when `commandsV1` is given). */
  readonly commands: readonly string[];
  /** Replaces `commands` on a cgroup v1 host (one hierarchy per controller). */
  readonly commandsV1?: readonly string[];
  /** Where the fact is documented. */
  readonly ref: string;
}

/** What a namespace kind isolates (namespaces(7) table "Namespace / Isolates"), in plain words. */
const NAMESPACE_TEXT: Readonly<Record<NamespaceKind, { readonly title: string; readonly text: string; readonly extra: string; readonly ref: string }>> = {
  cgroup: {
    title: 'cgroup namespace',
    text: "Changes where the cgroup tree seems to start. Inside its own cgroup namespace a container sees its own cgroup as '/', so it cannot read the host's cgroup layout in /proc/self/cgroup.",
    extra: 'cat /proc/{pid}/cgroup',
    ref: 'cgroup_namespaces(7)',
  },
  ipc: {
    title: 'ipc namespace',
    text: 'Separates System V shared memory, semaphores and message queues (and POSIX message queues). Two processes can only use the same shared memory segment when they are in the same ipc namespace.',
    extra: 'nsenter -t {pid} --ipc ipcs',
    ref: 'ipc_namespaces(7)',
  },
  mnt: {
    title: 'mount namespace',
    text: "Gives the process its own list of mounted filesystems. That is how a container has its own '/' (the image's files) while the host keeps its own: same kernel, different mount table.",
    extra: 'cat /proc/{pid}/mountinfo',
    ref: 'mount_namespaces(7)',
  },
  net: {
    title: 'network namespace',
    text: "Gives the process its own network interfaces, IP addresses, routes and ports. A container started with --network none has only a loopback interface; --network host would share the host's.",
    extra: 'nsenter -t {pid} --net ip address',
    ref: 'network_namespaces(7)',
  },
  pid: {
    title: 'pid namespace',
    text: 'Gives the process its own process numbers. The first process in a new pid namespace is PID 1 there, and it only sees processes of its own namespace; the host still sees it, under another number.',
    extra: 'grep NSpid /proc/{pid}/status',
    ref: 'pid_namespaces(7)',
  },
  time: {
    title: 'time namespace',
    text: "Lets a process see different boot-time and monotonic clocks (an offset). Containers rarely use one, so they normally share the host's.",
    extra: 'cat /proc/{pid}/timens_offsets',
    ref: 'time_namespaces(7)',
  },
  user: {
    title: 'user namespace',
    text: 'Maps user and group ids: root (uid 0) inside can be an unprivileged uid outside. Without one, uid 0 in the container is uid 0 on the host, kept in check only by capabilities, seccomp and the LSM.',
    extra: 'cat /proc/{pid}/uid_map',
    ref: 'user_namespaces(7)',
  },
  uts: {
    title: 'uts namespace',
    text: "Gives the process its own hostname (and NIS domain name). That is why a container's hostname is its short id, not the host's name.",
    extra: 'nsenter -t {pid} --uts hostname',
    ref: 'uts_namespaces(7)',
  },
};

function namespaceConcept(kind: NamespaceKind): Concept {
  const n = NAMESPACE_TEXT[kind];
  return {
    id: `ns-${kind}`,
    title: n.title,
    text: `${n.text} Two processes are in the same namespace when /proc/PID/ns/${kind} links to the same inode number.`,
    commands: [`readlink /proc/{pid}/ns/${kind}`, n.extra, 'lsns -p {pid}'],
    ref: n.ref,
  };
}

/** Every explanation, in the order a lesson meets them. */
export const CONCEPTS: readonly Concept[] = [
  ...NAMESPACE_KINDS.map(namespaceConcept),
  {
    id: 'nspid',
    title: 'NSpid: one process, two numbers',
    text: 'A process in a pid namespace has one PID per namespace it is visible from. The kernel lists them on the NSpid line of /proc/PID/status, host first: "NSpid: 4211 1" means host PID 4211 is PID 1 inside the container.',
    commands: ['grep NSpid /proc/{pid}/status', 'ps -o pid,ppid,comm -p {pid}', 'lsns -t pid -p {pid}'],
    ref: 'proc(5) /proc/PID/status NSpid',
  },
  {
    id: 'cgroup',
    title: 'cgroup: the group the limits apply to',
    text: 'A control group is a directory in /sys/fs/cgroup holding processes. The kernel counts their memory, CPU time and number of processes together and enforces the limits written in its files. Docker makes one cgroup per container.',
    commands: ['cat /proc/{pid}/cgroup', 'cat /sys/fs/cgroup{cgroup}/cgroup.procs'],
    commandsV1: ['cat /proc/{pid}/cgroup', 'cat /sys/fs/cgroup/memory{cgroup}/cgroup.procs'],
    ref: 'cgroups(7), cgroup-v2.rst',
  },
  {
    id: 'memory-limit',
    title: 'Memory limit',
    text: "The most memory the cgroup's processes may use together (docker run --memory). Above it the kernel first reclaims cache, then the OOM killer kills a process inside the container, not on the rest of the host.",
    commands: ['cat /sys/fs/cgroup{cgroup}/memory.max', 'cat /sys/fs/cgroup{cgroup}/memory.current', 'grep oom_kill /sys/fs/cgroup{cgroup}/memory.events'],
    commandsV1: [
      'cat /sys/fs/cgroup/memory{cgroup}/memory.limit_in_bytes',
      'cat /sys/fs/cgroup/memory{cgroup}/memory.usage_in_bytes',
      'grep oom_kill /sys/fs/cgroup/memory{cgroup}/memory.oom_control',
    ],
    ref: 'cgroup-v2.rst memory.max; cgroup-v1 memory.txt',
  },
  {
    id: 'cpu-quota',
    title: 'CPU quota and throttling',
    text: 'A quota of CPU time per period (docker run --cpus 0.5 = 50 ms every 100 ms). When the processes have used their quota they wait for the next period: that wait is throttling, counted in cpu.stat.',
    commands: ['cat /sys/fs/cgroup{cgroup}/cpu.max', 'grep throttled /sys/fs/cgroup{cgroup}/cpu.stat'],
    commandsV1: [
      'cat /sys/fs/cgroup/cpu{cgroup}/cpu.cfs_quota_us /sys/fs/cgroup/cpu{cgroup}/cpu.cfs_period_us',
      'cat /sys/fs/cgroup/cpu{cgroup}/cpu.stat',
    ],
    ref: 'cgroup-v2.rst cpu.max; sched-bwc.rst',
  },
  {
    id: 'capability',
    title: 'Capabilities',
    text: "Root's powers cut into about forty pieces (CAP_NET_ADMIN, CAP_SYS_ADMIN…). Docker gives a container's root only a small default set; a process can use only the capabilities in its effective set (CapEff).",
    commands: ['grep Cap /proc/{pid}/status', "capsh --decode=$(awk '/CapEff/ {print $2}' /proc/{pid}/status)"],
    ref: 'capabilities(7)',
  },
  {
    id: 'seccomp',
    title: 'seccomp',
    text: "A filter on system calls. In mode 2 (filter) each call goes through a small BPF program first; Docker's default profile refuses a few dozen dangerous ones (mount, reboot, kexec_load…). 0 means no filter.",
    commands: ['grep Seccomp /proc/{pid}/status'],
    ref: 'seccomp(2); proc(5) status Seccomp',
  },
  {
    id: 'apparmor',
    title: 'AppArmor (a Linux Security Module)',
    text: 'A security module that confines a program to a profile: which files it may read or write, whether it may mount or send signals. Docker loads the docker-default profile for its containers when AppArmor is on.',
    commands: ['cat /proc/{pid}/attr/current', 'cat /sys/kernel/security/lsm'],
    ref: 'apparmor(7); proc(5) /proc/PID/attr/current',
  },
  {
    id: 'uid-map',
    title: 'uid map',
    text: 'How user ids inside the user namespace correspond to user ids on the host: "0 100000 65536" maps uids 0…65535 inside to 100000… outside. "0 0 4294967295" is the identity map: no user namespace of its own.',
    commands: ['cat /proc/{pid}/uid_map', 'cat /proc/{pid}/gid_map'],
    ref: 'user_namespaces(7) uid_map',
  },
  {
    id: 'scratch',
    title: 'A "scratch" image: no OS inside',
    text: 'FROM scratch starts an image from nothing: no shell, no package manager, no /etc, only the files added to it. A container needs no operating system inside, because the kernel is the host\u2019s; the image only brings the program.',
    commands: ['docker history {image}', 'ls -la /proc/{pid}/root/'],
    ref: 'Dockerfile reference, FROM scratch',
  },
  {
    id: 'static',
    title: 'Static linking',
    text: 'A statically linked program carries the library code it needs inside its own file and has no dynamic loader (no PT_INTERP), so it runs in an empty image. A dynamic one needs its loader and libraries in the container.',
    commands: ['file -L /proc/{pid}/exe', "readelf -l /proc/{pid}/exe | grep -i interpreter || echo 'no loader: static'"],
    ref: 'elf(5) PT_INTERP; ld.so(8)',
  },
];

const BY_ID: ReadonlyMap<ConceptId, Concept> = new Map(CONCEPTS.map((c) => [c.id, c]));

/** The explanation of a concept. */
export function conceptOf(id: ConceptId): Concept {
  const c = BY_ID.get(id);
  if (!c) throw new Error(`no explanation for ${id}`);
  return c;
}

/** The explanation of a namespace kind (namespaces(7)). */
export function namespaceConceptId(kind: NamespaceKind): ConceptId {
  return `ns-${kind}`;
}

/** What fills a command template: the selected process and its container, as the snapshot knows them. */
export interface ExplainSubject {
  /** Host PID (proc(5)): the container's init, or the selected process. */
  readonly pid: number | null;
  /** The container's name, or a label for a host process ("pid 812 (sshd)"). */
  readonly label: string;
  readonly containerName: string | null;
  readonly containerId: string | null;
  readonly image: string | null;
  /** cgroup path (v2, or the v1 memory controller's); "/" for the root. */
  readonly cgroup: string | null;
  readonly cgroupVersion: 1 | 2;
}

/** Placeholder → what stands in when the subject lacks it. */
const PLACEHOLDERS: Readonly<Record<string, string>> = { pid: '<PID>', name: '<CONTAINER>', id: '<CONTAINER-ID>', image: '<IMAGE>', cgroup: '<CGROUP>' };

/** A value quoted for sh(1) when it holds anything but plain path characters. */
export function shellQuote(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

function valueOf(key: string, s: ExplainSubject | null): string | null {
  if (!s) return null;
  switch (key) {
    case 'pid':
      return s.pid !== null ? String(s.pid) : null;
    case 'name':
      return s.containerName;
    case 'id':
      return s.containerId;
    case 'image':
      return s.image;
    case 'cgroup':
      // Appended to /sys/fs/cgroup[/controller]: the root cgroup adds nothing.
      return s.cgroup === null ? null : s.cgroup === '/' ? '' : s.cgroup;
    default:
      return null;
  }
}

/** A filled-in command: the text to run, and the placeholders no value was known for. */
export interface FilledCommand {
  readonly text: string;
  readonly missing: readonly string[];
}

/** Replaces {pid} {name} {id} {image} {cgroup} in a template with the subject's values (shell-quoted); unknown ones become <PID>… and are listed. */
export function fillTemplate(template: string, subject: ExplainSubject | null): FilledCommand {
  const missing: string[] = [];
  const text = template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const stand = PLACEHOLDERS[key];
    if (stand === undefined) return whole;
    const v = valueOf(key, subject);
    if (v === null) {
      if (!missing.includes(key)) missing.push(key);
      return stand;
    }
    return v === '' ? '' : shellQuote(v);
  });
  return { text, missing };
}

/** The commands of a concept for a subject: the cgroup v1 variants on a v1 host, each template filled in. */
export function conceptCommands(concept: Concept, subject: ExplainSubject | null, cgroupVersion: 1 | 2): FilledCommand[] {
  const templates = cgroupVersion === 1 && concept.commandsV1 ? concept.commandsV1 : concept.commands;
  return templates.map((t) => fillTemplate(t, subject));
}
