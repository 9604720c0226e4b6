// inspectRootfs against real containers: each fixture image's verdict, counts checked against
// `find` run inside the container, and the hostile image proving no host file is ever read.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { inspectRootfs } from '../../../electron/collector/rootfs/inspect';
import type { RootfsInfo } from '../../../shared/rootfs';
import { docker, ensureFixtureImages, FIXTURE_IMAGES, removeContainer, runContainer, type TestContainer } from '../../helpers/docker';
import { dockerSkip } from '../../helpers/require';
import { debianSkip, ensureRootfsImages, ROOTFS_IMAGES, rootSkip } from './images';

/** A generous budget: these tests check exact counts (the 200 ms default may cut a cold walk short). */
const BUDGET = { timeMs: 10_000, maxEntries: 1_000_000 };
const suffix = `${process.pid}-${Date.now()}`;

describe('inspectRootfs on real containers', { skip: dockerSkip() || rootSkip() }, () => {
  const started: TestContainer[] = [];
  const run = (image: string, cmd?: string[]): TestContainer => {
    const c = runContainer({ image, name: `isolens-rootfs-${started.length}-${suffix}`, ...(cmd ? { cmd } : {}) });
    started.push(c);
    return c;
  };
  before(() => {
    ensureFixtureImages();
    ensureRootfsImages();
  });
  after(() => {
    for (const c of started) removeContainer(c.id);
  });

  it('isolens/hello:test (FROM scratch, one static binary): "one static binary, no OS"', () => {
    const c = run(FIXTURE_IMAGES.hello);
    const r = inspectRootfs('/proc', c.pid, BUDGET);
    assert.equal(r.verdict, 'one static binary, no OS');
    assert.equal(r.os, null);
    assert.deepEqual([r.entrypoint?.path, r.entrypoint?.static, r.entrypoint?.elfClass, r.entrypoint?.machine], ['/hello', true, 'ELF64', 'x86-64']);
    assert.deepEqual(r.shells, []);
    // The container's /proc, /sys, /dev and Docker's bind-mounted /etc files are mounts: not walked.
    for (const m of ['/proc', '/sys', '/dev', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf']) assert.ok(r.skippedMounts.includes(m), `${m} skipped`);
  });

  it('isolens/busybox:test: "busybox userland", a shell, tools that are applets, no package manager', () => {
    const c = run(FIXTURE_IMAGES.busybox, ['sleep', '600']);
    const r = inspectRootfs('/proc', c.pid, BUDGET);
    assert.equal(r.verdict, 'busybox userland (2 files, shell)');
    assert.equal(r.busybox, true);
    assert.ok(r.shells.includes('/bin/sh'));
    assert.ok(r.tools.includes('ps') && r.tools.includes('cat'));
    assert.deepEqual(r.packageManagers, []);
    assert.equal(r.entrypoint?.path, '/bin/busybox', 'sleep is /bin/sleep -> busybox: /proc/PID/exe names busybox');
  });

  it('isolens/dynamic:test: the loader and both DT_NEEDED libraries found inside the image', () => {
    const c = run(ROOTFS_IMAGES.dynamic);
    const r = inspectRootfs('/proc', c.pid, BUDGET);
    assert.match(r.verdict, /^one dynamically linked binary and its libraries, no OS \(5 files\)$/);
    assert.equal(r.entrypoint?.static, false);
    assert.equal(r.entrypoint?.interpreter, '/lib64/ld-linux-x86-64.so.2');
    assert.deepEqual(r.entrypoint?.needed, ['libm.so.6', 'libc.so.6']);
    assert.deepEqual(r.entrypoint?.missing, []);
  });

  describe('isolens/debian:test (debootstrap minbase)', { skip: debianSkip() }, () => {
    let c: TestContainer;
    let r: RootfsInfo;
    before(() => {
      c = run(ROOTFS_IMAGES.debian, ['sleep', '600']);
      r = inspectRootfs('/proc', c.pid, BUDGET);
    });
    it('"Debian GNU/Linux 12 userland (N files, shell, apt)"', () => {
      assert.match(r.verdict, /^Debian GNU\/Linux 12 userland \(\d{1,3}(,\d{3})* files, shell, apt\)$/);
      assert.equal(r.os?.id, 'debian');
      assert.deepEqual(r.packageManagers.slice(0, 3), ['apt', 'apt-get', 'dpkg']);
      assert.ok(r.shells.includes('/bin/bash') && r.shells.includes('/bin/dash'));
      assert.equal(r.entrypoint?.path, '/usr/bin/sleep');
      assert.deepEqual(r.entrypoint?.missing, []);
      assert.equal(r.partial, false);
    });
    it('files and bytes equal `find / -xdev -type f` inside the container (root fs only, hard links once)', () => {
      const script = 'd=$(stat -c %d /); find / -xdev -type f -printf "%D %i %s\\n" | awk -v d=$d \'$1==d\' | sort -u | awk \'{n++; s+=$3} END {print n, s}\'';
      const [files, bytes] = docker(['exec', c.id, 'sh', '-c', script]).trim().split(' ').map(Number);
      assert.deepEqual([r.files, r.bytes], [files, bytes]);
    });
    it('within the default 200 ms budget when warm, or marked partial', () => {
      const again = inspectRootfs('/proc', c.pid);
      assert.ok(again.partial || again.files === r.files);
      assert.ok(again.tookMs < 1000, `took ${again.tookMs} ms`);
    });
  });

  describe('isolens/hostile:test: symlinks to host-only paths', () => {
    const marker = `ISOLENS-HOSTILE-${randomBytes(8).toString('hex')}`;
    // Targets that exist on the host but not in the image (see HOSTILE_LINKS in build.sh).
    const hostFiles = ['/root/.isolens-secret', '/usr/bin/bash-host-only'];
    let r: RootfsInfo;
    let c: TestContainer;
    before(() => {
      for (const f of hostFiles) {
        assert.ok(!fs.existsSync(f), `${f} already exists on the host: not overwriting it`);
        fs.writeFileSync(f, `NAME="${marker}"\nID=hostile\nPRETTY_NAME="${marker}"\n# ${marker}\n`, { mode: 0o700 });
      }
      c = run(ROOTFS_IMAGES.hostile);
      r = inspectRootfs('/proc', c.pid, BUDGET);
    });
    after(() => {
      for (const f of hostFiles) fs.rmSync(f, { force: true });
    });

    it('inside the container the links dangle (busybox cat fails): the oracle', () => {
      assert.throws(() => docker(['exec', c.id, '/bin/busybox', 'cat', '/etc/os-release']));
      assert.throws(() => docker(['exec', c.id, '/bin/busybox', 'cat', '/x']));
    });
    it('no host file content appears anywhere in the result', () => {
      assert.ok(!JSON.stringify(r).includes(marker), 'the marker written into the host files leaked');
    });
    it('so: no OS, no shell (/bin/sh and /bin/bash dangle), busybox, a static entrypoint', () => {
      assert.equal(r.os, null);
      assert.deepEqual(r.shells, []);
      assert.ok(!r.tools.includes('curl'), 'the FIFO named curl is not a tool');
      assert.ok(!r.tools.includes('wget'), 'wget climbs out by `..`: dangling inside');
      assert.equal(r.busybox, true);
      assert.equal(r.entrypoint?.static, true);
      assert.equal(r.verdict, 'busybox userland (2 files)');
    });
  });

  it('a process that is gone gives an error, no throw', () => {
    const r = inspectRootfs('/proc', 2 ** 22 + 12345);
    assert.match(r.error ?? '', /ENOENT/);
  });
});
