// The usage plots drawn with recharts. They live in their own bundle (charts.js), loaded the first
// time a chart is shown, so the first render of the app does not wait for recharts to load.
import type { ReactNode } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ALARM } from '../../state/colors';
import { PLOT_HEIGHT as HEIGHT } from './plot-types';
import type { PlotPoint, PlotProps, Plots } from './plot-types';


const MARGIN = { top: 18, right: 24, bottom: 4, left: 4 };
const LINE = '#332288';

function timeAxis(last: number): ReactNode {
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

function limitLine(limit: PlotProps['limit']): ReactNode {
  return (
    limit && (
      <ReferenceLine y={limit.y} stroke={ALARM} strokeWidth={2} strokeDasharray="8 4" label={{ value: limit.label, position: 'insideTopRight', fill: ALARM, fontSize: 14 }} />
    )
  );
}

/** recharts wants a mutable array; the points themselves are not changed. */
const rows = (data: readonly PlotPoint[]): PlotPoint[] => data as PlotPoint[];

/** Memory in use (MiB, series `mib`) with the limit line and each OOM kill marked. */
function MemoryPlot({ width, data, last, top, limit, marks = [] }: PlotProps): ReactNode {
  return (
    <AreaChart width={width} height={HEIGHT} data={rows(data)} margin={MARGIN}>
      <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
      {timeAxis(last)}
      <YAxis domain={[0, Math.ceil(top)]} unit=" MiB" width={84} tick={{ fontSize: 13 }} />
      <Tooltip labelFormatter={() => ''} formatter={(v) => [`${Number(v).toFixed(1)} MiB`, 'memory']} />
      <Area type="monotone" dataKey="mib" stroke={LINE} fill="#88CCEE" fillOpacity={0.5} isAnimationActive={false} name="memory" />
      {limitLine(limit)}
      {marks.map((t) => (
        <ReferenceLine key={t} x={t} stroke={ALARM} strokeWidth={2} label={{ value: 'OOM kill', position: 'insideTopLeft', fill: ALARM, fontSize: 13 }} />
      ))}
    </AreaChart>
  );
}

/** CPU in cores (series `cpu`), throttled samples as dots (series `throttled`), the quota line. */
function CpuPlot({ width, data, last, top, limit }: PlotProps): ReactNode {
  return (
    <LineChart width={width} height={HEIGHT} data={rows(data)} margin={MARGIN}>
      <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
      {timeAxis(last)}
      <YAxis domain={[0, Number(top.toFixed(2))]} width={84} tick={{ fontSize: 13 }} unit=" cores" />
      <Tooltip labelFormatter={() => ''} />
      <Line type="monotone" dataKey="cpu" stroke={LINE} dot={false} strokeWidth={2} isAnimationActive={false} name="cores" />
      <Line dataKey="throttled" stroke="none" dot={{ r: 5, fill: ALARM, stroke: ALARM }} isAnimationActive={false} name="throttled" connectNulls={false} />
      {limitLine(limit)}
    </LineChart>
  );
}

/** Processes (series `pids`) against pids.max. */
function PidsPlot({ width, data, last, top, limit }: PlotProps): ReactNode {
  return (
    <LineChart width={width} height={HEIGHT} data={rows(data)} margin={MARGIN}>
      <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
      {timeAxis(last)}
      <YAxis domain={[0, Math.ceil(top)]} allowDecimals={false} width={84} tick={{ fontSize: 13 }} />
      <Tooltip labelFormatter={() => ''} />
      <Line type="stepAfter" dataKey="pids" stroke={LINE} dot={false} strokeWidth={2} isAnimationActive={false} name="pids" />
      {limitLine(limit)}
    </LineChart>
  );
}

/** The three plots, as the charts bundle registers them. */
export const PLOTS: Plots = { MemoryPlot, CpuPlot, PidsPlot };
