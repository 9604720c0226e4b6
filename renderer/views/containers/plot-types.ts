// What the chart captions (app bundle) hand to the plots drawn with recharts (charts bundle):
// plain data, so the two bundles share no code, only these types.
import type { ReactNode } from 'react';

/** The plot area's height in pixels (the placeholder keeps it while charts.js loads). */
export const PLOT_HEIGHT = 210;

/** One point of a plot: t is the sample's time (ms since the epoch). */
export interface PlotPoint {
  readonly t: number;
  readonly [series: string]: number | null;
}

/** A horizontal line at a cgroup limit (memory.max, cpu.max, pids.max) with its label. */
export interface LimitLine {
  readonly y: number;
  readonly label: string;
}

/** A plot of one container's usage: the points, the y-axis top, the limit line and the marks. */
export interface PlotProps {
  readonly width: number;
  readonly data: readonly PlotPoint[];
  /** Time of the newest sample (labelled "now"). */
  readonly last: number;
  readonly top: number;
  readonly limit: LimitLine | null;
  /** Times of OOM kills (memory plot only). */
  readonly marks?: readonly number[];
}

/** The plots the charts bundle registers (charts.js, loaded the first time a chart is shown). */
export interface Plots {
  readonly MemoryPlot: (p: PlotProps) => ReactNode;
  readonly CpuPlot: (p: PlotProps) => ReactNode;
  readonly PidsPlot: (p: PlotProps) => ReactNode;
}
