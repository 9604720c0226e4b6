// Podman beside Docker and an unshare group: named as podman through its API service, and from
// its cgroup path (libpod-<id>) and Podman's storage (containers.json) when the service is not running.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Snapshot } from '../../../shared/model';
import { DockerEngine } from '../../../electron/collector/engines/docker';
import { PODMAN_ROOT_SOCKET, PodmanEngine } from '../../../electron/collector/engines/podman';
import { defaultEngines } from '../../../electron/collector/engines/registry';
import { liveSources, takeSnapshot } from '../../../electron/collector/snapshot';
import { FIXTURE_IMAGES } from '../../helpers/docker';
import { assertBeside, containerNamed, engineSkip, rmdirCgroup, sh, shQuiet, startBeside, waitFor, type Beside } from './side-by-side';

const MiB = 1024 * 1024;
const NAME = `isolens-podman-${process.pid}`;
const IMAGE = `localhost/${FIXTURE_IMAGES.busybox}`;
// The default rlimits podman asks for are refused in some VMs: ask for small ones.
const RUN = ['run', '-d', '--name', NAME, '--label', 'isolens.test=1', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024',
  '--memory', '48m', '--pids-limit', '40', '--cpus', '0.5', IMAGE, 'sh', '-c', 'sleep 600 & sleep 600'];

/** Loads isolens/busybox:test into podman from dockerd (docker save | podman load) unless it is there. */
function ensurePodmanImage(): void {
  try {
    sh('podman', ['image', 'exists', IMAGE]);
    return;
  } catch {
    // not yet
  }
  sh('sh', ['-c', `docker save ${FIXTURE_IMAGES.busybox} | podman load -q`], 120_000);
}

describe('Podman containers', { skip: engineSkip(['podman']) }, () => {
  let beside: Beside | undefined;
  let id = '';
  let pid = 0;
  let service: ChildProcess | undefined;
  let withoutService: Snapshot;
  let withService: Snapshot;

  before(async () => {
    beside = await startBeside('podman');
    ensurePodmanImage();
    id = sh('podman', RUN).trim();
    pid = Number(sh('podman', ['inspect', '--format', '{{.State.Pid}}', id]).trim());
    // Without the API service: a socket that does not exist.
    withoutService = await takeSnapshot(liveSources([new DockerEngine(), new PodmanEngine({ socket: '/nonexistent/podman.sock' })]));
    if (!fs.existsSync(PODMAN_ROOT_SOCKET)) {
      fs.mkdirSync('/run/podman', { recursive: true });
      service = spawn('podman', ['system', 'service', '--time=0', `unix://${PODMAN_ROOT_SOCKET}`], { stdio: 'ignore' });
      await waitFor('the podman API socket', () => (fs.existsSync(PODMAN_ROOT_SOCKET) ? true : undefined));
    }
    withService = await takeSnapshot(liveSources(defaultEngines()));
  });

  after(() => {
    shQuiet('podman', ['rm', '-f', '-t', '0', NAME]);
    rmdirCgroup('libpod_parent/conmon'); // podman's cgroupfs parents, when no other podman container uses them
    rmdirCgroup('libpod_parent');
    service?.kill('SIGTERM');
    if (service) shQuiet('rm', ['-f', PODMAN_ROOT_SOCKET]);
    beside?.stop();
  });

  it('names the container as podman with its name, image, processes and limits (API service)', () => {
    const st = withService.engines.find((e) => e.name === 'podman');
    assert.equal(st?.available, true, st?.error ?? 'podman is listed');
    const c = containerNamed(withService, 'podman', NAME);
    assert.equal(c.id, id);
    assert.equal(c.image, IMAGE);
    assert.equal(c.pid, pid);
    assert.equal(c.pids.length, 2, `two sleeps (sh execs the last one): ${JSON.stringify(c.pids)}`);
    assert.deepEqual({ memory: c.limits.memoryBytes, pids: c.limits.pidsMax, cpus: c.limits.cpus }, { memory: 48 * MiB, pids: 40, cpus: 0.5 });
    assert.ok(!c.sharedWithHost.includes('net') && !c.sharedWithHost.includes('pid'));
    assert.deepEqual(c.config?.capDrop, ['AUDIT_WRITE', 'MKNOD', 'NET_RAW']);
  });

  it('still names it podman without the service: found by its cgroup path (libpod-<id>), named from Podman\'s storage', () => {
    const st = withoutService.engines.find((e) => e.name === 'podman');
    assert.equal(st?.available, false);
    assert.match(st?.error ?? '', /podman/);
    const c = withoutService.containers.find((x) => x.id === id);
    assert.ok(c, 'found by cgroup path');
    assert.equal(c.engine, 'podman');
    assert.equal(c.name, NAME);
    assert.equal(c.image, IMAGE);
    assert.equal(c.pod, null, 'in no pod');
    assert.equal(c.limits.memoryBytes, 48 * MiB);
    assert.ok(c.pids.includes(pid));
  });

  it('names the Docker container and the unshare group beside it', () => {
    assert.ok(beside);
    assertBeside(withService, beside);
  });
});
