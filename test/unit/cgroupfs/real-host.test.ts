// One check against this machine's real cgroupfs: a container started with known limits must read back as them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attributeCgroupPath } from '../../../electron/collector/cgroupfs/attribution';
import { readLimits } from '../../../electron/collector/cgroupfs/limits';
import { readCgroupMounts } from '../../../electron/collector/cgroupfs/mounts';
import { readUsage } from '../../../electron/collector/cgroupfs/usage';
import { dockerSkip, isRoot, requireOrSkip } from '../../helpers/require';
import { membershipsFromText } from './fixture-trees';

const IMAGE = 'isolens-fx/busybox:cgroupfs';

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).trim();
}

/** Makes a one-binary busybox image from the host's /bin/busybox when it is not there yet (no registry needed). */
function ensureImage(): void {
  try {
    docker('image', 'inspect', IMAGE);
    return;
  } catch {
    // build it below
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-bb-'));
  try {
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.copyFileSync('/bin/busybox', path.join(dir, 'bin', 'busybox'));
    fs.chmodSync(path.join(dir, 'bin', 'busybox'), 0o755);
    for (const applet of ['sh', 'sleep']) fs.symlinkSync('busybox', path.join(dir, 'bin', applet));
    const tar = execFileSync('tar', ['-C', dir, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
    execFileSync('docker', ['import', '-', IMAGE], { input: tar, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('cgroupfs readers on this machine (real dockerd, needs root)', { skip: dockerSkip() }, () => {
  let id = '';
  let pid = 0;

  before(() => {
    if (!isRoot) return;
    ensureImage();
    id = docker('run', '-d', '--network', 'none', '--label', 'isolens.test=1', '--memory', '64m', '--cpus', '0.5',
      '--pids-limit', '50', '--cpuset-cpus', '0', IMAGE, 'sleep', '1000');
    pid = Number(docker('inspect', '-f', '{{.State.Pid}}', id));
  });

  after(() => {
    if (id !== '') docker('rm', '-f', id);
  });

  it('reads back --memory 64m --cpus 0.5 --pids-limit 50 --cpuset-cpus 0', (t) => {
    if (!requireOrSkip(t, isRoot, 'needs root (docker socket, /proc/PID/cgroup of a root container)')) return;
    const memberships = membershipsFromText(fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
    const mounts = readCgroupMounts('/proc');
    const warnings: string[] = [];
    const limits = readLimits(mounts, memberships, warnings);
    assert.deepEqual(warnings, []);
    // On a one-CPU host, CPU 0 is all the CPUs there are: no restriction.
    const oneCpu = os.cpus().length === 1;
    assert.deepEqual(limits, { memoryBytes: 67108864, cpus: 0.5, pidsMax: 50, cpuset: oneCpu ? null : '0' });
  });

  it('attributes the container cgroup to docker with its full id', (t) => {
    if (!requireOrSkip(t, isRoot, 'needs root (docker socket)')) return;
    const memberships = membershipsFromText(fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
    const line = memberships.find((m) => m.controllers.includes('memory')) ?? memberships.find((m) => m.hierarchyId === 0);
    assert.ok(line, 'a memory or v2 line');
    const got = attributeCgroupPath(line.path);
    assert.equal(got?.engine, 'docker');
    assert.equal(got?.id, id);
  });

  it('samples usage: the sleeping process is counted, the limits match', (t) => {
    if (!requireOrSkip(t, isRoot, 'needs root (docker socket)')) return;
    const memberships = membershipsFromText(fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
    const usage = readUsage(readCgroupMounts('/proc'), memberships);
    assert.ok(usage.memory, 'memory controller readable');
    assert.equal(usage.memory.limitBytes, 67108864);
    assert.ok(usage.memory.usageBytes > 0 && usage.memory.usageBytes <= 67108864);
    assert.ok(usage.cpu, 'cpu readable');
    assert.equal(usage.cpu.quotaCores, 0.5);
    assert.ok((usage.cpu.usageNanos ?? 0) > 0);
    assert.deepEqual(usage.pids, { current: 1, max: 50 });
  });
});
