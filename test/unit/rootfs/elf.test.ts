import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bufferSource, ElfError, machineName, parseElf, type ElfInfo } from '../../../electron/collector/rootfs/elf';
import { buildElf } from './elf-builder';

const ELF_DIR = path.resolve(__dirname, '../../fixtures/rootfs/elf');
const parse = (buf: Buffer): ElfInfo => parseElf(bufferSource(buf), buf.length);
const real = (name: string): ElfInfo => parse(fs.readFileSync(path.join(ELF_DIR, name)));

describe('parseElf on real binaries (gcc on Debian 12, x86-64)', () => {
  it('static, no libc: no PT_INTERP, no DT_NEEDED', () => {
    const e = real('tiny');
    assert.deepEqual({ ...e }, { elfClass: 'ELF64', endian: 'little', machineCode: 62, machine: 'x86-64', type: 'EXEC', interpreter: null, needed: [], runpath: [], rpath: [] });
  });
  it('dynamic PIE with -lm: the loader and libm.so.6 + libc.so.6', () => {
    const e = real('dynamic');
    assert.equal(e.type, 'DYN');
    assert.equal(e.interpreter, '/lib64/ld-linux-x86-64.so.2');
    assert.deepEqual(e.needed, ['libm.so.6', 'libc.so.6']);
  });
  it('DT_RUNPATH $ORIGIN/../lib', () => {
    const e = real('runpath');
    assert.deepEqual(e.runpath, ['$ORIGIN/../lib']);
    assert.deepEqual(e.rpath, []);
    assert.deepEqual(e.needed, ['libc.so.6']);
  });
});

describe('parseElf on built files: classes, byte orders, machines', () => {
  const cases = [
    { name: 'ELF32 little-endian i386', spec: { is64: false, le: true, machine: 3 }, cls: 'ELF32', endian: 'little', machine: 'i386' },
    { name: 'ELF32 big-endian MIPS', spec: { is64: false, le: false, machine: 8 }, cls: 'ELF32', endian: 'big', machine: 'MIPS' },
    { name: 'ELF64 big-endian S/390', spec: { is64: true, le: false, machine: 22 }, cls: 'ELF64', endian: 'big', machine: 'S/390' },
    { name: 'ELF64 little-endian AArch64', spec: { is64: true, le: true, machine: 183 }, cls: 'ELF64', endian: 'little', machine: 'AArch64' },
  ] as const;
  for (const c of cases) {
    it(`${c.name}: interpreter, needed, runpath and rpath`, () => {
      const e = parse(buildElf({ ...c.spec, interp: '/lib/ld.so.1', needed: ['liba.so.1', 'libb.so.2'], runpath: '/opt/x:/opt/y', rpath: '/old' }).buf);
      assert.equal(e.elfClass, c.cls);
      assert.equal(e.endian, c.endian);
      assert.equal(e.machine, c.machine);
      assert.equal(e.interpreter, '/lib/ld.so.1');
      assert.deepEqual(e.needed, ['liba.so.1', 'libb.so.2']);
      assert.deepEqual(e.runpath, ['/opt/x', '/opt/y']);
      assert.deepEqual(e.rpath, ['/old']);
    });
  }
  it('static-pie: ET_DYN without PT_INTERP', () => {
    const e = parse(buildElf({ type: 3 }).buf);
    assert.equal(e.interpreter, null);
    assert.equal(e.type, 'DYN');
  });
  it('names unknown machines by number', () => assert.equal(machineName(9999), 'machine 9999'));
});

describe('parseElf on hostile bytes: an ElfError, never a crash or an out-of-range read', () => {
  const dyn = (): ReturnType<typeof buildElf> => buildElf({ interp: '/lib64/ld-linux-x86-64.so.2', needed: ['libc.so.6'] });
  const mutate = (f: (b: Buffer, x: ReturnType<typeof buildElf>) => void): Buffer => {
    const x = dyn();
    const b = Buffer.from(x.buf);
    f(b, x);
    return b;
  };
  const cases: Array<{ name: string; buf: Buffer; message: RegExp }> = [
    { name: 'empty file', buf: Buffer.alloc(0), message: /too short/ },
    { name: 'not ELF', buf: Buffer.from('#!/bin/sh\necho hi\n'), message: /no ELF magic/ },
    { name: 'bad EI_CLASS', buf: mutate((b) => (b[4] = 7)), message: /EI_CLASS/ },
    { name: 'bad EI_DATA', buf: mutate((b) => (b[5] = 0)), message: /EI_DATA/ },
    { name: 'header cut short', buf: dyn().buf.subarray(0, 40), message: /outside/ },
    { name: 'real binary cut after 100 bytes', buf: fs.readFileSync(path.join(ELF_DIR, 'dynamic')).subarray(0, 100), message: /outside/ },
    { name: 'e_phoff beyond the file', buf: mutate((b) => b.writeBigUInt64LE(10n ** 9n, 32)), message: /program header table.*outside/ },
    { name: 'e_phoff beyond 2^53', buf: mutate((b) => b.writeBigUInt64LE(2n ** 63n, 32)), message: /beyond 2\^53/ },
    { name: 'e_phnum PN_XNUM', buf: mutate((b) => b.writeUInt16LE(0xffff, 56)), message: /PN_XNUM/ },
    { name: 'e_phnum over the cap', buf: mutate((b) => b.writeUInt16LE(5000, 56)), message: /cap/ },
    { name: 'e_phentsize too small', buf: mutate((b) => b.writeUInt16LE(8, 54)), message: /e_phentsize/ },
    { name: 'PT_INTERP size 0', buf: mutate((b, x) => b.writeBigUInt64LE(0n, x.phoff + 56 + 32)), message: /PT_INTERP of 0/ },
    { name: 'PT_INTERP offset outside', buf: mutate((b, x) => b.writeBigUInt64LE(1n << 40n, x.phoff + 56 + 8)), message: /PT_INTERP.*outside/ },
    { name: 'PT_DYNAMIC huge', buf: mutate((b, x) => b.writeBigUInt64LE(1n << 30n, x.phoff + 112 + 32)), message: /PT_DYNAMIC of/ },
    { name: 'DT_STRTAB in no PT_LOAD', buf: mutate((b, x) => b.writeBigUInt64LE(0x10n, x.dynOff + 16 + 8)), message: /no PT_LOAD/ },
    { name: 'DT_NEEDED offset outside the string table', buf: mutate((b, x) => b.writeBigUInt64LE(100000n, x.dynOff + 8)), message: /outside the string table/ },
    { name: 'string table without NUL', buf: mutate((b, x) => b.fill(0x41, x.strOff, x.dynOff)), message: /unterminated|outside/ },
  ];
  for (const c of cases) {
    it(c.name, () => assert.throws(() => parse(c.buf), (e: unknown) => e instanceof ElfError && c.message.test(e.message)));
  }
  it('a ByteSource that returns fewer bytes than asked gives a short-read error', () => {
    const b = dyn().buf;
    assert.throws(() => parseElf((o, n) => b.subarray(o, o + Math.min(n, 20)), b.length), (e: unknown) => e instanceof ElfError && /short read/.test(e.message));
  });
  it('random garbage after the magic never throws anything but ElfError', () => {
    let seed = 42;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let n = 0; n < 500; n++) {
      const b = Buffer.from(dyn().buf);
      for (let k = 0; k < 8; k++) b[4 + Math.floor(rnd() * (b.length - 4))] = Math.floor(rnd() * 256);
      try {
        parse(b);
      } catch (e) {
        assert.ok(e instanceof ElfError, `case ${n}: ${String(e)}`);
      }
    }
  });
});
