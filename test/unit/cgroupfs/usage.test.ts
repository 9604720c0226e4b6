import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CgroupParseError } from '../../../electron/collector/cgroupfs/errors';
import type { CgroupUsage } from '../../../electron/collector/cgroupfs/usage';
import { parseFlatKeyed, readUsage } from '../../../electron/collector/cgroupfs/usage';
import { openTree } from './fixture-trees';

describe('parseFlatKeyed (cgroup-v2.rst flat keyed files)', () => {
  const rows: readonly [string, string, Record<string, number> | typeof CgroupParseError][] = [
    ['v2 memory.events (6.18)', 'low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\nsock_throttled 0\n', { low: 0, high: 0, max: 12, oom: 1, oom_kill: 1, oom_group_kill: 0, sock_throttled: 0 }],
    ['v1 memory.oom_control (this machine)', 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n', { oom_kill_disable: 0, under_oom: 0, oom_kill: 0 }],
    ['v1 cpu.stat (this machine)', 'nr_periods 25\nnr_throttled 20\nthrottled_time 919161722\nnr_bursts 0\nburst_time 0\n', { nr_periods: 25, nr_throttled: 20, throttled_time: 919161722, nr_bursts: 0, burst_time: 0 }],
    ['v2 core cpu.stat (no cpu controller)', 'usage_usec 30615\nuser_usec 20547\nsystem_usec 10068\nnice_usec 0\n', { usage_usec: 30615, user_usec: 20547, system_usec: 10068, nice_usec: 0 }],
    ['keys with dots (core_sched.force_idle_usec)', 'core_sched.force_idle_usec 5\n', { 'core_sched.force_idle_usec': 5 }],
    ['empty file', '', {}],
    ['no trailing newline', 'anon 4096', { anon: 4096 }],
    ['non-numeric value', 'oom_kill many\n', CgroupParseError],
    ['missing value', 'anon\n', CgroupParseError],
    ['nested keyed (io.stat style) is not flat', '8:0 rbytes=1 wbytes=2\n', CgroupParseError],
  ];
  for (const [name, text, want] of rows) {
    it(name, () => {
      if (want === CgroupParseError) assert.throws(() => parseFlatKeyed(text), CgroupParseError);
      else assert.deepEqual(Object.fromEntries(parseFlatKeyed(text)), want);
    });
  }
});

describe('readUsage on fixture trees', () => {
  const cases: readonly { name: string; tree: string; pid: number; want: CgroupUsage }[] = [
    {
      name: 'v1 docker cgroupfs, real copy, limited container: usage_in_bytes − total_inactive_file, throttled',
      tree: 'v1-docker-cgroupfs', pid: 14988,
      want: {
        memory: { usageBytes: 9097216 - 8388608, limitBytes: 67108864, peakBytes: 10735616, oomKills: 0 },
        cpu: { usageNanos: 1073591635, quotaCores: 0.5, periods: 25, throttledPeriods: 20, throttledNanos: 919161722 },
        pids: { current: 2, max: 50 },
      },
    },
    {
      name: 'v1 docker cgroupfs, real copy, unlimited container',
      tree: 'v1-docker-cgroupfs', pid: 15050,
      want: {
        memory: { usageBytes: 4980736 - 4194304, limitBytes: null, peakBytes: 6086656, oomKills: 0 },
        cpu: { usageNanos: 41557168, quotaCores: null, periods: 0, throttledPeriods: 0, throttledNanos: 0 },
        pids: { current: 1, max: null },
      },
    },
    {
      name: 'v2 docker systemd: memory.current − inactive_file, one OOM kill, throttled',
      tree: 'v2-docker-systemd', pid: 4242,
      want: {
        memory: { usageBytes: 31969280 - 8388608, limitBytes: 268435456, peakBytes: 268435456, oomKills: 1 },
        cpu: { usageNanos: 8412345000, quotaCores: 1.5, periods: 1204, throttledPeriods: 318, throttledNanos: 40211890000 },
        pids: { current: 3, max: 100 },
      },
    },
    {
      name: 'v2 docker cgroupfs, unlimited',
      tree: 'v2-docker-cgroupfs', pid: 5150,
      want: {
        memory: { usageBytes: 5885952 - 4194304, limitBytes: null, peakBytes: 7012352, oomKills: 0 },
        cpu: { usageNanos: 41557000, quotaCores: null, periods: 0, throttledPeriods: 0, throttledNanos: 0 },
        pids: { current: 1, max: null },
      },
    },
    {
      name: 'v2 rootless podman (container sub-cgroup)',
      tree: 'v2-podman-rootless', pid: 9001,
      want: {
        memory: { usageBytes: 8327168 - 3264512, limitBytes: 134217728, peakBytes: 10813440, oomKills: 0 },
        cpu: { usageNanos: 183442000, quotaCores: 0.25, periods: 88, throttledPeriods: 12, throttledNanos: 1519032000 },
        pids: { current: 1, max: 2048 },
      },
    },
    {
      name: 'v2 kubepods systemd',
      tree: 'v2-kubepods-systemd', pid: 7777,
      want: {
        memory: { usageBytes: 62914560 - 10612736, limitBytes: 536870912, peakBytes: 81788928, oomKills: 0 },
        cpu: { usageNanos: 92833001000, quotaCores: 0.5, periods: 36011, throttledPeriods: 2875, throttledNanos: 301877410000 },
        pids: { current: 11, max: null },
      },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const tree = openTree(tc.tree);
      const warnings: string[] = [];
      assert.deepEqual(readUsage(tree.mounts, tree.memberships(tc.pid), warnings), tc.want);
      assert.deepEqual(warnings, []);
    });
  }

  it('v2 broken tree: empty memory.stat keeps usage = memory.current; bad files give null and warnings', () => {
    const tree = openTree('v2-broken');
    const warnings: string[] = [];
    assert.deepEqual(readUsage(tree.mounts, tree.memberships(3131), warnings), {
      memory: { usageBytes: 8192000, limitBytes: null, peakBytes: null, oomKills: null },
      cpu: { usageNanos: 1000000, quotaCores: null, periods: null, throttledPeriods: null, throttledNanos: null },
      pids: { current: 2, max: null },
    });
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.ok(warnings.some((w) => /memory\.events: flat keyed file/.test(w)));
    assert.ok(warnings.some((w) => /memory\.max/.test(w)));
    assert.ok(warnings.some((w) => /pids\.max/.test(w)));
  });

  it('a cgroup that has gone gives nulls', () => {
    const tree = openTree('v1-docker-cgroupfs');
    const gone = tree.memberships(14988).map((m) => ({ ...m, path: '/docker/gone' }));
    assert.deepEqual(readUsage(tree.mounts, gone), { memory: null, cpu: null, pids: null });
  });
});
