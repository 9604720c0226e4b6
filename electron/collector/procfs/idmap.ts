import type { IdMapEntry } from '../../../shared/confinement';
import { ProcParseError, toProcReadError } from './errors';
import { parseDecimal } from './parse';
import { readProcText } from './read';

/** Which id map of a process: /proc/PID/uid_map or gid_map (user_namespaces(7)). */
export type IdMapKind = 'uid' | 'gid';

const MAX_ID = 4294967295;

/**
 * Parses proc(5) /proc/PID/uid_map or gid_map: lines of "ID-inside ID-outside length", each
 * number right-aligned in 10 columns (user_namespaces(7)). Throws ProcParseError on a malformed
 * line or ids beyond 2^32.
 */
export function parseIdMap(text: string, kind: IdMapKind = 'uid'): IdMapEntry[] {
  const file = `${kind}_map`;
  const out: IdMapEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 3) throw new ProcParseError(file, `expected "inside outside count", got ${JSON.stringify(line)}`);
    const [inside, outside, count] = parts.map((p) => parseDecimal(p, file, 'id')) as [number, number, number];
    if (inside > MAX_ID || outside > MAX_ID || count > MAX_ID || count === 0) {
      throw new ProcParseError(file, `id out of range in ${JSON.stringify(line)}`);
    }
    out.push({ inside, outside, count });
  }
  return out;
}

/** True when the map is the initial user namespace's "0 0 4294967295" (or any map with inside = outside everywhere): no remapping. */
export function isIdentityMap(map: readonly IdMapEntry[]): boolean {
  return map.length > 0 && map.every((e) => e.inside === e.outside);
}

/** The id outside (as the reader's user namespace sees it) of `inside`; null when unmapped. */
export function mapToOutside(map: readonly IdMapEntry[], inside: number): number | null {
  for (const e of map) if (inside >= e.inside && inside - e.inside < e.count) return e.outside + (inside - e.inside);
  return null;
}

/** The id inside of an id seen from outside; null when it has no mapping (it shows as the overflow id 65534 inside). */
export function mapToInside(map: readonly IdMapEntry[], outside: number): number | null {
  for (const e of map) if (outside >= e.outside && outside - e.outside < e.count) return e.inside + (outside - e.outside);
  return null;
}

/** One-line description of a uid map: "identity (no remapping)", "root inside = uid 100000 outside (65536 ids)", "root unmapped", "empty (no ids mapped)". */
export function describeIdMap(map: readonly IdMapEntry[], kind: IdMapKind = 'uid'): string {
  if (map.length === 0) return 'empty (no ids mapped yet)';
  if (isIdentityMap(map)) return 'identity (no remapping)';
  const total = map.reduce((n, e) => n + e.count, 0);
  const root = mapToOutside(map, 0);
  const ids = `${total} id${total === 1 ? '' : 's'}`;
  if (root === null) return `root unmapped; ${map.map((e) => `${kind} ${e.inside} inside = ${e.outside} outside`).join(', ')} (${ids})`;
  return `root inside = ${kind} ${root} outside (${ids})`;
}

/** Reads and parses ${procRoot}/PID/uid_map or gid_map; throws ProcReadError (ENOENT: a vanished process or a kernel without user namespaces; EPARSE). */
export function readIdMap(procRoot: string, pid: number, kind: IdMapKind): IdMapEntry[] {
  const path = `${procRoot}/${pid}/${kind}_map`;
  const text = readProcText(path, pid);
  try {
    return parseIdMap(text, kind);
  } catch (err) {
    throw toProcReadError(err, pid, path);
  }
}
