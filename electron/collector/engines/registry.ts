import { DockerEngine } from './docker';
import type { EngineAdapter } from './types';

/** Options of the engine registry: the environment (DOCKER_HOST…) to resolve endpoints from. */
export interface RegistryOptions {
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The engines the collector asks, each a small adapter (discover, list, inspect, events);
 * queried in parallel, one failing never hides another's containers (engines/collect.ts).
 */
export function defaultEngines(opts: RegistryOptions = {}): EngineAdapter[] {
  const env = opts.env ?? process.env;
  return [new DockerEngine({ env })];
}
