// Formatting for people: sizes, cores, commands, times. Pure.
import type { ProcessInfo } from '../../shared/model';

/** A byte count in binary units (IEC 80000-13), e.g. 67108864 → "64 MiB". */
export function formatBytes(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || Number.isInteger(v) || Math.abs(v) >= 100 ? 0 : 1;
  return `${v.toFixed(digits)} ${units[i]}`;
}

/** Bytes → MiB as a number, for charts. */
export function toMiB(n: number): number {
  return n / (1024 * 1024);
}

/** CPU cores (cgroup cpu quota / period), e.g. 0.5 → "0.5 cores", 1 → "1 core". */
export function formatCores(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '—';
  const s = Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
  return `${s} ${n === 1 ? 'core' : 'cores'}`;
}

/** The command column of `ps axf`: the command line, or `[comm]` for kernel threads and zombies (proc(5) cmdline empty). */
export function commandOf(p: Pick<ProcessInfo, 'cmdline' | 'comm'>): string {
  return p.cmdline.length > 0 ? p.cmdline.join(' ') : `[${p.comm}]`;
}

/** A uid for the user column: root for 0, "?" when /proc/PID/status was unreadable. */
export function formatUid(uid: number | null): string {
  if (uid === null) return '?';
  return uid === 0 ? 'root' : String(uid);
}

/** Wall-clock time of an ISO 8601 timestamp or epoch ms, HH:MM:SS in local time. */
export function formatClock(t: string | number | null): string {
  if (t === null) return '—';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return '—';
  const pad = (x: number): string => String(x).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** How long ago, in words: "3 s ago", "2 min ago". */
export function formatAgo(thenMs: number | null, nowMs: number): string {
  if (thenMs === null) return 'never';
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m} min ago` : `${Math.round(m / 60)} h ago`;
}

/** The first 12 hex digits of a container id, as `docker ps` shows it. */
export function shortId(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}
