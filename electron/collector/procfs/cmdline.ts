/**
 * Splits proc(5) /proc/PID/cmdline at NUL. Trailing NULs are dropped: the terminator, and the
 * padding a setproctitle()-style rewrite leaves ("nginx: worker process\0\0\0..."); a rewrite
 * with spaces and no NUL stays one element. Kernel threads and zombies give [].
 */
export function parseCmdline(text: string): string[] {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  if (end === 0) return [];
  return text.slice(0, end).split('\0');
}
