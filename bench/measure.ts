import { performance } from 'node:perf_hooks';

/** Timings of one measured operation, in milliseconds. */
export interface Timing {
  readonly name: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** The median of a list (0 for an empty one). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** A Timing from measured samples in milliseconds. */
export function timingOf(name: string, xs: readonly number[]): Timing {
  if (xs.length === 0) return { name, runs: 0, medianMs: Number.NaN, minMs: Number.NaN, maxMs: Number.NaN };
  return { name, runs: xs.length, medianMs: round(median(xs)), minMs: round(Math.min(...xs)), maxMs: round(Math.max(...xs)) };
}

/** Times an async operation `runs` times after one warm-up run. */
export async function time(name: string, runs: number, op: () => unknown): Promise<Timing> {
  await op();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await op();
    xs.push(performance.now() - t0);
  }
  return timingOf(name, xs);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One operation timed by timeInterleaved: wall-clock timed, or `selfTimed` (it returns its own time in ms, e.g. the C floor). */
export interface Interleaved {
  readonly name: string;
  readonly op: () => unknown;
  readonly selfTimed?: boolean;
}

/**
 * Times several operations in rounds (one warm-up round, then `runs` rounds, each running every
 * operation once in order), so that a measure and its reference see the same load on the
 * machine; returns one Timing per operation, in order.
 */
export async function timeInterleaved(runs: number, ops: readonly Interleaved[]): Promise<Timing[]> {
  const xs: number[][] = ops.map(() => []);
  for (let round = 0; round <= runs; round++) {
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i];
      if (!o) continue;
      const t0 = performance.now();
      const r = await o.op();
      const ms = o.selfTimed ? Number(r) : performance.now() - t0;
      if (round > 0) xs[i]?.push(ms);
    }
  }
  return ops.map((o, i) => timingOf(o.name, xs[i] ?? []));
}
