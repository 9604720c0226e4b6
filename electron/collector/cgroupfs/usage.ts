import { CgroupParseError } from './errors';
import { readParsed } from './files';
import { parseCounter, parseMemoryLimit, parsePidsMax, readCpuQuota } from './limits';
import type { CgroupMembership } from './membership';
import { locateController } from './membership';
import type { CgroupMounts } from './mounts';

/** Memory use of a cgroup (cgroup-v1 memory.txt, cgroup-v2.rst "Memory Interface Files"). */
export interface CgroupMemoryUsage {
  /** Usage as `docker stats` shows it: v1 memory.usage_in_bytes − total_inactive_file, v2 memory.current − inactive_file. */
  readonly usageBytes: number;
  /** v1 memory.limit_in_bytes, v2 memory.max; null = unlimited. */
  readonly limitBytes: number | null;
  /** High-water mark: v1 memory.max_usage_in_bytes, v2 memory.peak (kernel >= 5.19); null when absent. */
  readonly peakBytes: number | null;
  /** Processes killed by the OOM killer in this cgroup: v1 memory.oom_control `oom_kill` (kernel >= 4.13), v2 memory.events `oom_kill`. */
  readonly oomKills: number | null;
}

/** CPU use and CFS bandwidth throttling of a cgroup (cgroup-v1 cpuacct.txt and sched-bwc.rst, cgroup-v2.rst cpu.stat). */
export interface CgroupCpuUsage {
  /** Total CPU time consumed: v1 cpuacct.usage (ns), v2 cpu.stat usage_usec × 1000. */
  readonly usageNanos: number | null;
  /** Quota in cores (cpu.cfs_quota_us / cpu.cfs_period_us, or cpu.max); null = unlimited. */
  readonly quotaCores: number | null;
  /** cpu.stat nr_periods: enforcement periods that have elapsed. */
  readonly periods: number | null;
  /** cpu.stat nr_throttled: periods in which the cgroup was throttled. */
  readonly throttledPeriods: number | null;
  /** Time spent throttled: v1 cpu.stat throttled_time (ns), v2 throttled_usec × 1000. */
  readonly throttledNanos: number | null;
}

/** Process count of a cgroup (cgroup-v1 pids.txt, cgroup-v2.rst "PID Interface Files"). */
export interface CgroupPidsUsage {
  /** pids.current. */
  readonly current: number;
  /** pids.max; null = unlimited. */
  readonly max: number | null;
}

/**
 * What a container's cgroup uses right now, for live charts: one sample of memory, CPU and pids
 * counters (cgroup-v1 memory/cpuacct/cpu/pids docs, cgroup-v2.rst). Counters are cumulative (CPU time,
 * throttling): rates come from the difference of two samples. null for a controller whose files are absent.
 */
export interface CgroupUsage {
  readonly memory: CgroupMemoryUsage | null;
  readonly cpu: CgroupCpuUsage | null;
  readonly pids: CgroupPidsUsage | null;
}

/** cgroup-v2.rst "Format" flat keyed files ("key value" lines: memory.stat, cpu.stat, memory.events, v1 memory.oom_control); throws CgroupParseError. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^(\S+) (-?\d+)$/.exec(line.trim());
    if (!m || m[1] === undefined || m[2] === undefined) {
      throw new CgroupParseError('flat keyed file', `expected "key integer", got ${JSON.stringify(line)}`);
    }
    out.set(m[1], Number(m[2]));
  }
  return out;
}

function readMemory(mounts: CgroupMounts, memberships: readonly CgroupMembership[], warnings?: string[]): CgroupMemoryUsage | null {
  const mem = locateController(mounts, memberships, 'memory');
  if (!mem) return null;
  const v1 = mem.version === 1;
  const usage = readParsed(mem.dir, v1 ? 'memory.usage_in_bytes' : 'memory.current', (t) => parseCounter(t, 'memory usage'), warnings);
  if (usage === null) return null;
  const stat = readParsed(mem.dir, 'memory.stat', parseFlatKeyed, warnings);
  const inactiveFile = stat?.get(v1 ? 'total_inactive_file' : 'inactive_file');
  const events = readParsed(mem.dir, v1 ? 'memory.oom_control' : 'memory.events', parseFlatKeyed, warnings);
  return {
    usageBytes: inactiveFile !== undefined && inactiveFile < usage ? usage - inactiveFile : usage,
    limitBytes: readParsed(mem.dir, v1 ? 'memory.limit_in_bytes' : 'memory.max', parseMemoryLimit, warnings),
    peakBytes: readParsed(mem.dir, v1 ? 'memory.max_usage_in_bytes' : 'memory.peak', (t) => parseCounter(t, 'memory peak'), warnings),
    oomKills: events?.get('oom_kill') ?? null,
  };
}

function readCpu(mounts: CgroupMounts, memberships: readonly CgroupMembership[], warnings?: string[]): CgroupCpuUsage | null {
  const cpu = locateController(mounts, memberships, 'cpu');
  const stat = cpu ? readParsed(cpu.dir, 'cpu.stat', parseFlatKeyed, warnings) : null;
  let usageNanos: number | null = null;
  let throttledNanos: number | null = null;
  if (cpu?.version === 2) {
    const usec = stat?.get('usage_usec');
    usageNanos = usec === undefined ? null : usec * 1000;
    const thr = stat?.get('throttled_usec');
    throttledNanos = thr === undefined ? null : thr * 1000;
  } else {
    const acct = locateController(mounts, memberships, 'cpuacct');
    usageNanos = acct ? readParsed(acct.dir, 'cpuacct.usage', (t) => parseCounter(t, 'cpuacct.usage'), warnings) : null;
    throttledNanos = stat?.get('throttled_time') ?? null;
  }
  const result: CgroupCpuUsage = {
    usageNanos,
    quotaCores: readCpuQuota(mounts, memberships, warnings),
    periods: stat?.get('nr_periods') ?? null,
    throttledPeriods: stat?.get('nr_throttled') ?? null,
    throttledNanos,
  };
  return Object.values(result).every((v) => v === null) ? null : result;
}

function readPids(mounts: CgroupMounts, memberships: readonly CgroupMembership[], warnings?: string[]): CgroupPidsUsage | null {
  const pids = locateController(mounts, memberships, 'pids');
  if (!pids) return null;
  const current = readParsed(pids.dir, 'pids.current', (t) => parseCounter(t, 'pids.current'), warnings);
  if (current === null) return null;
  return { current, max: readParsed(pids.dir, 'pids.max', parsePidsMax, warnings) };
}

/**
 * One usage sample of a process's cgroup (see CgroupUsage). Never throws: absent files give null,
 * unreadable or malformed ones give null and a message in `warnings`.
 */
export function readUsage(mounts: CgroupMounts, memberships: readonly CgroupMembership[], warnings?: string[]): CgroupUsage {
  return {
    memory: readMemory(mounts, memberships, warnings),
    cpu: readCpu(mounts, memberships, warnings),
    pids: readPids(mounts, memberships, warnings),
  };
}
