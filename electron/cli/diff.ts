import { type CompareSubject, type Comparison, compareSubjects, type NamespaceRelation, subjectFromContainer, subjectFromProcess } from '../../shared/compare';
import type { ContainerInfo, Snapshot } from '../../shared/model';
import { readLimits } from '../collector/cgroupfs/limits';
import { readConfinementHost } from '../collector/confinement/host';
import { addConfinement } from '../collector/confinement/pass';
import { readSecurity } from '../collector/confinement/security';
import { defaultEngines } from '../collector/engines/registry';
import type { EngineAdapter } from '../collector/engines/types';
import { ProcReadError } from '../collector/procfs/errors';
import { readProcess, type ProcessRecord } from '../collector/procfs/process';
import { cgroupMountsOf, liveSources, takeSnapshot } from '../collector/snapshot';

/** What a command-line argument of `isolens diff` names: a container, or a host process. */
export type SubjectRef = { readonly kind: 'container'; readonly container: ContainerInfo } | { readonly kind: 'process'; readonly pid: number };

/**
 * Resolves `arg` against a snapshot: a container's exact name or id first, then (all digits) a
 * host pid, then a unique container id prefix. An error says what was not found or is ambiguous.
 */
export function resolveSubject(snap: Snapshot, arg: string): SubjectRef | { readonly error: string } {
  const name = arg.replace(/^\//, '');
  const exact = snap.containers.find((c) => c.name === name || c.id === arg);
  if (exact) return { kind: 'container', container: exact };
  if (/^\d+$/.test(arg)) {
    const pid = Number(arg);
    if (snap.processes.some((p) => p.pid === pid)) return { kind: 'process', pid };
  }
  if (/^[0-9a-f]+$/i.test(arg)) {
    const matches = snap.containers.filter((c) => c.id.startsWith(arg.toLowerCase()));
    if (matches.length === 1 && matches[0]) return { kind: 'container', container: matches[0] };
    if (matches.length > 1) return { error: `"${arg}" is ambiguous: it starts the ids of ${matches.map((c) => c.name).join(', ')}` };
  }
  const what = /^\d+$/.test(arg) ? 'no container and no process' : 'no container';
  return { error: `${what} "${arg}" (give a container name, id or id prefix, or a host pid)` };
}

const RELATION: Record<NamespaceRelation, string> = {
  'both-host': 'same (the host\'s)',
  shared: 'SAME (shared)',
  'a-host': 'DIFFERS: A\'s is the host\'s',
  'b-host': 'DIFFERS: B\'s is the host\'s',
  separate: 'separate (each its own)',
  unknown: 'unknown',
};

const clip = (s: string, w: number): string => (s.length <= w ? s : `${s.slice(0, w - 1)}…`);

/** Wraps text at `width` columns with `indent` before every line. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

function describe(s: CompareSubject): string {
  if (s.kind === 'process') return `${s.name}${s.containerName ? `, in container ${s.containerName}` : ', a host process'}`;
  return `container ${s.name} (${s.id && /^[0-9a-f]{64}$/.test(s.id) ? s.id.slice(0, 12) : s.id ?? '?'}, init pid ${s.pid ?? '?'})`;
}

/** The comparison as a table (aspect | A | B | verdict per row) and a one-paragraph verdict, `width` columns wide. */
export function formatComparison(cmp: Comparison, width = 120): string {
  const col = Math.max(16, Math.min(40, Math.floor((width - 26 - 24) / 2)));
  const head = 26;
  const line = (aspect: string, a: string, b: string, v: string): string =>
    `${aspect.padEnd(head)}${clip(a, col).padEnd(col + 2)}${clip(b, col).padEnd(col + 2)}${v}`.trimEnd();
  const host = (id: number | null, kind: keyof CompareSubject['hostNamespaces']): string =>
    id === null ? 'unreadable' : `${id}${cmp.a.hostNamespaces[kind] === id ? ' (host)' : ''}`;
  const out: string[] = [
    `A: ${describe(cmp.a)}`,
    `B: ${describe(cmp.b)}`,
    '',
    line('', 'A', 'B', ''),
    'namespaces',
  ];
  for (const n of cmp.namespaces) out.push(line(`  ${n.kind}`, host(n.a, n.kind), host(n.b, n.kind), RELATION[n.relation]));
  out.push('');
  for (const r of cmp.rows) {
    const v = r.same === null ? '?' : r.same ? 'same' : r.counts ? 'DIFFERS' : 'different';
    out.push(line(r.aspect, r.a, r.b, v));
    const sp = r.aspect === 'capabilities (effective)' ? cmp.capEff : r.aspect === 'capabilities (bounding)' ? cmp.capBnd : null;
    if (sp && sp.onlyA.length > 0) out.push(wrap(`only in A: ${sp.onlyA.join(', ')}`, width, '    '));
    if (sp && sp.onlyB.length > 0) out.push(wrap(`only in B: ${sp.onlyB.join(', ')}`, width, '    '));
  }
  out.push('', 'verdict', wrap(cmp.verdict, width, '  '), '');
  return out.join('\n');
}

/** Where `isolens diff` reads from (tests may point it elsewhere). */
export interface DiffSources {
  readonly procRoot: string;
  readonly sysRoot: string;
  readonly engines: readonly EngineAdapter[];
}

/** Output streams of a command. */
export interface CommandIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

const DIFF_USAGE = 'usage: isolens diff A B [--json]   (A, B: container name, id or id prefix, or host pid)\n';

/**
 * `isolens diff A B [--json]`: compares two containers or host processes. Exit 0 with the table
 * and verdict (or JSON); exit 2 with a message when an argument is missing, unknown or ambiguous.
 */
export async function diffCommand(
  args: readonly string[],
  io: CommandIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
  src: DiffSources = { procRoot: '/proc', sysRoot: '/sys', engines: defaultEngines() },
): Promise<number> {
  const json = args.includes('--json');
  const bad = args.filter((a) => a.startsWith('-') && a !== '--json');
  const names = args.filter((a) => !a.startsWith('-'));
  if (bad.length > 0 || names.length !== 2) {
    io.err(`isolens diff: ${bad.length > 0 ? `unknown option ${bad.join(' ')}` : `expected two subjects, got ${names.length}`}\n${DIFF_USAGE}`);
    return 2;
  }
  const snap = await takeSnapshot({ ...liveSources(src.engines), procRoot: src.procRoot, lsns: null });
  const refs = names.map((n) => resolveSubject(snap, n));
  const errors = refs.flatMap((r, i) => ('error' in r ? [`${i === 0 ? 'A' : 'B'}: ${r.error}`] : []));
  if (errors.length > 0) {
    io.err(`isolens diff: ${errors.join('; ')}\n`);
    return 2;
  }

  // The process records of the subjects (and PID 1, for the host's bounding set).
  const records = new Map<number, ProcessRecord>();
  const want = [1, ...refs.map((r) => ('error' in r ? null : r.kind === 'process' ? r.pid : r.container.pid))];
  for (const pid of want) {
    if (pid === null || records.has(pid)) continue;
    const rec = readProcess(src.procRoot, pid);
    if (!(rec instanceof ProcReadError)) records.set(pid, rec);
  }
  const host = readConfinementHost({
    procRoot: src.procRoot, sysRoot: src.sysRoot, processes: records, namespaces: snap.host.namespaces, cgroupVersion: snap.host.cgroupVersion,
  });
  const mounts = cgroupMountsOf(src.procRoot, []);
  const subjects: CompareSubject[] = [];
  for (const r of refs) {
    if ('error' in r) return 2;
    if (r.kind === 'container') {
      const c = r.container.security ? r.container : (addConfinement([r.container], records, src.procRoot, host)[0] ?? r.container);
      subjects.push(subjectFromContainer(snap, c));
    } else {
      const rec = records.get(r.pid);
      const s = subjectFromProcess(snap, r.pid, {
        security: rec ? readSecurity(rec, src.procRoot, host, null) : null,
        limits: rec ? readLimits(mounts, rec.cgroups) : null,
      });
      if (!s) {
        io.err(`isolens diff: process ${r.pid} vanished\n`);
        return 2;
      }
      subjects.push(s);
    }
  }
  const [a, b] = subjects;
  if (!a || !b) return 2;
  const cmp = compareSubjects(a, b);
  io.out(json ? JSON.stringify(cmp, null, 2) + '\n' : formatComparison(cmp, process.stdout.columns ?? 120));
  return 0;
}
