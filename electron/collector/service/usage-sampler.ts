import type { UsageSample } from '../../../shared/usage';
import type { CgroupUsage } from '../cgroupfs/usage';

/** CPU rates over windows shorter than this are not computed (CFS runs in 100 ms periods). */
export const MIN_CPU_WINDOW_MS = 250;

/** The cumulative counters of the previous sample, to turn CPU time into cores over the tick. */
export interface CpuCounter {
  readonly t: number;
  readonly usageNanos: number;
}

/**
 * Turns raw cgroup counters into a usage sample: memory as `docker stats` counts it, CPU as
 * cores over the interval since `prev` (null on the first sample or after a counter reset).
 */
export function toSample(
  u: CgroupUsage, t: number, prev: CpuCounter | undefined, last?: UsageSample,
): { sample: UsageSample; counter: CpuCounter | undefined } {
  const nanos = u.cpu?.usageNanos ?? null;
  let cpuCores: number | null = null;
  let counter: CpuCounter | undefined = nanos === null ? undefined : { t, usageNanos: nanos };
  if (nanos !== null && prev && nanos >= prev.usageNanos) {
    if (t - prev.t >= MIN_CPU_WINDOW_MS) {
      cpuCores = (nanos - prev.usageNanos) / ((t - prev.t) * 1e6);
    } else {
      // An extra tick right after another (an engine event): a window shorter than a few CFS
      // periods shows bursts, not the rate. Keep the last rate and the older counter.
      cpuCores = last?.cpuCores ?? null;
      counter = prev;
    }
  }
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
    counter,
  };
}
