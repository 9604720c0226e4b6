// The collector as `isolens serve` runs it (its worker's young generation given by node's
// --max-semi-space-size, see probe.ts), alone in its own process so that its memory and CPU
// can be measured without the bench's: a full snapshot first, then the live service at 1 Hz
// with the default engines and relations and a viewer showing 200 rows. Prints JSON lines (ProbeMessage) on stdout; stops on
// SIGTERM or when stdin closes. Bundled by bench/probe.ts and run with plain node.
import { DockerEngine } from '../electron/collector/engines/docker';
import { defaultEngines } from '../electron/collector/engines/registry';
import { defaultRelations } from '../electron/collector/relations';
import { CollectorService } from '../electron/collector/service/collector-service';
import { keepShortLivedObjectsYoung } from '../electron/collector/service/heap-flags';
import { liveSources, takeSnapshot } from '../electron/collector/snapshot';
import { screenView } from './view';
import type { ProbeMessage, ProbeSample } from './probe-protocol';

function sampleOf(service: CollectorService, deltas: number): ProbeSample {
  const m = process.memoryUsage();
  let processes = 0;
  let containers = 0;
  try {
    const s = service.current().snapshot;
    processes = s.processes.length;
    containers = s.containers.length;
  } catch {
    // before the first tick
  }
  return { t: Date.now(), rssBytes: m.rss, heapUsedBytes: m.heapUsed, externalBytes: m.external, processes, containers, deltas, costs: service.costs() };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--sample-ms');
  const sampleMs = at >= 0 ? Number(process.argv[at + 1]) : 10_000;
  const emit = (m: ProbeMessage): void => {
    process.stdout.write(`${JSON.stringify(m)}\n`);
  };

  // As the service does when it starts: set before this first snapshot, which would train V8's pretenuring otherwise.
  keepShortLivedObjectsYoung();
  const snapshot = await takeSnapshot(liveSources([new DockerEngine()]));
  const snapshotProcesses = snapshot.processes.length;
  const service = new CollectorService({ engines: defaultEngines(), lsns: defaultRelations(), log: (line) => emit({ kind: 'log', line }) });
  let deltas = 0;
  service.on('delta', () => {
    deltas++;
  });
  await service.start();
  // A viewer with a screenful of rows, renewed like the renderer does (views expire).
  const view = (): void => service.setView('bench', screenView(service));
  view();
  const viewTimer = setInterval(view, 5000);
  await service.tickNow();
  await service.tickNow();
  emit({ kind: 'warm', snapshotProcesses, sample: sampleOf(service, deltas) });
  const timer = setInterval(() => emit({ kind: 'sample', sample: sampleOf(service, deltas) }), sampleMs);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    clearInterval(viewTimer);
    void service.stop().finally(() => {
      emit({ kind: 'stopped' });
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ kind: 'failed', message: e instanceof Error ? e.stack ?? e.message : String(e) })}\n`);
  process.exit(1);
});
