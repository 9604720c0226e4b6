import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Delta } from '../../shared/delta';
import type { EngineStatus, Snapshot } from '../../shared/model';
import { DockerEngine } from '../../electron/collector/engines/docker';
import { CollectorService } from '../../electron/collector/service/collector-service';
import { findTableHelper } from '../../electron/collector/discover/full-read';
import { readProcess } from '../../electron/collector/procfs/process';
import type { EngineAdapter } from '../../electron/collector/engines/types';
import { docker, FIXTURE_IMAGES, ensureFixtureImages, removeContainer, runContainer, type TestContainer } from '../helpers/docker';
import { PRIVATE_RUN_FLAGS, privateDockerdSkip, startPrivateDockerd, type PrivateDockerd } from '../helpers/private-dockerd';
import { dockerSkip, inCI, isRoot } from '../helpers/require';
import { openFdTargets } from '../helpers/fds';
import { waitFor } from '../helpers/wait';

const MiB = 1024 * 1024;
const rootSkip = (): string | false => (isRoot ? false : inCI ? (() => { throw new Error('CI=true but not root'); })() : 'needs root');

describe('live service on the real Docker engine', { skip: dockerSkip() || rootSkip() }, () => {
  const started: TestContainer[] = [];
  before(() => ensureFixtureImages());
  after(() => {
    for (const c of started) removeContainer(c.id);
  });

  it('shows a new container from Docker\'s start event, long before the next poll tick', async () => {
    const service = new CollectorService({ engines: [new DockerEngine()], lsns: null, intervalMs: 60_000, figuresMs: 0 });
    await service.start();
    try {
      const deltas: { at: number; d: Delta }[] = [];
      service.on('delta', (d) => deltas.push({ at: Date.now(), d }));
      const t0 = Date.now();
      const c = runContainer({ image: FIXTURE_IMAGES.busybox, name: `isolens-event-${process.pid}`, cmd: ['sleep', '600'] });
      started.push(c);
      const hit = await waitFor('a delta adding the container', () => deltas.find((x) => x.d.added.containers.some((a) => a.id === c.id)), 10_000);
      const added = hit.d.added.containers.find((a) => a.id === c.id);
      assert.equal(added?.name, c.name);
      assert.equal(added?.pid, c.pid);
      const ms = hit.at - t0;
      assert.ok(ms < 5_000, `seen ${ms} ms after docker run (the poll interval is 60 s)`);
      console.log(`# new container in the stream ${ms} ms after docker run started (includes docker run itself)`);
      removeContainer(c.id);
      const marked = await waitFor('a delta marking the container exited', () => deltas.find((x) => x.d.updated.containers.some((u) => u.id === c.id && u.state === 'exited')), 10_000);
      const gone = await waitFor('a delta removing the container', () => deltas.find((x) => x.d.removed.containers.includes(c.id)), 15_000);
      assert.ok(gone.at - marked.at >= 3_000, 'it stays marked for a few seconds before it is removed');
    } finally {
      await service.stop();
    }
  });

  it('answers cgroup:get for any process and image:analyze for a container, on demand', async () => {
    const c = runContainer({ image: FIXTURE_IMAGES.hello, name: `isolens-ondemand-${process.pid}`, args: ['--memory', '64m'] });
    started.push(c);
    const service = new CollectorService({ engines: [new DockerEngine()], lsns: null, intervalMs: 60_000, figuresMs: 0 });
    await service.start();
    try {
      const report = await service.invoke('cgroup:get', c.pid);
      assert.equal(report.limits.memoryBytes, 64 * MiB);
      assert.ok((report.usage.memoryBytes ?? 0) > 0);
      assert.match(report.path ?? '', new RegExp(c.id));
      const analysis = await service.invoke('image:analyze', c.id);
      const files = analysis.layers.flatMap((l) => l.changes.filter((ch) => ch.kind === 'added').map((ch) => ch.path.replace(/^\/+/, '')));
      assert.ok(files.includes('hello'), `the scratch image's one file is in its layer: ${files.join(', ')}`);
      assert.equal(analysis.efficiency, 1, 'nothing overwritten or removed');
      await assert.rejects(service.invoke('image:analyze', 'no-such-container'), /no running Docker container/);
    } finally {
      await service.stop();
      removeContainer(c.id);
    }
  });

  it('reads stat only for watched processes between full passes: an exec is seen where someone looks', async () => {
    const a = runContainer({ image: FIXTURE_IMAGES.busybox, name: `isolens-exec-a-${process.pid}`, cmd: ['sh', '-c', 'sleep 2; exec sleep 600'] });
    const b = runContainer({ image: FIXTURE_IMAGES.busybox, name: `isolens-exec-b-${process.pid}`, cmd: ['sh', '-c', 'sleep 2; exec sleep 600'] });
    started.push(a, b);
    const service = new CollectorService({ engines: [new DockerEngine()], lsns: null, intervalMs: 300, resyncMs: 600_000, figuresMs: 0 });
    await service.start();
    try {
      service.setView('test-viewer', { pids: [a.pid], containerId: null });
      const comm = (pid: number): string | undefined => service.current().snapshot.processes.find((p) => p.pid === pid)?.comm;
      assert.equal(comm(a.pid), 'sh');
      await waitFor('the watched process\'s exec', () => comm(a.pid) === 'sleep', 10_000);
      assert.equal(comm(b.pid), 'sh', 'the unwatched one is not re-read until the next full pass');
    } finally {
      await service.stop();
      removeContainer(a.id);
      removeContainer(b.id);
    }
  });

  it('steady ticks reuse the discovery passes, yet a `docker update --memory` shows on the next tick (its cgroup files kept open)', async () => {
    const c = runContainer({ image: FIXTURE_IMAGES.busybox, name: `isolens-update-${process.pid}`, args: ['--memory', '64m'], cmd: ['sleep', '600'] });
    started.push(c);
    // Docker without its event stream: the update below reaches the service only through cgroupfs.
    const engine = new DockerEngine();
    const quiet: EngineAdapter = { kind: engine.kind, endpoint: engine.endpoint, probe: () => engine.probe(), listContainers: () => engine.listContainers() };
    const service = new CollectorService({ engines: [quiet], lsns: null, intervalMs: 60_000, resyncMs: 600_000, figuresMs: 0 });
    await service.start();
    try {
      const limit = (snap: Snapshot): number | null | undefined => snap.containers.find((x) => x.id === c.id)?.limits.memoryBytes;
      assert.equal(limit(service.current().snapshot), 64 * MiB);
      // Other processes on the host may come and go between two ticks; a quiet pair shows the reuse.
      let reused = 0;
      for (let attempt = 0; attempt < 10 && reused < 2; attempt++) {
        const mib = 96 + attempt * 8;
        const before = service.current().snapshot;
        docker(['update', '--memory', `${mib}m`, '--memory-swap', `${2 * mib}m`, c.id]);
        await service.tickNow();
        const after = service.current().snapshot;
        assert.equal(limit(after), mib * MiB, 'limits are read from cgroupfs every tick');
        if (after.processes !== before.processes) continue;
        assert.equal(after.namespaces, before.namespaces, 'the same namespace list too');
        reused++;
      }
      assert.equal(reused, 2, 'nothing changed between two ticks: the same process list, not rebuilt, with the new limit');
      // The limit was read from a file kept open across ticks (pread from offset 0 renders it anew).
      const limitFiles = (): string[] => openFdTargets().filter((t) => t.includes(c.id) && /\/memory\.(limit_in_bytes|max)$/.test(t));
      assert.equal(limitFiles().length, 1, openFdTargets().filter((t) => t.includes(c.id)).join('\n'));
      // The container gone, its kept cgroup files are closed within two ticks.
      removeContainer(c.id);
      await service.tickNow();
      await service.tickNow();
      assert.deepEqual(openFdTargets().filter((t) => t.includes(c.id)), []);
    } finally {
      await service.stop();
      removeContainer(c.id);
    }
  });

  it('a container no engine lists (found by its cgroup path) has its rootfs walked once, not at every full pass', async () => {
    const c = runContainer({ image: FIXTURE_IMAGES.hello, name: `isolens-unlisted-${process.pid}` });
    started.push(c);
    // No engine: the container is known from its cgroup path only. Every tick is a full pass.
    const service = new CollectorService({ engines: [], lsns: null, intervalMs: 60_000, resyncMs: 0, figuresMs: 0 });
    await service.start();
    try {
      const rootfs = (): unknown => service.current().snapshot.containers.find((x) => x.id === c.id)?.rootfs;
      await waitFor('its rootfs', () => rootfs() !== undefined, 10_000);
      // Before the fix, each full pass forgot it (pruned to the engines' list), walked it again and asked for another tick: tickNow never settled.
      const done = await Promise.race([service.tickNow().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
      assert.equal(done, true, 'a full-pass tick settles');
      assert.notEqual(rootfs(), undefined);
    } finally {
      await service.stop();
      removeContainer(c.id);
    }
  });

  it('full passes read the table with isolens-table: a container started between them is there, its init as Node reads it', async (t) => {
    const binary = findTableHelper();
    if (binary === null) {
      if (inCI) throw new Error('CI=true but dist/native/isolens-table is not built');
      t.skip('dist/native/isolens-table is not built (npm run build)');
      return;
    }
    const logs: string[] = [];
    // Every tick is a full pass, read by isolens-table at any size.
    const service = new CollectorService({ engines: [new DockerEngine()], lsns: null, intervalMs: 60_000, resyncMs: 0, figuresMs: 0, fullRead: { binary, minProcesses: 0 }, log: (l) => logs.push(l) });
    await service.start();
    const c = runContainer({ image: FIXTURE_IMAGES.busybox, name: `isolens-fullread-${process.pid}`, cmd: ['sleep', '600'] });
    started.push(c);
    try {
      await service.tickNow();
      const snap = service.current().snapshot;
      const init = snap.processes.find((p) => p.pid === c.pid);
      assert.ok(init, `the container's init ${c.pid} is in the table`);
      assert.deepEqual(init.nspid, [c.pid, 1]);
      assert.equal(init.containerId, c.id);
      const node = readProcess('/proc', c.pid);
      assert.ok(!(node instanceof Error));
      assert.deepEqual(init.namespaces, node.namespaces);
      assert.deepEqual(init.cmdline, ['sleep', '600']);
      assert.ok(snap.processes.some((p) => p.pid === process.pid), 'this test\'s own process too');
      assert.deepEqual(logs.filter((l) => l.includes('isolens-table')), [], 'the helper did not fail');
    } finally {
      await service.stop();
      removeContainer(c.id);
    }
  });

  it('a --cpus 0.5 busy loop uses about half a core and is throttled', async () => {
    const c = runContainer({ image: FIXTURE_IMAGES.hello, name: `isolens-spin-${process.pid}`, args: ['--cpus', '0.5'], cmd: ['spin'] });
    started.push(c);
    const service = new CollectorService({ engines: [new DockerEngine()], lsns: null, intervalMs: 500, figuresMs: 0 });
    await service.start();
    try {
      const samples = await waitFor('8 usage samples', () => {
        const h = service.historyOf(c.id);
        return h.length >= 8 ? h : undefined;
      }, 15_000);
      const recent = samples.slice(-6).map((s) => s.cpuCores).filter((x): x is number => x !== null);
      const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
      // Unthrottled, the spin would use a whole core; a busy machine may give it less than its quota.
      assert.ok(mean > 0.3 && mean < 0.7, `mean CPU ${mean.toFixed(2)} cores (quota 0.5)`);
      assert.equal(samples.at(-1)?.cpuQuotaCores, 0.5);
      const first = samples[1]?.throttledPeriods ?? 0;
      const last = samples.at(-1)?.throttledPeriods ?? 0;
      assert.ok(last > first, `throttled periods rise: ${first} → ${last}`);
      assert.ok((samples.at(-1)?.throttledMs ?? 0) > 0);
    } finally {
      await service.stop();
      removeContainer(c.id);
    }
  });

  it('a --memory 32m container that allocates past its limit shows OOM kills', async () => {
    const c = runContainer({
      image: FIXTURE_IMAGES.busybox, name: `isolens-oom-${process.pid}`, args: ['--memory', '32m', '--memory-swap', '32m'],
      // The allocating subshell volunteers to be the OOM victim, so the container's init survives.
      cmd: ['sh', '-c', 'while :; do (echo 1000 > /proc/self/oom_score_adj; x=$(head -c 48m /dev/zero | tr "\\0" a)); sleep 1; done'],
    });
    started.push(c);
    const service = new CollectorService({ engines: [new DockerEngine()], lsns: null, intervalMs: 500, figuresMs: 0 });
    await service.start();
    try {
      const s = await waitFor('an OOM kill in the usage samples', () => service.historyOf(c.id).find((x) => (x.oomKills ?? 0) >= 1), 15_000);
      assert.equal(s.memoryLimitBytes, 32 * MiB);
      const container = service.current().snapshot.containers.find((x) => x.id === c.id);
      assert.equal(container?.limits.memoryBytes, 32 * MiB);
    } finally {
      await service.stop();
      removeContainer(c.id);
    }
  });
});

describe('live service when dockerd stops and starts again', { skip: privateDockerdSkip() }, () => {
  let pd: PrivateDockerd;
  before(async () => {
    ensureFixtureImages();
    pd = await startPrivateDockerd();
  });
  after(async () => {
    await pd?.destroy();
  });

  it('keeps the /proc view, reports the engine down, and brings containers back', async () => {
    const id = (await pd.docker(['run', '-d', ...PRIVATE_RUN_FLAGS, '--restart', 'always', '--name', 'isolens-comeback', FIXTURE_IMAGES.busybox, 'sleep', '600'])).trim();
    const service = new CollectorService({ engines: [new DockerEngine({ endpoint: `unix://${pd.socket}` })], lsns: null, intervalMs: 500, figuresMs: 0 });
    const engineEvents: (readonly EngineStatus[])[] = [];
    service.on('engines', (e) => engineEvents.push(e));
    await service.start();
    try {
      const named = (): boolean => service.current().snapshot.containers.some((c) => c.id === id && c.name === 'isolens-comeback');
      await waitFor('the container with its name', named, 10_000);

      await pd.stop();
      const down = await waitFor('the engine reported down', () => engineEvents.find((e) => e[0]?.available === false), 15_000);
      assert.ok(down[0]?.error, 'the reason is given');
      const snap = service.current().snapshot;
      assert.equal(snap.engines[0]?.available, false);
      assert.ok(snap.processes.length > 10, 'the /proc view still works');

      await pd.start();
      await waitFor('the engine reported up again', () => service.current().snapshot.engines[0]?.available === true, 30_000);
      await waitFor('the container back, with its name', named, 30_000);
    } finally {
      await service.stop();
    }
  });
});
