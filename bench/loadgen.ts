// Brings the machine's process count up to N with containers of busybox sleepers, and removes them.
// Every container is labelled isolens.bench=1 (not isolens.test=1, so a parallel test run's
// cleanup does not pull the load away mid-measure); `npm run bench -- --cleanup` removes leftovers.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { docker, dockerAsync, ensureFixtureImages, FIXTURE_IMAGES } from '../test/helpers/docker';
import { countProcesses, countThreads, meminfoBytes } from './machine';
import { sleep } from './measure';

/** Label on every container the bench starts (docker-run(1) --label). */
export const BENCH_LABEL = 'isolens.bench=1';
/** The image of the sleepers (a static busybox, test/fixtures/images). */
export const BENCH_IMAGE = FIXTURE_IMAGES.busybox;
/** Most processes the load generator will bring the machine to (pid_max here is 32768; threads count against it too). */
export const MAX_PROCESSES = 12_000;
/** Sleepers per container by default. */
export const DEFAULT_PER_CONTAINER = 500;
/** Host processes per container besides its sleepers: its sh (the init) and its containerd-shim. */
const OVERHEAD_PER_CONTAINER = 2;
/** Threads of one containerd-shim-runc-v2, roughly: counted against the thread and pid budgets. */
const SHIM_THREADS = 12;
/** Memory per sleeper measured here (a busybox sleep plus its share of the shim): about 140 KiB; 256 KiB budgeted. */
const BYTES_PER_PROCESS = 256 * 1024;

/** The load generator refused or failed (over budget, docker failed, the count never reached). */
export class LoadError extends Error {
  override readonly name = 'LoadError';
}

/** A `sh -c` script that forks `k` sleepers and waits (busybox sh(1)). */
export const sleeperScript = (k: number): string => `i=0; while [ $i -lt ${k} ]; do sleep 100000 & i=$((i+1)); done; wait`;

/**
 * How many sleepers each container gets to add `deficit` processes, at most `perContainer` each
 * (each container adds its sleepers plus its sh and shim). Pure; [] when nothing is missing.
 */
export function planContainers(deficit: number, perContainer = DEFAULT_PER_CONTAINER): number[] {
  const plan: number[] = [];
  let left = deficit;
  while (left > OVERHEAD_PER_CONTAINER) {
    const k = Math.min(perContainer, left - OVERHEAD_PER_CONTAINER);
    plan.push(k);
    left -= k + OVERHEAD_PER_CONTAINER;
  }
  return plan;
}

/** Why `target` processes do not fit the machine (pid_max, threads-max, memory), or null when they do. */
export function budgetProblem(target: number, now: { processes: number; threads: number | null; pidMax: number; threadsMax: number; memAvailableBytes: number }, plan: readonly number[]): string | null {
  if (target > MAX_PROCESSES) return `${target} processes is over the bench's limit of ${MAX_PROCESSES}`;
  const added = plan.reduce((a, k) => a + k + OVERHEAD_PER_CONTAINER, 0);
  const threads = (now.threads ?? now.processes) + added + plan.length * SHIM_THREADS;
  const limit = Math.min(now.pidMax, now.threadsMax);
  if (threads > 0.8 * limit) return `about ${threads} threads would be over 80% of min(kernel.pid_max, kernel.threads-max) = ${limit}`;
  const bytes = added * BYTES_PER_PROCESS;
  if (bytes > 0.5 * now.memAvailableBytes) {
    return `about ${(bytes / 2 ** 20).toFixed(0)} MiB for ${added} sleepers would be over half of the ${(now.memAvailableBytes / 2 ** 20).toFixed(0)} MiB available`;
  }
  return null;
}

function readNumber(file: string, fallback: number): number {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isFinite(n) && n > 0 ? n : fallback;
  } catch {
    return fallback;
  }
}

function memAvailable(): number {
  try {
    return meminfoBytes(fs.readFileSync('/proc/meminfo', 'utf8'), 'MemAvailable') ?? 0;
  } catch {
    return 0;
  }
}

/** The load in place: its containers, the counts before and after, and how to take it away. */
export interface Load {
  readonly containers: readonly string[];
  readonly processesBefore: number;
  readonly processesAfter: number;
  readonly threadsAfter: number | null;
  /** MemAvailable before minus after (proc(5) /proc/meminfo). */
  readonly memoryUsedBytes: number;
  readonly elapsedMs: number;
  /** Removes the containers (docker-rm(1) -f -v); safe to call twice. */
  remove(): Promise<void>;
}

/** Options of raiseProcesses. */
export interface LoadOptions {
  readonly target: number;
  readonly perContainer?: number;
  /** Containers started at once (default 4). */
  readonly parallel?: number;
  /** How long to wait for /proc to show the count (default 180 s). */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

/** Containers the bench started, for removeBenchContainers and the signal handlers. */
function listBenchContainers(): string[] {
  return docker(['ps', '-aq', '--filter', `label=${BENCH_LABEL}`]).split('\n').map((s) => s.trim()).filter((s) => s !== '');
}

/** Removes every container labelled isolens.bench=1 (synchronous: usable from a signal handler); returns how many. */
export function removeBenchContainers(): number {
  const ids = listBenchContainers();
  for (let i = 0; i < ids.length; i += 50) docker(['rm', '-f', '-v', ...ids.slice(i, i + 50)]);
  return ids.length;
}

async function removeContainers(ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 50) {
    try {
      await dockerAsync(['rm', '-f', '-v', ...ids.slice(i, i + 50)]);
    } catch (e) {
      if (!/No such container/i.test(String(e))) throw e;
    }
  }
}

/**
 * Starts containers of busybox sleepers (about `perContainer` each, --network none, labelled
 * isolens.bench=1) until /proc shows about `target` processes; checks pid_max, threads-max and
 * memory first. On any failure the containers started so far are removed before the throw.
 */
export async function raiseProcesses(opts: LoadOptions): Promise<Load> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const t0 = performance.now();
  const before = countProcesses();
  const memBefore = memAvailable();
  const plan = planContainers(opts.target - before, opts.perContainer ?? DEFAULT_PER_CONTAINER);
  const problem = budgetProblem(opts.target, {
    processes: before,
    threads: countThreads(),
    pidMax: readNumber('/proc/sys/kernel/pid_max', 32_768),
    threadsMax: readNumber('/proc/sys/kernel/threads-max', 32_768),
    memAvailableBytes: memBefore,
  }, plan);
  if (problem !== null) throw new LoadError(`cannot bring the machine to ${opts.target} processes: ${problem}`);
  const ids: string[] = [];
  const load: Load = {
    containers: ids,
    processesBefore: before,
    processesAfter: before,
    threadsAfter: null,
    memoryUsedBytes: 0,
    elapsedMs: 0,
    remove: async () => {
      const batch = ids.splice(0);
      if (batch.length === 0) return;
      log(`load: removing ${batch.length} containers`);
      await removeContainers(batch);
    },
  };
  if (plan.length === 0) {
    log(`load: ${before} processes already, ${opts.target} asked: nothing to start`);
    return load;
  }
  ensureFixtureImages();
  log(`load: ${before} processes now; starting ${plan.length} containers of ≤${Math.max(...plan)} sleepers for ${opts.target}`);
  try {
    const queue = plan.map((k, i) => ({ k, i }));
    const worker = async (): Promise<void> => {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
        const id = (await dockerAsync([
          'run', '-d', '--network', 'none', '--label', BENCH_LABEL, '--label', 'isolens.bench.role=load',
          '--name', `isolens-bench-load-${process.pid}-${job.i}`, BENCH_IMAGE, 'sh', '-c', sleeperScript(job.k),
        ])).trim();
        ids.push(id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.parallel ?? 4, plan.length) }, () => worker()));
    const want = Math.floor(0.99 * Math.min(opts.target, before + plan.reduce((a, k) => a + k + OVERHEAD_PER_CONTAINER, 0)));
    const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
    let now = countProcesses();
    while (now < want) {
      if (Date.now() > deadline) throw new LoadError(`/proc shows ${now} processes after ${((opts.timeoutMs ?? 180_000) / 1000).toFixed(0)} s, not ${want}`);
      await sleep(250);
      now = countProcesses();
    }
    await sleep(1000); // the last forks settle
    const after = countProcesses();
    const result: Load = {
      ...load,
      processesAfter: after,
      threadsAfter: countThreads(),
      memoryUsedBytes: Math.max(0, memBefore - memAvailable()),
      elapsedMs: performance.now() - t0,
    };
    log(`load: ${after} processes (${result.threadsAfter ?? '?'} threads) in ${(result.elapsedMs / 1000).toFixed(1)} s, ` +
      `${(result.memoryUsedBytes / 2 ** 20).toFixed(0)} MiB of memory`);
    return result;
  } catch (e) {
    await load.remove().catch(() => undefined);
    throw e;
  }
}

/**
 * Removes the bench's containers when the process is interrupted (SIGINT, SIGTERM, SIGHUP), then
 * exits 130; returns a function that uninstalls the handlers.
 */
export function installCleanupHandlers(log: (line: string) => void = (l) => console.error(l)): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    log(`bench: ${signal}, removing the bench's containers`);
    try {
      const n = removeBenchContainers();
      log(`bench: removed ${n} containers`);
    } catch (e) {
      log(`bench: cleanup failed (${e instanceof Error ? e.message : String(e)}): run \`npm run bench -- --cleanup\``);
    }
    process.exit(130);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
