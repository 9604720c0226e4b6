import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNsfsMounts } from '../../../electron/collector/discover/nsfs-mounts';

const cases: { name: string; text: string; want: ReturnType<typeof parseNsfsMounts> }[] = [
  {
    name: 'ip netns add demo (as the kernel prints it)',
    text: '610 29 0:4 net:[4026532364] /run/netns/demo rw shared:320 - nsfs nsfs rw\n',
    want: [{ id: 4026532364, type: 'net', path: '/run/netns/demo' }],
  },
  {
    name: 'a path with a space is octal-escaped',
    text: '611 29 0:4 uts:[4026532400] /run/my\\040ns rw - nsfs nsfs rw\n',
    want: [{ id: 4026532400, type: 'uts', path: '/run/my ns' }],
  },
  {
    name: 'other file systems are ignored',
    text: '22 1 0:21 / /proc rw,nosuid shared:12 - proc proc rw\n35 25 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n',
    want: [],
  },
  { name: 'garbage lines are skipped', text: 'nonsense\n1 2 3 - nsfs\n5 1 0:4 bogus /x rw - nsfs nsfs rw\n', want: [] },
];

describe('parseNsfsMounts', () => {
  for (const c of cases) it(c.name, () => assert.deepEqual(parseNsfsMounts(c.text), c.want));
});
