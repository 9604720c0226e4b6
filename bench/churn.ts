// Churn: containers started and removed continuously while the collector runs (in the probe
// child, as `isolens serve` runs it); its RSS is sampled and a line fitted to it. A leak shows as
// a slope; `npm run bench -- --churn 30` is the long run.
import { dockerAsync } from '../test/helpers/docker';
import { BENCH_IMAGE, BENCH_LABEL } from './loadgen';
import { sleep } from './measure';
import { startProbe } from './probe';
import type { ProbeSample } from './probe-protocol';

/** A least-squares line through (x, y) points, with the spread of the points around it. */
export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** Standard deviation of the residuals. */
  readonly residualSd: number;
  /** Standard error of the slope (residualSd / √Σ(x − x̄)²); 0 when it cannot be told. */
  readonly slopeSe: number;
  readonly points: number;
}

/** Fits y = slope·x + intercept by least squares (pure); slope 0 for fewer than two distinct x. */
export function fitLine(points: readonly { readonly x: number; readonly y: number }[]): LineFit {
  const n = points.length;
  if (n === 0) return { slope: 0, intercept: 0, residualSd: 0, slopeSe: 0, points: 0 };
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const ss = points.reduce((a, p) => a + (p.y - (slope * p.x + intercept)) ** 2, 0);
  const residualSd = n > 2 ? Math.sqrt(ss / (n - 2)) : 0;
  return { slope, intercept, residualSd, slopeSe: sxx > 0 ? residualSd / Math.sqrt(sxx) : 0, points: n };
}

/** What runChurn found. */
export interface ChurnResult {
  readonly minutes: number;
  readonly periodMs: number;
  readonly keep: number;
  readonly started: number;
  readonly removed: number;
  /** Docker commands that failed (the churn went on). */
  readonly failures: number;
  readonly warm: ProbeSample;
  readonly samples: readonly ProbeSample[];
  /** The line fitted to RSS (MB) over time (hours) after the first minute. */
  readonly fit: LineFit;
  readonly slopeMbPerHour: number;
  /** slope × the fitted span: how much RSS grew over the run after the first minute. */
  readonly growthMb: number;
  /** Two standard errors of the growth: a growth inside ±this is not a trend. */
  readonly growthUncertaintyMb: number;
  readonly maxRssMb: number;
  /**
   * No growth trend: the growth is under the limit (5 MB), or it is not told apart from the noise
   * (under two standard errors: run longer, e.g. 30 min, for a verdict that means more).
   */
  readonly pass: boolean;
  /** The growth is more than two standard errors from zero. */
  readonly significant: boolean;
  readonly growthLimitMb: number;
}

/** Options of runChurn. */
export interface ChurnOptions {
  readonly minutes: number;
  /** Start one container this often (default 2 s). */
  readonly periodMs?: number;
  /** Remove the oldest when more than this many run (default 10). */
  readonly keep?: number;
  /** RSS sample interval (default 10 s). */
  readonly sampleMs?: number;
  readonly growthLimitMb?: number;
  readonly log?: (line: string) => void;
}

const MB = 2 ** 20;

/**
 * Runs the collector in the probe child for `minutes` while a container is started every
 * `periodMs` (busybox sleep, --network none, labelled isolens.bench=1) and the oldest removed when
 * more than `keep` run; every container is removed at the end, also on failure.
 */
export async function runChurn(opts: ChurnOptions): Promise<ChurnResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const periodMs = opts.periodMs ?? 2000;
  const keep = opts.keep ?? 10;
  const sampleMs = opts.sampleMs ?? 10_000;
  const growthLimitMb = opts.growthLimitMb ?? 5;
  const probe = await startProbe({ sampleMs });
  const t0 = probe.warm.sample.t;
  log(`churn: collector (pid ${probe.pid}) warm at ${(probe.warm.sample.rssBytes / MB).toFixed(1)} MB RSS; ` +
    `a container every ${periodMs / 1000} s, at most ${keep}, for ${opts.minutes} min`);
  const running: string[] = [];
  let started = 0;
  let removed = 0;
  let failures = 0;
  let reported = 0;
  try {
    const end = Date.now() + opts.minutes * 60_000;
    for (let k = 0; Date.now() < end; k++) {
      const next = t0 + (k + 1) * periodMs;
      try {
        const id = (await dockerAsync([
          'run', '-d', '--network', 'none', '--label', BENCH_LABEL, '--label', 'isolens.bench.role=churn',
          '--name', `isolens-bench-churn-${process.pid}-${k}`, BENCH_IMAGE, 'sleep', '100000',
        ])).trim();
        running.push(id);
        started++;
        while (running.length > keep) {
          const old = running.shift();
          if (old === undefined) break;
          await dockerAsync(['rm', '-f', '-v', old]);
          removed++;
        }
      } catch (e) {
        failures++;
        log(`churn: docker failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
      }
      for (; reported < probe.samples.length; reported++) {
        const s = probe.samples[reported];
        if (!s) break;
        log(`churn: ${((s.t - t0) / 1000).toFixed(0).padStart(5)} s  RSS ${(s.rssBytes / MB).toFixed(1)} MB  heap ${(s.heapUsedBytes / MB).toFixed(1)} MB  ` +
          `${s.containers} containers, ${s.processes} processes, ${s.deltas} deltas; ${started} started, ${removed} removed`);
      }
      await sleep(Math.max(0, next - Date.now()));
    }
  } finally {
    const rest = running.splice(0);
    if (rest.length > 0) {
      await dockerAsync(['rm', '-f', '-v', ...rest]).then(() => {
        removed += rest.length;
      }, () => undefined);
    }
    await probe.stop();
  }
  const points = probe.samples.filter((s) => s.t - t0 >= 60_000).map((s) => ({ x: (s.t - t0) / 3_600_000, y: s.rssBytes / MB }));
  const fit = fitLine(points);
  const span = points.length > 1 ? (points[points.length - 1]?.x ?? 0) - (points[0]?.x ?? 0) : 0;
  const growthMb = fit.slope * span;
  const growthUncertaintyMb = 2 * fit.slopeSe * span;
  const significant = growthMb > growthUncertaintyMb;
  return {
    minutes: opts.minutes,
    periodMs,
    keep,
    started,
    removed,
    failures,
    warm: probe.warm.sample,
    samples: [...probe.samples],
    fit,
    slopeMbPerHour: fit.slope,
    growthMb,
    growthUncertaintyMb,
    maxRssMb: Math.max(probe.warm.sample.rssBytes, ...probe.samples.map((s) => s.rssBytes)) / MB,
    pass: points.length >= 3 && (growthMb < growthLimitMb || !significant),
    significant,
    growthLimitMb,
  };
}

/** The churn result in a few lines. */
export function formatChurn(r: ChurnResult): string {
  return [
    `churn: ${r.minutes} min, ${r.started} containers started and removed (${r.failures} docker failures), ${r.samples.length} RSS samples`,
    `churn: RSS warm ${(r.warm.rssBytes / MB).toFixed(1)} MB, max ${r.maxRssMb.toFixed(1)} MB; after the first minute: slope ${r.slopeMbPerHour.toFixed(2)} MB/hour, ` +
      `growth ${r.growthMb.toFixed(2)} ± ${r.growthUncertaintyMb.toFixed(2)} MB over the run (samples scatter ±${r.fit.residualSd.toFixed(2)} MB), ` +
      `${r.significant ? 'a trend' : 'no trend told apart from the noise'}; limit ${r.growthLimitMb} MB: ${r.pass ? 'PASS' : 'MISS'}`,
  ].join('\n');
}
