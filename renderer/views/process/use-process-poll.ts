// Reads one process ('process:get') and its cgroup ('cgroup:get') now and then every refreshMs
// while a panel shows it; stops when the process exits or its pid names another process.
import { useEffect, useState } from 'react';
import type { CgroupReport, ProcessDetail, WireError } from '../../../shared/contract';
import { useInvoke } from './client';
import { coresBetween } from './process-facts';

/** How often an open process panel asks again (ms). */
export const PROCESS_REFRESH_MS = 2000;

/** What the panel shows: the last answers, and why polling stopped. */
export interface ProcessPoll {
  readonly detail: ProcessDetail | null;
  /** CPU in cores between the last two readings of proc(5) stat utime + stime; null before two. */
  readonly cores: number | null;
  readonly processError: WireError | null;
  readonly cgroup: CgroupReport | null;
  readonly cgroupError: WireError | null;
  /** exited: 'process:get' said NOT_FOUND; reused: the pid now names a process with another start time (proc(5) stat field 22). */
  readonly gone: 'exited' | 'reused' | null;
  /** When the last answers arrived (ms since the epoch); null before the first. */
  readonly updatedAt: number | null;
}

const START: ProcessPoll = { detail: null, cores: null, processError: null, cgroup: null, cgroupError: null, gone: null, updatedAt: null };

/** Polls 'process:get' and 'cgroup:get' for `pid`: one pair at a time, the next refreshMs after the last answer. */
export function useProcessPoll(pid: number, refreshMs = PROCESS_REFRESH_MS): ProcessPoll {
  const invoke = useInvoke();
  const [state, setState] = useState<ProcessPoll>(START);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let startTime: number | null = null;
    let last: { cpuMs: number; at: number } | null = null;
    setState(START);
    const poll = async (): Promise<void> => {
      const [p, c] = await Promise.all([invoke('process:get', pid), invoke('cgroup:get', pid)]);
      if (stopped) return;
      const at = Date.now();
      let gone: ProcessPoll['gone'] = null;
      if (!p.ok && p.error.code === 'NOT_FOUND') gone = 'exited';
      if (p.ok && startTime !== null && p.value.process.startTime !== startTime) gone = 'reused';
      if (p.ok && gone === null) startTime = p.value.process.startTime;
      const reading = p.ok && gone === null ? { cpuMs: p.value.cpuMs, at } : null;
      const cores = reading ? coresBetween(last, reading) : null;
      if (reading) last = reading;
      setState((prev) => ({
        // Once gone, keep the last picture of the process (and of its cgroup) to read.
        detail: p.ok && gone === null ? p.value : prev.detail,
        cores: gone === null && p.ok ? cores : prev.cores,
        processError: p.ok || gone !== null ? null : p.error,
        cgroup: gone !== null ? prev.cgroup : c.ok ? c.value : prev.cgroup,
        cgroupError: gone !== null || c.ok ? null : c.error,
        gone,
        updatedAt: at,
      }));
      if (gone === null) timer = setTimeout(() => void poll(), refreshMs);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    };
  }, [pid, refreshMs, invoke]);
  return state;
}
