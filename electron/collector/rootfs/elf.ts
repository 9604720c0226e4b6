// A bounds-checked elf(5) reader: the header, program headers, PT_INTERP and the DT_NEEDED /
// DT_RUNPATH / DT_RPATH strings of PT_DYNAMIC. Every offset and size is checked against the
// file and capped; malformed input gives an ElfError, never an out-of-range read.

/** Reads up to `length` bytes at `offset` (fewer at the end of the file). */
export type ByteSource = (offset: number, length: number) => Buffer;

/** A ByteSource over a Buffer (for tests and small files). */
export const bufferSource = (buf: Buffer): ByteSource => (offset, length) =>
  offset >= buf.length || offset < 0 ? Buffer.alloc(0) : buf.subarray(offset, Math.min(buf.length, offset + Math.max(0, length)));

/** Input that is not a well-formed elf(5) file, or that exceeds our caps. */
export class ElfError extends Error {
  override readonly name = 'ElfError';
}

/** What elf(5) says about how a binary is run. */
export interface ElfInfo {
  readonly elfClass: 'ELF32' | 'ELF64';
  readonly endian: 'little' | 'big';
  /** e_machine code. */
  readonly machineCode: number;
  /** e_machine name ("x86-64", "AArch64"…). */
  readonly machine: string;
  /** e_type: ET_EXEC, ET_DYN (PIE or shared object), ET_REL, ET_CORE. */
  readonly type: 'EXEC' | 'DYN' | 'REL' | 'CORE' | 'OTHER';
  /** PT_INTERP, null for a static (or static-pie) binary. */
  readonly interpreter: string | null;
  readonly needed: readonly string[];
  readonly runpath: readonly string[];
  readonly rpath: readonly string[];
}

/** \x7fELF */
export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
/** e_phnum value meaning "the real count is in section 0's sh_info" (elf(5) PN_XNUM). */
const PN_XNUM = 0xffff;

/** Caps: beyond these a file is refused rather than read. */
export const ELF_LIMITS = {
  maxProgramHeaders: 4096,
  maxDynamicBytes: 1024 * 1024,
  maxStringTableBytes: 4 * 1024 * 1024,
  maxNeeded: 1024,
  maxString: 4096,
} as const;

const MACHINES: Readonly<Record<number, string>> = {
  2: 'SPARC',
  3: 'i386',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'ARM',
  43: 'SPARC V9',
  50: 'IA-64',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
};

/** The name of an elf(5) e_machine value. */
export const machineName = (code: number): string => MACHINES[code] ?? `machine ${code}`;

interface Reader {
  readonly is64: boolean;
  readonly le: boolean;
  u16(b: Buffer, o: number): number;
  u32(b: Buffer, o: number): number;
  /** A word: 4 bytes (ELF32) or 8 bytes (ELF64), as a safe integer. */
  word(b: Buffer, o: number): number;
  /** A signed word (d_tag). */
  sword(b: Buffer, o: number): number;
}

function readerFor(is64: boolean, le: boolean): Reader {
  const u16 = (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u64 = (b: Buffer, o: number): number => {
    const v = le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`64-bit value ${v} beyond 2^53`);
    return Number(v);
  };
  const s64 = (b: Buffer, o: number): number => {
    const v = le ? b.readBigInt64LE(o) : b.readBigInt64BE(o);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
    return Number(v);
  };
  const s32 = (b: Buffer, o: number): number => (le ? b.readInt32LE(o) : b.readInt32BE(o));
  return { is64, le, u16, u32, word: is64 ? u64 : u32, sword: is64 ? s64 : s32 };
}

/** Reads exactly `length` bytes or throws (the file is shorter than its headers claim). */
function exact(read: ByteSource, fileSize: number, offset: number, length: number, what: string): Buffer {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > fileSize) {
    throw new ElfError(`${what} at ${offset}+${length} lies outside the ${fileSize}-byte file`);
  }
  const b = read(offset, length);
  if (b.length < length) throw new ElfError(`${what}: short read (${b.length} of ${length} bytes)`);
  return b;
}

/** A NUL-terminated string in buf at offset (at most ELF_LIMITS.maxString bytes); null if unterminated or out of range. */
function cString(buf: Buffer, offset: number): string | null {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= buf.length) return null;
  const end = buf.indexOf(0, offset);
  if (end < 0 || end - offset > ELF_LIMITS.maxString) return null;
  return buf.toString('latin1', offset, end);
}

interface ProgramHeader {
  readonly type: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
}

const TYPES: Readonly<Record<number, ElfInfo['type']>> = { 1: 'REL', 2: 'EXEC', 3: 'DYN', 4: 'CORE' };

/** Whether the bytes start with the elf(5) magic. */
export const isElf = (head: Buffer): boolean => head.length >= 4 && head.subarray(0, 4).equals(ELF_MAGIC);

/**
 * Parses an elf(5) file through `read`: e_ident, the header, the program headers, PT_INTERP
 * and, from PT_DYNAMIC with DT_STRTAB mapped through the PT_LOAD segments, DT_NEEDED,
 * DT_RUNPATH and DT_RPATH. 32/64-bit, little/big endian. Throws ElfError on malformed input.
 */
export function parseElf(read: ByteSource, fileSize: number): ElfInfo {
  if (!Number.isSafeInteger(fileSize) || fileSize < 16) throw new ElfError('too short for an ELF header');
  const ident = exact(read, fileSize, 0, 16, 'e_ident');
  if (!isElf(ident)) throw new ElfError('no ELF magic');
  const cls = ident[4];
  const data = ident[5];
  if (cls !== 1 && cls !== 2) throw new ElfError(`bad EI_CLASS ${cls}`);
  if (data !== 1 && data !== 2) throw new ElfError(`bad EI_DATA ${data}`);
  const r = readerFor(cls === 2, data === 1);
  const ehsize = r.is64 ? 64 : 52;
  const eh = exact(read, fileSize, 0, ehsize, 'ELF header');
  const type = TYPES[r.u16(eh, 16)] ?? 'OTHER';
  const machineCode = r.u16(eh, 18);
  const phoff = r.word(eh, r.is64 ? 32 : 28);
  const phentsize = r.u16(eh, r.is64 ? 54 : 42);
  const phnum = r.u16(eh, r.is64 ? 56 : 44);
  const minEnt = r.is64 ? 56 : 32;
  if (phnum === PN_XNUM) throw new ElfError('extended program header numbering (PN_XNUM) is not supported');
  if (phnum > ELF_LIMITS.maxProgramHeaders) throw new ElfError(`${phnum} program headers (cap ${ELF_LIMITS.maxProgramHeaders})`);
  if (phnum > 0 && phentsize < minEnt) throw new ElfError(`e_phentsize ${phentsize} < ${minEnt}`);
  const phs: ProgramHeader[] = [];
  if (phnum > 0) {
    const tbl = exact(read, fileSize, phoff, phentsize * phnum, 'program header table');
    for (let i = 0; i < phnum; i++) {
      const o = i * phentsize;
      phs.push(
        r.is64
          ? { type: r.u32(tbl, o), offset: r.word(tbl, o + 8), vaddr: r.word(tbl, o + 16), filesz: r.word(tbl, o + 32) }
          : { type: r.u32(tbl, o), offset: r.word(tbl, o + 4), vaddr: r.word(tbl, o + 8), filesz: r.word(tbl, o + 16) },
      );
    }
  }
  const base = {
    elfClass: r.is64 ? ('ELF64' as const) : ('ELF32' as const),
    endian: r.le ? ('little' as const) : ('big' as const),
    machineCode,
    machine: machineName(machineCode),
    type,
  };

  let interpreter: string | null = null;
  const interp = phs.find((p) => p.type === PT_INTERP);
  if (interp) {
    if (interp.filesz === 0 || interp.filesz > ELF_LIMITS.maxString) throw new ElfError(`PT_INTERP of ${interp.filesz} bytes`);
    const b = exact(read, fileSize, interp.offset, interp.filesz, 'PT_INTERP');
    const end = b.indexOf(0);
    interpreter = b.toString('latin1', 0, end < 0 ? b.length : end);
    if (interpreter === '') throw new ElfError('empty PT_INTERP');
  }

  const needed: string[] = [];
  const runpath: string[] = [];
  const rpath: string[] = [];
  const dyn = phs.find((p) => p.type === PT_DYNAMIC);
  if (dyn && dyn.filesz > 0) {
    if (dyn.filesz > ELF_LIMITS.maxDynamicBytes) throw new ElfError(`PT_DYNAMIC of ${dyn.filesz} bytes (cap ${ELF_LIMITS.maxDynamicBytes})`);
    const d = exact(read, fileSize, dyn.offset, dyn.filesz, 'PT_DYNAMIC');
    const entSize = r.is64 ? 16 : 8;
    const half = entSize / 2;
    let strtab: number | null = null;
    let strsz: number | null = null;
    const neededOffs: number[] = [];
    const runpathOffs: number[] = [];
    const rpathOffs: number[] = [];
    for (let o = 0; o + entSize <= d.length; o += entSize) {
      const tag = r.sword(d, o);
      if (tag === DT_NULL) break;
      const val = (): number => r.word(d, o + half);
      if (tag === DT_NEEDED) {
        if (neededOffs.length >= ELF_LIMITS.maxNeeded) throw new ElfError(`more than ${ELF_LIMITS.maxNeeded} DT_NEEDED entries`);
        neededOffs.push(val());
      } else if (tag === DT_STRTAB) strtab = val();
      else if (tag === DT_STRSZ) strsz = val();
      else if (tag === DT_RUNPATH) runpathOffs.push(val());
      else if (tag === DT_RPATH) rpathOffs.push(val());
    }
    const wanted = neededOffs.length + runpathOffs.length + rpathOffs.length;
    if (wanted > 0) {
      if (strtab === null) throw new ElfError('DT_NEEDED without DT_STRTAB');
      const addr = strtab;
      const load = phs.find((p) => p.type === PT_LOAD && addr >= p.vaddr && addr < p.vaddr + p.filesz);
      if (!load) throw new ElfError(`DT_STRTAB address 0x${addr.toString(16)} is in no PT_LOAD segment`);
      const fileOff = load.offset + (addr - load.vaddr);
      const inSegment = load.vaddr + load.filesz - addr;
      const size = Math.min(strsz ?? inSegment, inSegment, fileSize - fileOff, ELF_LIMITS.maxStringTableBytes);
      if (size <= 0) throw new ElfError('empty string table');
      const strings = exact(read, fileSize, fileOff, size, 'DT_STRTAB');
      const str = (off: number, what: string): string => {
        const s = cString(strings, off);
        if (s === null) throw new ElfError(`${what} string at ${off} is outside the string table or unterminated`);
        return s;
      };
      for (const off of neededOffs) needed.push(str(off, 'DT_NEEDED'));
      for (const off of runpathOffs) runpath.push(...str(off, 'DT_RUNPATH').split(':').filter((x) => x !== ''));
      for (const off of rpathOffs) rpath.push(...str(off, 'DT_RPATH').split(':').filter((x) => x !== ''));
    }
  }
  return { ...base, interpreter, needed, runpath, rpath };
}
