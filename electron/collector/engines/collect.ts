import type { EngineStatus } from '../../../shared/model';
import type { EngineAdapter, EngineContainer, EngineReport } from './types';

/** What every engine answered: its status, its running containers, and warnings for those that failed. */
export interface EngineCollection {
  statuses: EngineStatus[];
  containers: EngineContainer[];
  warnings: string[];
}

/** Queries all engines in parallel (those that search the process table once `tableRead` resolves); one engine failing never hides another's containers. */
export async function collectEngines(engines: readonly EngineAdapter[], tableRead: Promise<void> = Promise.resolve()): Promise<EngineCollection> {
  // Those that search the process table wait for it; the others (an API over a socket) start at once.
  const gate = (e: EngineAdapter): Promise<void> => (e.readsProcessTable ? tableRead : Promise.resolve());
  // Adapters that stand for several engines found at each relist (engines/nested.ts) report each one.
  const multi = Promise.all(engines.map((e) => (e.collectAll ? gate(e).then(() => e.collectAll?.() ?? []).catch((): EngineReport[] => []) : Promise.resolve([]))));
  const results = await Promise.all(
    engines.filter((e) => !e.collectAll).map(async (e): Promise<{ status: EngineStatus; containers: EngineContainer[]; fromDisk?: boolean }> => {
      await gate(e);
      const status = await e.probe();
      if (!status.available) {
        if (!e.listFromDisk) return { status, containers: [] };
        // The API is down but the engine's own files say what runs (Podman without its service).
        return e.listFromDisk().then((containers) => ({ status, containers, fromDisk: true }), () => ({ status, containers: [] }));
      }
      try {
        return { status, containers: await e.listContainers() };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return { status: { ...status, available: false, error: `listing containers failed: ${message}` }, containers: [] };
      }
    }),
  );
  results.push(...(await multi).flat());
  const warnings = results
    .filter((r) => !r.status.available)
    .map((r) => `${r.status.name} is not available at ${r.status.endpoint}: ${r.status.error ?? 'unknown error'}. ` +
      (r.fromDisk === true ? 'Its running containers are read from its on-disk state (names, images, pods).' : 'Its containers are found from cgroup paths only (no names or images).'));
  return { statuses: results.map((r) => r.status), containers: results.flatMap((r) => r.containers), warnings };
}
