import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePax, TarError, tarNumber, TarParser, type TarEntry } from '../../../electron/collector/rootfs/tar';

const TAR = path.resolve(__dirname, '../../fixtures/rootfs/tar');
const LONG = 'dir-with-a-rather-long-name-to-go-past-one-hundred-characters/and-another-level-of-directories/file-name.txt';

/** Parses a whole archive fed in chunks of `chunk` bytes; returns entries with their data. */
function list(buf: Buffer, chunk = 65536): Array<TarEntry & { data: string }> {
  const out: Array<TarEntry & { data: string }> = [];
  const parts = new Map<TarEntry, Buffer[]>();
  const p = new TarParser({
    entry: (e) => parts.set(e, []),
    data: (e, c) => parts.get(e)?.push(Buffer.from(c)),
    end: (e) => out.push({ ...e, data: Buffer.concat(parts.get(e) ?? []).toString('utf8') }),
  });
  for (let i = 0; i < buf.length; i += chunk) p.write(buf.subarray(i, i + chunk));
  p.end();
  return out;
}

describe('TarParser on GNU tar archives', () => {
  for (const format of ['ustar', 'gnu', 'pax']) {
    it(`${format}: names past 100 characters, symlink, hard link, data`, () => {
      const entries = list(fs.readFileSync(path.join(TAR, `${format}.tar`)));
      const byName = new Map(entries.map((e) => [e.name.replace(/^\.\//, ''), e]));
      assert.equal(byName.get(LONG)?.data, 'long\n');
      // hard and hello.txt are one inode: GNU tar stores the data with the first name (sorted: hard).
      assert.deepEqual([byName.get('hard')?.type, byName.get('hard')?.data], ['file', 'hello\n']);
      assert.deepEqual([byName.get('hello.txt')?.type, byName.get('hello.txt')?.size, byName.get('hello.txt')?.linkname.replace(/^\.\//, '')], ['hardlink', 0, 'hard']);
      assert.deepEqual([byName.get('link')?.type, byName.get('link')?.linkname], ['symlink', 'hello.txt']);
      assert.equal(byName.get('')?.type ?? byName.get('.')?.type, 'dir');
      assert.equal(byName.get('hard')?.mtime, 1700000000);
    });
  }
  it('gives the same entries whatever the chunk size (1, 7, 511, 513 bytes)', () => {
    const buf = fs.readFileSync(path.join(TAR, 'pax.tar'));
    const want = list(buf);
    for (const n of [1, 7, 511, 513]) assert.deepEqual(list(buf, n), want, `chunk ${n}`);
  });
  it('stops at the end-of-archive marker', () => {
    const buf = Buffer.concat([fs.readFileSync(path.join(TAR, 'ustar.tar')), Buffer.from('trailing garbage')]);
    assert.ok(list(buf).length > 0);
  });
});

describe('TarParser on damaged archives', () => {
  it('a changed header byte: TarError checksum mismatch', () => {
    assert.throws(() => list(fs.readFileSync(path.join(TAR, 'bad-checksum.tar'))), (e: unknown) => e instanceof TarError && /checksum/.test(e.message));
  });
  it('cut inside a member: TarError truncated at end()', () => {
    assert.throws(() => list(fs.readFileSync(path.join(TAR, 'truncated.tar'))), (e: unknown) => e instanceof TarError && /truncated/.test(e.message));
  });
  it('an entry cap', () => {
    const p = new TarParser({ entry: () => undefined }, { maxEntries: 2, maxExtendedHeader: 1024 });
    assert.throws(() => p.write(fs.readFileSync(path.join(TAR, 'ustar.tar'))), (e: unknown) => e instanceof TarError && /more than 2 entries/.test(e.message));
  });
  it('an oversized pax header is refused', () => {
    const p = new TarParser({ entry: () => undefined }, { maxEntries: 100, maxExtendedHeader: 10 });
    assert.throws(() => p.write(fs.readFileSync(path.join(TAR, 'pax.tar'))), (e: unknown) => e instanceof TarError && /extended header/.test(e.message));
  });
  it('random byte flips never throw anything but TarError', () => {
    const base = fs.readFileSync(path.join(TAR, 'pax.tar'));
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let n = 0; n < 300; n++) {
      const b = Buffer.from(base);
      for (let k = 0; k < 4; k++) b[Math.floor(rnd() * 3000)] = Math.floor(rnd() * 256);
      try {
        list(b, 1 + Math.floor(rnd() * 1000));
      } catch (e) {
        assert.ok(e instanceof TarError, `case ${n}: ${String(e)}`);
      }
    }
  });
});

describe('tar numbers and pax records', () => {
  const num = (bytes: number[] | string): number => tarNumber(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes), 0, typeof bytes === 'string' ? bytes.length : bytes.length);
  it('octal with NUL and space padding', () => assert.equal(num('0000644\0'), 0o644));
  it('empty is 0', () => assert.equal(num('\0\0\0\0'), 0));
  it('base-256 (GNU, for sizes past 8 GiB)', () => assert.equal(num([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0]), 2 * 65536));
  it('negative base-256 is refused', () => assert.throws(() => num([0xff, 0xff]), TarError));
  it('non-octal digits are refused', () => assert.throws(() => num('00009\0'), TarError));
  it('pax records', () => assert.deepEqual(parsePax(Buffer.from('18 path=a/b/c.txt\n11 size=42\n')), { path: 'a/b/c.txt', size: '42' }));
  it('a pax record overrunning its header is refused', () => assert.throws(() => parsePax(Buffer.from('99 path=x\n')), TarError));
});
