import type { UsageSample } from '../../../shared/usage';
import type { CgroupUsage } from '../cgroupfs/usage';

/** The cumulative counters of the previous sample, to turn CPU time into cores over the tick. */
export interface CpuCounter {
  readonly t: number;
  readonly usageNanos: number;
}

/**
 * Turns raw cgroup counters into a usage sample: memory as `docker stats` counts it, CPU as
 * cores over the interval since `prev` (null on the first sample or after a counter reset).
 */
export function toSample(u: CgroupUsage, t: number, prev: CpuCounter | undefined): { sample: UsageSample; counter: CpuCounter | undefined } {
  const nanos = u.cpu?.usageNanos ?? null;
  let cpuCores: number | null = null;
  if (nanos !== null && prev && t > prev.t && nanos >= prev.usageNanos) cpuCores = (nanos - prev.usageNanos) / ((t - prev.t) * 1e6);
  return {
    sample: {
      t,
      memoryBytes: u.memory?.usageBytes ?? null,
      memoryLimitBytes: u.memory?.limitBytes ?? null,
      memoryPeakBytes: u.memory?.peakBytes ?? null,
      oomKills: u.memory?.oomKills ?? null,
      cpuCores,
      cpuQuotaCores: u.cpu?.quotaCores ?? null,
      throttledPeriods: u.cpu?.throttledPeriods ?? null,
      throttledMs: u.cpu?.throttledNanos === null || u.cpu?.throttledNanos === undefined ? null : u.cpu.throttledNanos / 1e6,
      pids: u.pids?.current ?? null,
      pidsMax: u.pids?.max ?? null,
    },
    counter: nanos === null ? undefined : { t, usageNanos: nanos },
  };
}
