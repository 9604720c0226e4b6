// A synthetic live stream for the recording tests: a real snapshot (test/fixtures/snapshots/demo.json)
// with one of its containers leaving and coming back, served by a tiny IsolensService whose deltas
// come from the collector's own diffSnapshots; and a fake clock for the player.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import { ServiceError } from '../../../shared/contract';
import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels, IsolensService } from '../../../shared/contract';
import type { SequencedSnapshot } from '../../../shared/delta';
import type { EngineStatus, Snapshot } from '../../../shared/model';
import type { UsageSample } from '../../../shared/usage';
import { diffSnapshots } from '../../../electron/collector/service/diff';
import type { PlayerClock } from '../../../electron/collector/recording/player-service';
import type { RecordingSink } from '../../../electron/collector/recording/file';
import { Recorder } from '../../../electron/collector/recording/recorder';
import type { RecordingSummary } from '../../../electron/collector/recording/recorder';
import type { RedactOptions } from '../../../shared/redact';

/** The recorded snapshot every test starts from (real `isolens snapshot --json` output). */
export const DEMO: Snapshot = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'snapshots', 'demo.json'), 'utf8')) as Snapshot;

/** The container that comes and goes in the synthetic stream. */
export const MOVER = DEMO.containers[0]!;

/** DEMO without MOVER, its processes, and the namespaces only they were in. */
export function withoutMover(s: Snapshot = DEMO): Snapshot {
  const pids = new Set(s.processes.filter((p) => p.containerId === MOVER.id).map((p) => p.pid));
  return {
    ...s,
    processes: s.processes.filter((p) => p.containerId !== MOVER.id),
    containers: s.containers.filter((c) => c.id !== MOVER.id),
    namespaces: s.namespaces
      .filter((n) => n.host || n.pids.some((p) => !pids.has(p)))
      .map((n) => (n.pids.some((p) => pids.has(p)) ? { ...n, pids: n.pids.filter((p) => !pids.has(p)) } : n)),
  };
}

/** A snapshot with its lists in key order (applyDelta appends what it adds), for comparisons. */
export function normalized(s: Snapshot): Snapshot {
  return {
    ...s,
    processes: [...s.processes].sort((a, b) => a.pid - b.pid || a.startTime - b.startTime),
    namespaces: [...s.namespaces].sort((a, b) => a.id - b.id),
    containers: [...s.containers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

/** A cgroup usage sample (cgroup-v1 memory/cpuacct/pids as the collector reports them). */
export function sample(t: number, memoryBytes: number): UsageSample {
  return {
    t, memoryBytes, memoryLimitBytes: null, memoryPeakBytes: null, oomKills: 0, cpuCores: 0.01,
    cpuQuotaCores: null, throttledPeriods: null, throttledMs: null, pids: 1, pidsMax: null,
  };
}

/** A stand-in for the live service: holds a state, emits the delta to each new snapshot it is given. */
export class StreamService implements IsolensService {
  private readonly events = new EventEmitter();
  state: SequencedSnapshot;

  constructor(initial: Snapshot, seq = 10) {
    this.state = { seq, snapshot: initial, usage: {} };
  }

  /** Moves to `next`: the collector's own keyed delta, with these usage samples. */
  step(next: Snapshot, usage: Record<string, UsageSample> = {}, opts: { skipSeq?: boolean } = {}): void {
    const seq = this.state.seq + (opts.skipSeq ? 2 : 1);
    const latest = { ...this.state.usage, ...usage };
    for (const id of Object.keys(latest)) if (!next.containers.some((c) => c.id === id)) delete latest[id];
    const d = diffSnapshots(this.state.snapshot, next, seq, usage);
    this.state = { seq, snapshot: next, usage: latest };
    this.events.emit('delta', d);
  }

  engines(list: readonly EngineStatus[]): void {
    this.events.emit('engines', list);
  }

  invoke<C extends InvokeChannel>(channel: C, ..._args: InvokeChannels[C]['args']): Promise<InvokeChannels[C]['result']> {
    if (channel !== 'snapshot:get') return Promise.reject(new ServiceError('BAD_REQUEST', 'only snapshot:get'));
    return Promise.resolve(this.state as InvokeChannels[C]['result']);
  }

  on<E extends EventChannel>(event: E, listener: (payload: EventChannels[E]) => void): () => void {
    const l = listener as (p: unknown) => void;
    this.events.on(event, l);
    return () => this.events.off(event, l);
  }
}

/** A clock the test moves by hand: timers fire in order as time advances. */
export class FakeClock implements PlayerClock {
  t = 0;
  private nextId = 1;
  private timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Pending timers. */
  get pending(): number {
    return this.timers.size;
  }

  /** Advances time by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let first: [number, { at: number; fn: () => void }] | null = null;
      for (const e of this.timers) if (e[1].at <= end && (first === null || e[1].at < first[1].at)) first = e;
      if (!first) break;
      this.timers.delete(first[0]);
      this.t = first[1].at;
      first[1].fn();
    }
    this.t = end;
  }
}

/** Wall-clock time of the synthetic recording's start. */
export const T0 = Date.UTC(2026, 0, 1);

export interface Recorded {
  readonly summary: RecordingSummary;
  /** The service's state after each step, with the recorder's t. */
  readonly states: { readonly t: number; readonly state: SequencedSnapshot }[];
}

/**
 * The synthetic stream: MOVER appears at 1000 ms, a usage-only tick at 2000, Docker goes away at
 * 2500, MOVER is removed at 3000, stop at 3500.
 */
export async function recordDemo(sink: RecordingSink, opts: { redact?: RedactOptions; skipSeqAt3000?: boolean } = {}): Promise<Recorded> {
  let now = 0;
  const svc = new StreamService(withoutMover());
  const rec = new Recorder(sink, { intervalMs: 1000, now: () => now, wallClock: () => T0, redact: opts.redact ?? null, log: () => undefined });
  await rec.start(svc);
  const states = [{ t: 0, state: svc.state }];
  now = 1000;
  svc.step(DEMO, { [MOVER.id]: sample(T0 + 1000, 1 << 20) });
  states.push({ t: 1000, state: svc.state });
  now = 2000;
  svc.step(DEMO, { [MOVER.id]: sample(T0 + 2000, 2 << 20) });
  states.push({ t: 2000, state: svc.state });
  now = 2500;
  svc.engines([{ ...DEMO.engines[0]!, available: false, error: 'connect ENOENT /var/run/docker.sock' }]);
  now = 3000;
  svc.step(withoutMover(), {}, { skipSeq: opts.skipSeqAt3000 });
  states.push({ t: 3000, state: svc.state });
  await new Promise((r) => setImmediate(r)); // a resync fetches the snapshot asynchronously
  now = 3500;
  return { summary: await rec.stop(), states };
}
