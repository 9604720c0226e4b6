import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contentTypeFor, readStaticFile, resolveStaticPath } from '../../../electron/serve/static';

const root = '/srv/isolens/renderer';

describe('resolveStaticPath', () => {
  const cases: { name: string; url: string; want: string | null }[] = [
    { name: 'root is index.html', url: '/', want: `${root}/index.html` },
    { name: 'an asset', url: '/app.js', want: `${root}/app.js` },
    { name: 'a nested asset', url: '/assets/app-1234.css', want: `${root}/assets/app-1234.css` },
    { name: 'percent-encoded space', url: '/my%20file.txt', want: `${root}/my file.txt` },
    { name: 'traversal /../etc/passwd', url: '/../etc/passwd', want: null },
    { name: 'traversal deeper /assets/../../etc/passwd', url: '/assets/../../etc/passwd', want: null },
    { name: 'dot-dot even when it stays inside', url: '/assets/../index.html', want: null },
    { name: 'encoded %2e%2e', url: '/%2e%2e/etc/passwd', want: null },
    { name: 'encoded %2E%2E with encoded slash', url: '/%2E%2E%2Fetc%2Fpasswd', want: null },
    { name: 'double-encoded %252e stays a name', url: '/%252e%252e/x', want: `${root}/%2e%2e/x` },
    { name: 'NUL byte', url: '/index.html%00.png', want: null },
    { name: 'raw NUL byte', url: '/index.html\0.png', want: null },
    { name: 'backslash', url: '/..\\..\\etc\\passwd', want: null },
    { name: 'encoded backslash', url: '/..%5c..%5cetc%5cpasswd', want: null },
    { name: 'malformed percent-encoding', url: '/%E0%A4%A', want: null },
    { name: 'not starting with a slash', url: 'etc/passwd', want: null },
    { name: 'absolute path after the slash', url: '//etc/passwd', want: null },
    { name: 'a single dot segment', url: '/./index.html', want: `${root}/index.html` },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(resolveStaticPath(root, c.url), c.want);
    });
  }
});

describe('contentTypeFor', () => {
  const cases: [string, string][] = [
    ['index.html', 'text/html; charset=utf-8'],
    ['app.js', 'text/javascript; charset=utf-8'],
    ['style.CSS', 'text/css; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['data.bin', 'application/octet-stream'],
  ];
  for (const [file, type] of cases) it(file, () => assert.equal(contentTypeFor(file), type));
});

describe('readStaticFile', () => {
  let tmp: string;
  let dir: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-static-'));
    dir = path.join(tmp, 'www');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(dir, 'leak.txt'));
    fs.symlinkSync(tmp, path.join(dir, 'up'));
    fs.symlinkSync(path.join(dir, 'index.html'), path.join(dir, 'alias.html'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads index.html for /', async () => {
    const f = await readStaticFile(dir, '/');
    assert.equal(f?.body.toString(), '<!doctype html>');
    assert.equal(f?.contentType, 'text/html; charset=utf-8');
  });
  it('follows a symlink that stays inside', async () => {
    assert.equal((await readStaticFile(dir, '/alias.html'))?.body.toString(), '<!doctype html>');
  });
  it('refuses a symlink to a file outside', async () => {
    assert.equal(await readStaticFile(dir, '/leak.txt'), null);
  });
  it('refuses a symlinked directory leading outside', async () => {
    assert.equal(await readStaticFile(dir, '/up/secret.txt'), null);
  });
  it('a directory is not a file', async () => {
    assert.equal(await readStaticFile(dir, '/sub'), null);
  });
  it('a missing file', async () => {
    assert.equal(await readStaticFile(dir, '/nope.js'), null);
  });
  it('traversal', async () => {
    assert.equal(await readStaticFile(dir, '/../secret.txt'), null);
    assert.equal(await readStaticFile(dir, '/%2e%2e/secret.txt'), null);
  });
});
