// The renderer's cost in Chromium with synthetic hosts of 1,000 and 10,000 processes: time to the
// first painted tree rows, and the cost of one live delta (~20 processes added, removed or changed).
// The production bundle (dist/renderer) runs as `isolens serve` serves it: the real server
// (electron/serve) and the app's own WebSocket client, with a synthetic service behind the server
// (the host of bench/render-snapshot.ts); bench/render-page.ts times it from inside the page.
// usage: node --import tsx bench/render.ts [--runs N] [--renderer DIR]     (or benchRender() from bench/main.ts)
//   --renderer DIR  bench another build of the renderer than dist/renderer (e.g. a copy of an older one)
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Browser, BrowserContext, Page } from 'playwright';
import { CHROMIUM_PATH } from '../test/helpers/require';
import { launchChromium, newPage } from '../test/e2e/support/chromium';
import type { Timing } from './measure';
import * as path from 'node:path';
import { startServer } from '../electron/serve/server';
import { FakeService } from '../test/unit/serve/fake-service';
import { armDelta, awaitDelta, installBenchProbe, readMarks } from './render-page';
import type { DeltaMarks, PageMarks } from './render-page';
import { packSnapshot } from '../shared/snapshot-packing';
import { syntheticSeries } from './render-snapshot';

/** The figures for one synthetic host size. */
export interface RenderSizeFigures {
  readonly processes: number;
  readonly containers: number;
  readonly namespaces: number;
  /** JSON size of the initial snapshot as serve sends it (packed, shared/snapshot-packing.ts). */
  readonly snapshotBytes: number;
  /** Median JSON size of one delta (the host's user/time namespaces carry every pid). */
  readonly deltaBytes: number;
  /** Processes added + removed + updated per delta (median). */
  readonly processesPerDelta: number;
  /** Navigation start → the app asks for its snapshot (app.js loaded and run, React mounted). */
  readonly appStarted: Timing;
  /** Navigation start → the snapshot's WebSocket message arrived (the transfer ends). */
  readonly snapshotArrived: Timing;
  /** Navigation start → the frame with the first tree rows painted. */
  readonly firstRender: Timing;
  /** The snapshot's message arrived → the frame with its first tree rows painted: parse, derive, React, layout, paint. */
  readonly snapshotToFirstRows: Timing;
  /** Delta message received (before the client parses it) → the frame showing it painted: what a user waits. */
  readonly deltaToPaint: Timing;
  /** Start of the frame that shows the delta → painted: store flush, derive, React, layout and paint. */
  readonly deltaFrame: Timing;
}

/** Everything benchRender measured. */
export interface RenderFigures {
  readonly takenAt: string;
  readonly browser: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpu: string;
    /** 1-minute load average (proc(5) /proc/loadavg) before and after: on a busy machine every figure waits for a CPU. */
    readonly loadBefore?: number;
    readonly loadAfter?: number;
  };
  /** Measured runs per figure (first renders: runs; deltas: 3 × runs), after warm-up. */
  readonly runs: number;
  readonly sizes: readonly RenderSizeFigures[];
}

/** Options of benchRender. */
export interface RenderBenchOptions {
  readonly runs: number;
  /** Process counts of the synthetic hosts (default 1,000 and 10,000). */
  readonly sizes?: readonly number[];
  /** The renderer build to serve (default dist/renderer). */
  readonly rendererDir?: string;
}

/** The built renderer that `isolens serve` ships (npm run build). */
const RENDERER_DIR = path.resolve(__dirname, '..', 'dist', 'renderer');
const WARMUP_DELTAS = 3;
/** Processes touched by each delta. */
const TOUCHED = 20;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function timing(name: string, xs: readonly number[]): Timing {
  return { name, runs: xs.length, medianMs: median(xs), minMs: Math.min(...xs), maxMs: Math.max(...xs) };
}

async function openApp(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page; marks: PageMarks }> {
  const { context, page } = await newPage(browser);
  await context.addInitScript(installBenchProbe);
  await page.goto(`${url}#tree`);
  const handle = await page.waitForFunction(readMarks, undefined, { timeout: 120_000, polling: 50 });
  const marks = (await handle.jsonValue()) as PageMarks;
  return { context, page, marks };
}

async function benchSize(browser: Browser, rendererDir: string, processes: number, runs: number, series: ReturnType<typeof syntheticSeries>): Promise<RenderSizeFigures> {
  const service = new FakeService();
  service.state = series.initial;
  const server = await startServer({ service, staticDir: rendererDir, log: () => {} });
  try {
    return await measureSize(browser, server.url, service, processes, runs, series);
  } finally {
    await server.close();
  }
}

async function measureSize(browser: Browser, url: string, service: FakeService, processes: number, runs: number, series: ReturnType<typeof syntheticSeries>): Promise<RenderSizeFigures> {
  const s = series.initial.snapshot;
  const started: number[] = [];
  const arrived: number[] = [];
  const first: number[] = [];
  const rendered: number[] = [];
  let kept: { context: BrowserContext; page: Page } | null = null;
  // One warm-up load (Chromium's caches, V8's code cache), then `runs` measured loads in fresh contexts.
  for (let i = 0; i <= runs; i++) {
    const { context, page, marks } = await openApp(browser, url);
    const counter = (await page.getByTestId('tree-count').textContent()) ?? '';
    if (!counter.includes(`${processes} processes`)) throw new Error(`the tree shows "${counter}", not ${processes} processes`);
    if (i > 0) {
      started.push(marks.snapshotRequestedAt ?? Number.NaN);
      arrived.push(marks.snapshotArrivedAt ?? Number.NaN);
      first.push(marks.firstRowsAt ?? Number.NaN);
      rendered.push((marks.firstRowsAt ?? Number.NaN) - (marks.snapshotArrivedAt ?? Number.NaN));
    }
    if (i === runs) kept = { context, page };
    else await context.close();
  }
  if (!kept) throw new Error('no page left for the deltas');

  const latency: number[] = [];
  const frame: number[] = [];
  const bytes: number[] = [];
  const touched: number[] = [];
  for (let i = 0; i < series.deltas.length; i++) {
    const d = series.deltas[i];
    const count = series.counts[i];
    if (!d || count === undefined) break;
    await kept.page.evaluate(armDelta, { index: i, expect: `${count} processes` });
    service.emit('delta', d);
    const m: DeltaMarks = await kept.page.evaluate(awaitDelta);
    if (!m.counter.includes(`${count} processes`)) throw new Error(`delta ${d.seq}: the tree shows "${m.counter}", not ${count} processes`);
    if (i < WARMUP_DELTAS) continue;
    latency.push(m.painted - m.received);
    frame.push(m.painted - Math.max(m.frameStart, m.received));
    bytes.push(JSON.stringify(d).length);
    touched.push(d.added.processes.length + d.removed.processes.length + d.updated.processes.length);
  }
  await kept.context.close();
  return {
    processes,
    containers: s.containers.length,
    namespaces: s.namespaces.length,
    snapshotBytes: JSON.stringify(packSnapshot(series.initial)).length,
    deltaBytes: median(bytes),
    processesPerDelta: median(touched),
    appStarted: timing(`${processes} processes: navigation → app asks for the snapshot`, started),
    snapshotArrived: timing(`${processes} processes: navigation → snapshot message arrived`, arrived),
    firstRender: timing(`${processes} processes: navigation → first tree rows painted`, first),
    snapshotToFirstRows: timing(`${processes} processes: snapshot message → first tree rows painted`, rendered),
    deltaToPaint: timing(`${processes} processes: delta received → painted`, latency),
    deltaFrame: timing(`${processes} processes: delta frame (flush, derive, React, paint)`, frame),
  };
}

/** Renders synthetic hosts of 1,000 and 10,000 processes in Chromium; medians of `runs` page loads and 3 × `runs` deltas. */
export async function benchRender(opts: RenderBenchOptions): Promise<RenderFigures> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`the render bench needs ${CHROMIUM_PATH} (apt-get install chromium)`);
  const runs = Math.max(1, Math.floor(opts.runs));
  const sizes = opts.sizes ?? [1000, 10_000];
  const deltaRuns = runs * 3;
  const series = new Map(sizes.map((n) => [n, syntheticSeries({ processes: n, deltas: deltaRuns + WARMUP_DELTAS, touched: TOUCHED })]));
  const rendererDir = opts.rendererDir ?? RENDERER_DIR;
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error(`${rendererDir}/index.html is missing: run npm run build first`);
  const loadBefore = os.loadavg()[0];
  const browser = await launchChromium();
  try {
    const out: RenderSizeFigures[] = [];
    for (const [n, s] of series) out.push(await benchSize(browser, rendererDir, n, runs, s));
    return {
      takenAt: new Date().toISOString(),
      browser: `Chromium ${browser.version()}`,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown CPU', loadBefore, loadAfter: os.loadavg()[0] },
      runs,
      sizes: out,
    };
  } finally {
    await browser.close();
  }
}

/** The figures as a table, one line per measure. */
export function formatRenderFigures(f: RenderFigures): string {
  const load = f.machine.loadBefore !== undefined ? `, load ${f.machine.loadBefore.toFixed(1)} → ${(f.machine.loadAfter ?? 0).toFixed(1)}` : '';
  const lines = [`isolens render bench: ${f.browser} headless, ${f.machine.cpus} × ${f.machine.cpu}${load}, medians (runs: ${f.runs} loads, ${f.runs * 3} deltas)`];
  lines.push(`${'measure'.padEnd(72)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}`);
  for (const s of f.sizes) {
    lines.push(
      `-- ${s.processes} processes, ${s.containers} containers, ${s.namespaces} namespaces; snapshot ${(s.snapshotBytes / 1024).toFixed(0)} KiB, ` +
        `delta ${(s.deltaBytes / 1024).toFixed(0)} KiB (${s.processesPerDelta} processes)`,
    );
    for (const t of [s.appStarted, s.snapshotArrived, s.firstRender, s.snapshotToFirstRows, s.deltaToPaint, s.deltaFrame]) {
      lines.push(`${t.name.padEnd(72)} ${t.medianMs.toFixed(1).padStart(7)}ms ${t.minMs.toFixed(1).padStart(7)}ms ${t.maxMs.toFixed(1).padStart(7)}ms`);
    }
  }
  return lines.join('\n');
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--runs');
  const runs = at >= 0 ? Number(argv[at + 1]) : 7;
  const dirAt = argv.indexOf('--renderer');
  const rendererDir = dirAt >= 0 ? argv[dirAt + 1] : undefined;
  benchRender({ runs: Number.isFinite(runs) && runs > 0 ? runs : 7, rendererDir }).then(
    (f) => {
      console.log(formatRenderFigures(f));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
