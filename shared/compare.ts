// Side-by-side comparison of two containers or processes: which namespaces they share (with each
// other, with the host), their cgroup limits and what each may do. Pure: used by `isolens diff`
// and the UI.
import type { ContainerSecurity } from './confinement';
import type { CgroupLimits, ContainerInfo, Snapshot } from './model';
import { NAMESPACE_KINDS, type NamespaceId, type NamespaceKind } from './namespaces';

/** One side of a comparison: a container (its init) or a host process (namespaces(7), cgroups(7), capabilities(7)). */
export interface CompareSubject {
  readonly kind: 'container' | 'process';
  /** Container name, or "pid 1234 (comm)". */
  readonly name: string;
  readonly id: string | null;
  /** Host pid of the container's init, or the process's pid. */
  readonly pid: number | null;
  /** For a process: the container it belongs to, if any. */
  readonly containerName: string | null;
  /** Namespace inodes of its (init) process; null where unreadable. */
  readonly namespaces: Readonly<Partial<Record<NamespaceKind, NamespaceId | null>>>;
  /** The host's initial namespaces, to tell which of its namespaces are the host's. */
  readonly hostNamespaces: Readonly<Partial<Record<NamespaceKind, NamespaceId>>>;
  readonly cgroup: string | null;
  /** null when not read (a host process without a container). */
  readonly limits: CgroupLimits | null;
  /** null when not read (not root, or the process vanished). */
  readonly security: ContainerSecurity | null;
}

/** How two subjects stand in one namespace kind. */
export type NamespaceRelation =
  | 'both-host' // both in the host's namespace
  | 'shared' // both in one namespace that is not the host's
  | 'a-host' // A in the host's, B in its own
  | 'b-host' // B in the host's, A in its own
  | 'separate' // each in its own
  | 'unknown'; // a link was unreadable

/** One namespace kind compared. */
export interface NamespaceComparison {
  readonly kind: NamespaceKind;
  readonly a: NamespaceId | null;
  readonly b: NamespaceId | null;
  readonly relation: NamespaceRelation;
}

/** One aspect compared (a cgroup limit, seccomp, LSM…), rendered as text. */
export interface CompareRow {
  readonly aspect: string;
  readonly a: string;
  readonly b: string;
  /** null when either side is unknown. */
  readonly same: boolean | null;
  /** False for aspects that differ between any two containers (their cgroup paths): not counted as a difference. */
  readonly counts: boolean;
}

/** Capabilities in one side only, and in both. */
export interface CapabilitySplit {
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
  readonly both: readonly string[];
}

/** The result of compareSubjects: every namespace, the other aspects, what truly differs and a one-paragraph verdict. */
export interface Comparison {
  readonly a: CompareSubject;
  readonly b: CompareSubject;
  readonly namespaces: readonly NamespaceComparison[];
  readonly rows: readonly CompareRow[];
  /** Effective and bounding sets split; null when either side's security is unknown. */
  readonly capEff: CapabilitySplit | null;
  readonly capBnd: CapabilitySplit | null;
  /** What truly differs in configuration, e.g. ["pid namespace"]; namespaces that are merely separate do not count. */
  readonly differences: readonly string[];
  readonly verdict: string;
}

const nsOf = (snap: Snapshot, pid: number | null): Partial<Record<NamespaceKind, NamespaceId | null>> => {
  const p = pid === null ? undefined : snap.processes.find((x) => x.pid === pid);
  const out: Partial<Record<NamespaceKind, NamespaceId | null>> = {};
  for (const k of NAMESPACE_KINDS) out[k] = p ? p.namespaces[k] : null;
  return out;
};

/** A container of a snapshot as a comparison subject (namespaces from its init's process entry). */
export function subjectFromContainer(snap: Snapshot, c: ContainerInfo): CompareSubject {
  return {
    kind: 'container', name: c.name, id: c.id, pid: c.pid, containerName: null,
    namespaces: nsOf(snap, c.pid), hostNamespaces: snap.host.namespaces,
    cgroup: c.cgroup, limits: c.limits, security: c.security ?? null,
  };
}

/** A process of a snapshot as a comparison subject; its security and limits come from the caller (the snapshot has none for processes). */
export function subjectFromProcess(
  snap: Snapshot, pid: number, extra: { readonly security: ContainerSecurity | null; readonly limits: CgroupLimits | null },
): CompareSubject | null {
  const p = snap.processes.find((x) => x.pid === pid);
  if (!p) return null;
  const container = p.containerId === null ? undefined : snap.containers.find((c) => c.id === p.containerId);
  return {
    kind: 'process', name: `pid ${pid} (${p.comm})`, id: null, pid, containerName: container?.name ?? null,
    namespaces: nsOf(snap, pid), hostNamespaces: snap.host.namespaces,
    cgroup: p.cgroup, limits: extra.limits, security: extra.security,
  };
}

function relation(a: NamespaceId | null | undefined, b: NamespaceId | null | undefined, host: NamespaceId | undefined): NamespaceRelation {
  if (a == null || b == null) return 'unknown';
  const aHost = host !== undefined && a === host;
  const bHost = host !== undefined && b === host;
  if (a === b) return aHost ? 'both-host' : 'shared';
  if (aHost) return 'a-host';
  if (bHost) return 'b-host';
  return 'separate';
}

function split(a: readonly string[], b: readonly string[]): CapabilitySplit {
  const inA = new Set(a);
  const inB = new Set(b);
  return { onlyA: a.filter((x) => !inB.has(x)), onlyB: b.filter((x) => !inA.has(x)), both: a.filter((x) => inB.has(x)) };
}

const MiB = 1024 * 1024;

/** A limit as text: "none" for null (unlimited). */
function limitText(limits: CgroupLimits | null, key: keyof CgroupLimits): string | null {
  if (limits === null) return null;
  const v = limits[key];
  if (v === null) return 'none';
  if (key === 'memoryBytes' && typeof v === 'number') return v % MiB === 0 ? `${v / MiB} MiB` : `${v} bytes`;
  return String(v);
}

const seccompText = (s: ContainerSecurity): string =>
  s.seccomp.mode === 'filter' ? `filter (${s.seccomp.filters ?? '?'} filter${s.seccomp.filters === 1 ? '' : 's'})` : s.seccomp.mode ?? 'unknown';
const lsmText = (s: ContainerSecurity): string =>
  s.lsm.label === null ? (s.lsm.kind === 'none' ? 'none (host has no LSM)' : s.lsm.kind === null ? 'unknown' : `${s.lsm.kind}: no label`) : `${s.lsm.kind ?? 'lsm'}: ${s.lsm.label}${s.lsm.mode ? ` (${s.lsm.mode})` : ''}`;
const userText = (s: ContainerSecurity): string =>
  `uid ${s.user.uid ?? '?'}${s.user.name ? ` (${s.user.name})` : ''}${s.hostUid !== null && s.hostUid !== s.user.uid ? `, host uid ${s.hostUid}` : ''}`;
const boolText = (v: boolean | null): string | null => (v === null ? null : v ? 'yes' : 'no');
const capsText = (caps: readonly string[]): string => (caps.length === 0 ? 'none' : `${caps.length}`);

function row(aspect: string, a: string | null, b: string | null, counts = true): CompareRow {
  return { aspect, a: a ?? 'unknown', b: b ?? 'unknown', same: a === null || b === null ? null : a === b, counts };
}

const SEES: Partial<Record<NamespaceKind, string>> = {
  pid: 'it sees every process on the host',
  net: 'it sees the host\'s interfaces and ports',
  mnt: 'it sees the host\'s filesystem tree',
  ipc: 'it reaches the host\'s System V IPC objects and message queues',
  uts: 'it sees the host\'s hostname',
  user: 'its uids are the host\'s uids',
  cgroup: 'it sees the host\'s cgroup paths',
  time: 'it has the host\'s clocks',
};

const joinWords = (xs: readonly string[]): string =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1] ?? ''}`;

function namespaceSentences(A: string, B: string, ns: readonly NamespaceComparison[]): string[] {
  const out: string[] = [];
  const pid = ns.find((n) => n.kind === 'pid');
  switch (pid?.relation) {
    case 'b-host': out.push(`${B} shares the host's pid namespace: it sees every process on the host, ${A}'s included; ${A} sees only the processes of its own pid namespace.`); break;
    case 'a-host': out.push(`${A} shares the host's pid namespace: it sees every process on the host, ${B}'s included; ${B} sees only the processes of its own pid namespace.`); break;
    case 'both-host': out.push(`${A} and ${B} are both in the host's pid namespace: each sees every process on the host, the other's included.`); break;
    case 'shared': out.push(`${A} and ${B} share one pid namespace (pid:[${pid.a}]): they see each other's processes.`); break;
    case 'separate': out.push(`${A} and ${B} have separate pid namespaces: neither sees the other's processes.`); break;
    default: out.push('Whether they share a pid namespace is unknown: a pid ns link could not be read (as a normal user, run as root).'); break;
  }
  for (const n of ns) {
    if (n.kind === 'pid') continue;
    const sees = SEES[n.kind] ?? '';
    if (n.relation === 'b-host') out.push(`${B} shares the host's ${n.kind} namespace (${sees}); ${A} has its own.`);
    if (n.relation === 'a-host') out.push(`${A} shares the host's ${n.kind} namespace (${sees}); ${B} has its own.`);
    if (n.relation === 'shared') out.push(`They share one ${n.kind} namespace (${n.kind}:[${n.a}]).`);
  }
  const bothHost = ns.filter((n) => n.kind !== 'pid' && n.relation === 'both-host').map((n) => n.kind);
  if (bothHost.length > 0) out.push(`Both are in the host's ${joinWords(bothHost)} namespace${bothHost.length > 1 ? 's' : ''}.`);
  const separate = ns.filter((n) => n.kind !== 'pid' && n.relation === 'separate').map((n) => n.kind);
  if (separate.length > 0) out.push(`Each has its own ${joinWords(separate)} namespace${separate.length > 1 ? 's' : ''}, as any two containers do.`);
  return out;
}

/**
 * Compares two subjects side by side: every namespace (same / different, and which is the
 * host's), cgroup and limits, capabilities (only in A / only in B), seccomp, LSM, uid map and
 * user; lists what truly differs and says in one paragraph why one can see the other.
 */
export function compareSubjects(a: CompareSubject, b: CompareSubject): Comparison {
  const host = { ...b.hostNamespaces, ...a.hostNamespaces };
  const namespaces = NAMESPACE_KINDS.map((kind) => {
    const na = a.namespaces[kind] ?? null;
    const nb = b.namespaces[kind] ?? null;
    return { kind, a: na, b: nb, relation: relation(na, nb, host[kind]) };
  });

  const sa = a.security;
  const sb = b.security;
  const capEff = sa && sb ? split(sa.capEff, sb.capEff) : null;
  const capBnd = sa && sb ? split(sa.capBnd, sb.capBnd) : null;
  const sec = <T>(f: (s: ContainerSecurity) => T): [T | null, T | null] => [sa ? f(sa) : null, sb ? f(sb) : null];
  const capRow = (aspect: string, pick: (s: ContainerSecurity) => readonly string[], sp: CapabilitySplit | null): CompareRow => {
    const [ca, cb] = sec((s) => capsText(pick(s)));
    const r = row(aspect, ca, cb);
    return sp === null ? r : { ...r, same: sp.onlyA.length === 0 && sp.onlyB.length === 0 };
  };
  const rows: CompareRow[] = [
    row('cgroup', a.cgroup ?? 'unknown', b.cgroup ?? 'unknown', false),
    row('memory limit', limitText(a.limits, 'memoryBytes'), limitText(b.limits, 'memoryBytes')),
    row('CPU limit', limitText(a.limits, 'cpus'), limitText(b.limits, 'cpus')),
    row('pids limit', limitText(a.limits, 'pidsMax'), limitText(b.limits, 'pidsMax')),
    row('cpuset', limitText(a.limits, 'cpuset'), limitText(b.limits, 'cpuset')),
    row('privileged', ...sec((s) => boolText(s.privileged))),
    capRow('capabilities (effective)', (s) => s.capEff, capEff),
    capRow('capabilities (bounding)', (s) => s.capBnd, capBnd),
    row('seccomp', ...sec((s) => (s.seccomp.mode === null ? null : seccompText(s)))),
    row('no_new_privs', ...sec((s) => boolText(s.noNewPrivs))),
    row('LSM', ...sec((s) => (s.lsm.kind === null && s.lsm.label === null ? null : lsmText(s)))),
    row('uid map', ...sec((s) => (s.uidMap.length === 0 ? null : s.uidMapSummary))),
    row('user', ...sec((s) => (s.user.uid === null ? null : userText(s)))),
    row('read-only rootfs', ...sec((s) => boolText(s.readOnlyRootfs))),
  ];

  const differences = [
    ...namespaces.filter((n) => n.relation === 'a-host' || n.relation === 'b-host').map((n) => `${n.kind} namespace`),
    ...rows.filter((r) => r.counts && r.same === false).map((r) => r.aspect),
  ];

  const A = a.name;
  const B = b.name;
  const sentences = namespaceSentences(A, B, namespaces);
  if (capEff && (capEff.onlyA.length > 0 || capEff.onlyB.length > 0)) {
    const parts: string[] = [];
    if (capEff.onlyA.length > 0) parts.push(`only ${A} has ${capEff.onlyA.join(', ')}`);
    if (capEff.onlyB.length > 0) parts.push(`only ${B} has ${capEff.onlyB.join(', ')}`);
    sentences.push(`Effective capabilities differ: ${parts.join('; ')}.`);
  }
  const otherDiffs = rows.filter((r) => r.counts && r.same === false && !r.aspect.startsWith('capabilities'));
  for (const r of otherDiffs) sentences.push(`${r.aspect[0]?.toUpperCase() ?? ''}${r.aspect.slice(1)}: ${A} ${r.a}, ${B} ${r.b}.`);
  const sameAspects = rows.filter((r) => r.counts && r.same === true).map((r) => r.aspect);
  if (sa && sb && sameAspects.length > 0) sentences.push(`The same in both: ${joinWords(sameAspects)}.`);
  if (!sa || !sb) sentences.push(`What ${!sa && !sb ? 'they are' : !sa ? `${A} is` : `${B} is`} allowed to do is unknown (its /proc files were not read).`);
  sentences.push(differences.length === 0 ? 'In configuration they do not differ.' : `In short, they differ in: ${differences.join(', ')}${differences.length === 1 ? ' only' : ''}.`);

  return { a, b, namespaces, rows, capEff, capBnd, differences, verdict: sentences.join(' ') };
}
