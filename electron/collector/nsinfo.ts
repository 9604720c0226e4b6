import { execFile } from 'node:child_process';
import type { NamespaceKind } from '../../shared/namespaces';
import { NAMESPACE_KINDS } from '../../shared/namespaces';
import type { NsfsMount } from './discover/nsfs-mounts';
import type { LsnsNamespace } from './lsns';
import { findNativeHelper } from './native-helper';
import type { ProcessRecord } from './procfs/process';

/** Why the nsinfo helper could not answer. */
export class NsinfoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NsinfoError';
  }
}

/** Where `npm run build` puts the helper, seen from the sources (tsx) or from dist/. */
export const findNsinfo = (): string | null => findNativeHelper('isolens-nsinfo');

const toRelated = (s: string | undefined): number | null => {
  const n = Number(s);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/**
 * Parses the helper's lines (`path inode type parent owner`, tab-separated; ioctl_ns(2)) into
 * lsns-shaped records; error lines and unknown types are skipped. Pure.
 */
export function parseNsinfo(text: string): LsnsNamespace[] {
  const out: LsnsNamespace[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f.length !== 5 || f[1] === 'error') continue;
    const ns = Number(f[1]);
    const type = f[2] as NamespaceKind;
    if (!Number.isSafeInteger(ns) || ns <= 0 || !(NAMESPACE_KINDS as readonly string[]).includes(type)) continue;
    out.push({ ns, type, nprocs: 0, pid: null, ppid: null, pns: toRelated(f[3]), ons: toRelated(f[4]), netnsid: null, nsfs: [] });
  }
  return out;
}

/** One nsfs path per namespace not in `known`: the ns link of its first member (or a bind mount), for the helper to open. */
export function representativePaths(
  procRoot: string, processes: readonly ProcessRecord[], mounts: readonly NsfsMount[], known: ReadonlySet<number> = new Set(),
): string[] {
  const seen = new Set<number>(known);
  const paths: string[] = [];
  for (const p of processes) {
    for (const kind of NAMESPACE_KINDS) {
      const id = p.namespaces[kind];
      if (id === null || seen.has(id)) continue;
      seen.add(id);
      paths.push(`${procRoot}/${p.pid}/ns/${kind}`);
    }
    const forChildren = p.namespaces.pid_for_children;
    if (forChildren !== null && !seen.has(forChildren)) {
      seen.add(forChildren);
      paths.push(`${procRoot}/${p.pid}/ns/pid_for_children`);
    }
  }
  for (const m of mounts) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    paths.push(m.path);
  }
  return paths;
}

/** Runs the helper on the given nsfs paths; rejects with NsinfoError. */
export function runNsinfo(binary: string, paths: readonly string[], timeoutMs = 10_000): Promise<LsnsNamespace[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, [], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout) => {
      if (err) reject(new NsinfoError(`${binary}: ${err.message}`));
      else resolve(parseNsinfo(stdout));
    });
    child.stdin?.on('error', () => undefined); // a helper that died early: the callback reports it
    child.stdin?.end(paths.join('\n') + '\n');
  });
}
