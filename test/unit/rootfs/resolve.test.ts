import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listDirInRoot, MAX_SYMLINKS, openFileInRoot, readFileInRoot, RootHandle, RootOpenError, statInRoot } from '../../../electron/collector/rootfs/resolve';
import { plantHostSecret, SECRET_DIR } from './host-secret';

const TREES = path.resolve(__dirname, '../../fixtures/rootfs/trees');

describe('resolution inside a root (RESOLVE_IN_ROOT semantics)', () => {
  let secret: ReturnType<typeof plantHostSecret>;
  let root: RootHandle;
  before(() => {
    secret = plantHostSecret();
    root = RootHandle.open(path.join(TREES, 'hostile'));
  });
  after(() => {
    root.close();
    secret.remove();
  });

  const cases: Array<{ name: string; path: string; want: string | { code: string } }> = [
    { name: 'absolute symlink to a host-only file', path: '/etc/os-release', want: { code: 'ENOENT' } },
    { name: 'relative symlink climbing past the root to a host file', path: '/usr/lib/os-release', want: { code: 'ENOENT' } },
    { name: 'absolute symlink to a host executable', path: '/bin/sh', want: { code: 'ENOENT' } },
    { name: '`..`-laden symlink to /etc/shadow', path: '/x', want: { code: 'ENOENT' } },
    { name: 'symlink through /proc/self/root (not a magic link inside the root)', path: '/bin/zsh', want: { code: 'ENOENT' } },
    { name: 'directory symlink to a host directory', path: '/lib/sh', want: { code: 'ENOENT' } },
    { name: '`..` in the asked path stops at the root', path: '/../../../../tmp/isolens-rootfs-secret/os-release', want: { code: 'ENOENT' } },
    { name: 'a symlink loop', path: '/loop-a', want: { code: 'ELOOP' } },
    { name: `a chain of ${MAX_SYMLINKS} symlinks resolves`, path: '/chain/c1', want: '/chain/end' },
    { name: `a chain of ${MAX_SYMLINKS + 1} symlinks is ELOOP`, path: '/chain/c0', want: { code: 'ELOOP' } },
    { name: 'a file used as a directory', path: '/usr/local/bin/entry/x', want: { code: 'ENOTDIR' } },
    { name: 'a plain file', path: '/usr/local/bin/entry', want: '/usr/local/bin/entry' },
    { name: 'the root itself', path: '/', want: '/' },
    { name: '`..` above the root is the root', path: '/usr/..//../.', want: '/' },
    { name: 'a NUL byte', path: '/etc/\0', want: { code: 'ENOENT' } },
    { name: 'a path longer than PATH_MAX', path: `/${'a/'.repeat(3000)}`, want: { code: 'ENAMETOOLONG' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = statInRoot(root, c.path);
      if (typeof c.want === 'string') {
        assert.ok(r.ok, JSON.stringify(r));
        assert.equal(r.path, c.want);
      } else {
        assert.equal(r.ok, false);
        assert.equal(r.ok ? '' : r.code, c.want.code);
      }
    });
  }

  it("the host's own resolution of these links does reach the host files (the fixture is really hostile)", () => {
    const tree = path.join(TREES, 'hostile');
    assert.equal(fs.realpathSync(path.join(tree, 'etc/os-release')), `${SECRET_DIR}/os-release`);
    assert.equal(fs.realpathSync(path.join(tree, 'usr/lib/os-release')), `${SECRET_DIR}/os-release`);
    assert.equal(fs.realpathSync(path.join(tree, 'bin/bash')), `${SECRET_DIR}/sh`);
    assert.equal(fs.realpathSync(path.join(tree, 'x')), '/etc/shadow');
    assert.match(fs.readFileSync(path.join(tree, 'etc/os-release'), 'utf8'), new RegExp(secret.marker));
  });

  it('readFileInRoot never returns the host content', () => {
    for (const p of ['/etc/os-release', '/usr/lib/os-release', '/bin/sh', '/bin/bash', '/lib/os-release', '/x']) {
      const r = readFileInRoot(root, p, 4096);
      assert.equal(r.ok, false, p);
      assert.doesNotMatch(JSON.stringify(r), new RegExp(secret.marker));
    }
  });

  it('statInRoot with followLast=false stops at the symlink itself', () => {
    const r = statInRoot(root, '/etc/os-release', false);
    assert.ok(r.ok && r.stat.isSymbolicLink() && r.path === '/etc/os-release');
  });

  it('listDirInRoot lists a directory of the root, and refuses a file', () => {
    const r = listDirInRoot(root, '/bin');
    assert.ok(r.ok);
    assert.deepEqual(r.names.sort(), ['bash', 'sh', 'zsh']);
    assert.equal(listDirInRoot(root, '/usr/local/bin/entry').ok, false);
    const viaLink = listDirInRoot(root, '/lib');
    assert.equal(viaLink.ok, false, 'the /lib -> host directory symlink is not listed');
  });
});

describe('special files inside a root', () => {
  let tmp: string;
  let root: RootHandle;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-rootfs-'));
    fs.mkdirSync(path.join(tmp, 'etc'));
    fs.writeFileSync(path.join(tmp, 'etc', 'big'), Buffer.alloc(10_000, 0x41));
    fs.symlinkSync('big', path.join(tmp, 'etc', 'link-to-big'));
    // A FIFO where a file is expected: opening it without O_NONBLOCK would block forever.
    execFileSync('mkfifo', [path.join(tmp, 'etc', 'os-release')]);
    fs.symlinkSync('/etc/os-release', path.join(tmp, 'fifo-link'));
    // A link climbing out by `..` to the directory that holds the tree: must stay at the root.
    fs.mkdirSync(path.join(tmp, 'a', 'b'), { recursive: true });
    fs.symlinkSync('../'.repeat(30), path.join(tmp, 'a', 'b', 'up'));
    fs.writeFileSync(path.join(path.dirname(tmp), `${path.basename(tmp)}-outside`), 'outside the root');
    root = RootHandle.open(tmp);
  });
  after(() => {
    root.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(`${tmp}-outside`, { force: true });
  });

  it('a directory symlink of thirty `..` is the root, never its parent', () => {
    const up = statInRoot(root, '/a/b/up');
    assert.ok(up.ok && up.path === '/');
    const outside = statInRoot(root, `/a/b/up/${path.basename(tmp)}-outside`);
    assert.equal(outside.ok ? outside.path : outside.code, 'ENOENT');
    const inside = statInRoot(root, '/a/b/up/etc/big');
    assert.ok(inside.ok && inside.path === '/etc/big');
  });

  it('a FIFO is never opened (ENOTREG), directly or through a symlink', () => {
    assert.deepEqual(openFileInRoot(root, '/etc/os-release'), { ok: false, code: 'ENOTREG', path: '/etc/os-release' });
    assert.equal(readFileInRoot(root, '/fifo-link', 100).ok, false);
  });
  it('a directory is not a file', () => assert.equal(openFileInRoot(root, '/etc').ok, false));
  it('reads are capped, with truncated: true', () => {
    const r = readFileInRoot(root, '/etc/link-to-big', 100);
    assert.ok(r.ok);
    assert.equal(r.data.length, 100);
    assert.equal(r.truncated, true);
    assert.equal(r.path, '/etc/big');
  });
  it('no fd is leaked by a thousand resolutions', () => {
    const before = fs.readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 1000; i++) {
      statInRoot(root, '/etc/link-to-big');
      statInRoot(root, '/etc/missing/deeper');
      readFileInRoot(root, '/etc/big', 10);
      listDirInRoot(root, '/etc');
    }
    assert.ok(fs.readdirSync('/proc/self/fd').length <= before + 2);
  });
});

describe('RootHandle.open', () => {
  it('a missing root gives RootOpenError ENOENT', () => {
    assert.throws(() => RootHandle.open('/nonexistent/isolens/root'), (e: unknown) => e instanceof RootOpenError && e.code === 'ENOENT');
  });
  it('a file is not a root (ENOTDIR)', () => {
    assert.throws(() => RootHandle.open(path.join(TREES, 'static', 'hello')), (e: unknown) => e instanceof RootOpenError && e.code === 'ENOTDIR');
  });
});
