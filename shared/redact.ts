// Redaction of a snapshot before it leaves the machine (a recording, an export, a bug report):
// pure functions, record by record, so a redacted delta folds into a redacted snapshot exactly
// as the unredacted ones would (redact(apply(s, d)) = apply(redact(s), redact(d))).
import type { Finding, MountFact } from './confinement';
import type { Delta, DeltaRecords, SequencedSnapshot } from './delta';
import type { ContainerInfo, EngineStatus, HostInfo, NamespaceInfo, ProcessInfo, Snapshot } from './model';

/** What to hide. Label values and /home paths have their own switches, on unless set to false. */
export interface RedactOptions {
  /** proc(5) /proc/PID/cmdline: keep only argv[0]'s base name, the rest becomes "…" (comm is kept). */
  readonly commandLines: boolean;
  /** uname(2) nodename → "host"; engine endpoints' and image registries' host names → "host" / "registry". */
  readonly hostnames: boolean;
  /** Container label values → "…" (keys are kept). Default true. */
  readonly labels?: boolean;
  /** Host paths under /home/USER (mount sources, bind mounts, finding evidence, warnings) → /home/…. Default true. */
  readonly homePaths?: boolean;
}

/** Everything hidden: what `record --redact` and `snapshot --redact` use. */
export const REDACT_ALL: RedactOptions = { commandLines: true, hostnames: true, labels: true, homePaths: true };
/** What replaces a hidden value. */
export const REDACTED = '…';
/** What replaces the host's name. */
export const REDACTED_HOSTNAME = 'host';
/** What replaces a private image registry's host name. */
export const REDACTED_REGISTRY = 'registry';

/** Public registries whose names say nothing about the recorder's site (docker-pull(1) image references). */
const PUBLIC_REGISTRIES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'ghcr.io', 'quay.io', 'gcr.io', 'registry.k8s.io', 'mcr.microsoft.com', 'public.ecr.aws']);

/** The last component of a path ("/usr/bin/python3" → "python3"; "" when there is none). */
function baseName(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? trimmed : trimmed.slice(i + 1);
}

/**
 * proc(5) /proc/PID/cmdline, redacted: argv[0]'s base name, then "…" if anything else was there.
 * An argv[0] rewritten with spaces ("sshd: alice@pts/0") keeps only its first word.
 */
export function redactCmdline(cmdline: readonly string[]): string[] {
  const argv0 = cmdline[0];
  if (argv0 === undefined) return [];
  const firstWord = argv0.trim().split(/\s+/)[0] ?? '';
  const base = baseName(firstWord);
  const dropped = cmdline.length > 1 || firstWord !== argv0;
  return dropped ? [base, REDACTED] : [base];
}

const HOME_IN_TEXT = /\/home\/[^\s"'`,;:)\]}]+/g;

/** A host path (or a sentence holding some) with every /home/USER/… replaced by /home/…. */
export function redactHomePaths(text: string): string {
  return text.replace(HOME_IN_TEXT, `/home/${REDACTED}`);
}

/** docker-pull(1) image reference with a private registry's host replaced ("git.corp:5000/app:1" → "registry/app:1"). */
export function redactImage(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return image;
  const first = image.slice(0, slash);
  const isRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (!isRegistry || PUBLIC_REGISTRIES.has(first)) return image;
  return `${REDACTED_REGISTRY}${image.slice(slash)}`;
}

/** An engine endpoint (unix:// socket paths are kept; tcp://, http(s)://, ssh:// hosts become "host"). */
export function redactEndpoint(endpoint: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^@/]*@)?(\[[^\]]*\]|[^/:]*)(.*)$/i.exec(endpoint);
  if (!m || /^unix:/i.test(endpoint) || /^npipe:/i.test(endpoint)) return endpoint;
  const host = m[2] ?? '';
  if (host === '' || host === 'localhost' || host === '127.0.0.1' || host === '[::1]') return endpoint;
  return `${m[1] ?? ''}${REDACTED_HOSTNAME}${m[3] ?? ''}`;
}

interface Resolved {
  readonly commandLines: boolean;
  readonly hostnames: boolean;
  readonly labels: boolean;
  readonly homePaths: boolean;
}

function resolve(o: RedactOptions): Resolved {
  return { commandLines: o.commandLines, hostnames: o.hostnames, labels: o.labels ?? true, homePaths: o.homePaths ?? true };
}

function process_(p: ProcessInfo, o: Resolved): ProcessInfo {
  return o.commandLines ? { ...p, cmdline: redactCmdline(p.cmdline) } : p;
}

function mount(m: MountFact): MountFact {
  const home = (s: string): string => redactHomePaths(s);
  return { ...m, target: home(m.target), root: home(m.root), source: home(m.source), hostPath: m.hostPath === null ? null : home(m.hostPath) };
}

function finding(f: Finding): Finding {
  return { ...f, message: redactHomePaths(f.message), evidence: redactHomePaths(f.evidence) };
}

function container(c: ContainerInfo, o: Resolved): ContainerInfo {
  let out: ContainerInfo = c;
  if (o.labels && Object.keys(c.labels).length > 0) {
    out = { ...out, labels: Object.fromEntries(Object.keys(c.labels).map((k) => [k, REDACTED])) };
  }
  if (o.hostnames && c.image !== null) out = { ...out, image: redactImage(c.image) };
  if (o.homePaths && c.security) out = { ...out, security: { ...c.security, mounts: c.security.mounts.map(mount) } };
  if (o.homePaths && c.findings) out = { ...out, findings: c.findings.map(finding) };
  return out;
}

function namespace(n: NamespaceInfo, o: Resolved): NamespaceInfo {
  if (!o.homePaths || (n.path === null && !n.holders?.some((h) => h.path !== undefined))) return n;
  return {
    ...n,
    path: n.path === null ? null : redactHomePaths(n.path),
    ...(n.holders ? { holders: n.holders.map((h) => (h.path === undefined ? h : { ...h, path: redactHomePaths(h.path) })) } : {}),
  };
}

function host(h: HostInfo, o: Resolved): HostInfo {
  return o.hostnames ? { ...h, hostname: REDACTED_HOSTNAME } : h;
}

function engines(list: readonly EngineStatus[], o: Resolved): readonly EngineStatus[] {
  if (!o.hostnames && !o.homePaths) return list;
  return list.map((e) => ({
    ...e,
    endpoint: o.hostnames ? redactEndpoint(e.endpoint) : e.endpoint,
    error: e.error === null || !o.homePaths ? e.error : redactHomePaths(e.error),
  }));
}

function warnings(list: readonly string[], o: Resolved): readonly string[] {
  return o.homePaths ? list.map(redactHomePaths) : list;
}

function records(r: DeltaRecords, o: Resolved): DeltaRecords {
  return {
    processes: r.processes.map((p) => process_(p, o)),
    namespaces: r.namespaces.map((n) => namespace(n, o)),
    containers: r.containers.map((c) => container(c, o)),
  };
}

/** A snapshot with command lines, host names, label values and /home paths hidden as `opts` says (pure). */
export function redactSnapshot(snapshot: Snapshot, opts: RedactOptions): Snapshot {
  const o = resolve(opts);
  return {
    ...snapshot,
    host: host(snapshot.host, o),
    processes: snapshot.processes.map((p) => process_(p, o)),
    namespaces: snapshot.namespaces.map((n) => namespace(n, o)),
    containers: snapshot.containers.map((c) => container(c, o)),
    engines: engines(snapshot.engines, o),
    warnings: warnings(snapshot.warnings, o),
  };
}

/** A delta redacted the same way, record by record, so it still folds into a redacted snapshot (pure). */
export function redactDelta(delta: Delta, opts: RedactOptions): Delta {
  const o = resolve(opts);
  return {
    ...delta,
    added: records(delta.added, o),
    updated: records(delta.updated, o),
    ...(delta.host ? { host: host(delta.host, o) } : {}),
    ...(delta.engines ? { engines: engines(delta.engines, o) } : {}),
    ...(delta.warnings ? { warnings: warnings(delta.warnings, o) } : {}),
  };
}

/** A sequenced snapshot with its snapshot redacted (usage samples hold nothing to hide). */
export function redactSequenced(state: SequencedSnapshot, opts: RedactOptions): SequencedSnapshot {
  return { ...state, snapshot: redactSnapshot(state.snapshot, opts) };
}

/** An engine list (the 'engines' event) redacted like a snapshot's. */
export function redactEngines(list: readonly EngineStatus[], opts: RedactOptions): readonly EngineStatus[] {
  return engines(list, resolve(opts));
}
