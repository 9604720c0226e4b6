import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ContainerInfo, Snapshot } from '../../shared/model';
import { PROCESS_NAMESPACE_LINKS } from '../../shared/namespaces';
import { DockerEngine } from '../../electron/collector/engines/docker';
import { liveSources, takeSnapshot } from '../../electron/collector/snapshot';
import { FIXTURE_IMAGES, ensureFixtureImages, removeContainer, runContainer, type TestContainer } from '../helpers/docker';
import { dockerSkip, inCI, isRoot } from '../helpers/require';

const MiB = 1024 * 1024;
const suffix = `${process.pid}`;

function readNsInode(pid: number, link: string): number | null {
  try {
    const m = /\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/ns/${link}`));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

const container = (s: Snapshot, name: string): ContainerInfo => {
  const c = s.containers.find((x) => x.name === name);
  assert.ok(c, `container ${name} is in the snapshot (have: ${s.containers.map((x) => x.name).join(', ')})`);
  return c;
};

const rootSkip = (): string | false => {
  if (isRoot) return false;
  if (inCI) throw new Error('CI=true but not root: these tests read every process\'s ns links');
  return 'needs root (reads the ns links of container processes)';
};

describe('snapshot against the real Docker engine', { skip: dockerSkip() || rootSkip() }, () => {
  let limited: TestContainer;
  let hostPid: TestContainer;
  let sharedNet: TestContainer;
  let snap: Snapshot;

  before(async () => {
    ensureFixtureImages();
    limited = runContainer({
      image: FIXTURE_IMAGES.hello, name: `isolens-limited-${suffix}`,
      args: ['--memory', '64m', '--cpus', '0.5', '--pids-limit', '50', '--cpuset-cpus', '0'],
    });
    hostPid = runContainer({ image: FIXTURE_IMAGES.busybox, name: `isolens-hostpid-${suffix}`, args: ['--pid', 'host'], cmd: ['sleep', '600'] });
    sharedNet = runContainer({
      image: FIXTURE_IMAGES.busybox, name: `isolens-sharednet-${suffix}`, args: ['--network', `container:${limited.id}`], cmd: ['sleep', '600'],
    });
    snap = await takeSnapshot(liveSources([new DockerEngine()]));
  });

  after(() => {
    for (const c of [sharedNet, hostPid, limited]) if (c) removeContainer(c.id);
  });

  it('reports the Docker engine as available', () => {
    const docker = snap.engines.find((e) => e.name === 'docker');
    assert.equal(docker?.available, true, docker?.error ?? '');
    assert.ok(docker?.version);
  });

  it('finds the scratch container with its name, image and init pid', () => {
    const c = container(snap, limited.name);
    assert.equal(c.id, limited.id);
    assert.equal(c.engine, 'docker');
    assert.equal(c.image, FIXTURE_IMAGES.hello);
    assert.equal(c.pid, limited.pid);
    assert.ok(c.pids.includes(limited.pid));
  });

  it('gives the init host PID X and NSpid [X, 1]', () => {
    const p = snap.processes.find((x) => x.pid === limited.pid);
    assert.ok(p);
    assert.deepEqual(p.nspid, [limited.pid, 1]);
    assert.equal(p.containerId, limited.id);
    assert.equal(p.comm, 'hello');
  });

  it('records the namespaces that readlink /proc/X/ns/* shows', () => {
    const p = snap.processes.find((x) => x.pid === limited.pid);
    assert.ok(p);
    for (const link of PROCESS_NAMESPACE_LINKS) assert.equal(p.namespaces[link], readNsInode(limited.pid, link), link);
  });

  it('reads the limits that were asked for', () => {
    const c = container(snap, limited.name);
    assert.deepEqual(c.limits, { memoryBytes: 64 * MiB, cpus: 0.5, pidsMax: 50, cpuset: '0' });
    const unlimited = container(snap, hostPid.name);
    assert.equal(unlimited.limits.memoryBytes, null);
    assert.equal(unlimited.limits.cpus, null);
  });

  it('says which namespaces a container shares with the host', () => {
    assert.ok(container(snap, hostPid.name).sharedWithHost.includes('pid'));
    const own = container(snap, limited.name).sharedWithHost;
    for (const k of ['pid', 'net', 'mnt', 'ipc', 'uts'] as const) assert.ok(!own.includes(k), `${k} is private`);
    assert.ok(own.includes('user'), 'no user namespace remapping: the host user namespace is shared');
  });

  it('shows one net namespace for --network container:<other>', () => {
    const a = snap.processes.find((x) => x.pid === limited.pid);
    const b = snap.processes.find((x) => x.pid === sharedNet.pid);
    assert.ok(a && b);
    assert.equal(b.namespaces.net, a.namespaces.net);
    assert.notEqual(b.namespaces.pid, a.namespaces.pid);
    const ns = snap.namespaces.find((n) => n.id === a.namespaces.net);
    assert.ok(ns);
    assert.equal(ns.type, 'net');
    assert.ok(ns.pids.includes(limited.pid) && ns.pids.includes(sharedNet.pid));
    assert.equal(ns.host, false);
  });

  it('marks the host namespaces and takes them from PID 1 or kthreadd', () => {
    assert.ok(snap.host.namespacesFrom === 1 || snap.host.namespacesFrom === 2);
    assert.equal(snap.host.namespaces.pid, readNsInode(2, 'pid'));
    const hostPidNs = snap.namespaces.find((n) => n.id === snap.host.namespaces.pid);
    assert.equal(hostPidNs?.host, true);
  });
});

describe('snapshot cross-checked against lsns', { skip: rootSkip() }, () => {
  it('lists every namespace lsns lists, with the same type, parent and owner', async () => {
    const snap = await takeSnapshot(liveSources([]));
    const raw = JSON.parse(execFileSync('lsns', ['-J', '-l', '-o', 'NS,TYPE,NPROCS,PID,PNS,ONS'], { encoding: 'utf8' })) as {
      namespaces: { ns: number | string; type: string; nprocs: number | string; pid: number | string | null; pns: number | string | null; ons: number | string | null }[];
    };
    const byId = new Map(snap.namespaces.map((n) => [n.id, n]));
    for (const l of raw.namespaces) {
      const n = byId.get(Number(l.ns));
      assert.ok(n, `lsns namespace ${l.type}:${l.ns} is in the snapshot`);
      assert.equal(n.type, l.type);
      if (l.ons !== null && Number(l.ons) !== 0) assert.equal(n.owner, Number(l.ons), `owner of ${l.ns}`);
      if ((l.type === 'pid' || l.type === 'user') && l.pns !== null && Number(l.pns) !== 0 && Number(l.pns) !== Number(l.ns)) {
        assert.equal(n.parent, Number(l.pns), `parent of ${l.ns}`);
      }
    }
    // And every namespace a process is in is one lsns knows (lsns runs after the /proc scan: allow the namespaces of processes that ended meanwhile).
    const lsnsIds = new Set(raw.namespaces.map((l) => Number(l.ns)));
    const alive = (pid: number): boolean => fs.existsSync(`/proc/${pid}`);
    const missing = snap.namespaces.filter((n) => n.pids.length > 0 && !lsnsIds.has(n.id) && n.pids.some(alive));
    assert.deepEqual(missing.map((n) => `${n.type}:${n.id}`), []);
  });
});

describe('namespaces without an engine', { skip: rootSkip() }, () => {
  const netnsName = `isolens-demo-${suffix}`;
  let unshare: ChildProcess | undefined;

  before(async () => {
    execFileSync('ip', ['netns', 'add', netnsName]);
    unshare = spawn('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', 'sleep', '600'], { stdio: 'ignore', detached: true });
    // Wait until the forked sleep exists in its new pid namespace.
    for (let i = 0; i < 50; i++) {
      const kids = fs.readFileSync(`/proc/${unshare.pid}/task/${unshare.pid}/children`, 'utf8').trim();
      if (kids) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(() => {
    // The whole group: unshare and the sleep it forked (--kill-child also ends it with unshare).
    if (unshare?.pid) process.kill(-unshare.pid, 'SIGKILL');
    try {
      execFileSync('ip', ['netns', 'del', netnsName]);
    } catch {
      // already gone
    }
  });

  it('lists a bind-mounted netns that no process is in, with its path', async () => {
    const snap = await takeSnapshot(liveSources([]));
    const ns = snap.namespaces.find((n) => n.path === `/run/netns/${netnsName}`);
    assert.ok(ns, 'the netns made by `ip netns add` is listed');
    assert.equal(ns.type, 'net');
    assert.deepEqual(ns.pids, []);
    assert.equal(ns.host, false);
  });

  it('shows `unshare --pid --fork --mount-proc sleep` as an engine-less container', async () => {
    const snap = await takeSnapshot(liveSources([]));
    const childPid = Number(fs.readFileSync(`/proc/${unshare?.pid}/task/${unshare?.pid}/children`, 'utf8').trim());
    const sleeper = snap.processes.find((p) => p.pid === childPid);
    assert.ok(sleeper, 'the sleep is in the process table');
    assert.deepEqual(sleeper.nspid, [childPid, 1]);
    const c = snap.containers.find((x) => x.id === `ns:${sleeper.namespaces.pid}`);
    assert.ok(c, `a container ns:${sleeper.namespaces.pid} exists`);
    assert.equal(c.engine, 'none');
    assert.equal(c.pid, childPid);
    assert.match(c.name, /sleep 600/);
    assert.ok(!c.sharedWithHost.includes('pid') && !c.sharedWithHost.includes('mnt'));
    assert.equal(sleeper.containerId, c.id);
  });
});

describe('snapshot without Docker', { skip: dockerSkip() }, () => {
  let c: TestContainer;
  before(() => {
    ensureFixtureImages();
    c = runContainer({ image: FIXTURE_IMAGES.busybox, name: `isolens-nodocker-${suffix}`, cmd: ['sleep', '600'] });
  });
  after(() => removeContainer(c.id));

  it('still builds the /proc view, says why Docker is missing, and attributes containers by cgroup', async () => {
    const snap = await takeSnapshot(liveSources([new DockerEngine({ endpoint: 'unix:///nonexistent/docker.sock' })]));
    assert.ok(snap.processes.length > 10);
    const e = snap.engines[0];
    assert.equal(e?.available, false);
    assert.match(e?.error ?? '', /nonexistent\/docker\.sock/);
    assert.ok(snap.warnings.some((w) => w.includes('docker')), snap.warnings.join('\n'));
    const found = snap.containers.find((x) => x.id === c.id);
    assert.ok(found, 'the container is found from its cgroup path');
    assert.equal(found.engine, 'docker');
    assert.equal(found.name, c.id.slice(0, 12));
    assert.equal(found.image, null);
    assert.ok(found.pids.includes(c.pid));
  });
});
