import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSecurity, Finding } from '../../../shared/confinement';
import type { ContainerConfig, ContainerInfo } from '../../../shared/model';
import { confinementFindings, type FindingsHost, maskOf } from '../../../electron/collector/confinement/findings';
import { readSecurity } from '../../../electron/collector/confinement/security';
import { containerOf, DEFAULT_CONFIG, FIXTURE_HOST, PIDS, PROC, recordOf } from './fixtures';

const HOST: FindingsHost = { lsmKind: 'none', cgroupVersion: 1, capBnd: FIXTURE_HOST.capBnd };

function findingsOf(pid: number, over: Partial<ContainerInfo> = {}, host: FindingsHost = HOST, tweak?: (s: ContainerSecurity) => ContainerSecurity): Finding[] {
  const c = containerOf(pid, over);
  const s = readSecurity(recordOf(pid), PROC, FIXTURE_HOST, c.config);
  return confinementFindings(c, tweak ? tweak(s) : s, host);
}
const ids = (fs: readonly Finding[]): string[] => fs.map((f) => f.id);
const severe = (fs: readonly Finding[]): Finding[] => fs.filter((f) => f.severity === 'critical' || f.severity === 'high');
const one = (fs: readonly Finding[], id: string): Finding => {
  const f = fs.find((x) => x.id === id);
  assert.ok(f, `finding ${id} in ${ids(fs).join(', ')}`);
  return f;
};
const config = (c: Partial<ContainerConfig>): ContainerConfig => ({ ...DEFAULT_CONFIG, ...c });

describe('confinementFindings', () => {
  it('default container: nothing critical or high; root without userns, no limits, cgroup v1 info', () => {
    const f = findingsOf(PIDS.default);
    assert.deepEqual(severe(f), []);
    assert.deepEqual(ids(f), ['root-no-userns', 'no-memory-limit', 'no-pids-limit', 'host-ns-cgroup', 'host-no-lsm']);
    assert.equal(one(f, 'host-ns-cgroup').severity, 'info');
    assert.match(one(f, 'root-no-userns').evidence, /security\.user\.uid = 0/);
  });

  it('limits set: no limit findings', () => {
    const f = findingsOf(PIDS.default, { limits: { memoryBytes: 64 << 20, cpus: 0.5, pidsMax: 50, cpuset: null } });
    assert.ok(!ids(f).includes('no-memory-limit') && !ids(f).includes('no-pids-limit'));
  });

  it('--privileged (engine config): critical', () => {
    const f = findingsOf(PIDS.default, { config: config({ privileged: true }) });
    assert.equal(f[0]?.id, 'privileged');
    assert.equal(f[0]?.severity, 'critical');
  });

  it('--pid host: the pid namespace, high', () => {
    const f = findingsOf(PIDS.pidHost, { sharedWithHost: ['cgroup', 'pid', 'time', 'user'], config: config({ namespaceModes: { ...DEFAULT_CONFIG.namespaceModes, pid: 'host' } }) });
    assert.deepEqual(severe(f).map((x) => [x.id, x.severity]), [['host-ns-pid', 'high']]);
    assert.match(one(f, 'host-ns-pid').evidence, /sharedWithHost includes pid \(config\.namespaceModes\.pid = host\)/);
  });

  it('host network: net high; with CAP_NET_ADMIN that is high too', () => {
    const f = findingsOf(PIDS.default, { sharedWithHost: ['cgroup', 'net', 'time', 'user'] }, HOST, (s) => ({ ...s, capEff: [...s.capEff, 'CAP_NET_ADMIN'] }));
    assert.equal(one(f, 'host-ns-net').severity, 'high');
    assert.equal(one(f, 'cap-net-admin').severity, 'high');
    const own = findingsOf(PIDS.default, {}, HOST, (s) => ({ ...s, capEff: [...s.capEff, 'CAP_NET_ADMIN'] }));
    assert.equal(one(own, 'cap-net-admin').severity, 'medium');
  });

  it('dangerous capabilities in CapEff', () => {
    const add = (...caps: string[]) => (s: ContainerSecurity): ContainerSecurity => ({ ...s, capEff: [...s.capEff, ...caps] });
    const f = findingsOf(PIDS.default, {}, HOST, add('CAP_SYS_ADMIN', 'CAP_SYS_MODULE', 'CAP_SYS_PTRACE', 'CAP_DAC_READ_SEARCH'));
    assert.deepEqual(f.filter((x) => x.id.startsWith('cap-')).map((x) => [x.id, x.severity]), [
      ['cap-sys-admin', 'critical'], ['cap-sys-module', 'critical'], ['cap-dac-read-search', 'high'], ['cap-sys-ptrace', 'medium'],
    ]);
    assert.equal(one(f, 'cap-sys-admin').evidence, 'security.capEff includes CAP_SYS_ADMIN');
  });

  it('--cap-drop ALL --cap-add NET_BIND_SERVICE: no capability findings', () => {
    assert.ok(!ids(findingsOf(PIDS.capNbs)).some((id) => id.startsWith('cap-')));
  });

  it('--cap-add ALL: every capability the host allows but those newer than dockerd 20.10', () => {
    const f = findingsOf(PIDS.allCaps, { config: config({ capAdd: ['ALL'], capDrop: ['SYS_RESOURCE'] }) });
    const all = one(f, 'cap-all');
    assert.equal(all.severity, 'critical');
    assert.match(all.message, /but CAP_PERFMON, CAP_BPF, CAP_CHECKPOINT_RESTORE/);
    assert.ok(!ids(f).includes('cap-sys-admin'), 'one finding for the full set, not one per capability');
  });

  it('full set on a kernel with an unknown bit', () => {
    const host: FindingsHost = { ...HOST, capBnd: (1n << 42n) - 1n };
    const f = findingsOf(PIDS.default, {}, host, (s) => ({ ...s, capEff: Array.from({ length: 42 }, (_, i) => (i === 41 ? 'CAP_41' : '')).map((n, i) => n || `CAP_${i}`) }));
    assert.match(one(f, 'cap-all').message, /every capability the host's bounding set has/);
    assert.equal(maskOf(['CAP_CHOWN', 'CAP_41', 'CAP_NOPE']), 1n | (1n << 41n));
  });

  it('seccomp=unconfined: high, with the security option', () => {
    const f = findingsOf(PIDS.unconfined, { config: config({ securityOpt: ['seccomp=unconfined'] }) });
    const s = one(f, 'seccomp-disabled');
    assert.equal(s.severity, 'high');
    assert.match(s.evidence, /security\.seccomp\.mode = disabled \(security option seccomp=unconfined\)/);
  });

  it('the Docker socket: critical', () => {
    const f = findingsOf(PIDS.socket);
    assert.equal(f[0]?.id, 'engine-socket');
    assert.match(f[0]?.evidence ?? '', /\/run\/docker\.sock -> \/var\/run\/docker\.sock \(rw\)/);
  });

  it('host paths and devices', () => {
    const f = findingsOf(PIDS.bind);
    assert.deepEqual(f.filter((x) => x.id.startsWith('host-path') || x.id === 'device-mount').map((x) => [x.id, x.severity]), [
      ['host-path-writable', 'high'], ['device-mount', 'medium'], ['host-path', 'low'],
    ]);
  });

  it('unshare -m: one critical finding for the host\'s root, not one per host mount', () => {
    const f = findingsOf(PIDS.unshareMnt, { engine: 'none', config: null, sharedWithHost: ['cgroup', 'ipc', 'net', 'pid', 'time', 'user', 'uts'] });
    assert.equal(one(f, 'host-rootfs').severity, 'critical');
    assert.ok(!ids(f).includes('host-path-writable'));
    assert.equal(one(f, 'sys-writable').severity, 'high');
  });

  it('/proc/sys writable (systempaths=unconfined): high', () => assert.equal(one(findingsOf(PIDS.systempaths), 'proc-sys-writable').severity, 'high'));

  it('--user 1000: no root finding, an info about the shared user namespace', () => {
    const f = findingsOf(PIDS.user, { config: config({ user: '1000' }) });
    assert.ok(!ids(f).includes('root-no-userns'));
    assert.match(one(f, 'no-userns').message, /uid 1000 inside is uid 1000 on the host/);
  });

  it('cgroup v2 and the host cgroup namespace: low', () => {
    assert.equal(one(findingsOf(PIDS.default, {}, { ...HOST, cgroupVersion: 2 }), 'host-ns-cgroup').severity, 'low');
  });

  it('AppArmor host: unconfined label is medium, docker-default is fine', () => {
    const aa: FindingsHost = { ...HOST, lsmKind: 'apparmor' };
    const unconfined = findingsOf(PIDS.default, {}, aa, (s) => ({ ...s, lsm: { kind: 'apparmor', label: 'unconfined', mode: null } }));
    assert.equal(one(unconfined, 'no-lsm-profile').severity, 'medium');
    const confined = findingsOf(PIDS.default, {}, aa, (s) => ({ ...s, lsm: { kind: 'apparmor', label: 'docker-default', mode: 'enforce' } }));
    assert.ok(!ids(confined).includes('no-lsm-profile') && !ids(confined).includes('host-no-lsm'));
  });

  it('findings are ordered most severe first', () => {
    const f = findingsOf(PIDS.bind, { config: config({ privileged: true }) });
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    for (let i = 1; i < f.length; i++) assert.ok(order.indexOf(f[i - 1]?.severity ?? '') <= order.indexOf(f[i]?.severity ?? ''));
  });
});
