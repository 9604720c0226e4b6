/** One sample of a cgroup's usage at a tick (cgroup-v2.rst memory.current/cpu.stat/pids.current; cgroup-v1 memory, cpuacct, pids). */
export interface UsageSample {
  /** Milliseconds since the epoch. */
  readonly t: number;
  /** Memory in use the way `docker stats` counts it (usage − inactive_file); null if unreadable. */
  readonly memoryBytes: number | null;
  readonly memoryLimitBytes: number | null;
  readonly memoryPeakBytes: number | null;
  /** OOM kills so far (memory.events / memory.oom_control `oom_kill`). */
  readonly oomKills: number | null;
  /** CPU used over the last tick, in cores (1 = one core busy). null on the first sample. */
  readonly cpuCores: number | null;
  readonly cpuQuotaCores: number | null;
  /** cpu.stat nr_throttled and throttled time, cumulative. */
  readonly throttledPeriods: number | null;
  readonly throttledMs: number | null;
  readonly pids: number | null;
  readonly pidsMax: number | null;
}
