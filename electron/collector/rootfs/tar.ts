// A minimal, streaming tar(5) reader (POSIX ustar, pax extended headers, GNU long names),
// enough to list the entries of `docker save` archives and of the layer tars inside them.
// It is a push parser: feed it chunks with write(); it calls back per entry header and per
// data chunk, and never holds more than one 512-byte header (plus pax/long-name data, capped).

/** The kind of a tar(5) entry (typeflag). */
export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo' | 'other';

/** One tar(5) member header, after pax (`x`) and GNU (`L`, `K`) overrides are applied. */
export interface TarEntry {
  /** Path as stored (pax `path`, GNU long name, or ustar prefix + name). */
  readonly name: string;
  readonly type: TarEntryType;
  /** Bytes of data that follow (0 for anything but regular files, in practice). */
  readonly size: number;
  readonly mode: number;
  readonly linkname: string;
  /** Seconds since the epoch. */
  readonly mtime: number;
}

/** Malformed tar(5) input: a bad checksum, a bad number, an oversized extended header, or a truncated archive. */
export class TarError extends Error {
  override readonly name = 'TarError';
}

/** What the parser calls: one `entry` per member, then its data in `data` chunks, then `end`. */
export interface TarHandlers {
  entry(e: TarEntry): void;
  data?(e: TarEntry, chunk: Buffer): void;
  end?(e: TarEntry): void;
}

/** Caps on what a hostile archive can make the parser hold or do. */
export interface TarLimits {
  /** Largest pax / GNU long-name payload kept (default 1 MiB). */
  readonly maxExtendedHeader: number;
  /** Entries after which the parser stops with a TarError (default 2,000,000). */
  readonly maxEntries: number;
}

/** The default TarLimits. */
export const DEFAULT_TAR_LIMITS: TarLimits = { maxExtendedHeader: 1024 * 1024, maxEntries: 2_000_000 };

const BLOCK = 512;

const TYPES: Readonly<Record<string, TarEntryType>> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo',
};

/** A NUL-terminated field. */
function field(b: Buffer, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const nul = s.indexOf(0);
  return s.toString('utf8', 0, nul < 0 ? s.length : nul);
}

/** A numeric field: octal ASCII (space/NUL padded), or GNU base-256 when the high bit of the first byte is set. */
export function tarNumber(b: Buffer, off: number, len: number): number {
  const first = b[off] ?? 0;
  if ((first & 0x80) !== 0) {
    if (first === 0xff) throw new TarError('negative base-256 number');
    let v = first & 0x7f;
    for (let i = 1; i < len; i++) {
      v = v * 256 + (b[off + i] ?? 0);
      if (v > Number.MAX_SAFE_INTEGER) throw new TarError('base-256 number beyond 2^53');
    }
    return v;
  }
  const s = b.toString('latin1', off, off + len).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarError(`bad octal number ${JSON.stringify(s)}`);
  const v = parseInt(s, 8);
  if (!Number.isSafeInteger(v)) throw new TarError('octal number beyond 2^53');
  return v;
}

/** Whether a 512-byte block is all zeros (two of them end an archive). */
const isZeroBlock = (b: Buffer): boolean => {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
};

/** Verifies the header checksum (unsigned sum with the checksum field as spaces; signed sums are accepted too). */
function checksumOk(b: Buffer): boolean {
  const want = tarNumber(b, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const v = i >= 148 && i < 156 ? 0x20 : (b[i] as number);
    unsigned += v;
    signed += v > 127 ? v - 256 : v;
  }
  return want === unsigned || want === signed;
}

/** Parses pax extended header records ("LEN key=value\n"), pax(1). */
export function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos);
    if (sp < 0) break;
    const lenText = data.toString('latin1', pos, sp);
    if (!/^\d+$/.test(lenText)) throw new TarError(`bad pax record length ${JSON.stringify(lenText.slice(0, 20))}`);
    const len = Number(lenText);
    if (len <= sp - pos || pos + len > data.length) throw new TarError('pax record overruns its header');
    const rec = data.toString('utf8', sp + 1, pos + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    pos += len;
  }
  return out;
}

type State =
  | { kind: 'header' }
  | { kind: 'data'; entry: TarEntry; left: number; pad: number }
  | { kind: 'extended'; type: 'x' | 'g' | 'L' | 'K'; parts: Buffer[]; got: number; size: number; pad: number }
  | { kind: 'pad'; left: number }
  | { kind: 'done' };

/** A push parser for tar(5) streams; write() chunks, then end(). Throws TarError on malformed input. */
export class TarParser {
  private state: State = { kind: 'header' };
  private pending: Buffer = Buffer.alloc(0);
  private pax: Record<string, string> = {};
  private longName: string | null = null;
  private longLink: string | null = null;
  private zeroBlocks = 0;
  private count = 0;

  constructor(
    private readonly handlers: TarHandlers,
    private readonly limits: TarLimits = DEFAULT_TAR_LIMITS,
  ) {}

  /** True once the end-of-archive marker (two zero blocks) was read. */
  get finished(): boolean {
    return this.state.kind === 'done';
  }

  /** Entries seen so far. */
  get entries(): number {
    return this.count;
  }

  write(chunk: Buffer): void {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (buf.length > 0) {
      const s = this.state;
      if (s.kind === 'done') return;
      if (s.kind === 'header') {
        if (buf.length < BLOCK) {
          this.pending = Buffer.from(buf);
          return;
        }
        this.header(buf.subarray(0, BLOCK));
        buf = buf.subarray(BLOCK);
      } else if (s.kind === 'data') {
        const n = Math.min(s.left, buf.length);
        if (n > 0) {
          this.handlers.data?.(s.entry, buf.subarray(0, n));
          s.left -= n;
          buf = buf.subarray(n);
        }
        if (s.left === 0) {
          this.handlers.end?.(s.entry);
          this.state = s.pad > 0 ? { kind: 'pad', left: s.pad } : { kind: 'header' };
        }
      } else if (s.kind === 'extended') {
        const n = Math.min(s.size - s.got, buf.length);
        s.parts.push(Buffer.from(buf.subarray(0, n)));
        s.got += n;
        buf = buf.subarray(n);
        if (s.got === s.size) {
          this.applyExtended(s.type, Buffer.concat(s.parts));
          this.state = s.pad > 0 ? { kind: 'pad', left: s.pad } : { kind: 'header' };
        }
      } else {
        const n = Math.min(s.left, buf.length);
        s.left -= n;
        buf = buf.subarray(n);
        if (s.left === 0) this.state = { kind: 'header' };
      }
    }
  }

  /** Checks that the archive did not stop inside a member (a missing end marker alone is tolerated, as GNU tar does). */
  end(): void {
    const s = this.state;
    if (s.kind === 'data' || s.kind === 'extended' || this.pending.length > 0) throw new TarError('archive truncated inside a member');
  }

  private header(b: Buffer): void {
    if (isZeroBlock(b)) {
      if (++this.zeroBlocks >= 2) this.state = { kind: 'done' };
      return;
    }
    this.zeroBlocks = 0;
    if (!checksumOk(b)) throw new TarError('header checksum mismatch');
    if (++this.count > this.limits.maxEntries) throw new TarError(`more than ${this.limits.maxEntries} entries`);
    const size = tarNumber(b, 124, 12);
    const flag = String.fromCharCode(b[156] as number);
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > this.limits.maxExtendedHeader) throw new TarError(`extended header of ${size} bytes`);
      if (size === 0) return;
      this.state = { kind: 'extended', type: flag, parts: [], got: 0, size, pad: (BLOCK - (size % BLOCK)) % BLOCK };
      return;
    }
    const magic = b.toString('latin1', 257, 263);
    // POSIX ustar ("ustar\0") has a prefix field; GNU ("ustar ") uses those bytes otherwise.
    const prefix = magic === 'ustar\0' ? field(b, 345, 155) : '';
    let name = field(b, 0, 100);
    if (prefix !== '') name = `${prefix}/${name}`;
    if (this.longName !== null) name = this.longName;
    if (this.pax.path !== undefined) name = this.pax.path;
    let linkname = field(b, 157, 100);
    if (this.longLink !== null) linkname = this.longLink;
    if (this.pax.linkpath !== undefined) linkname = this.pax.linkpath;
    let dataSize = size;
    if (this.pax.size !== undefined) {
      if (!/^\d+$/.test(this.pax.size)) throw new TarError('bad pax size');
      dataSize = Number(this.pax.size);
      if (!Number.isSafeInteger(dataSize)) throw new TarError('pax size beyond 2^53');
    }
    const type = TYPES[flag] ?? 'other';
    const entry: TarEntry = { name, type, size: dataSize, mode: tarNumber(b, 100, 8), linkname, mtime: tarNumber(b, 136, 12) };
    this.pax = {};
    this.longName = null;
    this.longLink = null;
    this.handlers.entry(entry);
    // As Go's archive/tar (which docker uses): header-only types carry no data, whatever size says.
    const left = type === 'file' || type === 'other' ? dataSize : 0;
    const padLeft = (BLOCK - (left % BLOCK)) % BLOCK;
    if (left > 0) this.state = { kind: 'data', entry, left, pad: padLeft };
    else this.handlers.end?.(entry);
  }

  private applyExtended(type: 'x' | 'g' | 'L' | 'K', data: Buffer): void {
    if (type === 'x') this.pax = { ...this.pax, ...parsePax(data) };
    else if (type === 'L') this.longName = field(data, 0, data.length);
    else if (type === 'K') this.longLink = field(data, 0, data.length);
    // 'g' (global pax) is read and ignored: docker does not write it.
  }
}
