// Development only (never in the shipped bundle): a fake window.isolens that serves a recorded
// snapshot (`?fixture=demo` → fixtures/demo.json) and synthetic cgroup usage, one delta a second.
// Built by `node scripts/build-renderer.js --dev` into dist/renderer-dev/, loaded before app.js.
import type { Delta, SequencedSnapshot } from '../../shared/delta';
import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels, IsolensClient, Result } from '../../shared/contract';
import type { ContainerInfo, Snapshot } from '../../shared/model';
import type { UsageSample } from '../../shared/usage';

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
    return { ok: false, error: { code: 'NOT_FOUND', message: 'the fixture client has no process details' } };
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
