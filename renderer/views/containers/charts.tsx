// Live usage charts of one container's cgroup: memory against its limit, CPU against its quota, pids against pids.max.
import type { ReactNode } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { UsageSample } from '../../../shared/usage';
import { ALARM } from '../../state/colors';
import { formatBytes, formatCores, toMiB } from '../../state/format';
import { useElementWidth } from '../common/use-width';

const HEIGHT = 210;
const MARGIN = { top: 18, right: 24, bottom: 4, left: 4 };
const LINE = '#332288';

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

function timeAxis(samples: readonly UsageSample[]): ReactNode {
  const last = samples[samples.length - 1]?.t ?? 0;
  return (
    <XAxis
      dataKey="t"
      type="number"
      domain={['dataMin', 'dataMax']}
      tickFormatter={(t: number) => (t === last ? 'now' : `${Math.round((t - last) / 1000)} s`)}
      tick={{ fontSize: 13 }}
    />
  );
}

function ChartFrame({ testId, caption, children, empty }: {
  readonly testId: string;
  readonly caption: ReactNode;
  readonly children: (width: number) => ReactNode;
  readonly empty: boolean;
}): ReactNode {
  const [ref, width] = useElementWidth<HTMLDivElement>(560);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{caption}</figcaption>
      <div ref={ref} className="chart-body">
        {empty ? <p className="muted chart-wait">Waiting for samples from the cgroup…</p> : children(width)}
      </div>
    </figure>
  );
}

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
      empty={data.length === 0}
      caption={
        <>
          <b>Memory</b> {now !== null ? `${formatBytes(now * 1024 * 1024)} in use` : ''} ·{' '}
          <span className="limit-text" data-testid="detail-memory-limit">
            {limitText}
          </span>
          {totalOoms > 0 && <span className="alarm"> · {totalOoms} OOM {totalOoms === 1 ? 'kill' : 'kills'}</span>}
        </>
      }
    >
      {(width) => (
        <AreaChart width={width} height={HEIGHT} data={data} margin={MARGIN}>
          <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
          {timeAxis(samples)}
          <YAxis domain={[0, Math.ceil(top)]} unit=" MiB" width={84} tick={{ fontSize: 13 }} />
          <Tooltip labelFormatter={() => ''} formatter={(v) => [`${Number(v).toFixed(1)} MiB`, 'memory']} />
          <Area type="monotone" dataKey="mib" stroke={LINE} fill="#88CCEE" fillOpacity={0.5} isAnimationActive={false} name="memory" />
          {limit !== null && (
            <ReferenceLine y={toMiB(limit)} stroke={ALARM} strokeWidth={2} strokeDasharray="8 4" label={{ value: limitText, position: 'insideTopRight', fill: ALARM, fontSize: 14 }} />
          )}
          {ooms.map((t) => (
            <ReferenceLine key={t} x={t} stroke={ALARM} strokeWidth={2} label={{ value: 'OOM kill', position: 'insideTopLeft', fill: ALARM, fontSize: 13 }} />
          ))}
        </AreaChart>
      )}
    </ChartFrame>
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
      empty={data.length === 0}
      caption={
        <>
          <b>CPU</b> {now !== null ? `${formatCores(Number(now.toFixed(2)))} busy` : ''} · {q !== null ? `quota ${formatCores(q)}` : 'no CPU quota'}
          {throttledAt.size > 0 && <span className="alarm"> · throttled in {throttledAt.size} of the last {data.length} samples</span>}
        </>
      }
    >
      {(width) => (
        <LineChart width={width} height={HEIGHT} data={data} margin={MARGIN}>
          <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
          {timeAxis(samples)}
          <YAxis domain={[0, Number(top.toFixed(2))]} width={84} tick={{ fontSize: 13 }} unit=" cores" />
          <Tooltip labelFormatter={() => ''} />
          <Line type="monotone" dataKey="cpu" stroke={LINE} dot={false} strokeWidth={2} isAnimationActive={false} name="cores" />
          <Line dataKey="throttled" stroke="none" dot={{ r: 5, fill: ALARM, stroke: ALARM }} isAnimationActive={false} name="throttled" connectNulls={false} />
          {q !== null && (
            <ReferenceLine y={q} stroke={ALARM} strokeWidth={2} strokeDasharray="8 4" label={{ value: `quota ${formatCores(q)}`, position: 'insideTopRight', fill: ALARM, fontSize: 14 }} />
          )}
        </LineChart>
      )}
    </ChartFrame>
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
      empty={data.length === 0}
      caption={
        <>
          <b>Processes</b> {now !== null ? `${now} running` : ''} · {max !== null ? `pids.max ${max}` : 'no pids limit'}
        </>
      }
    >
      {(width) => (
        <LineChart width={width} height={HEIGHT} data={data} margin={MARGIN}>
          <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
          {timeAxis(samples)}
          <YAxis domain={[0, Math.ceil(top)]} allowDecimals={false} width={84} tick={{ fontSize: 13 }} />
          <Tooltip labelFormatter={() => ''} />
          <Line type="stepAfter" dataKey="pids" stroke={LINE} dot={false} strokeWidth={2} isAnimationActive={false} name="pids" />
          {max !== null && (
            <ReferenceLine y={max} stroke={ALARM} strokeWidth={2} strokeDasharray="8 4" label={{ value: `pids.max ${max}`, position: 'insideTopRight', fill: ALARM, fontSize: 14 }} />
          )}
        </LineChart>
      )}
    </ChartFrame>
  );
}
