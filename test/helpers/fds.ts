// What this test process has open: the targets of its fds (proc(5) /proc/self/fd).
import fs from 'node:fs';

/** The targets of this process's open fds, e.g. /sys/fs/cgroup/memory/…/memory.limit_in_bytes. */
export function openFdTargets(): string[] {
  return fs.readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [fs.readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}
