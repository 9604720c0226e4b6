import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { type CgroupEntry, parseCgroupFile, pickCgroupPath } from '../../../electron/collector/procfs/cgroup';
import { ProcParseError } from '../../../electron/collector/procfs/errors';

const fixture = (pid: number): string => fs.readFileSync(path.join(__dirname, '../../fixtures/proc', String(pid), 'cgroup'), 'utf8');
const DOCKER = '/docker/7fd337806b6943f5ff3e65464ce31e83e5689b5d533388b8a535d1343aa3dbf4';

const parseCases: { name: string; text: string; want?: CgroupEntry[]; error?: RegExp }[] = [
  { name: 'cgroup v2 line', text: '0::/system.slice/docker-abc.scope\n', want: [{ hierarchyId: 0, controllers: [], path: '/system.slice/docker-abc.scope' }] },
  { name: 'v2 root', text: '0::/\n', want: [{ hierarchyId: 0, controllers: [], path: '/' }] },
  {
    name: 'path containing colons',
    text: '0::/kubepods/pod1/cri-containerd:abc:def\n4:memory:/a:b\n',
    want: [
      { hierarchyId: 0, controllers: [], path: '/kubepods/pod1/cri-containerd:abc:def' },
      { hierarchyId: 4, controllers: ['memory'], path: '/a:b' },
    ],
  },
  { name: 'named hierarchy', text: '9:name=systemd:/\n', want: [{ hierarchyId: 9, controllers: ['name=systemd'], path: '/' }] },
  { name: 'comounted controllers', text: '2:cpu,cpuacct:/docker/x\n', want: [{ hierarchyId: 2, controllers: ['cpu', 'cpuacct'], path: '/docker/x' }] },
  { name: 'path outside the cgroup namespace', text: '0::/../../user.slice\n', want: [{ hierarchyId: 0, controllers: [], path: '/../../user.slice' }] },
  { name: 'empty file', text: '', want: [] },
  { name: 'bad hierarchy id', text: 'x:memory:/\n', error: /hierarchy id/ },
  { name: 'negative hierarchy id', text: '-1:memory:/\n', error: /hierarchy id/ },
  { name: 'missing second colon', text: '4:memory\n', error: /id:controllers:path/ },
  { name: 'relative path', text: '0::docker\n', error: /absolute/ },
];

describe('parseCgroupFile (proc(5) /proc/PID/cgroup)', () => {
  for (const c of parseCases) {
    it(c.name, () => {
      const error = c.error;
      if (error) {
        assert.throws(() => parseCgroupFile(c.text), (e: unknown) => e instanceof ProcParseError && error.test(e.message));
      } else {
        assert.deepEqual(parseCgroupFile(c.text), c.want);
      }
    });
  }

  it('real hybrid v1 file of a container: ten hierarchies', () => {
    const entries = parseCgroupFile(fixture(7941));
    assert.equal(entries.length, 10);
    assert.deepEqual(entries[0], { hierarchyId: 9, controllers: ['name=systemd'], path: DOCKER });
    assert.deepEqual(entries[9], { hierarchyId: 0, controllers: [], path: DOCKER });
  });
});

const e = (hierarchyId: number, controllers: string[], p: string): CgroupEntry => ({ hierarchyId, controllers, path: p });

const pickCases: { name: string; entries: CgroupEntry[]; want: string | null }[] = [
  { name: 'pure v2', entries: [e(0, [], '/system.slice/docker-abc.scope')], want: '/system.slice/docker-abc.scope' },
  { name: 'hybrid: v1 memory wins over 0::', entries: parseCgroupFile(fixture(7993)), want: '/process_api/2047c4a082f5efa023cd8c065395b905' },
  { name: 'container on hybrid', entries: parseCgroupFile(fixture(7941)), want: DOCKER },
  { name: 'v1 without memory, with 0::', entries: [e(1, ['cpu'], '/a'), e(0, [], '/b')], want: '/b' },
  { name: 'v1 without memory nor 0::', entries: [e(3, ['pids'], '/p'), e(1, ['cpu'], '/c')], want: '/p' },
  { name: 'memory comounted', entries: [e(1, ['cpu'], '/c'), e(4, ['memory', 'hugetlb'], '/m')], want: '/m' },
  { name: 'no entries', entries: [], want: null },
];

describe('pickCgroupPath (cgroups(7))', () => {
  for (const c of pickCases) {
    it(c.name, () => assert.equal(pickCgroupPath(c.entries), c.want));
  }
});
