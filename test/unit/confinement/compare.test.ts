import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CompareSubject, compareSubjects, subjectFromContainer, subjectFromProcess } from '../../../shared/compare';
import type { ContainerInfo, ProcessInfo, Snapshot } from '../../../shared/model';
import type { NamespaceKind } from '../../../shared/namespaces';
import { readSecurity } from '../../../electron/collector/confinement/security';
import { containerOf, FIXTURE_HOST, PIDS, PROC, recordOf } from './fixtures';

const HOST_NS: Record<NamespaceKind, number> = {
  cgroup: 4026531835, ipc: 4026531839, mnt: 4026531832, net: 4026531833, pid: 4026531836, time: 4026531834, user: 4026531837, uts: 4026531838,
};

/** A process entry whose namespaces are the host's except `own` (given inodes). */
function proc(pid: number, own: Partial<Record<NamespaceKind, number>>, containerId: string | null, comm = 'sleep'): ProcessInfo {
  const ns = { ...HOST_NS, ...own };
  return {
    pid, ppid: 1, comm, cmdline: [comm], uid: 0, startTime: 1, nspid: [pid, 1], containerId, cgroup: containerId ? `/docker/${containerId}` : '/',
    namespaces: { ...ns, pid_for_children: ns.pid },
  };
}

const secOf = (pid: number) => readSecurity(recordOf(pid), PROC, FIXTURE_HOST, null);
const withSec = (c: ContainerInfo): ContainerInfo => ({ ...c, security: secOf(c.pid ?? 0) });

const web = withSec(containerOf(PIDS.default, { name: 'web' }));
const hostpid = withSec(containerOf(PIDS.pidHost, { name: 'hostpid' }));
const sidecar = withSec(containerOf(PIDS.capNbs, { name: 'sidecar' }));
const unconf = withSec(containerOf(PIDS.unconfined, { name: 'unconf', limits: { memoryBytes: 64 << 20, cpus: null, pidsMax: 50, cpuset: null } }));

const SNAP: Snapshot = {
  schema: 1, takenAt: '2025-01-01T00:00:00.000Z',
  host: { hostname: 'h', kernel: '6.18', cgroupVersion: 1, namespaces: HOST_NS, namespacesFrom: 2, collectorUid: 0 },
  processes: [
    proc(2, {}, null, 'kthreadd'),
    proc(PIDS.default, { ipc: 10, mnt: 11, net: 12, pid: 13, uts: 14 }, web.id),
    proc(PIDS.pidHost, { ipc: 20, mnt: 21, net: 22, uts: 24 }, hostpid.id),
    proc(PIDS.capNbs, { ipc: 30, mnt: 31, net: 12, pid: 33, uts: 34 }, sidecar.id),
    proc(PIDS.unconfined, { ipc: 40, mnt: 41, net: 42, pid: 13, uts: 44 }, unconf.id),
  ],
  namespaces: [], containers: [web, hostpid, sidecar, unconf], engines: [], warnings: [],
};
const subj = (c: ContainerInfo): CompareSubject => subjectFromContainer(SNAP, c);

describe('compareSubjects', () => {
  it('default vs --pid host: exactly the pid namespace differs, and B sees A', () => {
    const cmp = compareSubjects(subj(web), subj(hostpid));
    assert.deepEqual(cmp.differences, ['pid namespace']);
    assert.deepEqual(cmp.namespaces.map((n) => [n.kind, n.relation]), [
      ['cgroup', 'both-host'], ['ipc', 'separate'], ['mnt', 'separate'], ['net', 'separate'], ['pid', 'b-host'], ['time', 'both-host'], ['user', 'both-host'], ['uts', 'separate'],
    ]);
    assert.match(cmp.verdict, /^hostpid shares the host's pid namespace: it sees every process on the host, web's included; web sees only the processes of its own pid namespace\./);
    assert.match(cmp.verdict, /In short, they differ in: pid namespace only\.$/);
    assert.deepEqual(cmp.capEff, { onlyA: [], onlyB: [], both: web.security?.capEff });
    assert.equal(cmp.rows.find((r) => r.aspect === 'cgroup')?.same, false);
    assert.equal(cmp.rows.find((r) => r.aspect === 'cgroup')?.counts, false, 'own cgroups are no difference');
  });

  it('the other way round names A', () => {
    const cmp = compareSubjects(subj(hostpid), subj(web));
    assert.equal(cmp.namespaces.find((n) => n.kind === 'pid')?.relation, 'a-host');
    assert.match(cmp.verdict, /^hostpid shares the host's pid namespace: it sees every process on the host, web's included/);
  });

  it('a shared network namespace and different capabilities', () => {
    const cmp = compareSubjects(subj(web), subj(sidecar));
    assert.equal(cmp.namespaces.find((n) => n.kind === 'net')?.relation, 'shared');
    assert.match(cmp.verdict, /web and sidecar have separate pid namespaces: neither sees the other's processes\./);
    assert.match(cmp.verdict, /They share one net namespace \(net:\[12\]\)\./);
    assert.equal(cmp.capEff?.onlyA.length, 13);
    assert.deepEqual(cmp.capEff?.onlyB, []);
    assert.deepEqual(cmp.differences, ['capabilities (effective)', 'capabilities (bounding)']);
  });

  it('a shared pid namespace, seccomp and limits differ', () => {
    const cmp = compareSubjects(subj(web), subj(unconf));
    assert.match(cmp.verdict, /web and unconf share one pid namespace \(pid:\[13\]\): they see each other's processes\./);
    assert.deepEqual(cmp.differences, ['memory limit', 'pids limit', 'seccomp']);
    assert.match(cmp.verdict, /Seccomp: web filter \(1 filter\), unconf disabled\./);
    assert.match(cmp.verdict, /Memory limit: web none, unconf 64 MiB\./);
  });

  it('a host process: host namespaces on one side, unknown security is said so', () => {
    const p = subjectFromProcess(SNAP, 2, { security: null, limits: null });
    assert.ok(p);
    assert.equal(p.name, 'pid 2 (kthreadd)');
    const cmp = compareSubjects(subj(web), p);
    assert.match(cmp.verdict, /pid 2 \(kthreadd\) shares the host's pid namespace/);
    assert.match(cmp.verdict, /What pid 2 \(kthreadd\) is allowed to do is unknown/);
    assert.deepEqual(cmp.differences, ['ipc namespace', 'mnt namespace', 'net namespace', 'pid namespace', 'uts namespace']);
    assert.equal(subjectFromProcess(SNAP, 999, { security: null, limits: null }), null);
    const inContainer = subjectFromProcess(SNAP, PIDS.default, { security: null, limits: null });
    assert.equal(inContainer?.containerName, 'web');
  });

  it('unreadable ns links: unknown, never "same"', () => {
    const a = { ...subj(web), namespaces: { ...subj(web).namespaces, pid: null } };
    const cmp = compareSubjects(a, subj(hostpid));
    assert.equal(cmp.namespaces.find((n) => n.kind === 'pid')?.relation, 'unknown');
    assert.match(cmp.verdict, /^Whether they share a pid namespace is unknown/);
  });

  it('the same container twice: nothing differs', () => {
    const cmp = compareSubjects(subj(web), subj(web));
    assert.deepEqual(cmp.differences, []);
    assert.match(cmp.verdict, /In configuration they do not differ\.$/);
  });
});
