import type { ContainerInfo, ProcessInfo, Snapshot } from '../../shared/model';
import type { NamespaceKind } from '../../shared/namespaces';
import { NAMESPACE_KINDS } from '../../shared/namespaces';

/** A process's place in the host tree (ps(1) `axf` order): depth and whether it is the last child. */
interface TreeLine {
  readonly p: ProcessInfo;
  readonly prefix: string;
}

/** Orders processes as `ps axf` does: each parent followed by its children, by pid. */
export function treeOrder(processes: readonly ProcessInfo[]): TreeLine[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const children = new Map<number, ProcessInfo[]>();
  const roots: ProcessInfo[] = [];
  for (const p of processes) {
    if (p.ppid !== p.pid && byPid.has(p.ppid)) {
      const list = children.get(p.ppid);
      if (list) list.push(p);
      else children.set(p.ppid, [p]);
    } else {
      roots.push(p);
    }
  }
  const out: TreeLine[] = [];
  const walk = (p: ProcessInfo, indent: string, isRoot: boolean): void => {
    out.push({ p, prefix: isRoot ? '' : `${indent}\\_ ` });
    const kids = (children.get(p.pid) ?? []).sort((a, b) => a.pid - b.pid);
    for (const k of kids) walk(k, isRoot ? ' ' : `${indent}   `, false);
  };
  for (const r of roots.sort((a, b) => a.pid - b.pid)) walk(r, '', true);
  return out;
}

/** The namespace kinds in which a process differs from the host's. */
export function differingKinds(p: ProcessInfo, host: Snapshot['host']): NamespaceKind[] {
  return NAMESPACE_KINDS.filter((k) => {
    const mine = p.namespaces[k];
    const theirs = host.namespaces[k];
    return mine !== null && theirs !== undefined && mine !== theirs;
  });
}

/** Control characters (a newline in an argument) would break the tree: shown escaped. */
const printable = (s: string): string =>
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  s.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));

const command = (p: ProcessInfo): string => printable(p.cmdline.length > 0 ? p.cmdline.join(' ') : `[${p.comm}]`);

const fmtBytes = (n: number | null): string => (n === null ? 'unlimited' : n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(1)} GiB` : `${(n / (1 << 20)).toFixed(0)} MiB`);

/** One line per container: engine, name, image, init pid, limits, and what it shares with the host. */
export function formatContainer(c: ContainerInfo): string {
  const limits = [
    `mem ${fmtBytes(c.limits.memoryBytes)}`,
    `cpus ${c.limits.cpus ?? 'unlimited'}`,
    `pids ${c.limits.pidsMax ?? 'unlimited'}`,
    ...(c.limits.cpuset ? [`cpuset ${c.limits.cpuset}`] : []),
  ].join(', ');
  const shared = c.sharedWithHost.length > 0 ? `shares ${c.sharedWithHost.join(' ')} with host` : 'shares no namespace with host';
  return `${c.engine.padEnd(6)} ${printable(c.name)}  ${c.image ?? '-'}  init pid ${c.pid ?? '?'}  (${limits}; ${shared}; ${c.pids.length} processes)`;
}

/**
 * Renders a snapshot as text: a header, the containers, then the host process tree like
 * `ps axf`, each container's processes marked with its name, their PID inside, and the
 * namespaces in which they differ from the host's.
 */
export function formatSnapshot(s: Snapshot, users: ReadonlyMap<number, string>, width = 160): string {
  const lines: string[] = [];
  lines.push(`isolens snapshot of ${s.host.hostname} at ${s.takenAt}: kernel ${s.host.kernel}, cgroup v${s.host.cgroupVersion}, ${s.processes.length} processes, ${s.namespaces.length} namespaces`);
  for (const e of s.engines) lines.push(`engine ${e.name}: ${e.available ? `up (${e.version ?? '?'}) at ${e.endpoint}` : `down: ${e.error ?? '?'}`}`);
  lines.push('');
  if (s.containers.length === 0) lines.push('No containers (try: docker run -d --network none isolens/busybox:test sleep 600)');
  else for (const c of s.containers) lines.push(formatContainer(c));
  lines.push('');
  const containers = new Map(s.containers.map((c) => [c.id, c]));
  lines.push(`${'PID'.padStart(7)} ${'NSPID'.padStart(6)} ${'USER'.padEnd(8)} COMMAND`);
  for (const { p, prefix } of treeOrder(s.processes)) {
    const inner = p.nspid.length > 1 ? String(p.nspid[p.nspid.length - 1]) : '-';
    const user = p.uid === null ? '?' : (users.get(p.uid) ?? String(p.uid));
    let tail = '';
    const c = p.containerId === null ? undefined : containers.get(p.containerId);
    if (c) tail += `  [${c.engine}:${printable(c.name)}${c.pid === p.pid ? ' init' : ''}]`;
    const kinds = differingKinds(p, s.host);
    if (kinds.length > 0) tail += ` ns:${kinds.join(',')}`;
    const head = `${String(p.pid).padStart(7)} ${inner.padStart(6)} ${user.slice(0, 8).padEnd(8)} ${prefix}`;
    const room = Math.max(20, width - head.length - tail.length);
    const cmd = command(p);
    lines.push(head + (cmd.length > room ? `${cmd.slice(0, room - 1)}…` : cmd) + tail);
  }
  if (s.warnings.length > 0) {
    lines.push('');
    for (const w of s.warnings) lines.push(`warning: ${w}`);
  }
  return lines.join('\n') + '\n';
}

/** Parses passwd(5) text into uid → name. */
export function parsePasswd(text: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && f[0] && /^\d+$/.test(f[2] ?? '')) m.set(Number(f[2]), f[0]);
  }
  return m;
}
