// Where the per-process readers get a file's text and a link's target: the file system itself, or
// what a helper already read (procfs/table-dump.ts). The parsing, and what a failure means, stay
// in one place (process.ts, ns.ts) whichever it is.
import { readProcLink, readProcText } from './read';

/** The two reads a process record needs (proc(5) /proc/PID files, namespaces(7) ns links); both throw ProcReadError. */
export interface ProcSource {
  /** A file's text (readProcText). */
  text(path: string, pid: number, shortReadIsEof: boolean): string;
  /** A link's target (readlink(2)). */
  link(path: string, pid: number): string;
}

/** Reads from the file system as it is now. */
export const FS_SOURCE: ProcSource = { text: readProcText, link: readProcLink };
