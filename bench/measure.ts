import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Timings of one measured operation, in milliseconds. */
export interface Timing {
  readonly name: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Times an async operation `runs` times after one warm-up run. */
export async function time(name: string, runs: number, op: () => unknown): Promise<Timing> {
  await op();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await op();
    xs.push(performance.now() - t0);
  }
  return { name, runs, medianMs: median(xs), minMs: Math.min(...xs), maxMs: Math.max(...xs) };
}

/** Times an external command run to completion (output discarded), as the reference tools are. */
export function timeCommand(name: string, runs: number, cmd: string, args: readonly string[]): Promise<Timing> {
  return time(name, runs, () => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}`);
  });
}
