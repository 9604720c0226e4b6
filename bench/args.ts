// `npm run bench -- [flags]`: the bench's command line.

/** What the bench was asked to do. */
export interface BenchArgs {
  /** Measured runs per timing (median), after one warm-up. */
  readonly runs: number;
  /** Bring the machine to about this many processes first (null: measure as it is). */
  readonly processes: number | null;
  /** Run the churn test for this many minutes instead of the figures (null: off). */
  readonly churnMinutes: number | null;
  /** Only remove leftover containers labelled isolens.bench=1. */
  readonly cleanup: boolean;
  /** Run the renderer bench (bench/render.ts): true, false, or null for the default (only in the plain full run). */
  readonly render: boolean | null;
  /** How long the collector runs at 1 Hz while its CPU time is counted. */
  readonly cpuSeconds: number;
  /** Sleepers per load container. */
  readonly perContainer: number;
  /** Containers started for the "new container on screen" figure. */
  readonly latencyRuns: number;
  readonly help: boolean;
}

/** A bad command line. */
export class BenchArgsError extends Error {
  override readonly name = 'BenchArgsError';
}

/** The usage text. */
export const BENCH_USAGE = `usage: npm run bench -- [flags]
  (no flags)           the figures at the machine's current process count, and the renderer bench
  --processes N        first bring the machine to about N processes (≤ 12000) with busybox sleepers
  --runs N             measured runs per timing, median reported (default 7)
  --cpu-seconds S      how long the collector runs at 1 Hz while its CPU is counted (default 60)
  --latency-runs N     containers started for "new container on screen" (default: --runs)
  --per-container K    sleepers per load container (default 500)
  --render | --no-render   run the renderer bench (bench/render.ts) or not (default: only without --processes)
  --churn MINUTES      churn test instead: a container started every 2 s, the oldest removed above 10, RSS fitted
  --cleanup            remove leftover containers labelled isolens.bench=1 and exit`;

function positive(flag: string, value: string | undefined, opts: { integer: boolean; max?: number }): number {
  const n = Number(value);
  if (value === undefined || value.startsWith('--') || !Number.isFinite(n) || n <= 0 || (opts.integer && !Number.isInteger(n))) {
    throw new BenchArgsError(`${flag} needs a positive ${opts.integer ? 'integer' : 'number'}, not ${JSON.stringify(value ?? '')}`);
  }
  if (opts.max !== undefined && n > opts.max) throw new BenchArgsError(`${flag} ${n} is over the limit of ${opts.max}`);
  return n;
}

/** Parses the bench's flags (pure); throws BenchArgsError on an unknown flag or a bad value. */
export function parseBenchArgs(argv: readonly string[], limits: { readonly maxProcesses: number }): BenchArgs {
  let runs = 7;
  let processes: number | null = null;
  let churnMinutes: number | null = null;
  let cleanup = false;
  let render: boolean | null = null;
  let cpuSeconds = 60;
  let perContainer = 500;
  let latencyRuns: number | null = null;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--runs': runs = positive(flag, value(), { integer: true, max: 1000 }); break;
      case '--processes': processes = positive(flag, value(), { integer: true, max: limits.maxProcesses }); break;
      case '--churn': churnMinutes = positive(flag, value(), { integer: false, max: 24 * 60 }); break;
      case '--cpu-seconds': cpuSeconds = positive(flag, value(), { integer: false, max: 3600 }); break;
      case '--latency-runs': latencyRuns = positive(flag, value(), { integer: true, max: 1000 }); break;
      case '--per-container': perContainer = positive(flag, value(), { integer: true, max: 5000 }); break;
      case '--cleanup': cleanup = true; break;
      case '--render': render = true; break;
      case '--no-render': render = false; break;
      case '--help': case '-h': help = true; break;
      default: throw new BenchArgsError(`unknown flag ${JSON.stringify(flag)}\n${BENCH_USAGE}`);
    }
  }
  return { runs, processes, churnMinutes, cleanup, render, cpuSeconds, perContainer, latencyRuns: latencyRuns ?? runs, help };
}
