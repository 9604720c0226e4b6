// An LXC container (lxc-create -t busybox, offline) beside Docker and an unshare group: named as
// lxc by its monitor and cgroup path (lxc.payload.NAME), with its processes, limits and config.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Snapshot } from '../../../shared/model';
import { defaultEngines } from '../../../electron/collector/engines/registry';
import { liveSources, takeSnapshot } from '../../../electron/collector/snapshot';
import { assertBeside, containerNamed, engineSkip, rmdirCgroup, sh, shQuiet, startBeside, waitFor, type Beside } from './side-by-side';

const MiB = 1024 * 1024;
const NAME = `isolens-lxc-${process.pid}`;
const CONFIG = `/var/lib/lxc/${NAME}/config`;
const V1 = fs.existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes') || fs.existsSync('/sys/fs/cgroup/memory/cgroup.procs');

/** The template's config with no network device (only loopback), unconfined AppArmor, and limits. */
function rewriteConfig(): void {
  const lines = fs.readFileSync(CONFIG, 'utf8').split('\n').filter((l) => !/^lxc\.net\.0\.|^lxc\.apparmor\./.test(l));
  lines.push('lxc.net.0.type = empty', 'lxc.apparmor.profile = unconfined');
  lines.push(V1 ? 'lxc.cgroup.memory.limit_in_bytes = 50331648' : 'lxc.cgroup2.memory.max = 50331648');
  lines.push(V1 ? 'lxc.cgroup.pids.max = 33' : 'lxc.cgroup2.pids.max = 33');
  fs.writeFileSync(CONFIG, lines.join('\n') + '\n');
}

describe('LXC containers', { skip: engineSkip(['lxc-create', 'lxc-start', 'lxc-info']) }, () => {
  let beside: Beside | undefined;
  let init = 0;
  let snap: Snapshot;

  before(async () => {
    beside = await startBeside('lxc');
    sh('lxc-create', ['-t', 'busybox', '-n', NAME]);
    rewriteConfig();
    sh('lxc-start', ['-n', NAME, '-d']);
    init = await waitFor('the LXC init pid', () => {
      const out = sh('lxc-info', ['-n', NAME, '-p', '-H']).trim();
      return /^\d+$/.test(out) ? Number(out) : undefined;
    });
    // busybox init starts its getty/syslogd children right away; give it a moment to fork them.
    await waitFor('init\'s children', () => (fs.readFileSync(`/proc/${init}/task/${init}/children`, 'utf8').trim() !== '' ? true : undefined));
    snap = await takeSnapshot(liveSources(defaultEngines()));
  });

  after(() => {
    shQuiet('lxc-stop', ['-k', '-n', NAME]);
    shQuiet('lxc-destroy', ['-f', '-n', NAME]);
    rmdirCgroup('lxc.pivot'); // LXC leaves this empty helper cgroup behind
    beside?.stop();
  });

  it('lists LXC as an available engine', () => {
    const st = snap.engines.find((e) => e.name === 'lxc');
    assert.equal(st?.available, true, st?.error ?? 'lxc is listed');
    assert.ok(st?.version);
  });

  it('names the container as lxc with its init, its processes and its limits', () => {
    const c = containerNamed(snap, 'lxc', NAME);
    assert.equal(c.id, `lxc:${NAME}`);
    assert.equal(c.pid, init);
    assert.ok(c.pids.includes(init) && c.pids.length >= 2, JSON.stringify(c.pids));
    assert.match(c.cgroup ?? '', new RegExp(`lxc\\.payload\\.${NAME}`));
    assert.equal(c.limits.memoryBytes, 48 * MiB);
    assert.equal(c.limits.pidsMax, 33);
    for (const p of c.pids) assert.equal(snap.processes.find((x) => x.pid === p)?.containerId, c.id);
  });

  it('reads its config: no network device, host user namespace (no lxc.idmap), the template\'s cap drops', () => {
    const c = containerNamed(snap, 'lxc', NAME);
    assert.equal(c.config?.namespaceModes.net, 'none');
    assert.equal(c.config?.namespaceModes.user, 'host');
    assert.ok(c.config?.capDrop.includes('SYS_MODULE'));
    assert.ok(c.sharedWithHost.includes('user'));
    assert.ok(!c.sharedWithHost.includes('net') && !c.sharedWithHost.includes('pid'));
  });

  it('does not count the LXC monitor as a container process', () => {
    const c = containerNamed(snap, 'lxc', NAME);
    const monitor = snap.processes.find((p) => p.cmdline.join(' ') === `[lxc monitor] /var/lib/lxc ${NAME}`);
    assert.ok(monitor);
    assert.ok(!c.pids.includes(monitor.pid));
  });

  it('names the Docker container and the unshare group beside it', () => {
    assert.ok(beside);
    assertBeside(snap, beside);
  });
});
