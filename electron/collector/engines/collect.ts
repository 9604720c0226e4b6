import type { EngineStatus } from '../../../shared/model';
import type { EngineAdapter, EngineContainer } from './types';

/** What every engine answered: its status, its running containers, and warnings for those that failed. */
export interface EngineCollection {
  statuses: EngineStatus[];
  containers: EngineContainer[];
  warnings: string[];
}

/** Queries all engines in parallel; one engine failing never hides another's containers. */
export async function collectEngines(engines: readonly EngineAdapter[]): Promise<EngineCollection> {
  const results = await Promise.all(
    engines.map(async (e): Promise<{ status: EngineStatus; containers: EngineContainer[] }> => {
      const status = await e.probe();
      if (!status.available) return { status, containers: [] };
      try {
        return { status, containers: await e.listContainers() };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return { status: { ...status, available: false, error: `listing containers failed: ${message}` }, containers: [] };
      }
    }),
  );
  const warnings = results
    .filter((r) => !r.status.available)
    .map((r) => `${r.status.name} is not available at ${r.status.endpoint}: ${r.status.error ?? 'unknown error'}. Its containers are found from cgroup paths only (no names or images).`);
  return { statuses: results.map((r) => r.status), containers: results.flatMap((r) => r.containers), warnings };
}
