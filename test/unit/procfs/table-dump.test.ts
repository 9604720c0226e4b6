import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProcReadError } from '../../../electron/collector/procfs/errors';
import type { ProcSource } from '../../../electron/collector/procfs/source';
import { dumpSource, type PidDump, TableDumpError, TableDumpParser } from '../../../electron/collector/procfs/table-dump';

/** A record as native/table.c prints it. */
const bytes = (kind: 'F' | 'L', name: string, text: string): string => `${kind} ${name} ${Buffer.byteLength(text)}\n${text}`;

const STAT = '4211 (sleep) S 4190 4211 4211 0 -1 4194560 98 0 0 0 0 0 0 0 20 0 1 0 5337921 1658880 256 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n';
const DUMP =
  'P 4211\n' + bytes('F', 'stat', STAT) + bytes('F', 'status', 'Name:\tsleep\nNSpid:\t4211\t1\n') + bytes('F', 'cmdline', 'sleep\u0000100\u0000') +
  'E F cgroup EACCES\n' + bytes('L', 'net', 'net:[4026532474]') + 'R /proc/4211/ns/net\t4026532474\tnet\t0\t4026531837\n' + 'E L time ENOENT\n' +
  'fd 4211 3 net 4026532999\n' +
  'P 4212\nE F stat ENOENT\n' +
  'task 4213 4215 mnt 4026533000\n' +
  'done 3 1250\n';

function parseAll(chunks: Buffer[]): { dumps: PidDump[]; parser: TableDumpParser } {
  const parser = new TableDumpParser();
  const dumps = chunks.flatMap((c) => parser.push(c));
  parser.end();
  return { dumps, parser };
}

describe('TableDumpParser', () => {
  it('reads files, links, failures, relation and holder lines, per pid, and the done line', () => {
    const { dumps, parser } = parseAll([Buffer.from(DUMP)]);
    assert.deepEqual(dumps.map((d) => d.pid), [4211, 4212]);
    const [a, b] = dumps as [PidDump, PidDump];
    assert.equal(a.files.get('stat'), STAT);
    assert.equal(a.files.get('cmdline'), 'sleep\u0000100\u0000');
    assert.deepEqual(a.files.get('cgroup'), { errno: 'EACCES' });
    assert.equal(a.links.get('net'), 'net:[4026532474]');
    assert.deepEqual(a.links.get('time'), { errno: 'ENOENT' });
    assert.deepEqual(b.files.get('stat'), { errno: 'ENOENT' });
    assert.deepEqual(parser.holderLines, ['fd 4211 3 net 4026532999', 'task 4213 4215 mnt 4026533000']);
    assert.deepEqual(parser.relationLines, ['/proc/4211/ns/net\t4026532474\tnet\t0\t4026531837']);
    assert.deepEqual(parser.done, { count: 3, elapsedMs: 1.25 });
  });

  it('gives the same dumps however the output is cut into chunks (every cut point, and byte by byte)', () => {
    const whole = Buffer.from(DUMP);
    const want = parseAll([whole]).dumps;
    for (let cut = 1; cut < whole.length; cut++) {
      assert.deepEqual(parseAll([whole.subarray(0, cut), whole.subarray(cut)]).dumps, want, `cut at ${cut}`);
    }
    assert.deepEqual(parseAll([...whole].map((b) => Buffer.from([b]))).dumps, want);
  });

  it('gives the same dumps when items are longer than a chunk, or than the bytes first joined to a cut item (a 40 KiB cmdline, pipe-sized chunks)', () => {
    const long = Array.from({ length: 4000 }, (_, i) => `arg${i}`).join('\u0000');
    const many = Array.from({ length: 60 }, (_, i) => `P ${i + 1}\n${bytes('F', 'stat', STAT)}${bytes('F', 'cmdline', i % 7 === 3 ? long : 'sh\u0000')}`).join('');
    const whole = Buffer.from(`${many}done 60 1\n`);
    const want = parseAll([whole]).dumps;
    assert.equal(want.length, 60);
    for (const size of [1000, 4096, 5000, 65536]) {
      const chunks = Array.from({ length: Math.ceil(whole.length / size) }, (_, k) => whole.subarray(k * size, (k + 1) * size));
      assert.deepEqual(parseAll(chunks).dumps, want, `chunks of ${size} bytes`);
    }
  });

  it('keeps UTF-8 whole when a chunk ends inside a character', () => {
    const text = 'Name:\tgrüße\n';
    const whole = Buffer.from(`P 9\n${bytes('F', 'status', text)}done 1 1\n`);
    const at = whole.indexOf(Buffer.from('ü')) + 1;
    assert.equal(parseAll([whole.subarray(0, at), whole.subarray(at)]).dumps[0]?.files.get('status'), text);
  });

  it('a pid whose dump is complete is handed over before the output ends (records are built as it streams)', () => {
    const parser = new TableDumpParser();
    assert.deepEqual(parser.push(Buffer.from('P 1\n' + bytes('F', 'stat', STAT))), [], 'pid 1 may still have more');
    assert.deepEqual(parser.push(Buffer.from('P 2\n')).map((d) => d.pid), [1]);
  });

  const bad: { name: string; text: string; why: RegExp }[] = [
    { name: 'a line native/table.c does not print', text: 'P 1\nX something\ndone 1 1\n', why: /not an isolens-table line/ },
    { name: 'a file record before any pid', text: bytes('F', 'stat', STAT) + 'done 0 1\n', why: /not a file or link record/ },
    { name: 'a pid that is not a number', text: 'P 12a\ndone 1 1\n', why: /not a pid line/ },
    { name: 'a failure without an errno name', text: 'P 1\nE F stat 2\ndone 1 1\n', why: /not a failure line/ },
    { name: 'a line after the done line', text: 'done 0 1\nP 1\n', why: /after the done line/ },
  ];
  for (const c of bad) {
    it(`refuses ${c.name}`, () => {
      assert.throws(() => parseAll([Buffer.from(c.text)]), (e: unknown) => e instanceof TableDumpError && c.why.test(e.message));
    });
  }

  it('refuses output cut short (no done line) and bytes left after it', () => {
    assert.throws(() => parseAll([Buffer.from('P 1\n' + bytes('F', 'stat', STAT))]), /no done line/);
    const cut = new TableDumpParser();
    cut.push(Buffer.from('P 1\nF stat 300\nshort'));
    assert.throws(() => cut.end(), /no done line/);
  });
});

describe('dumpSource', () => {
  const calls: string[] = [];
  const fallback: ProcSource = {
    text: (path) => {
      calls.push(`text ${path}`);
      return 'from the file system';
    },
    link: (path) => {
      calls.push(`link ${path}`);
      return 'mnt:[1]';
    },
  };
  const dump = (): PidDump => parseAll([Buffer.from(DUMP)]).dumps[0] as PidDump;

  it('serves each read once from the dump; asked again (stat re-read), or for what it lacks, the file system', () => {
    calls.length = 0;
    const src = dumpSource(dump(), '/proc', fallback);
    assert.equal(src.text('/proc/4211/stat', 4211, true), STAT);
    assert.equal(src.text('/proc/4211/stat', 4211, true), 'from the file system');
    assert.equal(src.link('/proc/4211/ns/net', 4211), 'net:[4026532474]');
    assert.equal(src.link('/proc/4211/ns/mnt', 4211), 'mnt:[1]', 'a link the helper did not read');
    assert.equal(src.text('/proc/4212/stat', 4212, true), 'from the file system', 'another pid is not served from this dump');
    assert.deepEqual(calls, ['text /proc/4211/stat', 'link /proc/4211/ns/mnt', 'text /proc/4212/stat']);
  });

  it('throws a failed read as the ProcReadError Node\'s own read would give (code, pid, file)', () => {
    const src = dumpSource(dump(), '/proc', fallback);
    for (const [read, file, code] of [
      [() => src.text('/proc/4211/cgroup', 4211, true), '/proc/4211/cgroup', 'EACCES'],
      [() => src.link('/proc/4211/ns/time', 4211), '/proc/4211/ns/time', 'ENOENT'],
    ] as const) {
      assert.throws(read, (e: unknown) => e instanceof ProcReadError && e.code === code && e.pid === 4211 && e.file === file);
    }
  });
});
