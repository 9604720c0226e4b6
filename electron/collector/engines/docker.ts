import type * as http from 'node:http';
import fs from 'node:fs';
import type Docker from 'dockerode';
import { dockerClientFor } from './dockerode';
import type { ContainerConfig, EngineStatus } from '../../../shared/model';
import { EngineError, type EngineAdapter, type EngineContainer, type EngineWatchListener } from './types';
import { DockerEventStream } from './docker-events';
import { VersionMemo } from './version-memo';

/** Docker's default API socket (dockerd(8) -H). */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** Where to reach dockerd (docker(1) DOCKER_HOST): a unix socket, loopback TCP, or an endpoint this tool refuses to use. */
export type DockerEndpoint =
  | { readonly kind: 'unix'; readonly url: string; readonly path: string }
  | { readonly kind: 'tcp'; readonly url: string; readonly host: string; readonly port: number }
  | { readonly kind: 'refused'; readonly url: string; readonly reason: string };

const LOOPBACK_NAMES = new Set(['localhost', '[::1]', '::1']);

function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Resolves the Docker endpoint from an explicit "unix:///path", "/path" or "tcp://host:port",
 * else DOCKER_HOST (docker(1)), else /var/run/docker.sock. Only unix sockets and plain TCP on
 * loopback are used; anything else (remote hosts, ssh://, TLS) is refused with the reason.
 */
export function resolveDockerEndpoint(explicit?: string, env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  const fromEnv = explicit === undefined || explicit === '';
  const raw = fromEnv ? (env.DOCKER_HOST ?? '') : explicit;
  const source = fromEnv ? 'DOCKER_HOST' : 'endpoint';
  if (raw === '') return { kind: 'unix', url: `unix://${DEFAULT_DOCKER_SOCKET}`, path: DEFAULT_DOCKER_SOCKET };
  if (raw.startsWith('/')) return { kind: 'unix', url: `unix://${raw}`, path: raw };
  if (raw.startsWith('unix://')) {
    const path = raw.slice('unix://'.length) || DEFAULT_DOCKER_SOCKET;
    return { kind: 'unix', url: `unix://${path}`, path };
  }
  const refuse = (reason: string): DockerEndpoint => ({ kind: 'refused', url: raw, reason: `${source}=${raw}: ${reason}` });
  if (!raw.startsWith('tcp://')) return refuse('only unix:// sockets and tcp:// on loopback are supported');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not a valid tcp:// address');
  }
  if (!isLoopbackHost(url.hostname)) return refuse(`not connecting to ${url.hostname}: only loopback (127.0.0.1, localhost, ::1) is allowed`);
  const port = url.port === '' ? 2375 : Number(url.port);
  if (port === 2376 || env.DOCKER_TLS_VERIFY === '1') return refuse('TLS endpoints (DOCKER_TLS_VERIFY, port 2376) are not supported');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { kind: 'tcp', url: `tcp://${url.hostname}:${port}`, host, port };
}

/** Malformed Docker Engine API ContainerInspect JSON (no Id). */
export class DockerInspectError extends Error {
  override readonly name = 'DockerInspectError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/** Docker prints Go's zero time for "never". */
const time = (v: unknown): string | null => {
  const s = strOrNull(v);
  return s === null || s.startsWith('0001-01-01') ? null : s;
};

/** Capability names as `docker run --cap-add` takes them: "NET_ADMIN" (dockerd >= 20.10 stores "CAP_NET_ADMIN"), "ALL". */
function capList(v: unknown): string[] {
  return strList(v).map((c) => c.toUpperCase().replace(/^CAP_/, ''));
}

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(rec(v))) if (typeof val === 'string') out[k] = val;
  return out;
}

/**
 * Maps Docker Engine API ContainerInspect (GET /containers/{id}/json) to an EngineContainer.
 * Copies only the listed fields: never Config.Env (it often holds secrets). Capabilities lose
 * the "CAP_" prefix that dockerd >= 20.10 adds, so they read as given to `docker run --cap-add`.
 */
export function mapInspect(inspect: unknown): EngineContainer {
  if (!isRecord(inspect) || typeof inspect.Id !== 'string' || inspect.Id === '') {
    throw new DockerInspectError('container inspect JSON has no Id');
  }
  const cfg = rec(inspect.Config);
  const host = rec(inspect.HostConfig);
  const state = rec(inspect.State);
  const pid = typeof state.Pid === 'number' && Number.isSafeInteger(state.Pid) && state.Pid > 0 ? state.Pid : null;
  const config: ContainerConfig = {
    privileged: host.Privileged === true,
    capAdd: capList(host.CapAdd),
    capDrop: capList(host.CapDrop),
    securityOpt: strList(host.SecurityOpt),
    namespaceModes: {
      pid: str(host.PidMode),
      net: str(host.NetworkMode),
      ipc: str(host.IpcMode),
      uts: str(host.UTSMode),
      user: str(host.UsernsMode),
      cgroup: str(host.CgroupnsMode),
    },
    user: strOrNull(cfg.User),
    readOnlyRootfs: host.ReadonlyRootfs === true,
  };
  return {
    id: inspect.Id,
    name: str(inspect.Name).replace(/^\//, ''),
    engine: 'docker',
    image: strOrNull(cfg.Image),
    imageId: strOrNull(inspect.Image),
    state: str(state.Status) || 'unknown',
    pid,
    labels: labelsOf(cfg.Labels),
    config,
    createdAt: time(inspect.Created),
    startedAt: time(state.StartedAt),
  };
}

interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  json?: unknown;
  message?: unknown;
}

/** A timeout of our own, told apart from the engine's errors. */
class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** A one-line, actionable reason for a failed call to dockerd at `endpoint`. */
export function describeDockerError(err: unknown, endpoint: DockerEndpoint): string {
  const where = endpoint.kind === 'unix' ? endpoint.path : endpoint.url;
  if (err instanceof TimeoutError) return err.message;
  const e: ErrorLike = isRecord(err) ? err : {};
  const message = typeof e.message === 'string' ? e.message : String(err);
  switch (e.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `socket ${where} not found (is dockerd running?)`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${where}: add the user to the docker group or run as root`;
    case 'ECONNREFUSED':
      return `connection refused on ${where} (is dockerd running?)`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${where} closed the connection (is it a Docker API socket?)`;
    case 'ETIMEDOUT':
      return `no answer from ${where} (timed out)`;
    default:
      break;
  }
  if (typeof e.statusCode === 'number') {
    const detail = isRecord(e.json) && typeof e.json.message === 'string' ? e.json.message : message;
    return `dockerd at ${where} answered HTTP ${e.statusCode}: ${detail}`;
  }
  return `${where}: ${message}`;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no answer from ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Checks a unix socket path before connecting: a missing file, a plain file or missing permissions give a clear reason. */
function checkSocket(path: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch (e) {
    return describeDockerError(e, { kind: 'unix', url: `unix://${path}`, path });
  }
  if (!st.isSocket()) return `${path} is not a socket (is dockerd running?)`;
  try {
    fs.accessSync(path, fs.constants.R_OK | fs.constants.W_OK);
  } catch (e) {
    return describeDockerError(e, { kind: 'unix', url: `unix://${path}`, path });
  }
  return null;
}

/** Options of DockerEngine: the endpoint (else DOCKER_HOST from env, else /var/run/docker.sock) and time limits. */
export interface DockerEngineOptions {
  readonly endpoint?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Limit for probe() (default 3000 ms). */
  readonly probeTimeoutMs?: number;
  /** Limit for the whole of listContainers() (default 10000 ms). */
  readonly listTimeoutMs?: number;
  /** The HTTP agent of its connections (default: Node's global one, which pools them by socket path). */
  readonly agent?: http.Agent;
  /** How long a version read from /version stands while /_ping answers (default 60 s: version-memo.ts). */
  readonly versionTtlMs?: number;
}

/**
 * Whether a container event (docker-events(1)) can change the running containers listContainers
 * gives: not `create` (not running yet: `start` follows), `kill` (a signal; `die` follows if it
 * ends the container) or `stop` (after its `die`). Those would each cost a relist and a tick, and
 * the tick for `create` holds back the one for `start` that shows the container.
 */
export function changesRunningList(action: string): boolean {
  return action !== 'create' && action !== 'kill' && action !== 'stop';
}

/** How long answers prefetched on an event wait for the relist it causes (ms). */
const PREFETCH_TTL_MS = 2000;

/** The Docker Engine API (GET /version, /_ping, /containers/json, /containers/{id}/json) through dockerode. */
export class DockerEngine implements EngineAdapter {
  readonly kind = 'docker' as const;
  readonly endpoint: string;
  readonly target: DockerEndpoint;
  private readonly probeTimeoutMs: number;
  private readonly listTimeoutMs: number;
  private readonly agent: http.Agent | undefined;
  private client: Docker | null = null;
  /**
   * Inspected containers by id, kept only while /events is followed: an event about a container
   * (start, restart, die, update…) drops its entry, a reconnect drops all. A relist then inspects
   * only what is new or changed, not every running container.
   */
  private readonly inspected = new Map<string, EngineContainer>();
  private watching = 0;
  /** Container events seen (an inspect asked before the last one is not cached). */
  private events = 0;
  /**
   * The answers asked for the moment an event said the running containers changed (while the
   * service waits for the rest of the burst and reads /proc, dockerd answers on the other core):
   * taken, each once, by the next probe() and listContainers() within PREFETCH_TTL_MS.
   */
  private prefetched: { readonly at: number; status: Promise<EngineStatus> | null; list: Promise<EngineContainer[]> | null } | null = null;
  /**
   * The engine's version from its last /version (~4 ms of dockerd's CPU and two execs): while it
   * stands a probe only pings. Dropped when a call fails or the events stream reconnects.
   */
  private readonly version: VersionMemo;

  constructor(opts: DockerEngineOptions = {}) {
    this.target = resolveDockerEndpoint(opts.endpoint, opts.env ?? process.env);
    this.endpoint = this.target.url;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 3000;
    this.listTimeoutMs = opts.listTimeoutMs ?? 10_000;
    this.agent = opts.agent;
    this.version = new VersionMemo(opts.versionTtlMs);
  }

  /** The reason not to connect, or null; builds the client on first use. */
  private connect(): { docker: Docker } | { error: string } {
    const t = this.target;
    if (t.kind === 'refused') return { error: t.reason };
    if (t.kind === 'unix') {
      const bad = checkSocket(t.path);
      if (bad !== null) return { error: bad };
    }
    if (this.client === null) {
      try {
        this.client = dockerClientFor(t, Math.max(this.probeTimeoutMs, this.listTimeoutMs) + 1000, this.agent);
      } catch (e) {
        return { error: `cannot set up a client for ${t.url}: ${(e as Error).message}` };
      }
    }
    return { docker: this.client };
  }

  /** Follows /events with back-off reconnects (DockerEventStream); the client is built even while the socket is missing. */
  watch(listener: EngineWatchListener): () => void {
    const t = this.target;
    if (t.kind === 'refused') {
      listener.state(false, t.reason);
      return () => undefined;
    }
    const stream = new DockerEventStream({
      endpoint: this.endpoint,
      docker: () => dockerClientFor(t, null),
    });
    stream.on('event', (e) => {
      this.events++;
      this.inspected.delete(e.id);
      if (!changesRunningList(e.action)) return;
      this.prefetch();
      listener.changed(e.action, e.id);
    });
    stream.on('resync', () => {
      this.inspected.clear();
      this.prefetched = null;
      listener.changed('resync', null);
    });
    stream.on('state', (s) => {
      this.inspected.clear();
      this.prefetched = null;
      this.version.drop();
      listener.state(s.connected, s.error);
    });
    this.watching++;
    stream.start();
    return () => {
      this.watching--;
      this.inspected.clear();
      stream.stop();
    };
  }

  /** Asks for the version and the running containers now, for the relist the event will cause (see `prefetched`). */
  private prefetch(): void {
    const status = this.probeNow();
    const list = this.listNow();
    // Nobody may take the list (the service stopped, or the probe says dockerd is down): a failure is the taker's to see, not an unhandled rejection.
    list.catch(() => undefined);
    this.prefetched = { at: Date.now(), status, list };
  }

  /** The prefetched answers, if they are fresh enough to stand for asking now. */
  private freshPrefetch(): NonNullable<DockerEngine['prefetched']> | null {
    const p = this.prefetched;
    return p !== null && Date.now() - p.at <= PREFETCH_TTL_MS ? p : null;
  }

  probe(): Promise<EngineStatus> {
    const p = this.freshPrefetch();
    const status = p?.status ?? this.probeNow();
    if (p) p.status = null;
    return status;
  }

  private async probeNow(): Promise<EngineStatus> {
    const down = (error: string): EngineStatus => ({ name: this.kind, available: false, endpoint: this.endpoint, version: null, error });
    const up = (version: string): EngineStatus => ({ name: this.kind, available: true, endpoint: this.endpoint, version, error: null });
    const c = this.connect();
    if ('error' in c) {
      this.version.drop();
      return down(c.error);
    }
    const known = this.version.fresh();
    try {
      if (known !== null) {
        await withTimeout(c.docker.ping(), this.probeTimeoutMs, this.endpoint);
        return up(known);
      }
      const v: unknown = await withTimeout(c.docker.version(), this.probeTimeoutMs, this.endpoint);
      const version = isRecord(v) && typeof v.Version === 'string' ? v.Version : null;
      if (version === null) return down(`${this.endpoint} answered /version without a Version: is it a Docker API?`);
      this.version.set(version);
      return up(version);
    } catch (e) {
      this.version.drop();
      return down(describeDockerError(e, this.target));
    }
  }

  listContainers(): Promise<EngineContainer[]> {
    const p = this.freshPrefetch();
    const list = p?.list ?? this.listNow();
    if (p) p.list = null;
    return list;
  }

  private async listNow(): Promise<EngineContainer[]> {
    const c = this.connect();
    if ('error' in c) throw new EngineError(this.kind, this.endpoint, c.error);
    const docker = c.docker;
    const work = async (): Promise<EngineContainer[]> => {
      const list = await docker.listContainers({ all: false });
      const cache = this.watching > 0 ? this.inspected : null;
      const settled = await Promise.allSettled(list.map(async (s): Promise<EngineContainer> => {
        const hit = cache?.get(s.Id);
        if (hit) return hit;
        const asked = this.events;
        const c = mapInspect(await docker.getContainer(s.Id).inspect());
        // An event since the inspect was asked may have made it stale (a prefetch runs beside the next one's).
        if (asked === this.events) cache?.set(s.Id, c);
        return c;
      }));
      const out: EngineContainer[] = [];
      for (const r of settled) {
        if (r.status === 'fulfilled') {
          out.push(r.value);
        } else if (!(isRecord(r.reason) && r.reason.statusCode === 404)) {
          // 404: removed between list and inspect, dropped silently; anything else means the API is failing.
          throw r.reason;
        }
      }
      if (cache) {
        const live = new Set(list.map((s) => s.Id));
        for (const id of cache.keys()) if (!live.has(id)) cache.delete(id);
      }
      return out;
    };
    try {
      return await withTimeout(work(), this.listTimeoutMs, this.endpoint);
    } catch (e) {
      this.version.drop();
      if (e instanceof EngineError) throw e;
      throw new EngineError(this.kind, this.endpoint, e instanceof DockerInspectError ? e.message : describeDockerError(e, this.target), { cause: e });
    }
  }
}
