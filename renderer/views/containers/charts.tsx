// Live usage charts of one container's cgroup: memory against its limit, CPU against its quota,
// pids against pids.max. The captions are drawn here at once; the plots come from charts.js
// (recharts), loaded the first time a chart is shown (plots-loader.ts).
import type { ReactNode } from 'react';
import type { UsageSample } from '../../../shared/usage';
import { formatBytes, formatCores, toMiB } from '../../state/format';
import { useElementWidth } from '../common/use-width';
import { PLOT_HEIGHT } from './plot-types';
import type { PlotProps, Plots } from './plot-types';
import { usePlots } from './plots-loader';

/** Times of the samples at which a cumulative counter rose (OOM kills, throttled periods). */
export function risesOf(samples: readonly UsageSample[], pick: (s: UsageSample) => number | null): number[] {
  const out: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    if (!a || !b) continue;
    const x = pick(a);
    const y = pick(b);
    if (x !== null && y !== null && y > x) out.push(b.t);
  }
  return out;
}

function ChartFrame({ testId, caption, plot, props }: {
  readonly testId: string;
  readonly caption: ReactNode;
  readonly plot: keyof Plots;
  readonly props: Omit<PlotProps, 'width'>;
}): ReactNode {
  const [ref, width] = useElementWidth<HTMLDivElement>(560);
  const { plots, error } = usePlots();
  let body: ReactNode;
  if (props.data.length === 0) body = <p className="muted chart-wait">Waiting for samples from the cgroup…</p>;
  else if (plots) body = plots[plot]({ ...props, width });
  else
    body = (
      <p className={error ? 'bad chart-wait' : 'muted chart-wait'} style={{ minHeight: PLOT_HEIGHT - 48 }} data-testid="chart-loading">
        {error ? `The charts could not be drawn: ${error}.` : 'Loading the charts…'}
      </p>
    );
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{caption}</figcaption>
      <div ref={ref} className="chart-body">
        {body}
      </div>
    </figure>
  );
}

const lastT = (samples: readonly UsageSample[]): number => samples[samples.length - 1]?.t ?? 0;

/** Memory in use (MiB) with the cgroup's limit as a line and each OOM kill marked. */
export function MemoryChart({ samples, limitBytes }: { readonly samples: readonly UsageSample[]; readonly limitBytes: number | null }): ReactNode {
  const data = samples.filter((s) => s.memoryBytes !== null).map((s) => ({ t: s.t, mib: toMiB(s.memoryBytes ?? 0) }));
  const limit = samples[samples.length - 1]?.memoryLimitBytes ?? limitBytes;
  const ooms = risesOf(samples, (s) => s.oomKills);
  const totalOoms = samples[samples.length - 1]?.oomKills ?? 0;
  const now = data[data.length - 1]?.mib ?? null;
  const top = Math.max(limit !== null ? toMiB(limit) * 1.12 : 0, ...data.map((d) => d.mib * 1.15), 1);
  const limitText = limit !== null ? `limit ${formatBytes(limit)}` : 'no memory limit';
  return (
    <ChartFrame
      testId="detail-memory-chart"
      plot="MemoryPlot"
      props={{ data, last: lastT(samples), top, limit: limit !== null ? { y: toMiB(limit), label: limitText } : null, marks: ooms }}
      caption={
        <>
          <b>Memory</b> {now !== null ? `${formatBytes(now * 1024 * 1024)} in use` : ''} ·{' '}
          <span className="limit-text" data-testid="detail-memory-limit">
            {limitText}
          </span>
          {totalOoms > 0 && <span className="alarm"> · {totalOoms} OOM {totalOoms === 1 ? 'kill' : 'kills'}</span>}
        </>
      }
    />
  );
}

/** CPU in cores with the quota as a line; samples where the kernel throttled it are marked. */
export function CpuChart({ samples, quota }: { readonly samples: readonly UsageSample[]; readonly quota: number | null }): ReactNode {
  const throttledAt = new Set(risesOf(samples, (s) => s.throttledPeriods));
  const data = samples.filter((s) => s.cpuCores !== null).map((s) => ({ t: s.t, cpu: s.cpuCores, throttled: throttledAt.has(s.t) ? s.cpuCores : null }));
  const q = samples[samples.length - 1]?.cpuQuotaCores ?? quota;
  const top = Math.max(q !== null ? q * 1.25 : 0, ...data.map((d) => (d.cpu ?? 0) * 1.15), 0.1);
  const now = data[data.length - 1]?.cpu ?? null;
  return (
    <ChartFrame
      testId="detail-cpu-chart"
      plot="CpuPlot"
      props={{ data, last: lastT(samples), top, limit: q !== null ? { y: q, label: `quota ${formatCores(q)}` } : null }}
      caption={
        <>
          <b>CPU</b> {now !== null ? `${formatCores(Number(now.toFixed(2)))} busy` : ''} · {q !== null ? `quota ${formatCores(q)}` : 'no CPU quota'}
          {throttledAt.size > 0 && <span className="alarm"> · throttled in {throttledAt.size} of the last {data.length} samples</span>}
        </>
      }
    />
  );
}

/** Number of processes (pids.current) against pids.max. */
export function PidsChart({ samples, pidsMax }: { readonly samples: readonly UsageSample[]; readonly pidsMax: number | null }): ReactNode {
  const data = samples.filter((s) => s.pids !== null).map((s) => ({ t: s.t, pids: s.pids }));
  const max = samples[samples.length - 1]?.pidsMax ?? pidsMax;
  const top = Math.max(max !== null ? max * 1.12 : 0, ...data.map((d) => (d.pids ?? 0) * 1.2), 4);
  const now = data[data.length - 1]?.pids ?? null;
  return (
    <ChartFrame
      testId="detail-pids-chart"
      plot="PidsPlot"
      props={{ data, last: lastT(samples), top, limit: max !== null ? { y: max, label: `pids.max ${max}` } : null }}
      caption={
        <>
          <b>Processes</b> {now !== null ? `${now} running` : ''} · {max !== null ? `pids.max ${max}` : 'no pids limit'}
        </>
      }
    />
  );
}
