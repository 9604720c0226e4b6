// Plays a recording as an IsolensService: the same contract as the live collector, answered
// from the recorded stream at a movable position. No /proc, no engine: it only reads the file.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { ServiceError } from '../../../shared/contract';
import type {
  EventChannel, EventChannels, InvokeChannel, InvokeChannels, IsolensService, PlaybackControl, PlaybackState, ProcessDetail, RecordingInfo, SessionInfo,
} from '../../../shared/contract';
import { applyDelta } from '../../../shared/delta';
import type { Delta, SequencedSnapshot } from '../../../shared/delta';
import type { Recording } from '../../../shared/recording';
import type { UsageSample } from '../../../shared/usage';

/** Timers the player runs on (a fake one in tests). */
export interface PlayerClock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** How a RecordingService plays. */
export interface PlayerOptions {
  /** The file's base name, shown by the UI (never a full path). */
  readonly source: string;
  /**
   * true: play from start(); 'first-viewer': play when the first 'delta' listener subscribes (a
   * page opening, for `serve --recording`); false (default): paused at 0 until told to play.
   */
  readonly autoplay?: boolean | 'first-viewer';
  /** Initial speed, × real time (default 1). */
  readonly speed?: number;
  /** A folded state is kept every this many events, so a seek folds at most this many deltas (default 100). */
  readonly checkpointEvery?: number;
  /** Period of 'playback' events while playing (default 500 ms). */
  readonly tickMs?: number;
  /** Usage samples history:get returns at most (default 600, like the live service's ten minutes at 1 s). */
  readonly historyLimit?: number;
  readonly clock?: PlayerClock;
}

const realClock: PlayerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

const NO_RECORDS = { processes: [], namespaces: [], containers: [] } as const;

/**
 * An IsolensService over a parsed Recording. 'snapshot:get' answers the state at the current
 * position (folded from the nearest checkpoint); 'delta' and 'engines' events are emitted in real
 * time × speed while playing; 'playback' events on every change and every ~500 ms while playing.
 *
 * Sequence numbers it serves never go back. After a seek that changes the state it emits one
 * empty delta whose seq skips a number: a client (renderer/state/store.ts) sees the gap and
 * fetches 'snapshot:get', which answers the state at the new position with exactly that seq;
 * 'playback'.epoch is incremented so the client drops its usage history. At the end playback
 * pauses (no loop) with `ended: true`; 'play' then starts again from 0.
 */
export class RecordingService implements IsolensService {
  private readonly events = new EventEmitter();
  private readonly clock: PlayerClock;
  private readonly every: number;
  private readonly tickMs: number;
  private readonly historyLimit: number;
  private readonly checkpoints: SequencedSnapshot[] = [];
  /** Per container: the usage samples in file order, with the cursor from which each is visible. */
  private readonly usage = new Map<string, { readonly at: number; readonly sample: UsageSample }[]>();
  private readonly times: readonly number[];

  /** Events applied so far: events[0 .. cursor). */
  private cursor = 0;
  private state: SequencedSnapshot;
  /** Served seq = recorded seq + offset; raised by each seek so served seqs never go back. */
  private offset = 0;
  private playing = false;
  private speed: number;
  private ended = false;
  private epoch = 0;
  private pausedPos = 0;
  private anchorWall = 0;
  private anchorPos = 0;
  private timer: unknown = null;
  private ticker: unknown = null;
  private waitingForViewer = false;

  constructor(
    private readonly rec: Recording,
    private readonly opts: PlayerOptions,
  ) {
    this.clock = opts.clock ?? realClock;
    this.every = Math.max(1, Math.floor(opts.checkpointEvery ?? 100));
    this.tickMs = opts.tickMs ?? 500;
    this.historyLimit = opts.historyLimit ?? 600;
    this.speed = opts.speed ?? 1;
    this.times = rec.events.map((e) => e.t);
    this.state = rec.initial;
    this.indexUsage();
    this.buildCheckpoints();
  }

  /** Starts playing when autoplay was asked (or arms 'first-viewer'). */
  start(): void {
    if (this.opts.autoplay === 'first-viewer') this.waitingForViewer = true;
    else if (this.opts.autoplay) this.control({ action: 'play' });
  }

  /** Stops every timer (the position is kept). */
  stop(): void {
    this.waitingForViewer = false;
    if (this.playing) this.pausedPos = this.position();
    this.playing = false;
    this.clearTimers();
  }

  on<E extends EventChannel>(event: E, listener: (payload: EventChannels[E]) => void): () => void {
    const l = listener as (payload: unknown) => void;
    this.events.on(event, l);
    if (event === 'delta' && this.waitingForViewer) {
      this.waitingForViewer = false;
      // After the subscriber has finished subscribing (it subscribes to every event in one go).
      queueMicrotask(() => {
        if (!this.playing) this.control({ action: 'play' });
      });
    }
    return () => this.events.off(event, l);
  }

  async invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<InvokeChannels[C]['result']> {
    type R = InvokeChannels[C]['result'];
    switch (channel) {
      case 'snapshot:get':
        return this.current() as R;
      case 'history:get':
        return this.historyOf(String(args[0])) as R;
      case 'process:get':
        return this.processDetail(Number(args[0])) as R;
      case 'session:get':
        return this.session() as R;
      case 'playback:control':
        return this.control(args[0] as PlaybackControl) as R;
      case 'view:set':
        return null as R;
      case 'cgroup:get':
        throw new ServiceError('NOT_FOUND', 'a recording holds no live cgroup: see the container\'s usage history instead');
      case 'image:analyze':
        throw new ServiceError('NOT_FOUND', 'a recording holds no image layers to analyse');
      default:
        throw new ServiceError('BAD_REQUEST', `unknown channel ${String(channel)}`);
    }
  }

  /** The state at the current position, with the seq a client should hold. */
  current(): SequencedSnapshot {
    return this.served(this.state);
  }

  /** What is being played. */
  session(): SessionInfo {
    const h = this.rec.header;
    const recording: RecordingInfo = {
      file: this.opts.source, schema: h.schema, startedAt: h.recordedAt, durationMs: this.rec.durationMs, host: h.host,
      intervalMs: h.intervalMs, redacted: h.redacted, truncated: this.rec.truncated, deltas: this.rec.deltaCount,
    };
    return { mode: 'recording', recording, playback: this.playback() };
  }

  /** Where playback stands now. */
  playback(): PlaybackState {
    return {
      mode: 'recording', playing: this.playing, speed: this.speed, positionMs: Math.round(this.position()), durationMs: this.rec.durationMs,
      startedAt: this.rec.header.recordedAt, source: this.opts.source, ended: this.ended, epoch: this.epoch,
    };
  }

  /** Usage samples of a container recorded up to the current position, oldest first. */
  historyOf(containerId: string): UsageSample[] {
    if (!this.state.snapshot.containers.some((c) => c.id === containerId)) {
      throw new ServiceError('NOT_FOUND', `no container ${containerId} at this point of the recording`);
    }
    const all = this.usage.get(containerId) ?? [];
    const upTo = all.filter((u) => u.at <= this.cursor).map((u) => u.sample);
    return upTo.length > this.historyLimit ? upTo.slice(upTo.length - this.historyLimit) : upTo;
  }

  /**
   * A process as recorded at the current position. A recording holds no live detail: state is
   * "?" and cpuMs, threads are 0 (unknown), rssBytes null.
   */
  processDetail(pid: number): ProcessDetail {
    const p = this.state.snapshot.processes.find((x) => x.pid === pid);
    if (!p) throw new ServiceError('NOT_FOUND', `no process ${pid} at this point of the recording`);
    return { process: p, state: '?', cpuMs: 0, threads: 0, rssBytes: null };
  }

  /** Plays, pauses, seeks or changes speed; answers the new playback state. */
  control(c: PlaybackControl): PlaybackState {
    this.waitingForViewer = false;
    switch (c.action) {
      case 'play':
        if (!this.playing) {
          if (this.ended || this.pausedPos >= this.rec.durationMs) this.seekTo(0);
          this.ended = false;
          this.playing = true;
          this.anchorWall = this.clock.now();
          this.anchorPos = this.pausedPos;
          this.schedule();
          this.scheduleTick();
        }
        break;
      case 'pause':
        if (this.playing) {
          this.catchUp();
          this.pausedPos = this.position();
          this.playing = false;
          this.clearTimers();
        }
        break;
      case 'seek': {
        const pos = Math.min(Math.max(0, c.value ?? 0), this.rec.durationMs);
        this.seekTo(pos);
        this.ended = false;
        if (this.playing) this.schedule();
        break;
      }
      case 'speed': {
        const v = c.value ?? 1;
        if (!Number.isFinite(v) || v <= 0) throw new ServiceError('BAD_REQUEST', 'speed must be a positive number');
        if (this.playing) {
          this.anchorPos = this.position();
          this.anchorWall = this.clock.now();
        }
        this.speed = v;
        if (this.playing) this.schedule();
        break;
      }
      default:
        throw new ServiceError('BAD_REQUEST', `unknown playback action ${JSON.stringify((c as { action: unknown }).action)}`);
    }
    const state = this.playback();
    this.events.emit('playback', state);
    return state;
  }

  // ---- time and position ----

  private position(): number {
    if (!this.playing) return this.pausedPos;
    return Math.min(this.rec.durationMs, this.anchorPos + (this.clock.now() - this.anchorWall) * this.speed);
  }

  /** Number of events with t ≤ pos (binary search over the non-decreasing times). */
  private cursorAt(pos: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] ?? Infinity) <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private served(s: SequencedSnapshot): SequencedSnapshot {
    return this.offset === 0 ? s : { ...s, seq: s.seq + this.offset };
  }

  /** Emits every event due by now; pauses at the end. */
  private catchUp(): void {
    const pos = this.position();
    const target = this.cursorAt(pos);
    while (this.cursor < target) {
      const e = this.rec.events[this.cursor];
      this.cursor++;
      if (!e) break;
      if (e.kind === 'engines') {
        this.events.emit('engines', e.engines);
        continue;
      }
      this.state = fold(this.state, e.delta);
      this.events.emit('delta', this.offset === 0 ? e.delta : { ...e.delta, seq: e.delta.seq + this.offset });
    }
  }

  private onTimer(): void {
    this.timer = null;
    if (!this.playing) return;
    this.catchUp();
    if (this.position() >= this.rec.durationMs) {
      this.pausedPos = this.rec.durationMs;
      this.playing = false;
      this.ended = true;
      this.clearTimers();
      this.events.emit('playback', this.playback());
      return;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (!this.playing) return;
    const next = this.times[this.cursor] ?? this.rec.durationMs;
    const wait = Math.max(0, (Math.min(next, this.rec.durationMs) - this.position()) / this.speed);
    this.timer = this.clock.setTimeout(() => this.onTimer(), Math.ceil(wait));
  }

  private scheduleTick(): void {
    if (this.ticker !== null) this.clock.clearTimeout(this.ticker);
    this.ticker = this.clock.setTimeout(() => {
      this.ticker = null;
      if (!this.playing) return;
      this.events.emit('playback', this.playback());
      this.scheduleTick();
    }, this.tickMs);
  }

  private clearTimers(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    if (this.ticker !== null) this.clock.clearTimeout(this.ticker);
    this.timer = this.ticker = null;
  }

  /** Moves to `pos`; when the state changes, re-bases the served seq past a gap and emits the jump delta. */
  private seekTo(pos: number): void {
    const target = this.cursorAt(pos);
    if (this.playing) {
      this.anchorPos = pos;
      this.anchorWall = this.clock.now();
    } else {
      this.pausedPos = pos;
    }
    if (target === this.cursor) return;
    const lastServed = this.state.seq + this.offset;
    this.state = this.stateAt(target);
    this.cursor = target;
    this.offset = lastServed + 2 - this.state.seq;
    this.epoch++;
    const jump: Delta = {
      seq: this.state.seq + this.offset, takenAt: this.state.snapshot.takenAt,
      added: NO_RECORDS, updated: NO_RECORDS, removed: NO_RECORDS, usage: {},
    };
    this.events.emit('delta', jump);
  }

  // ---- precomputation ----

  private stateAt(cursor: number): SequencedSnapshot {
    const k = Math.floor(cursor / this.every);
    let s = this.checkpoints[k] ?? this.rec.initial;
    for (let i = k * this.every; i < cursor; i++) {
      const e = this.rec.events[i];
      if (e?.kind === 'delta') s = fold(s, e.delta);
    }
    return s;
  }

  private buildCheckpoints(): void {
    let s = this.rec.initial;
    this.checkpoints.push(s);
    this.rec.events.forEach((e, i) => {
      if (e.kind === 'delta') s = fold(s, e.delta);
      if ((i + 1) % this.every === 0) this.checkpoints.push(s);
    });
  }

  private indexUsage(): void {
    const add = (id: string, at: number, sample: UsageSample): void => {
      let list = this.usage.get(id);
      if (!list) this.usage.set(id, (list = []));
      if (list[list.length - 1]?.sample.t !== sample.t) list.push({ at, sample });
    };
    for (const [id, s] of Object.entries(this.rec.initial.usage)) add(id, 0, s);
    this.rec.events.forEach((e, i) => {
      if (e.kind !== 'delta') return;
      for (const [id, s] of Object.entries(e.delta.usage)) add(id, i + 1, s);
    });
  }
}

/** applyDelta for a recording parseRecording has checked (consecutive seqs): anything else is a bug. */
function fold(s: SequencedSnapshot, d: Delta): SequencedSnapshot {
  const r = applyDelta(s, d);
  if (r.kind !== 'applied') throw new ServiceError('INTERNAL', `recording does not fold: delta ${d.seq} on state ${s.seq} (${r.kind})`);
  return r.state;
}
