import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CgroupLimits } from '../../../shared/model';
import { CgroupParseError } from '../../../electron/collector/cgroupfs/errors';
import {
  parseCfsQuota, parseCounter, parseCpuList, parseCpuMax, parseMemoryLimit, parsePidsMax, readLimits,
} from '../../../electron/collector/cgroupfs/limits';
import { openTree } from './fixture-trees';

type Row<T> = readonly [name: string, input: string, want: T | typeof CgroupParseError];

function table<T>(title: string, parse: (text: string) => T, rows: readonly Row<T>[]): void {
  describe(title, () => {
    for (const [name, input, want] of rows) {
      it(name, () => {
        if (want === CgroupParseError) assert.throws(() => parse(input), CgroupParseError);
        else assert.deepEqual(parse(input), want);
      });
    }
  });
}

table('parseMemoryLimit (v1 memory.limit_in_bytes, v2 memory.max)', parseMemoryLimit, [
  ['v1 64 MiB as the kernel prints it', '67108864\n', 67108864],
  ['v1 "unlimited" (PAGE_COUNTER_MAX * 4096, this machine)', '9223372036854771712\n', null],
  ['v1 "unlimited" with 64 KiB pages (PAGE_COUNTER_MAX * 65536)', '9223372036854710272\n', null],
  ['exactly 2^62 counts as unlimited', '4611686018427387904\n', null],
  ['just under 2^62 is a (huge) limit', '4611686018427383808\n', 4611686018427383808],
  ['v2 "max"', 'max\n', null],
  ['v2 256 MiB', '268435456\n', 268435456],
  ['zero is a limit', '0\n', 0],
  ['garbage', 'lots\n', CgroupParseError],
  ['negative', '-1\n', CgroupParseError],
  ['empty', '', CgroupParseError],
]);

table('parseCpuMax (v2 cpu.max)', parseCpuMax, [
  ['no limit', 'max 100000\n', null],
  ['half a CPU', '50000 100000\n', 0.5],
  ['one and a half CPUs', '150000 100000\n', 1.5],
  ['short period', '5000 10000\n', 0.5],
  ['quota only (period defaults to 100000)', '200000\n', 2],
  ['zero period', '50000 0\n', CgroupParseError],
  ['garbage', 'unlimited\n', CgroupParseError],
  ['missing (empty)', '', CgroupParseError],
]);

table('parseCfsQuota (v1 cpu.cfs_quota_us, period 100000)', (q) => parseCfsQuota(q, '100000\n'), [
  ['no limit (-1)', '-1\n', null],
  ['half a CPU (this machine, --cpus 0.5)', '50000\n', 0.5],
  ['two CPUs', '200000\n', 2],
  ['garbage quota', 'x\n', CgroupParseError],
]);

describe('parseCfsQuota period handling', () => {
  it('uses the period', () => assert.equal(parseCfsQuota('25000\n', '50000\n'), 0.5));
  it('rejects a zero period', () => assert.throws(() => parseCfsQuota('25000\n', '0\n'), CgroupParseError));
  it('rejects a garbage period', () => assert.throws(() => parseCfsQuota('25000\n', 'x\n'), CgroupParseError));
});

table('parsePidsMax (pids.max)', parsePidsMax, [
  ['no limit', 'max\n', null],
  ['docker --pids-limit 50', '50\n', 50],
  ['negative', '-1\n', CgroupParseError],
  ['garbage', 'many\n', CgroupParseError],
]);

table('parseCounter', (t) => parseCounter(t), [
  ['a value with newline', '565248\n', 565248],
  ['leading blanks', '  7\n', 7],
  ['float', '1.5\n', CgroupParseError],
]);

table('parseCpuList (cpuset.cpus list format)', (t) => [...parseCpuList(t)], [
  ['single CPU', '0\n', [0]],
  ['range', '0-3\n', [0, 1, 2, 3]],
  ['mixed', '0-1,4,6-7\n', [0, 1, 4, 6, 7]],
  ['empty (v2 unset)', '\n', []],
  ['descending range', '3-1\n', CgroupParseError],
  ['open range', '0-\n', CgroupParseError],
  ['absurd CPU number', '0-99999999\n', CgroupParseError],
]);

const L = '1d88c2996dd1f2f811f09c70581850665cef0c867a33611d1855a20b96495ce2';
const NONE: CgroupLimits = { memoryBytes: null, cpus: null, pidsMax: null, cpuset: null };

describe('readLimits on fixture trees', () => {
  const cases: readonly { name: string; tree: string; pid: number; want: CgroupLimits }[] = [
    { name: `v1 docker cgroupfs, real copy: --memory 64m --cpus 0.5 --pids-limit 50 --cpuset-cpus 0 (${L.slice(0, 12)})`, tree: 'v1-docker-cgroupfs', pid: 14988, want: { memoryBytes: 67108864, cpus: 0.5, pidsMax: 50, cpuset: '0' } },
    { name: 'v1 docker cgroupfs, real copy: unlimited container (cpuset 0-1 equals the root: no restriction)', tree: 'v1-docker-cgroupfs', pid: 15050, want: NONE },
    { name: 'v2 docker systemd driver: 256 MiB, 1.5 CPUs, 100 pids, cpuset 0-1 of 0-3', tree: 'v2-docker-systemd', pid: 4242, want: { memoryBytes: 268435456, cpus: 1.5, pidsMax: 100, cpuset: '0-1' } },
    { name: 'v2 docker cgroupfs driver: unlimited container', tree: 'v2-docker-cgroupfs', pid: 5150, want: NONE },
    { name: 'v2 rootless podman: limits on crun\'s container sub-cgroup, no cpuset controller delegated', tree: 'v2-podman-rootless', pid: 9001, want: { memoryBytes: 134217728, cpus: 0.25, pidsMax: 2048, cpuset: null } },
    { name: 'v2 kubepods systemd: container limits only (pod slice pids limit not reflected)', tree: 'v2-kubepods-systemd', pid: 7777, want: { memoryBytes: 536870912, cpus: 0.5, pidsMax: null, cpuset: null } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const tree = openTree(tc.tree);
      const warnings: string[] = [];
      assert.deepEqual(readLimits(tree.mounts, tree.memberships(tc.pid), warnings), tc.want);
      assert.deepEqual(warnings, []);
    });
  }

  it('v2 broken tree: every bad file gives null and a warning, nothing throws', () => {
    const tree = openTree('v2-broken');
    const warnings: string[] = [];
    assert.deepEqual(readLimits(tree.mounts, tree.memberships(3131), warnings), NONE);
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /memory\.max: memory limit: expected bytes or "max", got "lots"/);
    assert.match(warnings[1] ?? '', /pids\.max/);
    assert.match(warnings[2] ?? '', /cpuset\.cpus: cpu list: descending range "3-1"/);
  });

  it('a process whose cgroup has gone (ENOENT everywhere) gives all null, no warning', () => {
    const tree = openTree('v2-docker-systemd');
    const warnings: string[] = [];
    assert.deepEqual(readLimits(tree.mounts, [{ hierarchyId: 0, controllers: [], path: '/system.slice/gone.scope' }], warnings), NONE);
    assert.deepEqual(warnings, []);
  });

  it('no memberships at all gives all null', () => {
    assert.deepEqual(readLimits(openTree('v1-docker-cgroupfs').mounts, []), NONE);
  });

  it('a v1 host ignores the (controller-less) v2 line for v1-bound controllers', () => {
    const tree = openTree('v1-docker-cgroupfs');
    const onlyV2 = tree.memberships(14988).filter((x) => x.hierarchyId === 0);
    assert.deepEqual(readLimits(tree.mounts, onlyV2), NONE);
  });
});
