import { PROCESS_NAMESPACE_LINKS, type ProcessNamespaceLink, type ProcessNamespaces } from '../../../shared/namespaces';
import { ProcReadError, toProcReadError } from './errors';
import { FS_SOURCE, type ProcSource } from './source';

/** A parsed /proc/PID/ns/X link target, e.g. 'net:[4026531840]' (namespaces(7)). */
export interface NsLink {
  readonly type: string;
  readonly inode: number;
}

const NS_TARGET = /^([a-z_]+):\[(\d+)\]$/;

/** Parses a namespaces(7) link target 'type:[inode]'; null when the text has another shape. */
export function parseNsLink(target: string): NsLink | null {
  const m = NS_TARGET.exec(target);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  const inode = Number(m[2]);
  if (!Number.isSafeInteger(inode)) return null;
  return { type: m[1], inode };
}

/** The type a link's target names: pid_for_children points at a 'pid:[...]' namespace. */
function targetType(link: ProcessNamespaceLink): string {
  return link.endsWith('_for_children') ? link.slice(0, -'_for_children'.length) : link;
}

/**
 * Reads the PROCESS_NAMESPACE_LINKS of /proc/PID/ns (namespaces(7)). ENOENT (a kernel without
 * that type, or a zombie) gives null without an error; EACCES or a malformed target gives null
 * and an error.
 */
export function readNamespaces(procRoot: string, pid: number, src: ProcSource = FS_SOURCE): { namespaces: ProcessNamespaces; errors: ProcReadError[] } {
  const errors: ProcReadError[] = [];
  const out: Record<string, number | null> = {};
  const dir = `${procRoot}/${pid}/ns/`;
  for (const link of PROCESS_NAMESPACE_LINKS) {
    const path = dir + link;
    let inode: number | null = null;
    try {
      const target = src.link(path, pid);
      const parsed = parseNsLink(target);
      if (parsed === null || parsed.type !== targetType(link)) {
        errors.push(new ProcReadError(`cannot parse ${path}: unexpected link target ${JSON.stringify(target)}`, {
          pid, file: path, code: 'EPARSE',
        }));
      } else {
        inode = parsed.inode;
      }
    } catch (err) {
      const e = toProcReadError(err, pid, path);
      if (e.code !== 'ENOENT') errors.push(e);
    }
    out[link] = inode;
  }
  return { namespaces: out as ProcessNamespaces, errors };
}
