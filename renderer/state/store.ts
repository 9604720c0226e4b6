// The renderer's state: a SequencedSnapshot kept current by 'delta' events, published to React
// at most once per animation frame, plus a client-side usage history per container.
import type { Delta, SequencedSnapshot } from '../../shared/delta';
import type { IsolensClient } from '../../shared/contract';
import type { EngineStatus } from '../../shared/model';
import type { UsageSample } from '../../shared/usage';
import { createDeltaApplier } from './apply';

/** What the views read (immutable: a new object after every change). */
export interface StoreState {
  readonly phase: 'loading' | 'ready' | 'error';
  readonly data: SequencedSnapshot | null;
  /** Why the last snapshot:get failed, while it keeps failing. */
  readonly error: string | null;
  /** When the last snapshot or delta was folded in (ms since the epoch, the renderer's clock). */
  readonly updatedAt: number | null;
  /** How many times a gap in `seq` made the store fetch a whole snapshot. */
  readonly resyncs: number;
  /** Usage samples per container id, oldest first (cgroup-v2.rst / cgroup-v1 counters, see UsageSample). */
  readonly history: Readonly<Record<string, readonly UsageSample[]>>;
}

/** Options of createStore; tests replace the frame scheduler and the clock. */
export interface StoreOptions {
  /** Runs `flush` before the next paint (default requestAnimationFrame, else a 16 ms timer). */
  readonly schedule?: (flush: () => void) => void;
  readonly now?: () => number;
  /** Samples kept per container (default 600: ten minutes at one a second). */
  readonly historyLimit?: number;
  /** Delay before retrying a failed snapshot:get (default 2000 ms). */
  readonly retryMs?: number;
}

/** The store: an external store for React's useSyncExternalStore. */
export interface Store {
  getState(): StoreState;
  subscribe(listener: () => void): () => void;
  /** Subscribes to the client's events and fetches the first snapshot. */
  start(): void;
  /** Unsubscribes and cancels timers; start() may be called again. */
  stop(): void;
  /** Tops up a container's history from 'history:get' (when its detail opens). */
  loadHistory(containerId: string): Promise<void>;
}

const INITIAL: StoreState = { phase: 'loading', data: null, error: null, updatedAt: null, resyncs: 0, history: {} };
/** Deltas kept while no snapshot is there to fold them into. */
const MAX_QUEUE = 1000;

function defaultSchedule(flush: () => void): void {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
  if (raf) raf(() => flush());
  else setTimeout(flush, 16);
}

/** Merges samples into a history: sorted by time, one per timestamp, the newest `limit` kept. */
export function mergeSamples(into: readonly UsageSample[], more: readonly UsageSample[], limit: number): UsageSample[] {
  const byT = new Map<number, UsageSample>();
  for (const s of into) byT.set(s.t, s);
  for (const s of more) byT.set(s.t, s);
  const all = [...byT.values()].sort((a, b) => a.t - b.t);
  return all.length > limit ? all.slice(all.length - limit) : all;
}

/**
 * mergeSamples(into, [sample], limit) for a history this store built (sorted, one sample per
 * timestamp): the usual case, every tick for every container, is a sample newer than the newest
 * kept, appended without rebuilding the history.
 */
function addSample(into: readonly UsageSample[], sample: UsageSample, limit: number): UsageSample[] {
  const last = into[into.length - 1];
  if (limit <= 0 || (last && !(sample.t > last.t))) return mergeSamples(into, [sample], limit);
  const out = into.slice(into.length + 1 > limit ? into.length + 1 - limit : 0);
  out.push(sample);
  return out;
}

/**
 * Creates the store. Deltas arriving within a frame are folded together and published once.
 * A delta that skips a sequence number makes the store fetch 'snapshot:get' again (one fetch
 * at a time); deltas arriving meanwhile wait and are folded into the fresh snapshot.
 */
export function createStore(client: IsolensClient, opts: StoreOptions = {}): Store {
  const schedule = opts.schedule ?? defaultSchedule;
  const now = opts.now ?? Date.now;
  const historyLimit = opts.historyLimit ?? 600;
  const retryMs = opts.retryMs ?? 2000;

  let published: StoreState = INITIAL;
  const listeners = new Set<() => void>();
  let queue: Delta[] = [];
  let freshSnapshot: SequencedSnapshot | null = null;
  let freshEngines: readonly EngineStatus[] | null = null;
  let freshError: string | null = null;
  const freshHistory = new Map<string, readonly UsageSample[]>();
  let frameRequested = false;
  let fetching = false;
  let running = false;
  let generation = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let unsubscribers: (() => void)[] = [];
  const applier = createDeltaApplier();

  const requestFrame = (): void => {
    if (frameRequested) return;
    frameRequested = true;
    schedule(flush);
  };

  const fetchSnapshot = (): void => {
    if (fetching || !running) return;
    fetching = true;
    const gen = generation;
    client.invoke('snapshot:get').then(
      (r) => {
        if (gen !== generation) return;
        fetching = false;
        if (r.ok) freshSnapshot = r.value;
        else freshError = r.error.message;
        if (!r.ok) retryLater();
        requestFrame();
      },
      (err: unknown) => {
        if (gen !== generation) return;
        fetching = false;
        freshError = err instanceof Error ? err.message : String(err);
        retryLater();
        requestFrame();
      },
    );
  };

  const retryLater = (): void => {
    if (!running || retryTimer !== null) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      fetchSnapshot();
    }, retryMs);
  };

  function flush(): void {
    frameRequested = false;
    const prev = published;
    let data = prev.data;
    let history = prev.history;
    let historyCopied = false;
    const writableHistory = (): Record<string, readonly UsageSample[]> => {
      if (!historyCopied) {
        history = { ...history };
        historyCopied = true;
      }
      return history as Record<string, readonly UsageSample[]>;
    };
    let changed = false;
    let resyncs = prev.resyncs;
    let error = prev.error;
    let phase = prev.phase;

    if (freshSnapshot) {
      data = freshSnapshot;
      freshSnapshot = null;
      changed = true;
      error = null;
      phase = 'ready';
      // Usage carried by the snapshot counts as the first sample.
      for (const [id, sample] of Object.entries(data.usage)) {
        writableHistory()[id] = addSample(history[id] ?? [], sample, historyLimit);
      }
    } else if (freshError !== null) {
      error = freshError;
      if (!data) phase = 'error';
      changed = true;
    }
    freshError = null;

    if (data) {
      while (queue.length > 0) {
        const d = queue[0];
        if (!d) break;
        const r = applier.apply(data, d);
        if (r.kind === 'resync') {
          if (!fetching) {
            resyncs++;
            changed = true;
            fetchSnapshot();
          }
          break; // keep the rest queued for the fresh snapshot
        }
        queue.shift();
        if (r.kind === 'stale') continue;
        data = r.state;
        changed = true;
        for (const [id, sample] of Object.entries(d.usage)) {
          writableHistory()[id] = addSample(history[id] ?? [], sample, historyLimit);
        }
        for (const id of d.removed.containers) {
          if (id in history) delete writableHistory()[id];
        }
      }
    }

    if (freshEngines && data) {
      data = { ...data, snapshot: { ...data.snapshot, engines: freshEngines } };
      changed = true;
    }
    freshEngines = null;

    for (const [id, samples] of freshHistory) {
      writableHistory()[id] = mergeSamples(history[id] ?? [], samples, historyLimit);
      changed = true;
    }
    freshHistory.clear();

    if (!changed) return;
    published = { phase, data, error, updatedAt: data !== prev.data ? now() : prev.updatedAt, resyncs, history };
    for (const l of [...listeners]) l();
  }

  return {
    getState: () => published,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    start() {
      if (running) return;
      running = true;
      generation++;
      fetching = false;
      unsubscribers = [
        client.on('delta', (d) => {
          queue.push(d);
          if (queue.length > MAX_QUEUE) queue = queue.slice(queue.length - MAX_QUEUE);
          requestFrame();
        }),
        client.on('engines', (e) => {
          freshEngines = e;
          requestFrame();
        }),
      ];
      fetchSnapshot();
    },
    stop() {
      running = false;
      generation++;
      fetching = false;
      for (const u of unsubscribers) u();
      unsubscribers = [];
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
    },
    async loadHistory(containerId) {
      const r = await client.invoke('history:get', containerId);
      if (!r.ok) return;
      freshHistory.set(containerId, mergeSamples(freshHistory.get(containerId) ?? [], r.value, historyLimit));
      requestFrame();
    },
  };
}
