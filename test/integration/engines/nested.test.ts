// A real docker-in-docker, unprivileged (--privileged cannot start in every sandbox: runc's
// "unable to apply caps" when the bounding set lacks CAP_SYS_RESOURCE): isolens/dind:test runs
// the host's own dockerd inside a container without network; an image is loaded into the inner
// engine and an inner container started. The inner engine must be found through /proc, its
// container named and imaged as the inner engine says, its init's host pid found through NSpid,
// and nested under the outer container. Then the same with a bare containerd in a container
// (as a kind node runs it), its container started with ctr.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ContainerInfo, Snapshot } from '../../../shared/model';
import { DockerEngine } from '../../../electron/collector/engines/docker';
import { NestedEngines } from '../../../electron/collector/engines/nested';
import { defaultEngines } from '../../../electron/collector/engines/registry';
import { liveSources, takeSnapshot } from '../../../electron/collector/snapshot';
import { docker, ensureFixtureImages, FIXTURE_IMAGES, imageExists, removeContainer, runContainer, TEST_LABEL, type TestContainer } from '../../helpers/docker';
import { inCI } from '../../helpers/require';
import { engineSkip, waitFor } from './side-by-side';

const DIND = 'isolens/dind:test';
const BUILD = path.resolve(__dirname, '..', '..', 'fixtures', 'images', 'build.sh');
const INNER_NAME = 'isolens-inner-hello';
/** Flags that let an engine run its containers without --privileged (test/fixtures/images/dind/Dockerfile). */
const UNPRIVILEGED_ENGINE = [
  '--cgroupns', 'private', '--cap-add', 'ALL', '--cap-drop', 'SYS_RESOURCE',
  '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined', '--tmpfs', '/run',
];
const DIND_FLAGS = [...UNPRIVILEGED_ENGINE, '--tmpfs', '/var/lib/docker:exec'];

/** Builds isolens/dind:test when missing; the reason when it cannot be had (no docker.io binaries). */
function dindImage(): string | null {
  if (imageExists(DIND)) return null;
  try {
    execFileSync('bash', [BUILD], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  } catch (e) {
    return `building ${DIND} failed: ${String((e as { stderr?: string }).stderr ?? e).trim()}`;
  }
  return imageExists(DIND) ? null : `${DIND} was not built (test/fixtures/images/build.sh: are dockerd, containerd and runc installed?)`;
}

/** The host pid whose status NSpid is [host, innerPid, …] and whose cgroup names the inner container: an oracle independent of nested.ts. */
function hostPidOf(innerId: string, innerPid: number): number | undefined {
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const nspid = /^NSpid:\s*(.*)$/m.exec(fs.readFileSync(`/proc/${name}/status`, 'utf8'))?.[1]?.trim().split(/\s+/).map(Number) ?? [];
      if (nspid.length >= 2 && nspid[1] === innerPid && fs.readFileSync(`/proc/${name}/cgroup`, 'utf8').includes(innerId)) return Number(name);
    } catch {
      // vanished
    }
  }
  return undefined;
}

describe('an engine running inside a container (docker-in-docker)', { skip: engineSkip([]), timeout: 240_000 }, () => {
  let outer: TestContainer | undefined;
  let sock = '';
  let innerId = '';
  let innerNsPid = 0;
  let snap: Snapshot;
  let skipWhy = 'no docker-in-docker';
  const inner = (args: string[]): string => docker(['-H', `unix://${sock}`, ...args]);

  before(async () => {
    ensureFixtureImages();
    const why = dindImage();
    if (why !== null) {
      if (inCI) throw new Error(`CI=true but ${why}`);
      skipWhy = why;
      return;
    }
    outer = runContainer({ image: DIND, name: `isolens-dind-${process.pid}`, args: DIND_FLAGS });
    sock = `/proc/${outer.pid}/root/var/run/docker.sock`;
    await waitFor('the inner dockerd', () => (inner(['version', '--format', '{{.Server.Version}}']).trim() || undefined), 60_000);
    // The inner engine has no network: the image comes from the host's engine.
    const tar = execFileSync('docker', ['save', FIXTURE_IMAGES.hello], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
    execFileSync('docker', ['-H', `unix://${sock}`, 'load'], { input: tar, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
    innerId = inner(['run', '-d', '--name', INNER_NAME, '--network', 'none', '--label', TEST_LABEL, FIXTURE_IMAGES.hello]).trim();
    innerNsPid = await waitFor('the inner container\'s pid', () => Number(inner(['inspect', '-f', '{{.State.Pid}}', innerId]).trim()) || undefined);
    // The registry's engines, with time limits a loaded machine meets: takeSnapshot reads /proc
    // synchronously while the engines answer, and 10,000 processes can take longer than 3 s.
    const engines = defaultEngines();
    assert.ok(engines.some((e) => e instanceof NestedEngines), 'the registry always holds the nested-engine scan');
    snap = await takeSnapshot(liveSources(engines.map((e) => (e instanceof NestedEngines ? new NestedEngines({ probeTimeoutMs: 30_000, listTimeoutMs: 60_000 })
      : e instanceof DockerEngine ? new DockerEngine({ probeTimeoutMs: 30_000, listTimeoutMs: 60_000 }) : e))));
  });

  after(() => {
    if (outer === undefined) return;
    try {
      inner(['rm', '-f', innerId || INNER_NAME]);
    } catch {
      // the outer container's removal takes it along
    }
    removeContainer(outer.id);
  });

  it('finds the inner engine with its own status and endpoint', (t) => {
    if (outer === undefined) return t.skip(skipWhy);
    const status = snap.engines.find((e) => e.name === `docker (inside ${outer?.id.slice(0, 12)})`);
    assert.ok(status, `engines: ${snap.engines.map((e) => e.name).join(', ')}`);
    assert.equal(status.available, true, status.error ?? '');
    assert.equal(status.endpoint, `unix://${sock}`);
    assert.match(status.version ?? '', /^\d+\.\d+/);
  });

  it('names the inner container as the inner engine does, with its image, its init\'s host pid, nested under the outer container', (t) => {
    if (outer === undefined) return t.skip(skipWhy);
    const c: ContainerInfo | undefined = snap.containers.find((x) => x.id === innerId);
    assert.ok(c, `containers: ${snap.containers.map((x) => `${x.engine}/${x.name}`).join(', ')}`);
    assert.equal(c.name, INNER_NAME);
    assert.equal(c.engine, 'docker');
    assert.equal(c.image, FIXTURE_IMAGES.hello);
    const hostPid = hostPidOf(innerId, innerNsPid);
    assert.ok(hostPid !== undefined && hostPid !== innerNsPid, `host pid of inner pid ${innerNsPid}`);
    assert.equal(c.pid, hostPid);
    assert.ok(c.pids.includes(hostPid));
    assert.equal(c.parentId, outer.id);
    const p = snap.processes.find((x) => x.pid === hostPid);
    assert.equal(p?.containerId, innerId);
    assert.equal(p?.nspid[1], innerNsPid);
    const o = snap.containers.find((x) => x.id === outer?.id);
    assert.equal(o?.name, outer.name, 'the outer container is the host engine\'s');
    assert.equal(o?.parentId ?? null, null);
  });

  it('the adapter alone: one report, the pid translated, tagged with the engine\'s process and the outer container', async (t) => {
    if (outer === undefined) return t.skip(skipWhy);
    const reports = await new NestedEngines({ probeTimeoutMs: 10_000, listTimeoutMs: 20_000 }).collectAll();
    const mine = reports.find((r) => r.containers.some((c) => c.id === innerId));
    assert.ok(mine, JSON.stringify(reports.map((r) => [r.status, r.containers.map((x) => [x.id, x.name, x.pid])])));
    const c = mine.containers.find((x) => x.id === innerId);
    assert.equal(c?.pid, hostPidOf(innerId, innerNsPid));
    assert.equal(c?.nestedIn?.containerId, outer.id);
    assert.equal(c?.nestedIn?.enginePid, outer.pid, 'dockerd is the outer container\'s init');
  });
});

describe('a bare containerd running inside a container', { skip: engineSkip(['ctr']), timeout: 240_000 }, () => {
  let outer: TestContainer | undefined;
  let skipWhy = 'no containerd-in-docker';
  let snap: Snapshot;
  const NS = 'isolens-it';
  const ID = 'isolens-inner-ctr';
  // busybox sh: remount the cgroup hierarchies read-write (as dind/entrypoint.sh does), then containerd.
  const ENTRY = 'mount -o remount,rw /sys/fs/cgroup; for m in $(cut -d" " -f5 /proc/self/mountinfo | grep "^/sys/fs/cgroup/"); do mount -o remount,rw,bind "$m"; done; exec containerd';

  before(async () => {
    ensureFixtureImages();
    const why = dindImage();
    if (why !== null) {
      if (inCI) throw new Error(`CI=true but ${why}`);
      skipWhy = why;
      return;
    }
    outer = runContainer({
      image: DIND, name: `isolens-ctrd-${process.pid}`,
      args: [...UNPRIVILEGED_ENGINE, '--tmpfs', '/var/lib/containerd:exec', '--entrypoint', '/bin/sh'], cmd: ['-c', ENTRY],
    });
    const sockPath = `/proc/${outer.pid}/root/run/containerd/containerd.sock`;
    await waitFor('the inner containerd', () => (fs.existsSync(sockPath) ? true : undefined), 60_000);
    // Imported from the host through the socket; run from inside (ctr run mounts the rootfs where it runs).
    const tar = execFileSync('docker', ['save', FIXTURE_IMAGES.hello], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
    execFileSync('ctr', ['--address', sockPath, '-n', NS, 'images', 'import', '--snapshotter', 'native', '-'], { input: tar, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
    docker(['cp', '-L', '/usr/bin/ctr', `${outer.id}:/usr/bin/ctr`]);
    docker(['exec', outer.id, 'ctr', '-n', NS, 'run', '-d', '--null-io', '--snapshotter', 'native', '--label', TEST_LABEL, `docker.io/${FIXTURE_IMAGES.hello}`, ID]);
    const engines = defaultEngines().map((e) => (e instanceof NestedEngines ? new NestedEngines({ probeTimeoutMs: 30_000, listTimeoutMs: 60_000 })
      : e instanceof DockerEngine ? new DockerEngine({ probeTimeoutMs: 30_000, listTimeoutMs: 60_000 }) : e));
    snap = await takeSnapshot(liveSources(engines));
  });

  after(() => {
    if (outer !== undefined) removeContainer(outer.id);
  });

  it('lists its container with its pid translated, its processes taken from the outer container, nested under it', (t) => {
    if (outer === undefined) return t.skip(skipWhy);
    const status = snap.engines.find((e) => e.name === `containerd (inside ${outer?.id.slice(0, 12)})`);
    assert.ok(status, `engines: ${snap.engines.map((e) => e.name).join(', ')}`);
    assert.equal(status.available, true, status.error ?? '');
    assert.equal(status.endpoint, `unix:///proc/${outer.pid}/root/run/containerd/containerd.sock`);
    const c = snap.containers.find((x) => x.engine === 'containerd' && x.name === ID);
    assert.ok(c, `containers: ${snap.containers.map((x) => `${x.engine}/${x.name}`).join(', ')}`);
    assert.equal(c.image, `docker.io/${FIXTURE_IMAGES.hello}`);
    const nsPid = Number(/^\S+\s+(\d+)\s+RUNNING/m.exec(docker(['exec', outer.id, 'ctr', '-n', NS, 'tasks', 'ls']))?.[1]);
    const hostPid = hostPidOf(ID, nsPid);
    assert.ok(hostPid !== undefined && hostPid !== nsPid, `host pid of inner pid ${nsPid}`);
    assert.equal(c.pid, hostPid);
    assert.deepEqual(c.pids, [hostPid]);
    assert.equal(c.parentId, outer.id);
    assert.ok(!snap.containers.find((x) => x.id === outer?.id)?.pids.includes(hostPid), 'not a process of the outer container');
  });
});
