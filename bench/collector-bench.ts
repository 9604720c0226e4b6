// The collector's figures at the machine's current process count, each beside a reference
// measured in the same run: the C floor, lsns -J, ps; the live service's steady tick, bytes per
// delta, new-container latency; and, in a child process, its memory and CPU at 1 Hz.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readFullTable } from '../electron/collector/discover/full-read';
import { startHolderScan } from '../electron/collector/discover/holders-native';
import { findNamespaceHolders } from '../electron/collector/discover/ns-holders';
import { DockerEngine } from '../electron/collector/engines/docker';
import { LSNS_ARGS } from '../electron/collector/lsns';
import { readProcessTable } from '../electron/collector/procfs/process';
import { defaultRelations } from '../electron/collector/relations';
import { CollectorService } from '../electron/collector/service/collector-service';
import { assembleSnapshot, cgroupMountsOf, effectiveUid, liveSources, nsfsMountsOf, type SnapshotParts, takeSnapshot } from '../electron/collector/snapshot';
import type { Figure } from './figures';
import { fasterThan, shareOf, slowerThan, under } from './figures';
import { compileFloor, type FloorMode, floorName, runFloorOnce } from './floor';
import { CommandRunner } from './runner';
import { type LatencyFigures, measureStartLatency } from './latency';
import { type Interleaved, type Timing, sleep, timeInterleaved } from './measure';
import { screenView, VIEW_ROWS } from './view';
import { bareNodeRss, cpuTimeMs, startProbe } from './probe';
import type { ProbeSample } from './probe-protocol';

/** The CLI as a user runs it (bin/isolens), and what `npm run build` must have made for it. */
const CLI_BIN = path.join(__dirname, '..', 'bin', 'isolens');
const CLI_ENTRY = path.join(__dirname, '..', 'dist', 'electron', 'cli', 'main.js');

/** Everything benchCollector measured. */
export interface CollectorBench {
  /** Processes the C floor read (the count the figures are at). */
  readonly processes: number;
  /** Where namespace parents and owners came from (isolens-nsinfo or lsns). */
  readonly relations: string;
  /** Who read the table of the full snapshots (readFullTable: isolens-table, or node). */
  readonly fullReader: string;
  readonly dockerUp: boolean;
  readonly timings: {
    readonly floor: Timing;
    /** The floor of a steady tick: only /proc/PID/stat, in C (timed in the steady tick's rounds). */
    readonly statFloor: Timing;
    /** The C floor again, timed in the resync tick's rounds. */
    readonly floorResync: Timing;
    readonly lsns: Timing;
    readonly psE: Timing;
    readonly psAxf: Timing;
    readonly snapshot: Timing;
    readonly snapshotDocker: Timing | null;
    /** `isolens snapshot --json` end to end in a new process (Node's start, loading, Docker if up, the JSON written); null when not built. */
    readonly cli: Timing | null;
    /** Parts of a full snapshot, timed alone. */
    /** The table and the fd and thread holders as a full snapshot reads them (readFullTable: isolens-table on two cores when built). */
    readonly fullRead: Timing;
    /** Node's own read of the table on one thread (the fallback's reads). */
    readonly table: Timing;
    readonly holders: Timing;
    /** The same scan with the fds and threads read by the isolens-holders helper (a child process; JS when it is missing). */
    readonly holdersNative: Timing;
    readonly relationsLookup: Timing;
    readonly assemble: Timing;
    readonly stringify: Timing;
    /** A tick with nothing changed and no viewer. */
    readonly steadyTick: Timing;
    /** A tick with nothing changed and a viewer showing VIEW_ROWS processes (their stat is read). */
    readonly steadyTickViewed: Timing;
    /** A tick right after a process came and went (the reference's own): /proc is listed again. */
    readonly changedTick: Timing;
    readonly resyncTick: Timing;
  };
  readonly wire: { readonly deltaBytes: number; readonly snapshotBytes: number; readonly deltas: number };
  readonly latency: LatencyFigures | null;
  readonly memory: {
    /** RSS after a full snapshot and with the service warm (process.memoryUsage().rss in the probe child). */
    readonly warmRssBytes: number;
    /** RSS at the end of the CPU window. */
    readonly steadyRssBytes: number;
    readonly heapUsedBytes: number;
    /** A bare node process: the runtime's own share. */
    readonly bareNodeRssBytes: number;
    /** The probe's samples every 5 s through the CPU window (RSS, heap, deltas). */
    readonly samples: readonly ProbeSample[];
  };
  readonly cpu: {
    readonly seconds: number;
    /** utime + stime of the collector and of its children over the window: the isolens-table it keeps, and those it waited for (lsns, isolens-nsinfo, ctr). */
    readonly cpuMs: number;
    readonly selfMs: number;
    readonly childrenMs: number;
    readonly percentOfCore: number;
    /** Deltas the service emitted in the window (about one per second). */
    readonly deltas: number;
    /** CPU of the steady ticks alone over the window, % of a core (null: the probe gave no costs). */
    readonly steadyPercent: number | null;
    /** Mean CPU time of one full pass (every 30 s) in the window; null if none ran. */
    readonly fullPassCpuMs: number | null;
    readonly fullPasses: number;
  };
}

/** Options of benchCollector. */
export interface CollectorBenchOptions {
  readonly runs: number;
  readonly cpuSeconds: number;
  readonly latencyRuns: number;
  readonly log: (line: string) => void;
}

/** Measures the collector now, at whatever process count the machine has. */
export async function benchCollector(opts: CollectorBenchOptions): Promise<CollectorBench> {
  const { runs, log } = opts;
  const docker = new DockerEngine();
  const dockerUp = (await docker.probe()).available;
  const relations = defaultRelations();
  const floorBin = compileFloor();
  // The references run from a small process of their own (runner.ts), each timed by it.
  const runner = new CommandRunner();
  let processes = 0;
  const floorOp = (mode: FloorMode) => async (): Promise<number> => {
    const r = await runFloorOnce(runner, floorBin.binary, '/proc', mode);
    if (mode === 'all') processes = r.processes;
    return r.ms;
  };
  const floor: Interleaved = { name: floorName('all'), op: floorOp('all'), selfTimed: true };
  const statFloorOp: Interleaved = { name: floorName('stat'), op: floorOp('stat'), selfTimed: true };
  const command = (name: string, cmd: string, args: readonly string[]): Interleaved => ({ name, op: () => runner.timed([cmd, ...args]), selfTimed: true });
  const engines = dockerUp ? [docker] : [];
  let t: Record<'floor' | 'statFloor' | 'floorResync' | 'lsns' | 'psE' | 'psAxf' | 'snapshot' | 'fullRead' | 'table' | 'holders' | 'holdersNative' | 'relationsLookup' | 'assemble' | 'stringify' | 'steadyTick' | 'steadyTickViewed' | 'changedTick' | 'resyncTick', Timing>;
  let snapshotDocker: Timing | null = null;
  let cli: Timing | null = null;
  const cliBuilt = fs.existsSync(CLI_ENTRY);
  let fullReader = 'node';
  let wire: CollectorBench['wire'];
  try {
    // Each measure is interleaved with its reference, round by round: both see the same load.
    log('full snapshots, interleaved with the C floor, lsns -J, ps -e and ps axf');
    const table = readProcessTable('/proc');
    const nsfs = nsfsMountsOf('/proc');
    const snap = await takeSnapshot(liveSources(engines));
    fullReader = (await readFullTable('/proc')).reader;
    const parts: SnapshotParts = {
      procRoot: '/proc', processes: table.processes, tableErrors: table.errors, mounts: cgroupMountsOf('/proc', []), nsfs,
      lsns: await relations.lookup({ procRoot: '/proc', processes: table.processes, nsfs }), engines: { statuses: [], containers: [], warnings: [] },
      warnings: [], holders: findNamespaceHolders('/proc', table.processes), hostname: os.hostname(), kernel: os.release(), collectorUid: effectiveUid(), takenAt: new Date(),
    };
    const a = await timeInterleaved(runs, [
      floor,
      command('lsns -J', 'lsns', LSNS_ARGS),
      command('ps -e', 'ps', ['-e']),
      command('ps axf', 'ps', ['axf']),
      { name: 'full snapshot (no engine)', op: () => takeSnapshot(liveSources([])) },
      ...(dockerUp ? [{ name: 'full snapshot with Docker', op: () => takeSnapshot(liveSources([docker])) }] : []),
      ...(cliBuilt ? [command('isolens snapshot --json (a new process)', process.execPath, [CLI_BIN, 'snapshot', '--json'])] : []),
      { name: 'process table + fd and thread holders (readFullTable)', op: () => readFullTable('/proc').then((r) => r.holders.result(r.processes)) },
      { name: '/proc process table (readProcessTable)', op: () => readProcessTable('/proc') },
      { name: 'namespace holders (fds, threads, mounts)', op: () => findNamespaceHolders('/proc', table.processes) },
      { name: 'namespace holders, fds and threads by isolens-holders', op: () => startHolderScan('/proc').result(table.processes) },
      { name: `namespace relations (${relations.name}, all namespaces)`, op: () => relations.lookup({ procRoot: '/proc', processes: table.processes, nsfs }) },
      { name: 'assembleSnapshot (discovery passes, limits, confinement)', op: () => assembleSnapshot(parts) },
      { name: 'JSON.stringify(snapshot)', op: () => JSON.stringify(snap) },
    ]);
    const [floorT, lsns, psE, psAxf, snapshot, ...rest] = a as [Timing, Timing, Timing, Timing, Timing, ...Timing[]];
    if (dockerUp) snapshotDocker = rest.shift() ?? null;
    if (cliBuilt) cli = rest.shift() ?? null;
    const [fullRead, tableT, holders, holdersNative, relationsLookup, assemble, stringify] = rest as [Timing, Timing, Timing, Timing, Timing, Timing, Timing];

    log('live service: steady ticks (interleaved with the C stat floor) and resync ticks (with the C floor)');
    const service = new CollectorService({ engines, lsns: relations, intervalMs: 3_600_000, resyncMs: 3_600_000, figuresMs: 0 });
    await service.start();
    const deltas: number[] = [];
    const off = service.on('delta', (d) => deltas.push(JSON.stringify(d).length));
    const steadyName = 'steady tick, nobody watching (service warm, nothing changed)';
    // The reference itself is a process that comes and goes: one untimed tick takes that change in,
    // then the timed tick is one where nothing changed since the tick before.
    const settledTick = async (): Promise<number> => {
      await service.tickNow();
      const t0 = performance.now();
      await service.tickNow();
      return performance.now() - t0;
    };
    const [statFloor, steadyTick] = (await timeInterleaved(runs, [statFloorOp, { name: steadyName, op: settledTick, selfTimed: true }])) as [Timing, Timing];
    // A viewer with a screenful of rows: their stat is read every tick.
    service.setView('bench', screenView(service));
    const [, steadyTickViewed] = (await timeInterleaved(runs, [statFloorOp, {
      name: `steady tick, ${VIEW_ROWS} rows on screen`,
      op: () => {
        service.setView('bench', screenView(service));
        return settledTick();
      },
      selfTimed: true,
    }])) as [Timing, Timing];
    const [, changedTick] = (await timeInterleaved(runs, [statFloorOp, {
      name: `tick after a process came and went, ${VIEW_ROWS} rows on screen`,
      op: () => service.tickNow(),
    }])) as [Timing, Timing];
    off();
    const snapshotBytes = JSON.stringify(service.current()).length;
    await service.stop();
    const resync = new CollectorService({ engines, lsns: relations, intervalMs: 3_600_000, resyncMs: 0, figuresMs: 0 });
    await resync.start();
    const [floorR, resyncTick] = (await timeInterleaved(runs, [floor, { name: 'resync tick (every process re-read, every 30 s)', op: () => resync.tickNow() }])) as [Timing, Timing];
    await resync.stop();
    wire = { deltaBytes: deltas.length > 0 ? deltas.reduce((x, y) => x + y, 0) / deltas.length : 0, snapshotBytes, deltas: deltas.length };
    t = { floor: floorT, statFloor, floorResync: floorR, lsns, psE, psAxf, snapshot, fullRead, table: tableT, holders, holdersNative, relationsLookup, assemble, stringify, steadyTick, steadyTickViewed, changedTick, resyncTick };
  } finally {
    runner.close();
    floorBin.dispose();
  }

  let latency: LatencyFigures | null = null;
  if (dockerUp) {
    log(`new container on screen: ${opts.latencyRuns} containers started under the 1 Hz service`);
    const live = new CollectorService({ engines: [docker], lsns: relations, figuresMs: 0 });
    await live.start();
    try {
      latency = await measureStartLatency(live, opts.latencyRuns);
    } finally {
      await live.stop();
    }
  }

  log(`collector alone in a child process: memory, then CPU over ${opts.cpuSeconds} s at 1 Hz`);
  const bare = bareNodeRss();
  const probe = await startProbe({ sampleMs: 5000 });
  let cpu: CollectorBench['cpu'];
  let steadyRss = probe.warm.sample.rssBytes;
  try {
    await sleep(2000);
    const windowStart = Date.now();
    const c0 = cpuTimeMs(probe.pid);
    const w0 = performance.now();
    const d0 = probe.samples[probe.samples.length - 1]?.deltas ?? probe.warm.sample.deltas;
    await sleep(opts.cpuSeconds * 1000);
    const c1 = cpuTimeMs(probe.pid);
    const selfMs = c1.selfMs - c0.selfMs;
    const childrenMs = c1.childrenMs - c0.childrenMs;
    const cpuMs = selfMs + childrenMs;
    const wallMs = performance.now() - w0;
    const last = probe.samples[probe.samples.length - 1];
    steadyRss = last?.rssBytes ?? steadyRss;
    // The ticks' own CPU from the probe's samples inside the window: steady ticks apart from full passes.
    const inWindow = probe.samples.filter((x) => x.t >= windowStart && x.costs !== undefined);
    const a = inWindow[0]?.costs;
    const z = inWindow[inWindow.length - 1];
    const span = z && inWindow[0] ? z.t - inWindow[0].t : 0;
    const steadyPercent = a && z?.costs && span > 0 ? (100 * (z.costs.steadyCpuMs - a.steadyCpuMs)) / span : null;
    const passes = a && z?.costs ? z.costs.fullPasses - a.fullPasses : 0;
    const fullPassCpuMs = a && z?.costs && passes > 0 ? (z.costs.fullPassCpuMs - a.fullPassCpuMs) / passes : null;
    cpu = { seconds: wallMs / 1000, cpuMs, selfMs, childrenMs, percentOfCore: (100 * cpuMs) / wallMs, deltas: (last?.deltas ?? d0) - d0, steadyPercent, fullPassCpuMs, fullPasses: passes };
    for (const line of probe.logs) log(`collector: ${line}`);
  } finally {
    await probe.stop();
  }
  return {
    processes,
    relations: relations.name,
    fullReader,
    dockerUp,
    timings: { ...t, snapshotDocker, cli },
    wire,
    latency,
    memory: { warmRssBytes: probe.warm.sample.rssBytes, steadyRssBytes: steadyRss, heapUsedBytes: probe.warm.sample.heapUsedBytes, bareNodeRssBytes: bare, samples: [...probe.samples] },
    cpu,
  };
}

const MB = 2 ** 20;

/** The figures with their references, ratios and targets (the targets are set for 10,000 processes). */
export function collectorFigures(b: CollectorBench): Figure[] {
  const t = b.timings;
  const floorMs = t.floor.medianMs;
  const out: Figure[] = [];
  out.push(slowerThan('full snapshot, no engine', t.snapshot.medianMs, 'C floor', floorMs, 1.3));
  out.push(fasterThan('full snapshot, no engine', t.snapshot.medianMs, 'lsns -J', t.lsns.medianMs, 4));
  if (t.snapshotDocker) {
    out.push(slowerThan('full snapshot with Docker', t.snapshotDocker.medianMs, 'C floor', floorMs, 1.3));
    out.push(fasterThan('full snapshot with Docker', t.snapshotDocker.medianMs, 'lsns -J', t.lsns.medianMs, 4));
  }
  if (t.cli) out.push(fasterThan('isolens snapshot --json, a new process', t.cli.medianMs, 'lsns -J', t.lsns.medianMs, null));
  out.push(fasterThan('full snapshot, no engine', t.snapshot.medianMs, 'ps -e', t.psE.medianMs, null));
  out.push(fasterThan('full snapshot, no engine', t.snapshot.medianMs, 'ps axf', t.psAxf.medianMs, null));
  out.push(slowerThan(`  of which table + fd/thread holders (${b.fullReader})`, t.fullRead.medianMs, 'C floor', floorMs, null));
  out.push(slowerThan("  without isolens-table: Node's table read, one thread", t.table.medianMs, 'C floor', floorMs, null));
  out.push(slowerThan('    namespace holders in JS (fds, threads, mounts)', t.holders.medianMs, 'C floor', floorMs, null));
  out.push(slowerThan('    namespace holders by isolens-holders (beside the table read)', t.holdersNative.medianMs, 'C floor', floorMs, null));
  // isolens-table asks for the relations as it reads: a snapshot it reads starts the provider only for bind mounts.
  const relationsLabel = b.fullReader === 'isolens-table' ? `  relations asked apart (${b.relations}; a snapshot has them from isolens-table)` : `  of which relations (${b.relations})`;
  out.push(slowerThan(relationsLabel, t.relationsLookup.medianMs, 'C floor', floorMs, null));
  out.push(slowerThan('  of which assembleSnapshot', t.assemble.medianMs, 'C floor', floorMs, null));
  out.push(slowerThan('  JSON.stringify(snapshot)', t.stringify.medianMs, 'C floor', floorMs, null));
  out.push(under(`steady tick, ${VIEW_ROWS} rows on screen`, t.steadyTickViewed.medianMs, 'ms', 'C stat floor', t.statFloor.medianMs, 30, ' (at 10k)'));
  out.push(under(`  a tick after a process came and went (/proc listed)`, t.changedTick.medianMs, 'ms', 'C stat floor', t.statFloor.medianMs, null));
  out.push(under('steady tick, nobody watching', t.steadyTick.medianMs, 'ms', 'C stat floor', t.statFloor.medianMs, 30, ' (at 10k)'));
  out.push(under('resync tick (every 30 s)', t.resyncTick.medianMs, 'ms', 'C floor', t.floorResync.medianMs, null));
  out.push(shareOf('bytes per steady delta', b.wire.deltaBytes, 'bytes', 'full snapshot', b.wire.snapshotBytes, 5));
  if (b.latency) {
    out.push(under('new container on screen', b.latency.added.medianMs, 'ms', 'event delivery', b.latency.eventDelivery.medianMs, 100));
    out.push(under('  worst of the runs', b.latency.added.maxMs, 'ms', 'event delivery', b.latency.eventDelivery.maxMs, null));
    out.push(under('  with its name (the engine\'s inspect in)', b.latency.named.medianMs, 'ms', 'event delivery', b.latency.eventDelivery.medianMs, null));
    if (b.latency.beforeEvent > 0) out.push(under(`  runs on screen before the start event (counted as 0 ms)`, b.latency.beforeEvent, 'runs', 'runs', b.latency.added.runs, null));
  }
  out.push(under('collector RSS, snapshot + service warm', b.memory.warmRssBytes / MB, 'MB', 'bare node', b.memory.bareNodeRssBytes / MB, 150));
  out.push(under(`collector RSS after ${b.cpu.seconds.toFixed(0)} s at 1 Hz`, b.memory.steadyRssBytes / MB, 'MB', 'bare node', b.memory.bareNodeRssBytes / MB, 150));
  if (b.cpu.steadyPercent !== null) {
    out.push(under('collector CPU at 1 Hz, steady ticks', b.cpu.steadyPercent, '%', 'C stat floor once a second', t.statFloor.medianMs / 10, 3, ' of a core'));
  }
  out.push(under('collector CPU at 1 Hz, all (full pass every 30 s)', b.cpu.percentOfCore, '%', 'C floor once a second', floorMs / 10, null));
  if (b.cpu.fullPassCpuMs !== null) out.push(under(`  of which a full pass (CPU, ${b.cpu.fullPasses} in the window)`, b.cpu.fullPassCpuMs, 'ms', 'C floor', floorMs, null));
  const wall = b.cpu.seconds * 1000;
  out.push(under('  of which the node process', (100 * b.cpu.selfMs) / wall, '%', 'C floor once a second', floorMs / 10, null));
  out.push(under('  of which its children (isolens-table, nsinfo, ctr…)', (100 * b.cpu.childrenMs) / wall, '%', 'C floor once a second', floorMs / 10, null));
  return out;
}
