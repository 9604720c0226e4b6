import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockerEngine } from '../electron/collector/engines/docker';
import { LSNS_ARGS } from '../electron/collector/lsns';
import { readProcessTable } from '../electron/collector/procfs/process';
import { CollectorService } from '../electron/collector/service/collector-service';
import { liveSources, takeSnapshot } from '../electron/collector/snapshot';
import type { Timing } from './measure';
import { time, timeCommand } from './measure';

// `npm run bench [-- --runs N]`: the collector timed in-process beside lsns and ps in the same run.
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runsArg = argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 7;
  const processes = readProcessTable('/proc').processes.length;
  const docker = new DockerEngine();
  const dockerUp = (await docker.probe()).available;

  const rows: { timing: Timing; reference?: Timing }[] = [];
  const lsns = await timeCommand('lsns -J (reference)', runs, 'lsns', LSNS_ARGS);
  const ps = await timeCommand('ps -e (reference)', runs, 'ps', ['-e']);
  const psaxf = await timeCommand('ps axf (reference)', runs, 'ps', ['axf']);
  const table = await time('/proc process table (9 ns links, stat, status, cmdline, cgroup)', runs, () => readProcessTable('/proc'));
  const snapNoEngines = await time('full snapshot, /proc + lsns, no engine', runs, () => takeSnapshot(liveSources([])));
  rows.push({ timing: lsns }, { timing: ps }, { timing: psaxf });
  rows.push({ timing: table, reference: ps }, { timing: snapNoEngines, reference: lsns });
  if (dockerUp) rows.push({ timing: await time('full snapshot, /proc + lsns + Docker', runs, () => takeSnapshot(liveSources([docker]))), reference: lsns });

  // The live service: a steady tick with the cache warm (nothing new), and what crosses the wire.
  const service = new CollectorService({ engines: dockerUp ? [docker] : [], lsns: null, intervalMs: 3_600_000, figuresMs: 0 });
  await service.start();
  const deltas: number[] = [];
  service.on('delta', (d) => deltas.push(JSON.stringify({ type: 'event', event: 'delta', payload: d }).length));
  const tick = await time('steady tick (cache warm: stat per pid, usage per container)', runs, () => service.tickNow());
  rows.push({ timing: tick, reference: ps });
  const snapshotBytes = JSON.stringify(service.current()).length;
  await service.stop();
  const deltaBytes = deltas.length > 0 ? deltas.reduce((a, b) => a + b, 0) / deltas.length : 0;

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`isolens bench: ${os.cpus().length} × ${cpu}, kernel ${os.release()}, ${processes} processes, ${runs} runs each (median)`);
  console.log(`${'measure'.padEnd(80)} ${'median'.padStart(9)} ${'min'.padStart(9)}  ratio to reference`);
  for (const { timing, reference } of rows) {
    const ratio = reference ? `${(timing.medianMs / reference.medianMs).toFixed(2)}× ${reference.name.replace(' (reference)', '')}` : '';
    console.log(`${timing.name.padEnd(80)} ${timing.medianMs.toFixed(1).padStart(7)}ms ${timing.minMs.toFixed(1).padStart(7)}ms  ${ratio}`);
  }
  console.log(`bytes per steady delta ${deltaBytes.toFixed(0)} vs full snapshot ${snapshotBytes}: ${((100 * deltaBytes) / snapshotBytes).toFixed(1)}%`);
  const out = path.join(__dirname, 'results', 'latest.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ takenAt: new Date().toISOString(), machine: { cpus: os.cpus().length, cpu, kernel: os.release() }, processes, rows, wire: { deltaBytes, snapshotBytes } }, null, 2));
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
