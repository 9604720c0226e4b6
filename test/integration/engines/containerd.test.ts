// A container run straight on containerd (`ctr run`, its own containerd namespace, no CNI so no
// network) beside Docker and an unshare group: named as containerd, with its processes and limits.
// Debian's containerd package does not start a daemon of its own without systemd: the test uses the
// containerd that dockerd manages (/run/docker/containerd/containerd.sock), or the system one.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Snapshot } from '../../../shared/model';
import { CONTAINERD_SOCKETS, ContainerdEngine, existingContainerdSockets } from '../../../electron/collector/engines/containerd';
import { defaultEngines } from '../../../electron/collector/engines/registry';
import { liveSources, takeSnapshot } from '../../../electron/collector/snapshot';
import { FIXTURE_IMAGES } from '../../helpers/docker';
import { inCI } from '../../helpers/require';
import { assertBeside, containerNamed, engineSkip, rmdirCgroup, sh, shQuiet, startBeside, waitFor, type Beside } from './side-by-side';

const MiB = 1024 * 1024;
const NS = `isolens-it-${process.pid}`;
const ID = 'isolens-ctr';
const IMAGE = `docker.io/${FIXTURE_IMAGES.busybox}`;

function socketSkip(): string | false {
  if (existingContainerdSockets(CONTAINERD_SOCKETS).length > 0) return false;
  const why = `no containerd socket (${CONTAINERD_SOCKETS.join(', ')})`;
  if (inCI) throw new Error(`CI=true but ${why}`);
  return why;
}

describe('containerd containers (ctr)', { skip: engineSkip(['ctr']) || socketSkip() }, () => {
  let beside: Beside | undefined;
  let socket = '';
  let pid = 0;
  let snap: Snapshot;
  const ctr = (...args: string[]): string => sh('ctr', ['--address', socket, '--namespace', NS, ...args]);

  before(async () => {
    beside = await startBeside('ctr');
    socket = existingContainerdSockets(CONTAINERD_SOCKETS)[0] ?? '';
    sh('sh', ['-c', `docker save ${FIXTURE_IMAGES.busybox} | ctr --address ${socket} --namespace ${NS} images import -`], 120_000);
    ctr('run', '-d', '--memory-limit', String(56 * MiB), '--cpus', '0.25', '--label', 'isolens.test=1', IMAGE, ID, 'sh', '-c', 'sleep 600 & sleep 600');
    pid = await waitFor('the ctr task pid', () => {
      const row = ctr('tasks', 'ls').split('\n').find((l) => l.startsWith(`${ID} `));
      const p = Number(row?.trim().split(/\s+/)[1]);
      return p > 0 ? p : undefined;
    });
    await waitFor('the second sleep', () => (fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim() !== '' ? true : undefined));
    snap = await takeSnapshot(liveSources(defaultEngines()));
  });

  after(async () => {
    if (socket !== '') {
      shQuiet('ctr', ['--address', socket, '--namespace', NS, 'tasks', 'kill', '-s', 'SIGKILL', ID]);
      await new Promise((r) => setTimeout(r, 300));
      shQuiet('ctr', ['--address', socket, '--namespace', NS, 'tasks', 'rm', '-f', ID]);
      shQuiet('ctr', ['--address', socket, '--namespace', NS, 'containers', 'rm', ID]);
      shQuiet('ctr', ['--address', socket, '--namespace', NS, 'images', 'rm', IMAGE]);
      // The namespace can be removed once containerd's garbage collector has dropped its content.
      for (let i = 0; i < 20; i++) {
        try {
          sh('ctr', ['--address', socket, 'namespaces', 'rm', NS]);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      rmdirCgroup(`${NS}/${ID}`);
      rmdirCgroup(NS);
    }
    beside?.stop();
  });

  it('lists containerd as an available engine at the socket it found', () => {
    const st = snap.engines.find((e) => e.name === 'containerd' && e.endpoint === `unix://${socket}`);
    assert.equal(st?.available, true, st?.error ?? 'containerd is listed');
    assert.ok(st?.version);
  });

  it('names the ctr container as containerd with its namespace, image, processes and limits', () => {
    const c = containerNamed(snap, 'containerd', ID);
    assert.equal(c.id, `containerd:${NS}/${ID}`);
    assert.equal(c.image, IMAGE);
    assert.equal(c.pid, pid);
    assert.equal(c.pids.length, 2, JSON.stringify(c.pids));
    assert.equal(c.labels['containerd.namespace'], NS);
    assert.equal(c.limits.memoryBytes, 56 * MiB);
    assert.equal(c.limits.cpus, 0.25);
    assert.ok(!c.sharedWithHost.includes('net'), 'ctr without --net-host makes a network namespace with only loopback');
    for (const p of c.pids) assert.equal(snap.processes.find((x) => x.pid === p)?.containerId, c.id);
  });

  it('does not report Docker\'s containers twice (the moby namespace is skipped)', () => {
    assert.ok(beside);
    const dockerId = beside.docker.id;
    assert.equal(snap.containers.filter((c) => c.id === dockerId || c.name === dockerId).length, 1);
    assert.equal(snap.containers.filter((c) => c.engine === 'containerd' && c.labels['containerd.namespace'] === 'moby').length, 0);
  });

  it('asks ctr for a running task\'s container info once, the version once, while relisting', async () => {
    // The real ctr behind a wrapper that logs each call (less --address).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-ctr-log-'));
    const log = path.join(dir, 'calls');
    const wrapper = path.join(dir, 'ctr');
    fs.writeFileSync(wrapper, `#!/bin/sh\nshift 2\necho "$*" >> ${log}\nexec ctr --address ${socket} "$@"\n`, { mode: 0o755 });
    try {
      const engine = new ContainerdEngine({ socket, ctr: wrapper });
      for (let i = 0; i < 3; i++) {
        assert.equal((await engine.probe()).available, true);
        const mine = (await engine.listContainers()).find((c) => c.id === `containerd:${NS}/${ID}`);
        assert.equal(mine?.pid, pid);
      }
      const calls = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
      assert.equal(calls.filter((c) => c === 'version').length, 1, calls.join('; '));
      assert.equal(calls.filter((c) => c === `--namespace ${NS} containers info ${ID}`).length, 1, calls.join('; '));
      assert.equal(calls.filter((c) => c === 'namespaces ls -q').length, 3, 'every relist still lists namespaces and tasks');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the Docker container and the unshare group beside it', () => {
    assert.ok(beside);
    assertBeside(snap, beside);
  });
});
