// Docker's /events stream (Engine API "Monitor events", docker-events(1)) for container
// actions, kept open across dockerd restarts: on loss it reports the error, reconnects with
// exponential back-off, and asks its owner to relist (`resync`) because events were missed.
import { EventEmitter } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';

/** One container event from docker-events(1) / Engine API GET /events (Type "container"). */
export interface ContainerEvent {
  /** Action: start, die, destroy, rename, oom, ... (exec_* and health_status carry a suffix after ':'). */
  readonly action: string;
  /** Full container id (Actor.ID). */
  readonly id: string;
  /** Container name (Actor.Attributes.name), without the leading '/'; null when absent. */
  readonly name: string | null;
  /** Image reference the container was created from (Attributes.image, else `from`); null when absent. */
  readonly image: string | null;
  /** When dockerd emitted it, in ms since the epoch (from timeNano, else time). */
  readonly time: number;
  /** Actor.Attributes: the container's labels plus per-action keys (exitCode, signal, oldName). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Connection state of the /events subscription (Engine API GET /events). */
export interface EventStreamState {
  readonly connected: boolean;
  /** Why the stream is down (null while connected, or before the first attempt answered). */
  readonly error: string | null;
  /** When this state began (ms, from the `now` option). */
  readonly since: number;
  /** Delay before the next connection attempt; null when none is scheduled. */
  readonly retryInMs: number | null;
}

/** Emitted after a reconnect: events during the outage were lost, so relist the containers (Engine API GET /containers/json). */
export interface ResyncRequest {
  readonly endpoint: string;
  /** When the stream came back (ms). */
  readonly since: number;
  /** The error that ended the previous connection, if any. */
  readonly after: string | null;
}

/** Listener signatures of DockerEventStream (Node's EventEmitter event map). */
export interface DockerEventStreamEvents {
  event: [ContainerEvent];
  state: [EventStreamState];
  resync: [ResyncRequest];
}

/** Exponential back-off between reconnection attempts (ms). */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** How to build a DockerEventStream for one engine endpoint. */
export interface DockerEventStreamOptions {
  /** A dockerode client, or a factory called on every connection attempt. */
  readonly docker: Dockerode | (() => Dockerode);
  /** The endpoint named in errors and resync requests, e.g. unix:///var/run/docker.sock. */
  readonly endpoint: string;
  /** Default: 500 ms doubling up to 30 s. */
  readonly backoff?: Backoff;
  /** Clock for `since` fields (default Date.now). */
  readonly now?: () => number;
  /** Give up on a connection attempt that has no HTTP answer after this long (default 10 s). */
  readonly connectTimeoutMs?: number;
}

/** The container actions subscribed to (docker-events(1) "Containers report these events"). */
export const CONTAINER_ACTIONS: readonly string[] = [
  'start', 'die', 'destroy', 'rename', 'update', 'pause', 'unpause', 'create', 'stop', 'kill', 'oom',
];

/** Default back-off: 500 ms doubling to 30 s. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000 };

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** A line longer than this without a newline is not an event: drop it rather than grow forever. */
const MAX_PENDING_CHARS = 1024 * 1024;

/**
 * Splits newline-delimited JSON (the /events body, Engine API) into parsed values and the
 * unfinished tail; blank and unparsable lines are skipped. Pure.
 */
export function splitJsonLines(buffer: string): { events: unknown[]; rest: string } {
  const events: unknown[] = [];
  const lastNl = buffer.lastIndexOf('\n');
  if (lastNl < 0) return { events, rest: buffer };
  for (const raw of buffer.slice(0, lastNl).split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    try {
      events.push(JSON.parse(line) as unknown);
    } catch {
      // a garbage line: skip it, the next line is independent
    }
  }
  return { events, rest: buffer.slice(lastNl + 1) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * Turns one decoded /events message (Engine API EventMessage: Type, Action, Actor{ID,Attributes},
 * time, timeNano; older `status`/`id`/`from`) into a ContainerEvent; null when it is not a
 * container event or lacks an action or id. Pure.
 */
export function parseDockerEvent(obj: unknown): ContainerEvent | null {
  if (!isRecord(obj)) return null;
  const type = obj.Type;
  if (type !== undefined && type !== 'container') return null;
  const action = nonEmptyString(obj.Action) ?? nonEmptyString(obj.status);
  const actor = isRecord(obj.Actor) ? obj.Actor : {};
  const id = nonEmptyString(actor.ID) ?? nonEmptyString(obj.id);
  if (action === null || id === null) return null;

  const attributes: Record<string, string> = {};
  if (isRecord(actor.Attributes)) {
    for (const [k, v] of Object.entries(actor.Attributes)) if (typeof v === 'string') attributes[k] = v;
  }
  const rawName = attributes.name ?? null;
  const name = rawName === null ? null : rawName.replace(/^\//, '') || null;
  const image = nonEmptyString(attributes.image) ?? nonEmptyString(obj.from);

  let time = 0;
  if (typeof obj.timeNano === 'number' && Number.isFinite(obj.timeNano) && obj.timeNano > 0) {
    time = Math.floor(obj.timeNano / 1e6);
  } else if (typeof obj.time === 'number' && Number.isFinite(obj.time) && obj.time > 0) {
    time = obj.time * 1000;
  }
  return { action, id, name, image, time, attributes };
}

interface ErrnoLike {
  code?: unknown;
  message?: unknown;
  statusCode?: unknown;
}

/** A one-line reason for a failed or lost connection to `endpoint`. */
export function describeConnectionError(endpoint: string, err: unknown): string {
  const e = (isRecord(err) ? err : {}) as ErrnoLike;
  const code = typeof e.code === 'string' ? e.code : null;
  const msg = typeof e.message === 'string' ? e.message : String(err);
  switch (code) {
    case 'ENOENT':
      return `cannot reach Docker at ${endpoint}: the socket does not exist (ENOENT); is dockerd running?`;
    case 'ECONNREFUSED':
      return `cannot reach Docker at ${endpoint}: connection refused (ECONNREFUSED); dockerd is not listening`;
    case 'EACCES':
      return `cannot reach Docker at ${endpoint}: permission denied (EACCES); run as root or join the docker group`;
    case 'ECONNRESET':
      return `the event stream from ${endpoint} was cut (ECONNRESET); dockerd stopped or restarted?`;
    default:
      break;
  }
  if (typeof e.statusCode === 'number') return `Docker at ${endpoint} refused the event stream: ${msg.trim()}`;
  return `event stream from ${endpoint} failed: ${code !== null && !msg.includes(code) ? `${msg} (${code})` : msg}`;
}

/** Delay before attempt number `failures` (0-based) of the back-off. */
export function backoffDelay(backoff: Backoff, failures: number): number {
  const d = backoff.initialMs * 2 ** Math.min(failures, 30);
  return Math.min(Math.max(d, 0), backoff.maxMs);
}

/**
 * A /events subscription (Engine API GET /events, filters type=container and CONTAINER_ACTIONS)
 * that survives dockerd going away. Emits `event`, `state` and `resync`; never emits `error`.
 * `resync` follows every successful connection that comes after a failed attempt or a lost
 * stream (not a first attempt that succeeds: the owner lists containers itself on start).
 */
export class DockerEventStream extends EventEmitter<DockerEventStreamEvents> {
  readonly endpoint: string;
  private readonly dockerSource: Dockerode | (() => Dockerode);
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private readonly connectTimeoutMs: number;

  private running = false;
  /** Bumped on each attempt and on stop(): callbacks of older attempts are ignored. */
  private generation = 0;
  private failures = 0;
  private lastError: string | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private abort: AbortController | null = null;
  private response: NodeJS.ReadableStream | null = null;
  private current: EventStreamState;

  constructor(options: DockerEventStreamOptions) {
    super();
    this.dockerSource = options.docker;
    this.endpoint = options.endpoint;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.now = options.now ?? Date.now;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.current = { connected: false, error: null, since: this.now(), retryInMs: null };
  }

  /** The last state emitted (or the initial one). */
  get state(): EventStreamState {
    return this.current;
  }

  /** Subscribes (idempotent). Connection failures are reported through `state`, never thrown. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.lastError = null;
    this.connect();
  }

  /** Closes the stream and cancels any retry: no timer or socket is left behind. Emits nothing more. */
  stop(): void {
    this.running = false;
    this.generation++;
    this.teardown();
    if (this.current.connected || this.current.retryInMs !== null) {
      this.current = { connected: false, error: null, since: this.now(), retryInMs: null };
    }
  }

  private teardown(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.retryTimer = null;
    this.connectTimer = null;
    const abort = this.abort;
    const response = this.response;
    this.abort = null;
    this.response = null;
    try {
      abort?.abort();
    } catch {
      // aborting an already finished request is harmless
    }
    if (response !== null) {
      const destroyable = response as NodeJS.ReadableStream & { destroy?: () => void };
      try {
        destroyable.destroy?.();
      } catch {
        // already destroyed
      }
    }
  }

  private connect(): void {
    const gen = ++this.generation;
    this.teardown();
    let docker: Dockerode;
    try {
      docker = typeof this.dockerSource === 'function' ? this.dockerSource() : this.dockerSource;
    } catch (err) {
      this.lost(gen, describeConnectionError(this.endpoint, err));
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    this.connectTimer = setTimeout(() => {
      if (gen !== this.generation) return;
      this.lost(gen, `Docker at ${this.endpoint} did not answer the event stream request within ${this.connectTimeoutMs} ms`);
    }, this.connectTimeoutMs);
    const opts: Dockerode.GetEventsOptions & { abortSignal: AbortSignal } = {
      filters: { type: ['container'], event: [...CONTAINER_ACTIONS] },
      abortSignal: abort.signal,
    };
    try {
      docker.getEvents(opts, (err, stream) => {
        try {
          if (gen !== this.generation) {
            destroyQuietly(stream);
            return;
          }
          if (err || !stream) {
            this.lost(gen, describeConnectionError(this.endpoint, err ?? new Error('no stream returned')));
            return;
          }
          this.attach(gen, stream);
        } catch (e) {
          this.lost(gen, describeConnectionError(this.endpoint, e));
        }
      });
    } catch (err) {
      this.lost(gen, describeConnectionError(this.endpoint, err));
    }
  }

  private attach(gen: number, stream: NodeJS.ReadableStream): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    this.response = stream;
    const decoder = new StringDecoder('utf8');
    let pending = '';
    const after = this.lastError;
    stream.on('data', (chunk: Buffer | string) => {
      if (gen !== this.generation) return;
      try {
        pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
        const { events, rest } = splitJsonLines(pending);
        pending = rest.length > MAX_PENDING_CHARS ? '' : rest;
        for (const obj of events) {
          const ev = parseDockerEvent(obj);
          if (ev !== null) this.safeEmit('event', ev);
        }
      } catch (e) {
        this.lost(gen, describeConnectionError(this.endpoint, e));
      }
    });
    stream.on('error', (err: unknown) => this.lost(gen, describeConnectionError(this.endpoint, err)));
    stream.on('end', () => this.lost(gen, `the event stream from ${this.endpoint} ended; dockerd stopped or restarted?`));
    stream.on('close', () => this.lost(gen, `the event stream from ${this.endpoint} closed; dockerd stopped or restarted?`));

    this.failures = 0;
    this.lastError = null;
    this.setState({ connected: true, error: null, since: this.now(), retryInMs: null });
    if (after !== null && gen === this.generation) this.safeEmit('resync', { endpoint: this.endpoint, since: this.current.since, after });
  }

  /** The attempt `gen` failed or its stream ended: report it and schedule the next attempt. */
  private lost(gen: number, error: string): void {
    if (gen !== this.generation || !this.running) return;
    this.generation++;
    this.teardown();
    const delay = backoffDelay(this.backoff, this.failures);
    this.failures++;
    this.lastError = error;
    this.setState({ connected: false, error, since: this.now(), retryInMs: delay });
    if (!this.running) return; // a state listener called stop()
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running) this.connect();
    }, delay);
  }

  private setState(s: EventStreamState): void {
    this.current = s;
    this.safeEmit('state', s);
  }

  /** Emits without letting a throwing listener escape into a socket callback. */
  private safeEmit<K extends keyof DockerEventStreamEvents>(name: K, ...args: DockerEventStreamEvents[K]): void {
    try {
      (this.emit as (n: K, ...a: DockerEventStreamEvents[K]) => boolean).call(this, name, ...args);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      process.emitWarning(`a DockerEventStream '${String(name)}' listener threw: ${message}`, 'DockerEventStreamWarning');
    }
  }
}

function destroyQuietly(stream: NodeJS.ReadableStream | undefined): void {
  const s = stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  try {
    s?.destroy?.();
  } catch {
    // nothing left to close
  }
}
