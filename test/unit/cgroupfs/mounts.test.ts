import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CgroupParseError, CgroupReadError } from '../../../electron/collector/cgroupfs/errors';
import type { CgroupMount, CgroupMounts } from '../../../electron/collector/cgroupfs/mounts';
import {
  cgroupDir, detectCgroupVersion, parseCgroupMounts, readCgroupMounts, relocateCgroupMounts, unescapeMountinfo,
} from '../../../electron/collector/cgroupfs/mounts';
import { FIXTURES } from './fixture-trees';

const HYBRID = fs.readFileSync(path.join(FIXTURES, 'v1-docker-cgroupfs/proc/self/mountinfo'), 'utf8');
const V2 = fs.readFileSync(path.join(FIXTURES, 'v2-docker-systemd/proc/self/mountinfo'), 'utf8');

/** Lines as found on common hosts (Debian/Ubuntu v1 with co-mounted controllers, a container's own view). */
const DISTRO_V1 = [
  '25 18 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755',
  '26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw',
  '27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd',
  '30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpu,cpuacct',
  '31 25 0:28 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,net_cls,net_prio',
  '32 25 0:29 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,memory',
  '33 25 0:30 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,cpuset,clone_children',
].join('\n');
const ID = '1d88c2996dd1f2f811f09c70581850665cef0c867a33611d1855a20b96495ce2';
/** /proc/self/mountinfo inside a v1 docker container (host cgroup namespace): roots are /docker/<id>. */
const IN_CONTAINER_V1 = [
  `700 690 0:32 /docker/${ID} /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime master:16 - cgroup cgroup rw,memory`,
  `701 690 0:29 /docker/${ID} /sys/fs/cgroup/cpu ro,nosuid,nodev,noexec,relatime master:17 - cgroup cgroup rw,cpu`,
].join('\n');

const m = (mountPoint: string, root = '/'): CgroupMount => ({ mountPoint, root });

describe('parseCgroupMounts (proc(5) mountinfo)', () => {
  const table: readonly { name: string; text: string; v2: CgroupMount | null; v1: Record<string, CgroupMount> }[] = [
    {
      name: 'this machine: v1 hybrid, each controller mounted alone, name=systemd, cgroup2 at unified',
      text: HYBRID,
      v2: m('/sys/fs/cgroup/unified'),
      v1: {
        cpu: m('/sys/fs/cgroup/cpu'), cpuacct: m('/sys/fs/cgroup/cpuacct'), cpuset: m('/sys/fs/cgroup/cpuset'),
        memory: m('/sys/fs/cgroup/memory'), devices: m('/sys/fs/cgroup/devices'), freezer: m('/sys/fs/cgroup/freezer'),
        blkio: m('/sys/fs/cgroup/blkio'), pids: m('/sys/fs/cgroup/pids'), 'name=systemd': m('/sys/fs/cgroup/systemd'),
      },
    },
    { name: 'pure v2 host', text: V2, v2: m('/sys/fs/cgroup'), v1: {} },
    {
      name: 'co-mounted controllers (rw,cpu,cpuacct) serve both; xattr and clone_children are not controllers',
      text: DISTRO_V1,
      v2: m('/sys/fs/cgroup/unified'),
      v1: {
        'name=systemd': m('/sys/fs/cgroup/systemd'), cpu: m('/sys/fs/cgroup/cpu,cpuacct'), cpuacct: m('/sys/fs/cgroup/cpu,cpuacct'),
        net_cls: m('/sys/fs/cgroup/net_cls,net_prio'), net_prio: m('/sys/fs/cgroup/net_cls,net_prio'),
        memory: m('/sys/fs/cgroup/memory'), cpuset: m('/sys/fs/cgroup/cpuset'),
      },
    },
    {
      name: 'inside a container: the mount root is the container cgroup',
      text: IN_CONTAINER_V1,
      v2: null,
      v1: { memory: m('/sys/fs/cgroup/memory', `/docker/${ID}`), cpu: m('/sys/fs/cgroup/cpu', `/docker/${ID}`) },
    },
    {
      name: 'a bind mount with root "/" is preferred over one showing a sub-cgroup',
      text: `${IN_CONTAINER_V1}\n800 27 0:32 / /host/sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory`,
      v2: null,
      v1: { memory: m('/host/sys/fs/cgroup/memory'), cpu: m('/sys/fs/cgroup/cpu', `/docker/${ID}`) },
    },
    {
      name: 'escaped space in the mount point (\\040)',
      text: '40 31 0:38 / /mnt/my\\040cgroups rw,relatime - cgroup2 cgroup2 rw,nsdelegate',
      v2: m('/mnt/my cgroups'),
      v1: {},
    },
    {
      name: 'several optional fields before the separator',
      text: '30 21 0:26 / /sys/fs/cgroup rw,nosuid shared:9 master:2 propagate_from:1 - cgroup2 cgroup2 rw',
      v2: m('/sys/fs/cgroup'),
      v1: {},
    },
    { name: 'no cgroup mounts at all', text: '22 1 0:21 / /proc rw - proc proc rw\n', v2: null, v1: {} },
    { name: 'empty text', text: '', v2: null, v1: {} },
  ];
  for (const tc of table) {
    it(tc.name, () => {
      const got = parseCgroupMounts(tc.text);
      assert.deepEqual(got.v2, tc.v2);
      assert.deepEqual(Object.fromEntries(got.v1), tc.v1);
    });
  }
  const bad: readonly [string, string][] = [
    ['a line without the " - " separator', '22 1 0:21 / /proc rw proc proc rw'],
    ['a truncated line', '30 21 0:26 / /sys/fs/cgroup rw - cgroup2'],
  ];
  for (const [name, text] of bad) {
    it(`throws CgroupParseError on ${name}`, () => assert.throws(() => parseCgroupMounts(text), CgroupParseError));
  }
});

describe('unescapeMountinfo', () => {
  it('decodes space, tab, newline and backslash', () => assert.equal(unescapeMountinfo('a\\040b\\011c\\012d\\134e'), 'a b\tc\nd\\e'));
});

describe('detectCgroupVersion (cgroups(7))', () => {
  const mk = (v2: CgroupMount | null, v1: string[]): CgroupMounts => ({ v2, v1: new Map(v1.map((k) => [k, m(`/x/${k}`)])) });
  const table: readonly [string, CgroupMounts, 1 | 2][] = [
    ['this machine (hybrid) is 1', parseCgroupMounts(HYBRID), 1],
    ['pure v2 is 2', parseCgroupMounts(V2), 2],
    ['v2 plus a named name=systemd v1 hierarchy (for old containers) is 2', mk(m('/sys/fs/cgroup'), ['name=systemd']), 2],
    ['legacy v1 without cgroup2 is 1', mk(null, ['memory', 'cpu']), 1],
    ['nothing mounted is 1', mk(null, []), 1],
  ];
  for (const [name, mounts, want] of table) it(name, () => assert.equal(detectCgroupVersion(mounts), want));
});

describe('cgroupDir', () => {
  const host = parseCgroupMounts(HYBRID);
  const inside = parseCgroupMounts(IN_CONTAINER_V1);
  const table: readonly [string, CgroupMounts, string | null, string, string | null][] = [
    ['v1 memory on the host', host, 'memory', `/docker/${ID}`, `/sys/fs/cgroup/memory/docker/${ID}`],
    ['v2 (controller null) on the host', host, null, `/docker/${ID}`, `/sys/fs/cgroup/unified/docker/${ID}`],
    ['the root cgroup', host, 'pids', '/', '/sys/fs/cgroup/pids'],
    ['a controller that is not mounted', host, 'hugetlb', '/', null],
    ['inside a container: the mount root is stripped', inside, 'memory', `/docker/${ID}`, '/sys/fs/cgroup/memory'],
    ['inside a container: a sub-cgroup', inside, 'memory', `/docker/${ID}/sub`, '/sys/fs/cgroup/memory/sub'],
    ['inside a container: a path outside the mount root', inside, 'memory', '/system.slice/cron.service', null],
    ['a path outside our cgroup namespace (/../x)', host, 'memory', '/../system.slice', null],
    ['a relative path', host, 'memory', 'docker', null],
  ];
  for (const [name, mounts, controller, p, want] of table) it(name, () => assert.equal(cgroupDir(mounts, controller, p), want));
});

describe('readCgroupMounts / relocateCgroupMounts', () => {
  it('reads <procRoot>/self/mountinfo of a fixture tree and relocates it into the tree', () => {
    const root = path.join(FIXTURES, 'v2-podman-rootless');
    const mounts = relocateCgroupMounts(readCgroupMounts(path.join(root, 'proc')), root);
    assert.deepEqual(mounts.v2, { mountPoint: path.join(root, 'sys/fs/cgroup'), root: '/' });
    assert.equal(mounts.v1.size, 0);
  });
  it('throws CgroupReadError (ENOENT) when there is no mountinfo', () => {
    assert.throws(() => readCgroupMounts(path.join(FIXTURES, 'no-such-tree', 'proc')), (err: unknown) => err instanceof CgroupReadError && err.code === 'ENOENT');
  });
  it('reads this machine\'s /proc/self/mountinfo', () => {
    const mounts = readCgroupMounts('/proc');
    assert.ok(mounts.v2 !== null || mounts.v1.size > 0, 'some cgroup hierarchy is mounted');
  });
});
