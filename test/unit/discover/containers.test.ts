import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CgroupLimits } from '../../../shared/model';
import { discoverContainers } from '../../../electron/collector/discover/containers';
import { findHostNamespaces } from '../../../electron/collector/discover/host';
import type { EngineContainer } from '../../../electron/collector/engines/types';
import { record } from '../../helpers/records';

const ID = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const LIMITS: CgroupLimits = { memoryBytes: 1, cpus: null, pidsMax: null, cpuset: null };
const host = findHostNamespaces(new Map([[2, record(2, 0)]]));
const inDocker = (id: string) => ({ cgroup: `/docker/${id}`, cgroups: [{ hierarchyId: 4, controllers: ['memory'], path: `/docker/${id}` }] });
const engine = (over: Partial<EngineContainer> = {}): EngineContainer => ({
  id: ID, name: 'web', engine: 'docker', image: 'isolens/hello:test', imageId: null, state: 'running', pid: 100, labels: {},
  config: { privileged: false, capAdd: [], capDrop: [], securityOpt: [], namespaceModes: {}, user: null, readOnlyRootfs: false },
  createdAt: null, startedAt: null, ...over,
});

describe('discoverContainers', () => {
  const ns = { pid: 900, pid_for_children: 900, mnt: 901, net: 902 };
  const procs = [
    record(2, 0),
    record(90, 2, { comm: 'containerd-shim' }),
    record(100, 90, { ...inDocker(ID), ns, nspid: [100, 1] }),
    record(101, 100, { ...inDocker(ID), ns, nspid: [101, 7] }),
    record(200, 90, { ...inDocker(OTHER), ns: { pid: 910, pid_for_children: 910 } }),
  ];

  it('joins the engine\'s container with the processes its cgroup path names', () => {
    const { containers, containerIdByPid } = discoverContainers(procs, [engine()], host, () => LIMITS);
    const web = containers.find((c) => c.id === ID);
    assert.ok(web);
    assert.equal(web.name, 'web');
    assert.equal(web.pid, 100);
    assert.deepEqual(web.pids, [100, 101]);
    assert.equal(web.limits, LIMITS);
    assert.deepEqual(web.sharedWithHost, ['cgroup', 'ipc', 'time', 'user', 'uts']);
    assert.equal(containerIdByPid.get(101), ID);
    assert.equal(containerIdByPid.get(90), undefined, 'the shim is a host process');
  });

  it('keeps a container the engine did not report (engine down), named by its short id', () => {
    const { containers } = discoverContainers(procs, [], host, () => LIMITS);
    const other = containers.find((c) => c.id === OTHER);
    assert.ok(other);
    assert.equal(other.engine, 'docker');
    assert.equal(other.name, OTHER.slice(0, 12));
    assert.equal(other.image, null);
    assert.equal(other.pid, 200);
  });

  it('groups processes isolated without an engine by their pid namespace', () => {
    const iso = [record(2, 0), record(300, 1, { cmdline: ['unshare', '--pid', '--fork', 'sleep', '1000'], ns: { mnt: 950, pid_for_children: 951 } }),
      record(301, 300, { cmdline: ['sleep', '1000'], ns: { mnt: 950, pid: 951, pid_for_children: 951 }, nspid: [301, 1] }),
      record(302, 301, { ns: { mnt: 950, pid: 951, pid_for_children: 951 }, nspid: [302, 2] })];
    const { containers, containerIdByPid } = discoverContainers(iso, [], host, () => LIMITS);
    const g = containers.find((c) => c.id === 'ns:951');
    assert.ok(g);
    assert.equal(g.engine, 'none');
    assert.equal(g.pid, 301);
    assert.equal(g.name, 'unshare --pid --fork sleep 1000', 'named by the launcher that made the pid namespace');
    assert.deepEqual(g.pids, [300, 301, 302]);
    assert.equal(containerIdByPid.get(300), 'ns:951', 'unshare itself (only in the new mount namespace) is folded into its group');
    assert.equal(containers.filter((c) => c.engine === 'none').length, 1);
  });

  it('kernel threads are not containers, even kdevtmpfs in its own mount namespace', () => {
    const { containers } = discoverContainers([record(2, 0), record(25, 2, { comm: 'kdevtmpfs', cmdline: [], ns: { mnt: 970 } })], [], host, () => LIMITS);
    assert.deepEqual(containers, []);
  });

  it('an engine\'s init whose cgroup could not be read still belongs to its container', () => {
    const unreadable = [record(2, 0), record(100, 90, { cgroup: null, cgroups: [], ns })];
    const { containers } = discoverContainers(unreadable, [engine()], host, () => LIMITS);
    assert.deepEqual(containers.find((c) => c.id === ID)?.pids, [100]);
  });

  it('a container under a custom cgroup parent is joined by its init pid and pid namespace, not shown twice', () => {
    const custom = { cgroup: '/my-parent/' + ID, cgroups: [{ hierarchyId: 4, controllers: ['memory'], path: '/my-parent/' + ID }] };
    const list = [record(2, 0), record(100, 90, { ...custom, ns }), record(101, 100, { ...custom, ns })];
    const { containers } = discoverContainers(list, [engine()], host, () => LIMITS);
    assert.deepEqual(containers.map((c) => [c.id, c.pids]), [[ID, [100, 101]]]);
  });
});
