import type { CgroupLimits } from '../../../shared/model';
import { CgroupParseError } from './errors';
import { readParsed } from './files';
import type { CgroupMembership } from './membership';
import { locateController } from './membership';
import type { CgroupMounts } from './mounts';

/**
 * Values at or above 2^62 mean "no limit": v1 memory.limit_in_bytes shows PAGE_COUNTER_MAX * PAGE_SIZE
 * (9223372036854771712 with 4 KiB pages), which is not exact as a JS number.
 */
const UNLIMITED_BYTES = 2n ** 62n;

/** Trims the single trailing newline (and surrounding blanks) the kernel writes after a value. */
function value(text: string): string {
  return text.trim();
}

/** A non-negative decimal integer (cgroup-v2.rst "Format": single value files); throws CgroupParseError. */
export function parseCounter(text: string, what = 'counter'): number {
  const v = value(text);
  if (!/^\d+$/.test(v)) throw new CgroupParseError(what, `expected a non-negative integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** cgroup-v2.rst memory.max / cgroup-v1 memory.txt memory.limit_in_bytes: bytes, or null for "max" and the v1 "unlimited" value. */
export function parseMemoryLimit(text: string): number | null {
  const v = value(text);
  if (v === 'max') return null;
  if (!/^\d+$/.test(v)) throw new CgroupParseError('memory limit', `expected bytes or "max", got ${JSON.stringify(v)}`);
  return BigInt(v) >= UNLIMITED_BYTES ? null : Number(v);
}

/** cgroup-v2.rst cpu.max "$MAX $PERIOD": CPU cores (quota/period), null for "max". */
export function parseCpuMax(text: string): number | null {
  const m = /^(max|\d+)(?: (\d+))?$/.exec(value(text));
  if (!m) throw new CgroupParseError('cpu.max', `expected "$MAX $PERIOD", got ${JSON.stringify(value(text))}`);
  if (m[1] === 'max') return null;
  const period = Number(m[2] ?? '100000');
  if (period <= 0) throw new CgroupParseError('cpu.max', `period must be positive, got ${period}`);
  return Number(m[1]) / period;
}

/** cgroup-v1 sched-bwc.rst cpu.cfs_quota_us / cpu.cfs_period_us: CPU cores, null for a quota of -1 (no limit). */
export function parseCfsQuota(quotaText: string, periodText: string): number | null {
  const q = value(quotaText);
  if (!/^-?\d+$/.test(q)) throw new CgroupParseError('cpu.cfs_quota_us', `expected an integer, got ${JSON.stringify(q)}`);
  const quota = Number(q);
  if (quota < 0) return null;
  const period = parseCounter(periodText, 'cpu.cfs_period_us');
  if (period <= 0) throw new CgroupParseError('cpu.cfs_period_us', `period must be positive, got ${period}`);
  return quota / period;
}

/** cgroup-v2.rst / cgroup-v1 pids.txt pids.max: the limit, or null for "max". */
export function parsePidsMax(text: string): number | null {
  const v = value(text);
  if (v === 'max') return null;
  return parseCounter(v, 'pids.max');
}

/** Highest CPU number accepted in a cpu list (the kernel's NR_CPUS is at most 8192). */
const MAX_CPU = 65535;

/** cgroup-v2.rst "cpuset.cpus" list format ("0-3,8,10-11"): the CPU numbers; throws CgroupParseError. */
export function parseCpuList(text: string): Set<number> {
  const cpus = new Set<number>();
  const v = value(text);
  if (v === '') return cpus;
  for (const part of v.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new CgroupParseError('cpu list', `bad range ${JSON.stringify(part)} in ${JSON.stringify(v)}`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new CgroupParseError('cpu list', `descending range ${JSON.stringify(part)}`);
    if (to > MAX_CPU) throw new CgroupParseError('cpu list', `CPU ${to} is beyond any kernel's NR_CPUS`);
    for (let c = from; c <= to; c++) cpus.add(c);
  }
  return cpus;
}

function sameCpus(a: Set<number>, b: Set<number>): boolean {
  return a.size === b.size && [...a].every((c) => b.has(c));
}

/** The cgroup's CPU quota in cores: v1 cpu.cfs_quota_us / cpu.cfs_period_us, v2 cpu.max. */
export function readCpuQuota(mounts: CgroupMounts, memberships: readonly CgroupMembership[], warnings?: string[]): number | null {
  const cpu = locateController(mounts, memberships, 'cpu');
  if (!cpu) return null;
  if (cpu.version === 2) return readParsed(cpu.dir, 'cpu.max', parseCpuMax, warnings);
  const period = readParsed(cpu.dir, 'cpu.cfs_period_us', (t) => t, warnings);
  if (period === null) return null;
  return readParsed(cpu.dir, 'cpu.cfs_quota_us', (quota) => parseCfsQuota(quota, period), warnings);
}

/** The cgroup's memory limit in bytes: v1 memory.limit_in_bytes, v2 memory.max. */
export function readMemoryLimit(mounts: CgroupMounts, memberships: readonly CgroupMembership[], warnings?: string[]): number | null {
  const mem = locateController(mounts, memberships, 'memory');
  if (!mem) return null;
  return readParsed(mem.dir, mem.version === 1 ? 'memory.limit_in_bytes' : 'memory.max', parseMemoryLimit, warnings);
}

/** The cgroup's pids.max (cgroup-v1 pids.txt, cgroup-v2.rst "PID"). */
export function readPidsMax(mounts: CgroupMounts, memberships: readonly CgroupMembership[], warnings?: string[]): number | null {
  const pids = locateController(mounts, memberships, 'pids');
  if (!pids) return null;
  return readParsed(pids.dir, 'pids.max', parsePidsMax, warnings);
}

/**
 * The cgroup's own cpuset.cpus when it restricts the container: null when unset (v2 empty), equal to
 * the top cgroup's CPUs (v1 cpuset.cpus, v2 cpuset.cpus.effective), or unreadable. When the top cgroup
 * cannot be read the cgroup's value is returned as is.
 */
export function readCpuset(mounts: CgroupMounts, memberships: readonly CgroupMembership[], warnings?: string[]): string | null {
  const cs = locateController(mounts, memberships, 'cpuset');
  if (!cs) return null;
  const own = readParsed(cs.dir, 'cpuset.cpus', (t) => ({ text: value(t), cpus: parseCpuList(t) }), warnings);
  if (own === null || own.cpus.size === 0) return null;
  const top = readParsed(cs.rootDir, cs.version === 1 ? 'cpuset.cpus' : 'cpuset.cpus.effective', parseCpuList, warnings);
  if (top !== null && top.size > 0 && sameCpus(own.cpus, top)) return null;
  return own.text;
}

/**
 * Limits the kernel enforces on a process's own cgroup (cgroup-v1 memory/cpu/pids/cpuset docs, cgroup-v2.rst),
 * each read from v1 or v2 as the host mounts that controller. Never throws: a missing file (controller
 * not enabled, cgroup gone) gives null; an unreadable or malformed file gives null and a message in `warnings`.
 * Limits set only on ancestor cgroups (e.g. a Kubernetes pod slice) are not reflected.
 */
export function readLimits(mounts: CgroupMounts, memberships: readonly CgroupMembership[], warnings?: string[]): CgroupLimits {
  return {
    memoryBytes: readMemoryLimit(mounts, memberships, warnings),
    cpus: readCpuQuota(mounts, memberships, warnings),
    pidsMax: readPidsMax(mounts, memberships, warnings),
    cpuset: readCpuset(mounts, memberships, warnings),
  };
}
