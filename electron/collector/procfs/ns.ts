import { PROCESS_NAMESPACE_LINKS, type ProcessNamespaceLink, type ProcessNamespaces } from '../../../shared/namespaces';
import { ProcReadError, toProcReadError } from './errors';
import { FS_SOURCE, type ProcSource } from './source';

/** A parsed /proc/PID/ns/X link target, e.g. 'net:[4026531840]' (namespaces(7)). */
export interface NsLink {
  readonly type: string;
  readonly inode: number;
}

/** The inode of a target 'type:[inode]' (/^[a-z_]+:\[\d+\]$/, a safe integer), when its type is `type`; -1 otherwise. */
function inodeOf(target: string, type: string | null): number {
  const colon = target.indexOf(':');
  if (colon < 1 || target.charCodeAt(colon + 1) !== 91 /* [ */ || target.charCodeAt(target.length - 1) !== 93 /* ] */) return -1;
  if (type !== null && (colon !== type.length || !target.startsWith(type))) return -1;
  for (let i = 0; i < colon; i++) {
    const c = target.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || c === 95)) return -1;
  }
  const end = target.length - 1;
  if (end <= colon + 2) return -1;
  let inode = 0;
  for (let i = colon + 2; i < end; i++) {
    const d = target.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    inode = inode * 10 + d;
  }
  return Number.isSafeInteger(inode) ? inode : -1;
}

/** Parses a namespaces(7) link target 'type:[inode]'; null when the text has another shape. */
export function parseNsLink(target: string): NsLink | null {
  const inode = inodeOf(target, null);
  return inode < 0 ? null : { type: target.slice(0, target.indexOf(':')), inode };
}

/** The type each link's target names: pid_for_children points at a 'pid:[...]' namespace. */
const TARGET_TYPE: Readonly<Record<ProcessNamespaceLink, string>> = Object.fromEntries(
  PROCESS_NAMESPACE_LINKS.map((l) => [l, l.endsWith('_for_children') ? l.slice(0, -'_for_children'.length) : l]),
) as Record<ProcessNamespaceLink, string>;

/**
 * Reads the PROCESS_NAMESPACE_LINKS of /proc/PID/ns (namespaces(7)). ENOENT (a kernel without
 * that type, or a zombie) gives null without an error; EACCES or a malformed target gives null
 * and an error.
 */
export function readNamespaces(procRoot: string, pid: number, src: ProcSource = FS_SOURCE): { namespaces: ProcessNamespaces; errors: ProcReadError[] } {
  const errors: ProcReadError[] = [];
  const dir = `${procRoot}/${pid}/ns/`;
  const read = (link: ProcessNamespaceLink): number | null => {
    const path = dir + link;
    try {
      const target = src.link(path, pid);
      const inode = inodeOf(target, TARGET_TYPE[link]);
      if (inode >= 0) return inode;
      errors.push(new ProcReadError(`cannot parse ${path}: unexpected link target ${JSON.stringify(target)}`, { pid, file: path, code: 'EPARSE' }));
    } catch (err) {
      const e = toProcReadError(err, pid, path);
      if (e.code !== 'ENOENT') errors.push(e);
    }
    return null;
  };
  // One literal in PROCESS_NAMESPACE_LINKS order: every record gets the same small object shape.
  const namespaces: ProcessNamespaces = {
    cgroup: read('cgroup'), ipc: read('ipc'), mnt: read('mnt'), net: read('net'), pid: read('pid'),
    pid_for_children: read('pid_for_children'), time: read('time'), user: read('user'), uts: read('uts'),
  };
  return { namespaces, errors };
}
