import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RootHandle } from '../../../electron/collector/rootfs/resolve';
import { parseMountPoints, walkRoot } from '../../../electron/collector/rootfs/walk';

const TREES = path.resolve(__dirname, '../../fixtures/rootfs/trees');

/** A real /proc/PID/mountinfo of a Docker container's init (isolens/busybox:test on this machine, cgroup v1). */
const MOUNTINFO = `112 61 0:50 / / rw,relatime master:4 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/TNS2ZJGHKUTUSP57OVF4PFN23Q:/var/lib/docker/overlay2/l/UZ4Z3WSCZB4BAPZYBLBMYU6JK5,upperdir=/var/lib/docker/overlay2/d5870b627e892f2373a77568e1e217c50f264502ac93f3668767bb39fde5b3a1/diff,workdir=/var/lib/docker/overlay2/d5870b627e892f2373a77568e1e217c50f264502ac93f3668767bb39fde5b3a1/work
113 112 0:53 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
114 112 0:54 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755
115 114 0:55 / /dev/pts rw,nosuid,noexec,relatime - devpts devpts rw,gid=5,mode=620,ptmxmode=666
116 112 0:56 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro
129 112 254:0 /var/lib/docker/containers/bbef7cbe3e121bd8df47ebb3e68804c0c2e698916798f895150f85b84a2da84d/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
130 112 254:0 /var/lib/docker/containers/bbef7cbe3e121bd8df47ebb3e68804c0c2e698916798f895150f85b84a2da84d/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
62 113 0:53 /bus /proc/bus ro,nosuid,nodev,noexec,relatime - proc proc rw
`;

describe('parseMountPoints (proc(5) /proc/PID/mountinfo field 5)', () => {
  it('every mount point but the root, in order', () => {
    assert.deepEqual(parseMountPoints(MOUNTINFO), ['/proc', '/dev', '/dev/pts', '/sys', '/etc/resolv.conf', '/etc/hostname', '/proc/bus']);
  });
  it('unescapes \\040 and skips malformed lines', () => {
    assert.deepEqual(parseMountPoints('1 2 0:1 / /data\\040dir rw - ext4 x rw\nnonsense\n\n'), ['/data dir']);
  });
});

describe('walkRoot', () => {
  let tmp: string;
  let root: RootHandle;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-walk-'));
    fs.mkdirSync(path.join(tmp, 'proc', 'self'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'proc', 'self', 'environ'), 'SECRET=1');
    fs.mkdirSync(path.join(tmp, 'etc'));
    fs.writeFileSync(path.join(tmp, 'etc', 'hostname'), 'bind mounted\n');
    fs.writeFileSync(path.join(tmp, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
    fs.linkSync(path.join(tmp, 'etc', 'passwd'), path.join(tmp, 'etc', 'passwd-hardlink'));
    fs.mkdirSync(path.join(tmp, 'many'));
    for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(tmp, 'many', `f${i}`), 'x');
    root = RootHandle.open(tmp);
  });
  after(() => {
    root.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('counts files, bytes, executables, directories and symlinks of a tree (busybox fixture)', () => {
    const r = RootHandle.open(path.join(TREES, 'busybox'));
    try {
      const w = walkRoot(r, new Set());
      assert.deepEqual({ files: w.files, executables: w.executables, directories: w.directories, symlinks: w.symlinks, partial: w.partial },
        { files: 1, executables: 1, directories: 1, symlinks: 4, partial: false });
      assert.equal(w.bytes, fs.statSync(path.join(TREES, 'busybox', 'bin', 'busybox')).size);
    } finally {
      r.close();
    }
  });
  it('never follows symlinks out of the root (hostile fixture: /lib -> a host directory)', () => {
    const r = RootHandle.open(path.join(TREES, 'hostile'));
    try {
      const w = walkRoot(r, new Set());
      assert.equal(w.files, 3);
      assert.equal(w.partial, false);
    } finally {
      r.close();
    }
  });
  it('skips mount points (directories and bind-mounted files) and counts hard links once', () => {
    const w = walkRoot(root, new Set(['/proc', '/etc/hostname']));
    assert.deepEqual(w.skippedMounts, ['/etc/hostname', '/proc'].filter((p) => w.skippedMounts.includes(p)));
    assert.equal(w.skippedMounts.length, 2);
    assert.equal(w.files, 301); // passwd once + 300
    assert.equal(w.partial, false);
  });
  it('stops at the entry budget with partial: true', () => {
    const w = walkRoot(root, new Set(), { timeMs: 10_000, maxEntries: 50 });
    assert.equal(w.partial, true);
    assert.ok(w.files < 60);
  });
  it('stops at the time budget with partial: true', () => {
    let t = 0;
    const w = walkRoot(root, new Set(), { timeMs: 100, maxEntries: 1_000_000 }, () => (t += 1000));
    assert.equal(w.partial, true);
  });
  it('leaks no fd', () => {
    const before = fs.readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 200; i++) walkRoot(root, new Set(), { timeMs: 10_000, maxEntries: i });
    assert.ok(fs.readdirSync('/proc/self/fd').length <= before + 2);
  });
});
