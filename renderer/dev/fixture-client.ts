// Development only (never in the shipped bundle): a fake window.isolens that serves a recorded
// snapshot (`?fixture=demo` → fixtures/demo.json) and synthetic cgroup usage, one delta a second.
// 'process:get' and 'cgroup:get' answer from the snapshot's processes (synthetic figures);
// 'image:analyze' answers, after 1.5 s, with layer analyses recorded from the test images
// (test/fixtures/renderer/layer-analysis-*.json): `?layers=wasteful` gives every container the
// five-layer image with waste, `?layers=error` answers UNAVAILABLE, `?layers=slow` takes 8 s.
// Built by `node scripts/build-renderer.js --dev` into dist/renderer-dev/, loaded before app.js.
import type { Delta, SequencedSnapshot } from '../../shared/delta';
import type { CgroupReport, EventChannel, EventChannels, InvokeChannel, InvokeChannels, IsolensClient, ProcessDetail, Result } from '../../shared/contract';
import type { ContainerInfo, Snapshot } from '../../shared/model';
import type { LayerAnalysis } from '../../shared/rootfs';
import type { UsageSample } from '../../shared/usage';
import busyboxLayers from '../../test/fixtures/renderer/layer-analysis-busybox.json';
import debianLayers from '../../test/fixtures/renderer/layer-analysis-debian.json';
import dynamicLayers from '../../test/fixtures/renderer/layer-analysis-dynamic.json';
import helloLayers from '../../test/fixtures/renderer/layer-analysis-hello.json';
import wastefulLayers from '../../test/fixtures/renderer/layer-analysis-wasteful.json';

const MiB = 1024 * 1024;
const params = new URLSearchParams(location.search);
const name = params.get('fixture') ?? 'demo';
const empty = params.get('empty') === '1';
/** The fake containers started ten minutes before the page opened. */
const startSec = Math.floor(Date.now() / 1000) - 600;

/** Synthetic usage of a container at time t (ms): memory climbing to its limit then an OOM kill, CPU near its quota. */
function sampleAt(c: ContainerInfo, t: number, index: number): UsageSample {
  const sec = Math.floor(t / 1000) - startSec;
  const phase = (sec + index * 7) % 45;
  const limit = c.limits.memoryBytes;
  const peak = limit ?? 96 * MiB;
  const memory = Math.min(peak * 0.97, 6 * MiB + (peak * 0.95 * phase) / 44);
  const oomKills = Math.floor((sec + index * 7) / 45);
  const quota = c.limits.cpus;
  const wave = 0.5 + 0.45 * Math.sin(sec / 5 + index);
  const cpu = quota !== null ? Math.min(quota, quota * (0.6 + 0.45 * wave)) : 0.05 + 0.1 * wave;
  // Throttled periods rise only while it runs at its quota (cpu.stat nr_throttled is cumulative).
  const throttledPeriods = quota !== null ? Math.floor(sec / 10) * 4 + (cpu >= quota * 0.98 ? (sec % 10) + 1 : 0) : 0;
  return {
    t,
    memoryBytes: Math.round(memory),
    memoryLimitBytes: limit,
    memoryPeakBytes: Math.round(peak * 0.97),
    oomKills: limit !== null ? oomKills : 0,
    cpuCores: cpu,
    cpuQuotaCores: quota,
    throttledPeriods,
    throttledMs: throttledPeriods * 20,
    pids: c.pids.length,
    pidsMax: c.limits.pidsMax,
  };
}

function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Layer analyses recorded from the test images (test/fixtures/images), by image name. */
const ANALYSES: Readonly<Record<string, LayerAnalysis>> = {
  'isolens/busybox:test': busyboxLayers as LayerAnalysis,
  'isolens/debian:test': debianLayers as LayerAnalysis,
  'isolens/dynamic:test': dynamicLayers as LayerAnalysis,
  'isolens/hello:test': helloLayers as LayerAnalysis,
};
const layersMode = params.get('layers');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** 'image:analyze' of a fixture container: a recorded analysis after a delay, like `docker save` takes. */
async function analyze(snapshot: Snapshot, id: string): Promise<Result<LayerAnalysis>> {
  await sleep(layersMode === 'slow' ? 8000 : 1500);
  const c = snapshot.containers.find((x) => x.id === id);
  if (!c || c.engine !== 'docker' || !c.image) return { ok: false, error: { code: 'NOT_FOUND', message: `no running Docker container ${id} with an image` } };
  if (layersMode === 'error') return { ok: false, error: { code: 'UNAVAILABLE', message: 'Docker is not reachable' } };
  const a = layersMode === 'wasteful' ? (wastefulLayers as LayerAnalysis) : ANALYSES[c.image];
  return a ? ok(a) : { ok: false, error: { code: 'NOT_FOUND', message: `the fixture client has no layer analysis of ${c.image}` } };
}

/** 'process:get' from the snapshot: its record, with synthetic state, CPU time, threads and RSS. */
function processDetail(snapshot: Snapshot, pid: number, now: number): Result<ProcessDetail> {
  const p = snapshot.processes.find((x) => x.pid === pid);
  if (!p) return { ok: false, error: { code: 'NOT_FOUND', message: `no process ${pid}` } };
  const kernel = p.cmdline.length === 0;
  const busy = ((pid * 7919) % 13) / 100; // 0 to 12 % of a core
  return ok({
    process: p,
    state: kernel ? 'I' : pid % 11 === 0 ? 'R' : 'S',
    cpuMs: Math.round(((pid * 104729) % 90_000) + busy * (now - startSec * 1000)),
    threads: kernel ? 1 : 1 + (pid % 4 === 0 ? pid % 9 : 0),
    rssBytes: kernel ? null : (1 + ((pid * 31) % 40)) * 256 * 1024,
  });
}

/** 'cgroup:get' from the snapshot: a container's limits and synthetic usage; a host process's cgroup without limits. */
function cgroupReport(snapshot: Snapshot, pid: number, now: number): Result<CgroupReport> {
  const p = snapshot.processes.find((x) => x.pid === pid);
  if (!p) return { ok: false, error: { code: 'NOT_FOUND', message: `no process ${pid}` } };
  const i = snapshot.containers.findIndex((c) => c.id === p.containerId && c.engine !== 'none');
  const c = snapshot.containers[i];
  if (c) return ok({ pid, path: p.cgroup, limits: c.limits, usage: sampleAt(c, now, i) });
  const members = snapshot.processes.filter((x) => x.cgroup === p.cgroup).length;
  const usage: UsageSample = {
    t: now, memoryBytes: members * 3 * MiB, memoryLimitBytes: null, memoryPeakBytes: null, oomKills: null,
    cpuCores: 0.01 * members, cpuQuotaCores: null, throttledPeriods: null, throttledMs: null, pids: members, pidsMax: null,
  };
  return ok({ pid, path: p.cgroup, limits: { memoryBytes: null, cpus: null, pidsMax: null, cpuset: null }, usage });
}

async function load(): Promise<Snapshot> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bad fixture name ${name}`);
  const r = await fetch(`fixtures/${name}.json`);
  if (!r.ok) throw new Error(`fixtures/${name}.json: HTTP ${r.status}`);
  const s = (await r.json()) as Snapshot;
  if (!empty) return s;
  const kept = s.containers.filter((c) => c.engine === 'none');
  const keptIds = new Set(kept.map((c) => c.id));
  return {
    ...s,
    containers: kept,
    processes: s.processes.filter((p) => p.containerId === null || keptIds.has(p.containerId)),
  };
}

const snapshotPromise = load();
const listeners = new Map<EventChannel, Set<(p: unknown) => void>>();
let seq = 1;

const client: IsolensClient = {
  async invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<Result<InvokeChannels[C]['result']>> {
    const snapshot = await snapshotPromise;
    const now = Math.floor(Date.now() / 1000) * 1000; // whole seconds, like the collector's ticks
    if (channel === 'snapshot:get') {
      const usage: Record<string, UsageSample> = {};
      snapshot.containers.forEach((c, i) => {
        if (c.engine !== 'none') usage[c.id] = sampleAt(c, now, i);
      });
      const value: SequencedSnapshot = { seq, snapshot: { ...snapshot, takenAt: new Date(now).toISOString() }, usage };
      return ok(value) as Result<InvokeChannels[C]['result']>;
    }
    if (channel === 'history:get') {
      const id = args[0];
      const i = snapshot.containers.findIndex((c) => c.id === id);
      const c = snapshot.containers[i];
      const samples: UsageSample[] = [];
      if (c && c.engine !== 'none') for (let k = 90; k >= 1; k--) samples.push(sampleAt(c, now - k * 1000, i));
      return ok(samples) as Result<InvokeChannels[C]['result']>;
    }
    if (channel === 'process:get') return processDetail(snapshot, Number(args[0]), now) as Result<InvokeChannels[C]['result']>;
    if (channel === 'cgroup:get') return cgroupReport(snapshot, Number(args[0]), Date.now()) as Result<InvokeChannels[C]['result']>;
    if (channel === 'image:analyze') return (await analyze(snapshot, String(args[0]))) as Result<InvokeChannels[C]['result']>;
    return { ok: false, error: { code: 'NOT_FOUND', message: `the fixture client does not answer ${channel}` } };
  },
  on<E extends EventChannel>(event: E, listener: (payload: EventChannels[E]) => void): () => void {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (p: unknown) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  },
};

setInterval(() => {
  void snapshotPromise.then((snapshot) => {
    seq++;
    const now = Math.floor(Date.now() / 1000) * 1000;
    const usage: Record<string, UsageSample> = {};
    snapshot.containers.forEach((c, i) => {
      if (c.engine !== 'none') usage[c.id] = sampleAt(c, now, i);
    });
    const none = { processes: [], namespaces: [], containers: [] };
    const d: Delta = { seq, takenAt: new Date(now).toISOString(), added: none, updated: none, removed: none, usage };
    for (const l of listeners.get('delta') ?? []) l(d);
  });
}, 1000);

(window as unknown as { isolens: IsolensClient }).isolens = client;
