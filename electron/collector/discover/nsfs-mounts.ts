import type { NamespaceId, NamespaceKind } from '../../../shared/namespaces';
import { NAMESPACE_KINDS } from '../../../shared/namespaces';

/** A namespace kept alive by a bind mount of its nsfs file (e.g. `ip netns add` → /run/netns/NAME), from proc(5) mountinfo. */
export interface NsfsMount {
  readonly id: NamespaceId;
  readonly type: NamespaceKind;
  readonly path: string;
}

const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));

/**
 * Finds nsfs bind mounts in proc(5) /proc/PID/mountinfo text: lines whose filesystem type is
 * `nsfs` and whose root is `TYPE:[INODE]`. Malformed lines are skipped.
 */
export function parseNsfsMounts(mountinfo: string): NsfsMount[] {
  const out: NsfsMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const fields = line.slice(0, sep).split(' ');
    const fstype = line.slice(sep + 3).split(' ')[0];
    if (fstype !== 'nsfs' || fields.length < 5) continue;
    const m = /^([a-z_]+):\[(\d+)\]$/.exec(fields[3] ?? '');
    if (!m) continue;
    const type = m[1] as NamespaceKind;
    if (!(NAMESPACE_KINDS as readonly string[]).includes(type)) continue;
    out.push({ id: Number(m[2]), type, path: unescape(fields[4] ?? '') });
  }
  return out;
}
