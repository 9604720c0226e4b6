// systemd-nspawn (unregistered: no machined here) on a busybox tree, beside Docker and an unshare
// group: named as nspawn by process ancestry (the nspawn process's child in a new pid namespace),
// with its processes and the limits of the cgroup it was started in.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Snapshot } from '../../../shared/model';
import { defaultEngines } from '../../../electron/collector/engines/registry';
import { liveSources, takeSnapshot } from '../../../electron/collector/snapshot';
import { assertBeside, childOf, containerNamed, engineSkip, rmdirCgroup, sh, startBeside, waitFor, type Beside } from './side-by-side';

const MiB = 1024 * 1024;
const NAME = `isolens-nspawn-${process.pid}`;
const ROOT = `/tmp/${NAME}`;
const CGROUP = NAME;
const V1 = fs.existsSync('/sys/fs/cgroup/memory/cgroup.procs');
const MEMORY_DIR = V1 ? `/sys/fs/cgroup/memory/${CGROUP}` : `/sys/fs/cgroup/${CGROUP}`;

/** A busybox tree nspawn accepts: /usr must exist, /etc/os-release is checked. */
function buildTree(): void {
  for (const d of ['bin', 'usr', 'etc', 'proc', 'sys', 'dev', 'tmp', 'run', 'var']) fs.mkdirSync(path.join(ROOT, d), { recursive: true });
  fs.copyFileSync('/bin/busybox', path.join(ROOT, 'bin', 'busybox'));
  fs.chmodSync(path.join(ROOT, 'bin', 'busybox'), 0o755);
  for (const a of ['sh', 'sleep']) fs.symlinkSync('busybox', path.join(ROOT, 'bin', a));
  fs.writeFileSync(path.join(ROOT, 'etc', 'os-release'), 'ID=busybox\nNAME=busybox\n');
}

describe('systemd-nspawn containers', { skip: engineSkip(['systemd-nspawn']) || (fs.existsSync('/bin/busybox') ? false : 'no /bin/busybox') }, () => {
  let beside: Beside | undefined;
  let nspawn: ChildProcess | undefined;
  let init = 0;
  let snap: Snapshot;

  before(async () => {
    beside = await startBeside('nspawn');
    buildTree();
    // No systemd here to apply --property limits: start nspawn in a memory cgroup of our own.
    fs.mkdirSync(MEMORY_DIR, { recursive: true });
    fs.writeFileSync(path.join(MEMORY_DIR, V1 ? 'memory.limit_in_bytes' : 'memory.max'), String(40 * MiB));
    nspawn = spawn('sh', ['-c', `echo $$ > ${MEMORY_DIR}/cgroup.procs && exec systemd-nspawn --register=no --keep-unit -q --private-network -D ${ROOT} -M ${NAME} /bin/sh -c 'sleep 600 & sleep 600'`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    nspawn.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const pid = nspawn.pid;
    assert.ok(pid !== undefined);
    init = await waitFor(`nspawn's container init (${stderr})`, () => {
      const kid = childOf(pid);
      return kid !== undefined && childOf(kid) !== undefined ? kid : undefined;
    });
    snap = await takeSnapshot(liveSources(defaultEngines()));
  });

  after(async () => {
    if (init > 0) sh('kill', ['-KILL', String(init)]); // pid 1 of its namespace: nspawn exits with it
    if (nspawn && nspawn.exitCode === null) {
      const n = nspawn;
      await Promise.race([new Promise((r) => n.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
      n.kill('SIGKILL');
    }
    await new Promise((r) => setTimeout(r, 200));
    rmdirCgroup(CGROUP);
    rmdirCgroup('payload'); // nspawn --keep-unit splits the name=systemd cgroup it runs in
    rmdirCgroup('supervisor');
    fs.rmSync(ROOT, { recursive: true, force: true });
    beside?.stop();
  });

  it('lists nspawn as an available engine (no machined: found from /proc)', () => {
    const st = snap.engines.find((e) => e.name === 'nspawn');
    assert.equal(st?.available, true, st?.error ?? 'nspawn is listed');
  });

  it('names the container as nspawn with its init, its processes and its limits', () => {
    const c = containerNamed(snap, 'nspawn', NAME);
    assert.equal(c.id, `nspawn:${NAME}`);
    assert.equal(c.pid, init);
    assert.equal(c.image, ROOT);
    assert.equal(c.pids.length, 2, JSON.stringify(c.pids));
    assert.ok(c.pids.includes(init));
    assert.equal(c.limits.memoryBytes, 40 * MiB);
    assert.ok(!c.sharedWithHost.includes('pid') && !c.sharedWithHost.includes('net') && !c.sharedWithHost.includes('mnt'));
    assert.deepEqual(snap.processes.find((p) => p.pid === init)?.nspid.slice(-1), [1]);
  });

  it('does not count the nspawn process itself as a container process', () => {
    const c = containerNamed(snap, 'nspawn', NAME);
    assert.ok(nspawn?.pid !== undefined && !c.pids.includes(nspawn.pid));
    assert.equal(snap.processes.find((p) => p.pid === nspawn?.pid)?.containerId, null);
  });

  it('names the Docker container and the unshare group beside it', () => {
    assert.ok(beside);
    assertBeside(snap, beside);
  });
});
