import * as path from 'node:path';
import type { EngineStatus } from '../../../shared/model';
import { DockerEngine } from './docker';
import { findExecutable, isSocket } from './host-tools';
import { readPodmanDisk } from './podman-disk';
import { fetchLibpodList, type LibpodListEntry } from './podman-libpod';
import { podmanStorageRoots, type StorageRoots } from './podman-storage';
import { EngineError, type EngineAdapter, type EngineContainer, type EngineWatchListener } from './types';

/** The rootful Podman API socket (podman-system-service(1), podman.socket). */
export const PODMAN_ROOT_SOCKET = '/run/podman/podman.sock';

/** The rootless Podman API socket of a user: $XDG_RUNTIME_DIR/podman/podman.sock (podman-system-service(1)). */
export function rootlessPodmanSocket(env: NodeJS.ProcessEnv, uid: number): string {
  const runtime = env.XDG_RUNTIME_DIR && env.XDG_RUNTIME_DIR.startsWith('/') ? env.XDG_RUNTIME_DIR : `/run/user/${uid}`;
  return path.join(runtime, 'podman', 'podman.sock');
}

/** The Podman sockets to ask: the rootful one, and the caller's rootless one when not root (deduplicated). */
export function podmanSockets(env: NodeJS.ProcessEnv = process.env, uid: number = typeof process.geteuid === 'function' ? process.geteuid() : 0): string[] {
  const out = [PODMAN_ROOT_SOCKET];
  if (uid !== 0) out.push(rootlessPodmanSocket(env, uid));
  return [...new Set(out)];
}

/** Rewords DockerEngine's reasons for Podman: its service is `podman system service`, not dockerd. */
export function podmanReason(reason: string): string {
  return reason
    .replace(/\(is dockerd running\?\)/g, '(is `podman system service` or podman.socket running?)')
    .replace(/add the user to the docker group or run as root/g, 'run as root for the rootful socket, or use your rootless one')
    .replace(/dockerd at /g, 'podman at ')
    .replace(/is it a Docker API( socket)?\?/g, 'is it the Podman API$1?');
}

/** Options of PodmanEngine: its API socket (default /run/podman/podman.sock), time limits, and where its files are. */
export interface PodmanEngineOptions {
  readonly socket?: string;
  readonly probeTimeoutMs?: number;
  readonly listTimeoutMs?: number;
  /** Storage read when the service is not running; default: root's for the rootful socket, else the caller's (containers-storage.conf(5)); null: never read. */
  readonly storage?: StorageRoots | null;
  /** procfs mount point, to tell running containers in the on-disk state (default /proc). */
  readonly procRoot?: string;
}

/**
 * Podman through its Docker-compatible REST API (podman-system-service(1)): a DockerEngine on the
 * Podman socket whose containers, statuses and errors are tagged `podman`. Without the service,
 * Podman containers are still found from their cgroup paths (libpod-<id>, cgroupfs/attribution.ts).
 */
export class PodmanEngine implements EngineAdapter {
  readonly kind = 'podman' as const;
  readonly endpoint: string;
  readonly socket: string;
  private readonly docker: DockerEngine;
  private readonly storage: StorageRoots | null;
  private readonly procRoot: string;
  private readonly listTimeoutMs: number;

  constructor(opts: PodmanEngineOptions = {}) {
    this.socket = opts.socket ?? PODMAN_ROOT_SOCKET;
    const uid = typeof process.geteuid === 'function' ? process.geteuid() : 0;
    this.storage = opts.storage !== undefined ? opts.storage : podmanStorageRoots(process.env, this.socket === PODMAN_ROOT_SOCKET ? 0 : uid);
    this.procRoot = opts.procRoot ?? '/proc';
    this.listTimeoutMs = opts.listTimeoutMs ?? 10_000;
    // An explicit endpoint and an empty environment: DOCKER_HOST must not redirect Podman's client.
    this.docker = new DockerEngine({
      endpoint: `unix://${this.socket}`, env: {},
      ...(opts.probeTimeoutMs !== undefined ? { probeTimeoutMs: opts.probeTimeoutMs } : {}),
      ...(opts.listTimeoutMs !== undefined ? { listTimeoutMs: opts.listTimeoutMs } : {}),
    });
    this.endpoint = this.docker.endpoint;
  }

  async probe(): Promise<EngineStatus> {
    const s = await this.docker.probe();
    if (!s.available && !isSocket(this.socket) && findExecutable('podman') !== null) {
      return { ...s, name: this.kind, error: `podman is installed but its API service is not running (${this.socket} missing): start \`podman system service --time=0\` or podman.socket` };
    }
    return { ...s, name: this.kind, error: s.error === null ? null : podmanReason(s.error) };
  }

  /**
   * The compat API's inspected containers, each with its pod and infra flag from the libpod API
   * (GET /v4.0.0/libpod/containers/json: Pod, PodName, IsInfra); without that answer, no pod.
   */
  async listContainers(): Promise<EngineContainer[]> {
    try {
      const [list, libpod] = await Promise.all([
        this.docker.listContainers(),
        fetchLibpodList(this.socket, this.listTimeoutMs).catch((): ReadonlyMap<string, LibpodListEntry> => new Map()),
      ]);
      return list.map((c) => {
        const l = libpod.get(c.id);
        return { ...c, engine: this.kind, ...(l ? { pod: l.pod, sandbox: l.infra } : {}) };
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new EngineError(this.kind, this.endpoint, podmanReason(message), { cause: e });
    }
  }

  /** Without the service: running containers from Podman's storage and libpod database (podman-disk.ts), read-only. */
  listFromDisk(): Promise<EngineContainer[]> {
    const roots = this.storage;
    if (roots === null) return Promise.resolve([]);
    try {
      return Promise.resolve(readPodmanDisk({ roots, procRoot: this.procRoot }));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return Promise.reject(new EngineError(this.kind, roots.graphRoot, `reading Podman's storage failed: ${message}`, { cause: e }));
    }
  }

  /** Podman's compat API serves Docker's /events stream: followed with the same back-off reconnects. */
  watch(listener: EngineWatchListener): () => void {
    return this.docker.watch({
      changed: (action, id) => listener.changed(action, id),
      state: (connected, error) => listener.state(connected, error === null ? null : podmanReason(error)),
    });
  }
}

/** Whether Podman is present: its binary or one of its sockets. */
export function podmanPresent(env: NodeJS.ProcessEnv = process.env, sockets: readonly string[] = podmanSockets(env)): boolean {
  return findExecutable('podman', env) !== null || sockets.some(isSocket);
}
