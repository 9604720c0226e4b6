// "New container on screen": from Docker's start event (its timeNano, the daemon's clock) to the
// live service emitting the delta that adds the container. Containers are started while the
// service runs at its normal 1 Hz, at a random phase of its tick.
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import type { Delta } from '../shared/delta';
import { splitJsonLines } from '../electron/collector/engines/docker-events';
import type { CollectorService } from '../electron/collector/service/collector-service';
import { dockerAsync } from '../test/helpers/docker';
import { BENCH_IMAGE, BENCH_LABEL } from './loadgen';
import { type Timing, sleep, timingOf } from './measure';

/** What measureStartLatency found, in ms. */
export interface LatencyFigures {
  /**
   * Start event (daemon time) → the delta whose added containers hold it; 0 for a run whose
   * container was in a delta before the event (a tick found its processes first: dockerd stamps
   * `start` after the task runs, ~100-300 ms after on a busy machine).
   */
  readonly added: Timing;
  /** Runs whose container was on screen before Docker's start event (counted as 0 in `added`). */
  readonly beforeEvent: number;
  /** Start event → the delta that shows it with its name (the engine's inspect is in). */
  readonly named: Timing;
  /** Start event (daemon time) → the bench received it on /events: the floor for any event-driven client. */
  readonly eventDelivery: Timing;
  /** Runs that timed out (no delta within 15 s). */
  readonly missed: number;
}

const ROLE_LABEL = 'isolens.bench.role=latency';
// The daemon stamps events with its wall clock (timeNano): compare with ours, not with performance.now().
const wallNow = (): number => Date.now();

interface Seen {
  eventAt?: number;
  receivedAt?: number;
  addedAt?: number;
  namedAt?: number;
  removedAt?: number;
}

/**
 * Starts `runs` busybox containers one after another (--network none, labelled isolens.bench=1)
 * and times each from its start event to the service's delta; removes each after.
 * The service must be started with a Docker engine that watches /events.
 */
export async function measureStartLatency(service: CollectorService, runs: number): Promise<LatencyFigures> {
  const seen = new Map<string, Seen>();
  const names = new Map<string, string>();
  const entry = (id: string): Seen => {
    let s = seen.get(id);
    if (!s) {
      s = {};
      seen.set(id, s);
    }
    return s;
  };
  const byName = new Map<string, string>();
  const off = service.on('delta', (d: Delta) => {
    const now = wallNow();
    for (const c of d.added.containers) {
      const id = byName.get(c.name) ?? c.id;
      const s = entry(id);
      s.addedAt ??= now;
      if (names.get(id) === c.name) s.namedAt ??= now;
    }
    for (const c of d.updated.containers) {
      const id = byName.get(c.name) ?? c.id;
      if (names.get(id) === c.name) entry(id).namedAt ??= now;
    }
    for (const id of d.removed.containers) if (seen.has(id)) entry(id).removedAt ??= now;
  });

  const client = new Docker();
  const stream = (await client.getEvents({ filters: { type: ['container'], event: ['start'], label: [ROLE_LABEL] } })) as Readable;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const now = wallNow();
    const split = splitJsonLines(rest + chunk);
    rest = split.rest;
    for (const e of split.events) {
      const ev = e as { Actor?: { ID?: string }; id?: string; timeNano?: number; time?: number };
      const id = ev.Actor?.ID ?? ev.id;
      if (!id) continue;
      const s = entry(id);
      s.eventAt = typeof ev.timeNano === 'number' ? ev.timeNano / 1e6 : (ev.time ?? 0) * 1000;
      s.receivedAt = now;
    }
  });
  stream.on('error', () => undefined);

  const added: number[] = [];
  const named: number[] = [];
  const delivery: number[] = [];
  let missed = 0;
  let beforeEvent = 0;
  try {
    for (let i = 0; i < runs; i++) {
      await sleep(300 + Math.random() * 1000); // a random phase of the 1 Hz tick
      const name = `isolens-bench-latency-${process.pid}-${i}`;
      const id = (await dockerAsync(['run', '-d', '--network', 'none', '--label', BENCH_LABEL, '--label', ROLE_LABEL, '--name', name, BENCH_IMAGE, 'sleep', '100000'])).trim();
      names.set(id, name);
      byName.set(name, id);
      const s = entry(id);
      const deadline = Date.now() + 15_000;
      while ((s.addedAt === undefined || s.namedAt === undefined || s.eventAt === undefined) && Date.now() < deadline) await sleep(10);
      if (s.eventAt !== undefined && s.addedAt !== undefined && s.namedAt !== undefined) {
        if (s.addedAt < s.eventAt) beforeEvent++;
        added.push(Math.max(0, s.addedAt - s.eventAt));
        named.push(s.namedAt - s.eventAt);
        if (s.receivedAt !== undefined) delivery.push(Math.max(0, s.receivedAt - s.eventAt)); // Date.now() has 1 ms steps
      } else {
        missed++;
      }
      await dockerAsync(['rm', '-f', '-v', id]);
      const gone = Date.now() + 5_000;
      while (s.removedAt === undefined && Date.now() < gone) await sleep(20);
    }
  } finally {
    off();
    stream.destroy();
  }
  return {
    added: timingOf('new container: Docker start event → delta adding it', added),
    named: timingOf('new container: Docker start event → delta showing its name', named),
    eventDelivery: timingOf('Docker start event → received on /events (reference)', delivery),
    missed,
    beforeEvent,
  };
}
