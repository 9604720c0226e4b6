import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MountFact } from '../../../shared/confinement';
import { classifyMounts, hostMountTable, rootReadOnly } from '../../../electron/collector/confinement/mounts';
import { ProcParseError, ProcReadError } from '../../../electron/collector/procfs/errors';
import { parseMountinfo, readMountinfo, unescapeMountField } from '../../../electron/collector/procfs/mountinfo';
import { BROKEN, PIDS, PROC } from './fixtures';

const HOST = hostMountTable(readMountinfo(PROC, 1));
const facts = (pid: number): MountFact[] => classifyMounts(readMountinfo(PROC, pid), HOST);
const flagged = (fs: readonly MountFact[]): MountFact[] => fs.filter((f) => f.flags.length > 0);
const byTarget = (fs: readonly MountFact[], target: string): MountFact => {
  const f = fs.find((x) => x.target === target);
  assert.ok(f, `a mount on ${target}`);
  return f;
};

describe('parseMountinfo (proc(5) /proc/PID/mountinfo)', () => {
  it('parses a container\'s mountinfo: the overlay root first', () => {
    const e = readMountinfo(PROC, PIDS.default);
    assert.equal(e.length, 28);
    const root = e[0];
    assert.ok(root);
    assert.deepEqual([root.root, root.mountPoint, root.options, root.fsType, root.source], ['/', '/', ['rw', 'relatime'], 'overlay', 'overlay']);
    assert.ok(root.superOptions.some((o) => o.startsWith('lowerdir=')));
    assert.match(e[0]?.optional[0] ?? '', /^master:\d+$/);
    const proc = e.find((x) => x.mountPoint === '/proc/bus');
    assert.deepEqual(proc && { root: proc.root, fsType: proc.fsType, ro: proc.options.includes('ro') }, { root: '/bus', fsType: 'proc', ro: true });
  });

  const cases: { name: string; text: string; check?: (e: ReturnType<typeof parseMountinfo>) => void; error?: RegExp }[] = [
    {
      name: 'escaped space, tab and backslash in paths',
      text: '36 35 98:0 /my\\040dir /mnt/a\\011b\\134c rw,noatime shared:1 master:2 - ext3 /dev/root rw,errors=continue\n',
      check: (e) => {
        assert.equal(e[0]?.root, '/my dir');
        assert.equal(e[0]?.mountPoint, '/mnt/a\tb\\c');
        assert.deepEqual(e[0]?.optional, ['shared:1', 'master:2']);
        assert.deepEqual(e[0]?.superOptions, ['rw', 'errors=continue']);
      },
    },
    { name: 'no optional fields', text: '22 27 0:21 / /proc rw,relatime - proc proc rw\n', check: (e) => assert.deepEqual(e[0]?.optional, []) },
    { name: 'empty', text: '', check: (e) => assert.deepEqual(e, []) },
    { name: 'truncated line', text: '999 112 0:50 / /truncated rw,relatime master:4\n', error: /line 1/ },
    { name: 'bad device', text: '22 27 zero / /proc rw - proc proc rw\n', error: /MAJ:MIN/ },
    { name: 'bad mount id', text: 'x 27 0:21 / /proc rw - proc proc rw\n', error: /mount id/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) assert.throws(() => parseMountinfo(c.text), (e: unknown) => e instanceof ProcParseError && c.error?.test(e.message) === true);
      else c.check?.(parseMountinfo(c.text));
    });
  }
  it('unescapeMountField leaves plain text alone', () => assert.equal(unescapeMountField('/a/b'), '/a/b'));
  it('readMountinfo: broken tree is EPARSE, missing process ENOENT', () => {
    assert.throws(() => readMountinfo(BROKEN, 100), (e: unknown) => e instanceof ProcReadError && e.code === 'EPARSE');
    assert.throws(() => readMountinfo(PROC, 999999), (e: unknown) => e instanceof ProcReadError && e.code === 'ENOENT');
  });
});

describe('classifyMounts on real container mount tables', () => {
  it('default container: rootfs, pseudo filesystems, masked paths, engine files, nothing flagged', () => {
    const f = facts(PIDS.default);
    assert.deepEqual(flagged(f), []);
    assert.equal(rootReadOnly(f), false);
    assert.equal(byTarget(f, '/').kind, 'rootfs');
    assert.equal(byTarget(f, '/proc').kind, 'pseudo');
    assert.equal(byTarget(f, '/sys').kind, 'pseudo');
    assert.equal(byTarget(f, '/sys/fs/cgroup/memory').kind, 'pseudo');
    for (const t of ['/proc/bus', '/proc/sys', '/proc/keys', '/proc/acpi', '/sys/firmware']) assert.equal(byTarget(f, t).kind, 'masked', t);
    for (const t of ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf']) assert.equal(byTarget(f, t).kind, 'engine', t);
    assert.deepEqual(new Set(f.map((x) => x.kind)), new Set(['rootfs', 'pseudo', 'masked', 'engine']));
  });

  it('--read-only: the root mount is ro', () => assert.equal(rootReadOnly(facts(PIDS.readOnly)), true));

  it('-v /var/run/docker.sock: the engine socket, with its host path', () => {
    const f = flagged(facts(PIDS.socket));
    assert.equal(f.length, 1);
    assert.deepEqual(f[0] && { target: f[0].target, kind: f[0].kind, flags: f[0].flags, hostPath: f[0].hostPath, root: f[0].root }, {
      target: '/var/run/docker.sock', kind: 'socket', flags: ['engine-socket'], hostPath: '/run/docker.sock', root: '/run/docker.sock',
    });
  });

  it('host paths and a device: writable, read-only, devtmpfs', () => {
    const f = facts(PIDS.bind);
    assert.deepEqual(flagged(f).map((x) => [x.target, x.kind, x.hostPath, x.flags]), [
      ['/data', 'host', '/tmp/isolens-bind', ['host-path-writable']],
      ['/hostetc', 'host', '/etc', ['host-path']],
      ['/dev/hostnull', 'device', '/dev/null', ['device']],
    ]);
  });

  it('systempaths=unconfined: /proc/sys writable; a named volume and a tmpfs are not host paths', () => {
    const f = facts(PIDS.systempaths);
    assert.deepEqual(flagged(f).map((x) => [x.target, x.flags]), [['/proc', ['proc-sys-writable']]]);
    assert.equal(byTarget(f, '/vol').kind, 'volume');
    assert.equal(byTarget(f, '/scratch').kind, 'pseudo');
  });

  it('a writable sysfs (as --privileged mounts it) is flagged', () => {
    const text = [
      '600 500 0:70 / / rw,relatime - overlay overlay rw',
      '601 600 0:71 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
      '602 600 0:72 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw',
    ].join('\n');
    assert.deepEqual(flagged(classifyMounts(parseMountinfo(text), HOST)).map((x) => [x.target, x.flags]), [
      ['/proc', ['proc-sys-writable']], ['/sys', ['sys-writable']],
    ]);
  });

  it('unshare -m: the root filesystem is the host\'s own root', () => {
    const f = facts(PIDS.unshareMnt);
    const root = byTarget(f, '/');
    assert.deepEqual([root.kind, root.hostPath, root.flags], ['rootfs', '/', ['host-rootfs']]);
    assert.ok(byTarget(facts(PIDS.default), '/').hostPath?.startsWith('/var/lib/docker/overlay2/'), 'a container\'s root is its overlay');
  });

  it('without the host table (PID 1 unreadable), storage filesystems still count as host paths', () => {
    const f = classifyMounts(readMountinfo(PROC, PIDS.bind), null);
    assert.deepEqual(flagged(f).map((x) => [x.target, x.hostPath]), [['/data', null], ['/hostetc', null], ['/dev/hostnull', null]]);
  });
});
