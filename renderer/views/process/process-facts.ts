// What the process panel says about one process and its cgroup, as plain words. Pure.
import type { WireError } from '../../../shared/contract';
import type { HostInfo, ProcessInfo } from '../../../shared/model';
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import type { NamespaceId, NamespaceKind } from '../../../shared/namespaces';

/** proc(5) /proc/PID/stat field 3 (state), in words. */
export const PROCESS_STATES: Readonly<Record<string, string>> = {
  R: 'running',
  S: 'sleeping',
  D: 'waiting on disk (uninterruptible)',
  Z: 'zombie: exited, not yet reaped by its parent',
  T: 'stopped (by a signal)',
  t: 'stopped by a debugger',
  X: 'dead',
  I: 'idle kernel thread',
  P: 'parked',
  W: 'paging',
  K: 'wakekill',
};

/** "S (sleeping)" for a proc(5) stat state letter. */
export function stateText(state: string): string {
  const words = PROCESS_STATES[state];
  return words ? `${state} (${words})` : state;
}

/** CPU time (proc(5) stat utime + stime) in words: "850 ms", "12.4 s", "3 min 07 s", "2 h 05 min". */
export function formatCpuTime(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  const total = Math.floor(s);
  if (total < 3600) return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
  return `${Math.floor(total / 3600)} h ${String(Math.floor((total % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * proc(5) status NSpid as a sentence, outermost first: "PID 4211 on the host = PID 1 in its
 * namespace"; deeper nesting names each level (pid_namespaces(7)).
 */
export function nspidSentence(nspid: readonly number[]): string {
  const [host, ...inner] = nspid;
  if (host === undefined) return 'Its pid numbers are unknown (/proc/PID/status could not be read).';
  if (inner.length === 0) return `PID ${host} on the host, and only that: it is in the host's pid namespace.`;
  const last = inner[inner.length - 1];
  const mid = inner.slice(0, -1).map((p, i) => `PID ${p} in a nested namespace (level ${i + 1})`);
  return [`PID ${host} on the host`, ...mid, `PID ${last} in its namespace`].join(' = ');
}

/** One namespace of a process, compared with the host's (namespaces(7)). */
export interface NamespaceMark {
  readonly kind: NamespaceKind;
  readonly id: NamespaceId | null;
  /** host: the same as the initial namespace; own: another one; unknown: unreadable link, or host not known. */
  readonly mark: 'host' | 'own' | 'unknown';
}

/** The eight namespaces of a process, each marked host or own against HostInfo.namespaces. */
export function namespaceMarks(p: Pick<ProcessInfo, 'namespaces'>, host: Pick<HostInfo, 'namespaces'> | null): NamespaceMark[] {
  return NAMESPACE_KINDS.map((kind) => {
    const id = p.namespaces[kind];
    const hostId = host?.namespaces[kind];
    const mark = id === null || hostId === undefined ? 'unknown' : id === hostId ? 'host' : 'own';
    return { kind, id, mark };
  });
}

/** Cores used between two readings of a process's CPU time (ms of CPU per ms of wall time); null without two readings. */
export function coresBetween(a: { readonly cpuMs: number; readonly at: number } | null, b: { readonly cpuMs: number; readonly at: number }): number | null {
  if (!a || b.at <= a.at || b.cpuMs < a.cpuMs) return null;
  return (b.cpuMs - a.cpuMs) / (b.at - a.at);
}

/** Use against a limit: "42 MiB of 64 MiB (66 %)"; share is null without a limit. */
export function shareOf(used: number | null, limit: number | null): number | null {
  if (used === null || limit === null || limit <= 0) return null;
  return used / limit;
}

/** Why 'process:get' or 'cgroup:get' failed, in plain words. */
export function processErrorText(e: WireError, what: 'process' | 'cgroup'): string {
  switch (e.code) {
    case 'NOT_FOUND':
      return what === 'process' ? `The process is gone: it exited (${e.message}).` : `No cgroup to show: ${e.message}.`;
    case 'UNAVAILABLE':
      return `The collector cannot answer yet: ${e.message}.`;
    case 'UNAUTHORIZED':
      return `Not allowed: ${e.message}. Reload the page with its token.`;
    case 'BAD_REQUEST':
      return `The collector refused the request: ${e.message}.`;
    case 'INTERNAL':
      return what === 'process' ? `Reading /proc failed: ${e.message}.` : `Reading the cgroup failed: ${e.message}.`;
  }
}
