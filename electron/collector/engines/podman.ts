import * as path from 'node:path';
import type { EngineStatus } from '../../../shared/model';
import { DockerEngine } from './docker';
import { findExecutable, isSocket } from './host-tools';
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

/** Options of PodmanEngine: its API socket (default /run/podman/podman.sock) and time limits. */
export interface PodmanEngineOptions {
  readonly socket?: string;
  readonly probeTimeoutMs?: number;
  readonly listTimeoutMs?: number;
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

  constructor(opts: PodmanEngineOptions = {}) {
    this.socket = opts.socket ?? PODMAN_ROOT_SOCKET;
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

  async listContainers(): Promise<EngineContainer[]> {
    try {
      const list = await this.docker.listContainers();
      return list.map((c) => ({ ...c, engine: this.kind }));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new EngineError(this.kind, this.endpoint, podmanReason(message), { cause: e });
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
