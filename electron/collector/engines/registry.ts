import { ContainerdEngine, CONTAINERD_SOCKETS, existingContainerdSockets } from './containerd';
import { DockerEngine } from './docker';
import { findExecutable, isSocket } from './host-tools';
import { LxcEngine, lxcPresent } from './lxc';
import { HOST_ENGINE_SOCKETS, NestedEngines } from './nested';
import { NspawnEngine, nspawnPresent } from './nspawn';
import { PodmanEngine, podmanPresent, podmanSockets } from './podman';
import type { EngineAdapter } from './types';

/** Options of the engine registry: the environment (DOCKER_HOST, XDG_RUNTIME_DIR, PATH…) to resolve endpoints from. */
export interface RegistryOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** procfs mount point for the adapters that read /proc (LXC, nspawn); default /proc. */
  readonly procRoot?: string;
}

/**
 * The engines the collector asks, each a small adapter (discover, list, inspect, events);
 * queried in parallel, one failing never hides another's containers (engines/collect.ts).
 * Docker is always listed; every other engine only when it is present here (its socket or its
 * tools exist), so an engine that is not installed never shows up as an error. One that is
 * installed but not running (podman without its API service, containerd without its daemon) is
 * listed, unavailable, with the reason. Engines running inside containers are found at each
 * relist (engines/nested.ts), each listed under its own name only while it runs.
 */
export function defaultEngines(opts: RegistryOptions = {}): EngineAdapter[] {
  const env = opts.env ?? process.env;
  const procRoot = opts.procRoot ?? '/proc';
  const engines: EngineAdapter[] = [new DockerEngine({ env })];

  const podman = podmanSockets(env);
  const livePodman = podman.filter(isSocket);
  if (livePodman.length > 0) for (const socket of livePodman) engines.push(new PodmanEngine({ socket }));
  else if (podmanPresent(env, podman)) engines.push(new PodmanEngine({ socket: podman[podman.length - 1] }));

  const sockets = existingContainerdSockets();
  if (sockets.length > 0) for (const socket of sockets) engines.push(new ContainerdEngine({ socket }));
  else if (findExecutable('containerd', env) !== null) engines.push(new ContainerdEngine({ socket: CONTAINERD_SOCKETS[0] }));

  if (lxcPresent(env)) engines.push(new LxcEngine({ procRoot }));
  if (nspawnPresent(env)) engines.push(new NspawnEngine({ procRoot }));
  // Engines inside containers (docker-in-docker, kind): a /proc scan at each relist; the host's own sockets are never asked twice.
  const docker = engines[0] instanceof DockerEngine && engines[0].target.kind === 'unix' ? [engines[0].target.path] : [];
  engines.push(new NestedEngines({ procRoot, hostSockets: [...new Set([...HOST_ENGINE_SOCKETS, ...docker, ...podman])] }));
  return engines;
}
