import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OsReleaseError, osReleaseOf, parseOsRelease, readOsRelease, unquoteOsReleaseValue } from '../../../electron/collector/rootfs/os-release';
import { RootHandle } from '../../../electron/collector/rootfs/resolve';

const FIX = path.resolve(__dirname, '../../fixtures/rootfs');
const text = (name: string): string => fs.readFileSync(path.join(FIX, 'os-release', name), 'utf8');

describe('parseOsRelease (os-release(5))', () => {
  const cases: Array<{ name: string; input: string; want: Record<string, string> }> = [
    {
      name: 'Debian 12, as shipped (real file)',
      input: text('debian-12'),
      want: {
        PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)', NAME: 'Debian GNU/Linux', VERSION_ID: '12', VERSION: '12 (bookworm)',
        VERSION_CODENAME: 'bookworm', ID: 'debian', HOME_URL: 'https://www.debian.org/', SUPPORT_URL: 'https://www.debian.org/support',
        BUG_REPORT_URL: 'https://bugs.debian.org/',
      },
    },
    {
      name: 'single quotes, double-quote escapes, bare escapes, empty value, indentation, comments',
      input: text('quoting'),
      want: {
        NAME: 'Single Quoted $NAME', ID: 'quoting', VERSION_ID: '1.0', PRETTY_NAME: 'Escapes: "quoted" \\ $HOME `cmd`',
        VARIANT: 'bare value with escapes', EMPTY: '', INDENTED: 'leading blanks are fine',
      },
    },
    { name: 'CRLF line ends', input: 'ID=dos\r\nNAME="DOS"\r\n', want: { ID: 'dos', NAME: 'DOS' } },
    { name: 'empty file', input: '', want: {} },
    { name: 'a later assignment wins', input: 'ID=a\nID=b\n', want: { ID: 'b' } },
    { name: 'backslash before another character inside double quotes is kept', input: 'X="a\\nb"', want: { X: 'a\\nb' } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(parseOsRelease(c.input), c.want));

  const bad: Array<{ name: string; input: string; line: number }> = [
    { name: 'unterminated double quote', input: 'ID=x\nNAME="Unterminated\n', line: 2 },
    { name: 'unterminated single quote', input: "NAME='x", line: 1 },
    { name: 'line without =', input: 'ID=x\njust words\n', line: 2 },
    { name: 'bad variable name', input: '1ID=x', line: 1 },
    { name: 'NUL bytes (a binary file)', input: '\x7fELF\0\0\0', line: 1 },
  ];
  for (const c of bad) {
    it(`throws OsReleaseError: ${c.name}`, () => {
      assert.throws(() => parseOsRelease(c.input), (e: unknown) => e instanceof OsReleaseError && e.line === c.line);
    });
  }

  it('unquoteOsReleaseValue concatenates adjacent quoted parts like a shell', () => {
    assert.equal(unquoteOsReleaseValue(`"a"'b'c`), 'abc');
    assert.equal(unquoteOsReleaseValue('"open'), null);
  });
});

describe('osReleaseOf', () => {
  it('applies the os-release(5) defaults NAME=Linux, ID=linux, PRETTY_NAME=Linux', () => {
    assert.deepEqual(osReleaseOf(parseOsRelease(text('minimal-defaults')), '/etc/os-release'), {
      name: 'Linux', id: 'minimal', versionId: null, prettyName: 'Linux', source: '/etc/os-release',
    });
  });
  it('caps absurdly long values', () => {
    const os = osReleaseOf({ NAME: 'x'.repeat(5000) }, '/etc/os-release');
    assert.ok(os.name.length <= 201);
  });
});

describe('readOsRelease (through a root)', () => {
  const read = (tree: string): ReturnType<typeof readOsRelease> => {
    const root = RootHandle.open(path.join(FIX, 'trees', tree));
    try {
      return readOsRelease(root);
    } finally {
      root.close();
    }
  };
  it('follows /etc/os-release -> ../usr/lib/os-release inside the root and names the file read', () => {
    const r = read('debian');
    assert.equal(r.os?.name, 'Debian GNU/Linux');
    assert.equal(r.os?.versionId, '12');
    assert.equal(r.os?.source, '/usr/lib/os-release');
  });
  it('none in a scratch image, without a problem', () => assert.deepEqual(read('static'), { os: null, problem: null }));
  it('a malformed file gives no OS and says why', () => {
    const r = read('broken');
    assert.equal(r.os, null);
    assert.match(r.problem ?? '', /unterminated quote/);
  });
});
