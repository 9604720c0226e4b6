// `npm run bench [-- flags]` (bench/args.ts): the collector's figures against references measured
// in the same run, at the machine's process count or, with --processes N, at N (busybox sleepers
// in containers, removed after); --churn MINUTES for the leak test. Results in bench/results/.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BENCH_USAGE, type BenchArgs, BenchArgsError, parseBenchArgs } from './args';
import { formatChurn, runChurn } from './churn';
import { benchCollector, type CollectorBench, collectorFigures } from './collector-bench';
import { type Figure, formatFigures } from './figures';
import { installCleanupHandlers, type Load, MAX_PROCESSES, raiseProcesses, removeBenchContainers } from './loadgen';
import { countProcesses, countThreads, describeMachine, machineInfo, type MachineInfo } from './machine';

const RESULTS = path.join(__dirname, 'results');
const log = (line: string): void => console.log(`bench: ${line}`);

/** What a run wrote to bench/results/*.json. */
interface BenchResult {
  readonly schema: 'isolens-bench/1';
  readonly takenAt: string;
  readonly machine: MachineInfo;
  /** The code measured: git HEAD and whether the collector had uncommitted changes. */
  readonly code: CodeVersion;
  readonly processes: { readonly asked: number | null; readonly measured: number; readonly threads: number | null; readonly load: Omit<Load, 'remove'> | null };
  readonly runs: number;
  readonly figures: readonly Figure[];
  readonly collector: CollectorBench;
  readonly render: unknown;
}

/** The git commit measured, and whether electron/ or shared/ differ from it. */
interface CodeVersion {
  readonly commit: string | null;
  readonly dirty: boolean | null;
}

function codeVersion(): CodeVersion {
  const git = (args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd: path.join(__dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const status = git(['status', '--porcelain', '--', 'electron', 'shared']);
  return { commit: git(['rev-parse', 'HEAD']), dirty: status === null ? null : status !== '' };
}

/** Writes bench/results/LATEST and bench/results/<date>-SUFFIX.json; returns the paths. */
function writeResult(value: unknown, latest: string, suffix: string): string[] {
  fs.mkdirSync(RESULTS, { recursive: true });
  const json = `${JSON.stringify(value, null, 2)}\n`;
  const day = new Date().toISOString().slice(0, 10);
  const files = [path.join(RESULTS, latest), path.join(RESULTS, `${day}-${suffix}.json`)];
  for (const f of files) fs.writeFileSync(f, json);
  return files.map((f) => path.relative(process.cwd(), f));
}

/** Brings the process count to `args.processes` (if asked), runs `body`, and always removes the load. */
async function withLoad<T>(args: BenchArgs, body: (load: Load | null) => Promise<T>): Promise<T> {
  if (args.processes === null) return body(null);
  const uninstall = installCleanupHandlers();
  let load: Load | null = null;
  try {
    load = await raiseProcesses({ target: args.processes, perContainer: args.perContainer, log: (l) => log(l) });
    return await body(load);
  } finally {
    await load?.remove().catch((e: unknown) => log(`removing the load failed (${String(e)}): run \`npm run bench -- --cleanup\``));
    uninstall();
  }
}

/** The renderer bench (bench/render.ts, another helper's) when asked; its figures or why it was skipped. */
async function maybeRender(args: BenchArgs): Promise<unknown> {
  const wanted = args.render ?? (args.processes === null && args.churnMinutes === null);
  if (!wanted) return { skipped: 'not asked (--render)' };
  // HOOK: bench/render.ts exports benchRender({ runs }) and formatRenderFigures(figures).
  if (!fs.existsSync(path.join(__dirname, 'render.ts')) && !fs.existsSync(path.join(__dirname, 'render.js'))) {
    return { skipped: 'bench/render.ts is not there yet' };
  }
  try {
    log('renderer: Chromium with synthetic hosts (bench/render.ts)');
    const render = await import('./render.js');
    const figures = await render.benchRender({ runs: args.runs });
    console.log(render.formatRenderFigures(figures));
    return figures;
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e);
    log(`renderer bench skipped: ${reason}`);
    return { skipped: reason };
  }
}

async function figuresRun(args: BenchArgs): Promise<void> {
  const machine = machineInfo();
  log(`${describeMachine(machine)}`);
  const { collector, load, threads } = await withLoad(args, async (l) => {
    const threadsNow = countThreads();
    log(`${countProcesses()} processes, ${threadsNow ?? '?'} threads; ${args.runs} runs per timing (median)`);
    return { collector: await benchCollector({ runs: args.runs, cpuSeconds: args.cpuSeconds, latencyRuns: args.latencyRuns, log }), load: l, threads: threadsNow };
  });
  const render = await maybeRender(args);
  const figures = collectorFigures(collector);
  const { remove: _remove, ...loadInfo } = load ?? { remove: null };
  const result: BenchResult = {
    schema: 'isolens-bench/1',
    takenAt: new Date().toISOString(),
    machine,
    code: codeVersion(),
    processes: { asked: args.processes, measured: collector.processes, threads, load: load ? (loadInfo as Omit<Load, 'remove'>) : null },
    runs: args.runs,
    figures,
    collector,
    render,
  };
  console.log('');
  console.log(`isolens bench: ${describeMachine(machine)}`);
  const code = result.code;
  console.log(`code ${code.commit?.slice(0, 12) ?? 'unknown'}${code.dirty ? ' + uncommitted changes in electron/ or shared/' : ''}`);
  console.log(`${collector.processes} processes${args.processes === null ? '' : ` (asked ${args.processes})`}, ${threads ?? '?'} threads; ` +
    `medians of ${args.runs} runs; relations from ${collector.relations}; Docker ${collector.dockerUp ? 'up' : 'down'}`);
  console.log(formatFigures(figures));
  const missed = figures.filter((f) => f.pass === false).length;
  console.log(`${figures.filter((f) => f.pass === true).length} PASS, ${missed} MISS (targets are set for 10,000 processes)`);
  log(`written ${writeResult(result, 'latest.json', String(args.processes ?? collector.processes)).join(', ')}`);
}

async function churnRun(args: BenchArgs, minutes: number): Promise<void> {
  const machine = machineInfo();
  log(`${describeMachine(machine)}`);
  const result = await withLoad(args, async () => {
    log(`${countProcesses()} processes; churn for ${minutes} min`);
    return runChurn({ minutes, log });
  });
  console.log(formatChurn(result));
  const files = writeResult({ schema: 'isolens-bench-churn/1', takenAt: new Date().toISOString(), machine, processesAsked: args.processes, churn: result }, 'churn-latest.json', `churn-${minutes}min-${args.processes ?? countProcesses()}`);
  log(`written ${files.join(', ')}`);
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2), { maxProcesses: MAX_PROCESSES });
  } catch (e) {
    if (e instanceof BenchArgsError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    console.log(BENCH_USAGE);
    return 0;
  }
  if (args.cleanup) {
    log(`removed ${removeBenchContainers()} containers labelled isolens.bench=1`);
    return 0;
  }
  if (args.churnMinutes !== null) await churnRun(args, args.churnMinutes);
  else await figuresRun(args);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
