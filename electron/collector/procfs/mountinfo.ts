import { ProcParseError, toProcReadError } from './errors';
import { parseDecimal } from './parse';
import { readProcText } from './read';

/** One line of proc(5) /proc/PID/mountinfo, with its octal escapes undone. */
export interface MountinfoEntry {
  readonly mountId: number;
  readonly parentId: number;
  /** "major:minor" of the filesystem (st_dev). */
  readonly device: string;
  /** Path of the directory in the filesystem that forms the root of this mount: not '/' for a bind mount of a subdirectory or file. */
  readonly root: string;
  readonly mountPoint: string;
  /** Per-mount options, e.g. ["ro", "nosuid", "relatime"]. */
  readonly options: readonly string[];
  /** Optional fields, e.g. ["shared:4", "master:1"]. */
  readonly optional: readonly string[];
  readonly fsType: string;
  readonly source: string;
  /** Per-superblock options. */
  readonly superOptions: readonly string[];
}

/** Undoes mountinfo's octal escapes of space, tab, newline and backslash (proc(5): "\040" etc.). */
export function unescapeMountField(field: string): string {
  return field.includes('\\') ? field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8))) : field;
}

/**
 * Parses proc(5) /proc/PID/mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] -
 * FSTYPE SOURCE SUPEROPTIONS" per line. Throws ProcParseError on a malformed line.
 */
export function parseMountinfo(text: string): MountinfoEntry[] {
  const out: MountinfoEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const f = line.split(' ');
    const sep = f.indexOf('-', 6);
    if (sep < 0 || f.length < sep + 4 || !/^\d+:\d+$/.test(f[2] ?? '')) {
      throw new ProcParseError('mountinfo', `line ${i + 1}: expected "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ... - FSTYPE SOURCE SUPEROPTIONS", got ${JSON.stringify(line)}`);
    }
    out.push({
      mountId: parseDecimal(f[0], 'mountinfo', `line ${i + 1} mount id`),
      parentId: parseDecimal(f[1], 'mountinfo', `line ${i + 1} parent id`),
      device: f[2] ?? '',
      root: unescapeMountField(f[3] ?? ''),
      mountPoint: unescapeMountField(f[4] ?? ''),
      options: (f[5] ?? '').split(','),
      optional: f.slice(6, sep),
      fsType: f[sep + 1] ?? '',
      source: unescapeMountField(f[sep + 2] ?? ''),
      superOptions: f.slice(sep + 3).join(' ').split(','),
    });
  }
  return out;
}

/** Reads and parses ${procRoot}/PID/mountinfo (the mounts of that process's mount namespace); throws ProcReadError (code EPARSE for malformed text). */
export function readMountinfo(procRoot: string, pid: number | 'self'): MountinfoEntry[] {
  const path = `${procRoot}/${pid}/mountinfo`;
  const owner = typeof pid === 'number' ? pid : null;
  const text = readProcText(path, owner);
  try {
    return parseMountinfo(text);
  } catch (err) {
    throw toProcReadError(err, owner, path);
  }
}
