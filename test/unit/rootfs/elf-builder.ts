// Builds small elf(5) files for parser tests: one PT_LOAD covering the file, optional
// PT_INTERP and PT_DYNAMIC (DT_NEEDED / DT_RUNPATH / DT_RPATH / DT_STRTAB / DT_STRSZ),
// 32- or 64-bit, little- or big-endian. The real binaries are in test/fixtures/rootfs/elf.

/** What buildElf puts in the file. */
export interface ElfSpec {
  readonly is64?: boolean;
  readonly le?: boolean;
  readonly machine?: number;
  /** e_type: 2 = ET_EXEC, 3 = ET_DYN. */
  readonly type?: number;
  readonly interp?: string;
  readonly needed?: readonly string[];
  readonly runpath?: string;
  readonly rpath?: string;
}

/** Offsets of the parts, for tests that corrupt them. */
export interface BuiltElf {
  readonly buf: Buffer;
  readonly phoff: number;
  readonly dynOff: number;
  readonly strOff: number;
  readonly vaddr: number;
}

const VADDR = 0x400000;

/** Builds an ELF file per spec (see the file comment). */
export function buildElf(spec: ElfSpec = {}): BuiltElf {
  const is64 = spec.is64 ?? true;
  const le = spec.le ?? true;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const dynEnt = is64 ? 16 : 8;
  const hasDyn = (spec.needed?.length ?? 0) > 0 || spec.runpath !== undefined || spec.rpath !== undefined;
  const phnum = 1 + (spec.interp !== undefined ? 1 : 0) + (hasDyn ? 1 : 0);
  const phoff = ehsize;
  let off = phoff + phnum * phentsize;
  const interpOff = off;
  const interpBytes = spec.interp !== undefined ? Buffer.from(`${spec.interp}\0`, 'latin1') : Buffer.alloc(0);
  off += interpBytes.length;
  // String table: "\0" then each string.
  const strings: string[] = [...(spec.needed ?? []), ...(spec.runpath !== undefined ? [spec.runpath] : []), ...(spec.rpath !== undefined ? [spec.rpath] : [])];
  const strOffs: number[] = [];
  let table = Buffer.from([0]);
  for (const s of strings) {
    strOffs.push(table.length);
    table = Buffer.concat([table, Buffer.from(`${s}\0`, 'latin1')]);
  }
  const strOff = off;
  off += hasDyn ? table.length : 0;
  off = Math.ceil(off / 8) * 8;
  const dynOff = off;
  const tags: Array<[number, number]> = [];
  if (hasDyn) {
    let i = 0;
    for (const _ of spec.needed ?? []) tags.push([1, strOffs[i++] as number]);
    if (spec.runpath !== undefined) tags.push([29, strOffs[i++] as number]);
    if (spec.rpath !== undefined) tags.push([15, strOffs[i++] as number]);
    tags.push([5, VADDR + strOff], [10, table.length], [0, 0]);
  }
  off += tags.length * dynEnt;
  const buf = Buffer.alloc(off);
  const u16 = (v: number, o: number): number => (le ? buf.writeUInt16LE(v, o) : buf.writeUInt16BE(v, o));
  const u32 = (v: number, o: number): number => (le ? buf.writeUInt32LE(v, o) : buf.writeUInt32BE(v, o));
  const word = (v: number, o: number): number => (is64 ? (le ? buf.writeBigUInt64LE(BigInt(v), o) : buf.writeBigUInt64BE(BigInt(v), o)) : u32(v, o));
  buf.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1], 0);
  u16(spec.type ?? 3, 16);
  u16(spec.machine ?? 62, 18);
  u32(1, 20);
  word(phoff, is64 ? 32 : 28);
  u16(ehsize, is64 ? 52 : 40);
  u16(phentsize, is64 ? 54 : 42);
  u16(phnum, is64 ? 56 : 44);
  const ph = (i: number, type: number, offset: number, filesz: number): void => {
    const o = phoff + i * phentsize;
    u32(type, o);
    if (is64) {
      word(offset, o + 8);
      word(VADDR + offset, o + 16);
      word(VADDR + offset, o + 24);
      word(filesz, o + 32);
      word(filesz, o + 40);
    } else {
      word(offset, o + 4);
      word(VADDR + offset, o + 8);
      word(VADDR + offset, o + 12);
      word(filesz, o + 16);
      word(filesz, o + 20);
    }
  };
  let i = 0;
  ph(i++, 1, 0, off);
  if (spec.interp !== undefined) ph(i++, 3, interpOff, interpBytes.length);
  if (hasDyn) ph(i++, 2, dynOff, tags.length * dynEnt);
  interpBytes.copy(buf, interpOff);
  if (hasDyn) table.copy(buf, strOff);
  tags.forEach(([tag, val], k) => {
    const o = dynOff + k * dynEnt;
    if (is64) {
      word(tag, o);
      word(val, o + 8);
    } else {
      u32(tag, o);
      u32(val, o + 4);
    }
  });
  return { buf, phoff, dynOff, strOff, vaddr: VADDR };
}
