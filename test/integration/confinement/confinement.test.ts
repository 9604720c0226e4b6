import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DOCKER_DEFAULT_CAPS, type Finding } from '../../../shared/confinement';
import type { ContainerInfo, Snapshot } from '../../../shared/model';
import { diffCommand } from '../../../electron/cli/diff';
import { allCapsMask, capabilityNames, readCapLastCap } from '../../../electron/collector/confinement/capabilities';
import { readConfinementHost } from '../../../electron/collector/confinement/host';
import { addConfinement } from '../../../electron/collector/confinement/pass';
import { DockerEngine } from '../../../electron/collector/engines/docker';
import { ProcReadError } from '../../../electron/collector/procfs/errors';
import { readProcess, type ProcessRecord } from '../../../electron/collector/procfs/process';
import { parseStatus } from '../../../electron/collector/procfs/status';
import { liveSources, takeSnapshot } from '../../../electron/collector/snapshot';
import { FIXTURE_IMAGES, ensureFixtureImages, removeContainer, runContainer, type TestContainer } from '../../helpers/docker';
import { dockerSkip, inCI, isRoot } from '../../helpers/require';

const suffix = `${process.pid}`;
const rootSkip = (): string | false => {
  if (isRoot) return false;
  if (inCI) throw new Error('CI=true but not root: these tests read the mountinfo of container processes');
  return 'needs root (reads /proc/PID/mountinfo of container processes)';
};

/** The capabilities the kernel knows that a process's bounding set lacks (runc cannot grant those). */
function missingFromBounding(pid: number | 'self'): string[] {
  const last = readCapLastCap('/proc');
  const bnd = parseStatus(fs.readFileSync(`/proc/${pid}/status`, 'utf8')).capBnd;
  if (last === null || bnd === null) return [];
  return capabilityNames(allCapsMask(last) & ~bnd);
}

/** The containers of a snapshot with security and findings: as assembled, or through the pass when the snapshot does not add them yet. */
function confined(snap: Snapshot): ContainerInfo[] {
  if (snap.containers.every((c) => c.security !== undefined || c.pid === null)) return [...snap.containers];
  const records = new Map<number, ProcessRecord>();
  for (const pid of [1, ...snap.containers.map((c) => c.pid)]) {
    if (pid === null) continue;
    const r = readProcess('/proc', pid);
    if (!(r instanceof ProcReadError)) records.set(pid, r);
  }
  const host = readConfinementHost({ procRoot: '/proc', sysRoot: '/sys', processes: records, namespaces: snap.host.namespaces, cgroupVersion: snap.host.cgroupVersion });
  return addConfinement(snap.containers, records, '/proc', host);
}

async function snapshotOf(): Promise<ContainerInfo[]> {
  return confined(await takeSnapshot({ ...liveSources([new DockerEngine()]), lsns: null }));
}

const ids = (fs: readonly Finding[] | undefined): string[] => (fs ?? []).map((f) => f.id);
const severe = (c: ContainerInfo): string[] => (c.findings ?? []).filter((f) => f.severity === 'critical' || f.severity === 'high').map((f) => f.id);
const finding = (c: ContainerInfo, id: string): Finding => {
  const f = c.findings?.find((x) => x.id === id);
  assert.ok(f, `${c.name} has finding ${id} (has: ${ids(c.findings).join(', ')})`);
  return f;
};

function capture(): { io: { out: (s: string) => void; err: (s: string) => void }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { out: (s) => { out += s; }, err: (s) => { err += s; } }, out: () => out, err: () => err };
}

describe('confinement against the real Docker engine', { skip: dockerSkip() || rootSkip() }, () => {
  const started: TestContainer[] = [];
  const run = (key: string, args: string[]): TestContainer => {
    const name = `isolens-conf-${key}-${suffix}`;
    try {
      const c = runContainer({ image: FIXTURE_IMAGES.busybox, name, args, cmd: ['sleep', '600'] });
      started.push(c);
      return c;
    } catch (e) {
      removeContainer(name); // `docker run -d` leaves a created container behind when the start fails
      throw e;
    }
  };
  let byName: Map<string, ContainerInfo>;
  const get = (c: TestContainer): ContainerInfo => {
    const info = byName.get(c.name);
    assert.ok(info, `${c.name} is in the snapshot`);
    assert.ok(info.security, `${c.name} has security`);
    return info;
  };
  let dflt: TestContainer;
  let capNbs: TestContainer;
  let unconfined: TestContainer;
  let pidHost: TestContainer;
  let readOnly: TestContainer;
  let sock: TestContainer | null = null;
  let user: TestContainer;
  let allCaps: TestContainer;
  let shimMissing: string[] = [];

  before(async () => {
    ensureFixtureImages();
    dflt = run('default', []);
    capNbs = run('capnbs', ['--cap-drop', 'ALL', '--cap-add', 'NET_BIND_SERVICE']);
    unconfined = run('unconf', ['--security-opt', 'seccomp=unconfined']);
    pidHost = run('pidhost', ['--pid', 'host']);
    readOnly = run('ro', ['--read-only']);
    if (fs.existsSync('/var/run/docker.sock')) sock = run('sock', ['-v', '/var/run/docker.sock:/var/run/docker.sock']);
    user = run('user', ['--user', '1000']);
    // runc runs with the bounding set of the shim (the parent of each container's init).
    const shim = Number(parseStatus(fs.readFileSync(`/proc/${dflt.pid}/status`, 'utf8')).ppid);
    shimMissing = missingFromBounding(shim);
    allCaps = run('allcaps', ['--cap-add', 'ALL', ...shimMissing.flatMap((c) => ['--cap-drop', c.slice(4)])]);
    byName = new Map((await snapshotOf()).map((c) => [c.name, c]));
  });

  after(() => {
    for (const c of started) removeContainer(c.id);
  });

  it('a default container: Docker\'s 14 capabilities, seccomp filter, root, no critical or high finding', () => {
    const c = get(dflt);
    const s = c.security;
    assert.ok(s);
    assert.deepEqual([...s.capEff].sort(), [...DOCKER_DEFAULT_CAPS].sort());
    assert.deepEqual([s.capAdded, s.capDropped], [[], []]);
    assert.deepEqual(s.seccomp, { mode: 'filter', filters: 1 });
    assert.equal(s.noNewPrivs, false);
    assert.equal(s.uidMapSummary, 'identity (no remapping)');
    assert.deepEqual(s.user, { uid: 0, name: 'root' });
    assert.equal(s.readOnlyRootfs, false);
    assert.equal(s.privileged, false);
    assert.deepEqual(s.mounts.filter((m) => m.flags.length > 0), []);
    assert.ok(s.mounts.some((m) => m.kind === 'engine' && m.target === '/etc/hosts'));
    assert.deepEqual(severe(c), []);
    for (const id of ['root-no-userns', 'no-memory-limit', 'no-pids-limit']) finding(c, id);
    if (s.lsm.kind === 'none') finding(c, 'host-no-lsm');
    if (s.lsm.kind === 'apparmor') assert.equal(s.lsm.label, 'docker-default');
    if (s.lsm.kind === 'selinux') assert.match(s.lsm.label ?? '', /:container_t:/);
  });

  it('--cap-drop ALL --cap-add NET_BIND_SERVICE: one capability, 13 dropped, no capability finding', () => {
    const s = get(capNbs).security;
    assert.deepEqual(s?.capEff, ['CAP_NET_BIND_SERVICE']);
    assert.deepEqual(s?.capBnd, ['CAP_NET_BIND_SERVICE']);
    assert.equal(s?.capDropped.length, 13);
    assert.ok(!ids(get(capNbs).findings).some((id) => id.startsWith('cap-')));
  });

  it('--security-opt seccomp=unconfined: seccomp disabled, high', () => {
    const c = get(unconfined);
    assert.deepEqual(c.security?.seccomp, { mode: 'disabled', filters: 0 });
    const f = finding(c, 'seccomp-disabled');
    assert.equal(f.severity, 'high');
    assert.match(f.evidence, /seccomp=unconfined/);
    assert.deepEqual(severe(c), ['seccomp-disabled']);
  });

  it('--pid host: the host pid namespace, high, and nothing else severe', () => {
    const c = get(pidHost);
    assert.ok(c.sharedWithHost.includes('pid'));
    assert.equal(finding(c, 'host-ns-pid').severity, 'high');
    assert.deepEqual(severe(c), ['host-ns-pid']);
  });

  it('--read-only: the root filesystem is read-only', () => {
    assert.equal(get(readOnly).security?.readOnlyRootfs, true);
    assert.equal(get(readOnly).security?.mounts.find((m) => m.kind === 'rootfs')?.readOnly, true);
  });

  it('-v /var/run/docker.sock: the engine socket, critical', (t) => {
    if (sock === null) {
      t.skip('/var/run/docker.sock does not exist here (dockerd listens elsewhere)');
      return;
    }
    const c = get(sock);
    const m = c.security?.mounts.find((x) => x.target === '/var/run/docker.sock');
    assert.deepEqual(m && [m.kind, m.flags], ['socket', ['engine-socket']]);
    assert.equal(finding(c, 'engine-socket').severity, 'critical');
  });

  it('--user 1000: uid 1000, no effective capabilities, no root finding', () => {
    const c = get(user);
    assert.deepEqual(c.security?.user, { uid: 1000, name: null });
    assert.deepEqual(c.security?.capEff, []);
    assert.ok(!ids(c.findings).includes('root-no-userns'));
    finding(c, 'no-userns');
    assert.deepEqual(severe(c), []);
  });

  it(`--cap-add ALL (dropping what the shim's bounding set lacks): every capability, critical`, () => {
    const c = get(allCaps);
    assert.equal(finding(c, 'cap-all').severity, 'critical');
    assert.ok(c.security?.capEff.includes('CAP_SYS_ADMIN'));
  });

  it('--privileged: privileged, every capability, no seccomp, writable /sys', async (t) => {
    let c: TestContainer;
    try {
      c = run('priv', ['--privileged']);
    } catch (e) {
      // dockerd gives --privileged every capability it knows and ignores --cap-drop (moby
      // oci/caps TweakCapabilities), so where the shim's bounding set lacks one, runc fails.
      const why = e instanceof Error ? e.message : String(e);
      if (shimMissing.length > 0 && /unable to apply caps|operation not permitted/.test(why)) {
        t.skip(`--privileged cannot start here: the container runtime's bounding set lacks ${shimMissing.join(', ')}, `
          + 'dockerd grants --privileged every capability and ignores --cap-drop, so runc fails with "unable to apply caps"');
        return;
      }
      throw e;
    }
    const info = (await snapshotOf()).find((x) => x.name === c.name);
    assert.ok(info?.security);
    assert.equal(info.security.privileged, true);
    assert.equal(info.security.seccomp.mode, 'disabled');
    for (const id of ['privileged', 'cap-all', 'seccomp-disabled', 'sys-writable', 'proc-sys-writable']) assert.ok(severe(info).includes(id), id);
  });

  describe('isolens diff', () => {
    it('default vs --pid host: exactly the pid namespace differs; capabilities and seccomp are equal', async () => {
      const cap = capture();
      assert.equal(await diffCommand([dflt.name, pidHost.name, '--json'], cap.io), 0, cap.err());
      const cmp = JSON.parse(cap.out()) as { differences: string[]; verdict: string; capEff: { onlyA: string[]; onlyB: string[] }; namespaces: { kind: string; relation: string }[] };
      assert.deepEqual(cmp.differences, ['pid namespace']);
      assert.deepEqual([cmp.capEff.onlyA, cmp.capEff.onlyB], [[], []]);
      assert.equal(cmp.namespaces.find((n) => n.kind === 'pid')?.relation, 'b-host');
      assert.match(cmp.verdict, new RegExp(`^${pidHost.name} shares the host's pid namespace: it sees every process on the host, ${dflt.name}'s included`));
      assert.match(cmp.verdict, /The same in both: .*capabilities \(effective\).*seccomp/);
    });

    it('prints a table and the verdict', async () => {
      const cap = capture();
      assert.equal(await diffCommand([dflt.id.slice(0, 12), pidHost.name], cap.io), 0, cap.err());
      assert.match(cap.out(), /^ {2}pid\s+\d+\s+\d+ \(host\)\s+DIFFERS: B's is the host's$/m);
      assert.match(cap.out(), /^seccomp\s+filter \(1 filter\)\s+filter \(1 filter\)\s+same$/m);
      assert.match(cap.out().replace(/\s+/g, ' '), /In short, they differ in: pid namespace only\./);
    });

    it('a container against a host pid', async () => {
      const cap = capture();
      assert.equal(await diffCommand([dflt.name, String(process.pid), '--json'], cap.io), 0, cap.err());
      const cmp = JSON.parse(cap.out()) as { b: { kind: string; security: unknown }; verdict: string };
      assert.equal(cmp.b.kind, 'process');
      assert.ok(cmp.b.security);
      assert.match(cmp.verdict, /shares the host's pid namespace/);
    });

    it('exits 2 with a clear message when a subject is not found', async () => {
      const cap = capture();
      assert.equal(await diffCommand([dflt.name, `no-such-container-${suffix}`], cap.io), 2);
      assert.match(cap.err(), new RegExp(`B: no container "no-such-container-${suffix}"`));
      assert.equal(cap.out(), '');
    });
  });
});
