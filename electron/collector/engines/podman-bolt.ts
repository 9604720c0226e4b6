// A read-only walker for bbolt database files (go.etcd.io/bbolt), the format of Podman 4's
// libpod state (bolt_state.db): enough to list keys, read values and descend into nested buckets.
// Layout (bbolt page.go, node.go, db.go): pages of `pageSize` bytes, each with a 16-byte header
// { id u64, flags u16, count u16, overflow u32 }; two meta pages (0 and 1), the valid one with the
// higher txid naming the root bucket's page; branch elements { pos u32, ksize u32, pgid u64 },
// leaf elements { flags u32, pos u32, ksize u32, vsize u32 } with key and value at element + pos;
// a bucket value is { root pgid u64, sequence u64 }, followed by its page when root is 0 (inline).

/** Malformed bbolt file: no valid meta page, a page out of range, a bad element (bbolt db.go, page.go). */
export class BoltFormatError extends Error {
  override readonly name = 'BoltFormatError';
}

const MAGIC = 0xed0cdaed;
const HEADER = 16;
const ELEMENT = 16;
const BRANCH_PAGE = 0x01;
const LEAF_PAGE = 0x02;
const META_PAGE = 0x04;
const BUCKET_LEAF = 0x01;
/** bbolt trees are shallow; a deeper walk means a cycle in a corrupt file. */
const MAX_DEPTH = 64;

/** One key of a bucket: a value, or a nested bucket. */
export interface BoltEntry {
  readonly key: Buffer;
  readonly value: Buffer | null;
  readonly bucket: BoltBucket | null;
}

/** A bucket of a bbolt file: its entries in key order (bbolt Bucket.ForEach). */
export interface BoltBucket {
  entries(): BoltEntry[];
  /** The value under a key, null when absent or a bucket. */
  get(key: string): Buffer | null;
  /** The nested bucket under a key, null when absent or a plain value. */
  bucket(key: string): BoltBucket | null;
}

/** FNV-1a 64-bit over bytes, as bbolt's meta checksum (hash/fnv New64a). */
function fnv1a64(b: Buffer): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of b) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n);
  return h;
}

interface Meta {
  readonly pageSize: number;
  readonly root: number;
  readonly txid: bigint;
}

/** The meta page at byte offset `at`, or null when it is not a valid one (magic, version 2, checksum). */
function metaAt(file: Buffer, at: number): Meta | null {
  const m = at + HEADER;
  if (m + 64 > file.length || (file.readUInt16LE(at + 8) & META_PAGE) === 0) return null;
  if (file.readUInt32LE(m) !== MAGIC || file.readUInt32LE(m + 4) !== 2) return null;
  if (fnv1a64(file.subarray(m, m + 56)) !== file.readBigUInt64LE(m + 56)) return null;
  const pageSize = file.readUInt32LE(m + 8);
  const root = Number(file.readBigUInt64LE(m + 16));
  if (pageSize < 512 || !Number.isSafeInteger(root)) return null;
  return { pageSize, root, txid: file.readBigUInt64LE(m + 48) };
}

/** Opens a bbolt file held in memory and returns its root bucket; throws BoltFormatError when no meta page is valid. */
export function openBolt(file: Buffer): BoltBucket {
  const first = metaAt(file, 0);
  const second = metaAt(file, first?.pageSize ?? 4096);
  const meta = [first, second].filter((x): x is Meta => x !== null).sort((a, b) => (a.txid > b.txid ? -1 : 1))[0];
  if (!meta) throw new BoltFormatError('no valid bbolt meta page (not a bbolt file, or torn)');
  return new Bucket(file, meta.pageSize, { buf: file, at: meta.root * meta.pageSize }, 0);
}

/** Where a page starts: in the file, or inside an inline bucket's value. */
interface PageRef {
  readonly buf: Buffer;
  readonly at: number;
}

class Bucket implements BoltBucket {
  private cache: BoltEntry[] | null = null;
  constructor(
    private readonly file: Buffer,
    private readonly pageSize: number,
    private readonly root: PageRef,
    private readonly depth: number,
  ) {}

  entries(): BoltEntry[] {
    if (this.cache === null) {
      const out: BoltEntry[] = [];
      this.walk(this.root, out, 0);
      this.cache = out;
    }
    return this.cache;
  }

  get(key: string): Buffer | null {
    return this.find(key)?.value ?? null;
  }

  bucket(key: string): BoltBucket | null {
    return this.find(key)?.bucket ?? null;
  }

  private find(key: string): BoltEntry | undefined {
    const k = Buffer.from(key, 'utf8');
    return this.entries().find((e) => e.key.equals(k));
  }

  private slice(buf: Buffer, start: number, length: number): Buffer {
    if (start < 0 || length < 0 || start + length > buf.length) throw new BoltFormatError(`element at ${start} (+${length}) runs past its page buffer (${buf.length} bytes)`);
    return buf.subarray(start, start + length);
  }

  private walk(page: PageRef, out: BoltEntry[], level: number): void {
    if (level > MAX_DEPTH || this.depth > MAX_DEPTH) throw new BoltFormatError('bbolt tree deeper than 64 levels (a cycle?)');
    const { buf, at } = page;
    if (at < 0 || at + HEADER > buf.length) throw new BoltFormatError(`page at byte ${at} is outside the file`);
    const flags = buf.readUInt16LE(at + 8);
    const count = buf.readUInt16LE(at + 10);
    for (let i = 0; i < count; i++) {
      const el = at + HEADER + i * ELEMENT;
      this.slice(buf, el, ELEMENT);
      if ((flags & BRANCH_PAGE) !== 0) {
        const child = Number(buf.readBigUInt64LE(el + 8));
        if (!Number.isSafeInteger(child) || child < 2) throw new BoltFormatError(`branch element points to page ${child}`);
        this.walk({ buf: this.file, at: child * this.pageSize }, out, level + 1);
      } else if ((flags & LEAF_PAGE) !== 0) {
        const elFlags = buf.readUInt32LE(el);
        const pos = buf.readUInt32LE(el + 4);
        const ksize = buf.readUInt32LE(el + 8);
        const vsize = buf.readUInt32LE(el + 12);
        const key = this.slice(buf, el + pos, ksize);
        const value = this.slice(buf, el + pos + ksize, vsize);
        if ((elFlags & BUCKET_LEAF) === 0) {
          out.push({ key, value, bucket: null });
          continue;
        }
        if (value.length < 16) throw new BoltFormatError('bucket header shorter than 16 bytes');
        const root = Number(value.readBigUInt64LE(0));
        const ref: PageRef = root === 0 ? { buf: value, at: 16 } : { buf: this.file, at: root * this.pageSize };
        out.push({ key, value: null, bucket: new Bucket(this.file, this.pageSize, ref, this.depth + 1) });
      } else {
        throw new BoltFormatError(`page at byte ${at} is neither a branch nor a leaf (flags 0x${flags.toString(16)})`);
      }
    }
  }
}
