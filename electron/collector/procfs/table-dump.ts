// Parses what isolens-table (native/table.c) prints, chunk by chunk as it arrives: for each pid,
// the text of its proc(5) files and the targets of its ns links (namespaces(7)), or the errno that
// stopped each read; the namespace holder lines found on the way, and the relations (parent,
// owner) of each namespace the first time it is seen. A pid's dump then serves its
// reads (dumpSource), so the record is built by the same code as a record read by Node.
import { toProcReadError } from './errors';
import { FS_SOURCE, type ProcSource } from './source';

/** A read isolens-table could not do, by errno name (ENOENT, EACCES: errno(3)). */
export interface DumpFailure {
  readonly errno: string;
}

/** What isolens-table read of one process: files by name (stat, status, …) and ns links by name (net, pid_for_children, …). */
export interface PidDump {
  readonly pid: number;
  readonly files: DumpItems;
  readonly links: DumpItems;
}

/** isolens-table printed something native/table.c does not print (or stopped before its done line). */
export class TableDumpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableDumpError';
  }
}

const EMPTY = Buffer.alloc(0);
/** Bytes of a new chunk first joined to the item the last one cut (most items are under 2 KiB). */
const JOIN_FIRST = 4096;
const NL = 0x0a;
const PID = /^P (\d{1,10})$/;
const FAILED = /^E ([FL]) ([a-z_]{1,32}) (E[A-Z0-9]{1,20})$/;
const DONE = /^done (\d{1,15}) (\d{1,15})$/;

/** The names native/table.c reads, as it prints them (files and ns links): looked up, not sliced, per record. */
const NAMES = ['stat', 'status', 'cmdline', 'cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'time_for_children', 'user', 'uts'];
const NAME_BYTES = NAMES.map((n) => Buffer.from(n, 'latin1'));
const NAME_INDEX = new Map(NAMES.map((n, i) => [n, i]));

/**
 * One process's files (or links) by name: a slot per name in NAMES, so that a record costs no Map
 * grown as its items arrive and shrunk as they are taken (a tenth of what a full read allocated);
 * a name NAMES lacks (a newer helper) goes to a Map.
 */
export class DumpItems {
  private readonly slots: (string | DumpFailure | undefined)[] = [];
  private others: Map<string, string | DumpFailure> | null = null;

  get(name: string): string | DumpFailure | undefined {
    const i = NAME_INDEX.get(name);
    return i === undefined ? this.others?.get(name) : this.slots[i];
  }

  set(name: string, v: string | DumpFailure): void {
    const i = NAME_INDEX.get(name);
    if (i !== undefined) this.slots[i] = v;
    else (this.others ??= new Map()).set(name, v);
  }

  /** Sets the item of NAMES[i]. */
  setAt(i: number, v: string | DumpFailure): void {
    this.slots[i] = v;
  }

  /** The item named by `path` from `from` on (a known name is found without slicing it out), removed. */
  takeTail(path: string, from: number): string | DumpFailure | undefined {
    const len = path.length - from;
    for (let i = 0; i < NAMES.length; i++) {
      const n = NAMES[i] as string;
      if (n.length === len && path.endsWith(n)) return this.takeSlot(i);
    }
    return this.others === null ? undefined : this.take(path.slice(from));
  }

  /** The item, removed (each is served once). */
  take(name: string): string | DumpFailure | undefined {
    const i = NAME_INDEX.get(name);
    if (i !== undefined) return this.takeSlot(i);
    const v = this.others?.get(name);
    this.others?.delete(name);
    return v;
  }

  private takeSlot(i: number): string | DumpFailure | undefined {
    const v = this.slots[i];
    this.slots[i] = undefined;
    return v;
  }
}

function quote(buf: Buffer, from: number, to: number): string {
  return JSON.stringify(buf.toString('latin1', from, Math.min(to, from + 80)));
}

/** The header "F name len" (or "L …") just parsed: the name's index in NAMES (-1: another plain name, in `name`) and the length. */
interface Header {
  index: number;
  name: string;
  len: number;
}

/** Parses the header "F name len" (or "L …") of buf[from, nl) into `h`: a known name and 1-9 digits; false otherwise. */
function header(buf: Buffer, from: number, nl: number, h: Header): boolean {
  if (buf[from + 1] !== 0x20) return false;
  const nameAt = from + 2;
  const space = buf.indexOf(0x20, nameAt);
  if (space < 0 || space >= nl || space === nameAt) return false;
  let index = -1;
  for (let i = 0; i < NAMES.length && index < 0; i++) {
    const b = NAME_BYTES[i] as Buffer;
    if (b.length !== space - nameAt) continue;
    let j = 0;
    while (j < b.length && b[j] === buf[nameAt + j]) j++;
    if (j === b.length) index = i;
  }
  h.index = index;
  if (index < 0) {
    // A name this list lacks (a newer helper): take it if it is a plain name.
    const text = buf.toString('latin1', nameAt, space);
    if (!/^[a-z_]{1,32}$/.test(text)) return false;
    h.name = text;
  }
  const digits = nl - space - 1;
  if (digits < 1 || digits > 9) return false;
  let len = 0;
  for (let i = space + 1; i < nl; i++) {
    const d = (buf[i] as number) - 48;
    if (d < 0 || d > 9) return false;
    len = len * 10 + d;
  }
  h.len = len;
  return true;
}

/**
 * Incremental parser of isolens-table's output. push() takes each chunk and returns the pids
 * whose dump is complete (a pid's dump ends where the next pid's, or the done line, begins);
 * end() returns the last and checks the done line. Throws TableDumpError on anything else.
 */
export class TableDumpParser {
  private pending: Buffer = EMPTY;
  private current: PidDump | null = null;
  private finished: { count: number; elapsedMs: number } | null = null;
  private readonly h: Header = { index: -1, name: '', len: 0 };
  /** The `fd …` and `task …` holder lines (holders-scan.h), in the order printed. */
  readonly holderLines: string[] = [];
  /** The relations of each namespace the helper saw first (`R ` lines, less the `R `: isolens-nsinfo's format, ns-ioctl.h). */
  readonly relationLines: string[] = [];

  /** The done line's figures: pids read and the helper's own time; null until it came. */
  get done(): { readonly count: number; readonly elapsedMs: number } | null {
    return this.finished;
  }

  /**
   * Takes the next chunk of output and returns the pids whose dump it completed. Only the item cut
   * by the previous chunk's end is copied (joined with as little of this chunk as completes it);
   * the rest of the chunk is parsed in place, and what it leaves incomplete is kept as a view.
   */
  push(chunk: Buffer): PidDump[] {
    const out: PidDump[] = [];
    let rest = chunk;
    const pending = this.pending;
    if (pending.length > 0) {
      this.pending = EMPTY;
      rest = EMPTY;
      // A long leftover is a long item (a huge cmdline): copying it costs more than the chunk, so no small tries first.
      for (let k = Math.min(chunk.length, Math.max(JOIN_FIRST, pending.length)); ; k = Math.min(chunk.length, k * 4)) {
        const joined = Buffer.concat([pending, chunk.subarray(0, k)]);
        const at = this.parse(joined, out);
        // Nothing parsed: the cut item needs more of the chunk (all of it and more: keep both).
        if (at === 0 && k < chunk.length) continue;
        if (at >= pending.length) rest = chunk.subarray(at - pending.length);
        else this.pending = Buffer.concat([joined.subarray(at), chunk.subarray(k)]);
        break;
      }
    }
    if (rest.length > 0) this.pending = rest.subarray(this.parse(rest, out));
    return out;
  }

  /** Parses the complete items of buf into `out` (and the holder, relation and done lines); returns where the first incomplete one starts. */
  private parse(buf: Buffer, out: PidDump[]): number {
    let at = 0;
    for (;;) {
      const nl = buf.indexOf(NL, at);
      if (nl < 0) break;
      if (this.finished !== null) throw new TableDumpError(`a line after the done line: ${quote(buf, at, nl)}`);
      const c = buf[at];
      if ((c === 0x46 /* F */ || c === 0x4c /* L */) && this.current !== null) {
        // "F name len" / "L name len", then len bytes: read without making a string of the line.
        const h = this.h;
        if (!header(buf, at, nl, h)) throw new TableDumpError(`not a file or link record: ${quote(buf, at, nl)}`);
        if (buf.length < nl + 1 + h.len) break; // its bytes are still on their way
        const text = buf.toString('utf8', nl + 1, nl + 1 + h.len);
        const items = c === 0x46 ? this.current.files : this.current.links;
        if (h.index >= 0) items.setAt(h.index, text);
        else items.set(h.name, text);
        at = nl + 1 + h.len;
        continue;
      }
      const line = buf.toString('latin1', at, nl);
      at = nl + 1;
      if (c === 0x50 /* P */) {
        const m = PID.exec(line);
        if (!m) throw new TableDumpError(`not a pid line: ${JSON.stringify(line.slice(0, 80))}`);
        if (this.current) out.push(this.current);
        this.current = { pid: Number(m[1]), files: new DumpItems(), links: new DumpItems() };
      } else if (c === 0x45 /* E */) {
        const m = FAILED.exec(line);
        if (!m || this.current === null) throw new TableDumpError(`not a failure line: ${JSON.stringify(line.slice(0, 80))}`);
        (m[1] === 'F' ? this.current.files : this.current.links).set(m[2] as string, { errno: m[3] as string });
      } else if (line.startsWith('fd ') || line.startsWith('task ')) {
        this.holderLines.push(line);
      } else if (c === 0x52 /* R */ && line.startsWith('R ')) {
        this.relationLines.push(line.slice(2));
      } else if (c === 0x46 || c === 0x4c) {
        throw new TableDumpError(`not a file or link record: ${JSON.stringify(line.slice(0, 80))}`);
      } else if (line.startsWith('fail ')) {
        throw new TableDumpError(`isolens-table failed: ${line.slice(5, 200)}`);
      } else {
        const m = DONE.exec(line);
        if (!m) throw new TableDumpError(`not an isolens-table line: ${JSON.stringify(line.slice(0, 80))}`);
        this.finished = { count: Number(m[1]), elapsedMs: Number(m[2]) / 1000 };
        if (this.current) out.push(this.current);
        this.current = null;
      }
    }
    return at;
  }

  /** The output is over: checks that it ended with the done line and nothing after it. */
  end(): void {
    if (this.finished === null) throw new TableDumpError('no done line: the output was cut short');
    if (this.pending.length > 0) throw new TableDumpError(`${this.pending.length} bytes after the done line`);
  }
}

function failed(f: DumpFailure, syscall: string, path: string, pid: number): never {
  const err = Object.assign(new Error(`${f.errno}: ${syscall} '${path}' (isolens-table)`), { code: f.errno, syscall, path });
  throw toProcReadError(err, pid, path);
}

/**
 * The reads of one process served from its dump: each file and link once, as isolens-table read
 * it (its failure thrown as the same ProcReadError); anything else, or asked again (the second
 * look at stat when a process seems to have vanished), from `fallback`, the file system.
 */
export function dumpSource(dump: PidDump, procRoot: string, fallback: ProcSource = FS_SOURCE): ProcSource {
  const prefix = `${procRoot}/${dump.pid}/`;
  const nsPrefix = `${prefix}ns/`;
  return {
    text(path, pid, shortReadIsEof) {
      const v = pid === dump.pid && path.startsWith(prefix) ? dump.files.takeTail(path, prefix.length) : undefined;
      if (v === undefined) return fallback.text(path, pid, shortReadIsEof);
      return typeof v === 'string' ? v : failed(v, 'open', path, pid);
    },
    link(path, pid) {
      const v = pid === dump.pid && path.startsWith(nsPrefix) ? dump.links.takeTail(path, nsPrefix.length) : undefined;
      if (v === undefined) return fallback.link(path, pid);
      return typeof v === 'string' ? v : failed(v, 'readlink', path, pid);
    },
  };
}
