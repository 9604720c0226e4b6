import { ProcParseError } from './errors';
import { parseDecimal } from './parse';

/** One line of proc(5) /proc/PID/cgroup: `hierarchy-ID:controller-list:cgroup-path` (cgroups(7)). */
export interface CgroupEntry {
  /** 0 for the cgroup v2 unified hierarchy. */
  readonly hierarchyId: number;
  /** e.g. ['cpu', 'cpuacct'], ['name=systemd']; [] on the v2 line. */
  readonly controllers: readonly string[];
  /** Path relative to the hierarchy's mount point (and to the reader's cgroup namespace root); may contain ':'. */
  readonly path: string;
}

/** Parses proc(5)/cgroups(7) /proc/PID/cgroup, splitting each line on its first two colons only. Throws ProcParseError. */
export function parseCgroupFile(text: string): CgroupEntry[] {
  const entries: CgroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const c1 = line.indexOf(':');
    const c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
    if (c2 < 0) throw new ProcParseError('cgroup', `expected "id:controllers:path", got ${JSON.stringify(line)}`);
    const hierarchyId = parseDecimal(line.slice(0, c1), 'cgroup', 'hierarchy id');
    const list = line.slice(c1 + 1, c2);
    const path = line.slice(c2 + 1);
    if (!path.startsWith('/')) throw new ProcParseError('cgroup', `path is not absolute in ${JSON.stringify(line)}`);
    entries.push({ hierarchyId, controllers: list === '' ? [] : list.split(','), path });
  }
  return entries;
}

/**
 * The path that identifies a process's cgroup (cgroups(7)): the v2 path on a pure v2 host,
 * else the v1 memory controller's path, else the `0::` path, else the first entry's; null if none.
 */
export function pickCgroupPath(entries: readonly CgroupEntry[]): string | null {
  const first = entries[0];
  if (first === undefined) return null;
  let v2: CgroupEntry | undefined;
  for (const e of entries) {
    if (e.hierarchyId === 0) {
      v2 ??= e;
    } else if (e.controllers.includes('memory')) {
      return e.path;
    }
  }
  return (v2 ?? first).path;
}
