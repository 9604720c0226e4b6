// What the render bench runs inside the page: the app talks to a real `isolens serve` (a synthetic
// service behind it) through its own WebSocket client; an init script wraps the page's WebSocket
// to timestamp what goes out and comes in, and watches the DOM for the first tree rows.
// These functions are sent to Chromium as source text: they may use only their argument and the page's globals.

/** Timestamps the page records (performance.now(): milliseconds since navigation start). */
export interface PageMarks {
  /** The app asked for its first snapshot (app.js loaded, React mounted, the store started). */
  readonly snapshotRequestedAt: number | null;
  /** The snapshot's WebSocket message arrived (its last fragment: the text in hand, not yet parsed). */
  readonly snapshotArrivedAt: number | null;
  /** The frame after the first tree rows were added to the DOM has been painted. */
  readonly firstRowsAt: number | null;
}

/** One delta's timings inside the page, in ms since navigation start. */
export interface DeltaMarks {
  /** Its WebSocket message arrived (the last fragment), before the client parsed it. */
  readonly received: number;
  /** Start of the frame in which the tree's counter first showed it (document.timeline.currentTime). */
  readonly frameStart: number;
  /** In that frame's callbacks: the store flushed, React rendered and committed (the counter changed). */
  readonly rendered: number;
  /** A task after that frame: style, layout and paint are done. */
  readonly painted: number;
  /** The tree's counter, "9996 processes · 400 containers". */
  readonly counter: string;
}

/** The page globals these functions use (declared here: the bench compiles without the DOM library). */
interface PageGlobals {
  readonly performance: { now(): number };
  readonly document: {
    querySelector(selector: string): { readonly textContent: string | null } | null;
    readonly timeline: { readonly currentTime: number | null };
  };
  requestAnimationFrame(cb: (t: number) => void): number;
  setTimeout(cb: () => void, ms: number): number;
  WebSocket: new (url: string) => PageSocket;
  readonly MutationObserver: new (cb: () => void) => {
    observe(target: unknown, opts: { childList: boolean; subtree: boolean; characterData?: boolean }): void;
    disconnect(): void;
  };
  isolensBench?: PageMarks & {
    /** Arrival time of each delta message, in order. */
    readonly deltaArrivals: number[];
    /** Set by armDelta: resolves when the counter shows `expect`. */
    deltaWatch: Promise<DeltaMarks> | null;
  };
}

interface PageSocket {
  send(data: unknown): void;
  addEventListener(type: 'message', cb: (ev: { readonly data: unknown }) => void): void;
}

/**
 * Init script (runs before app.js): wraps window.WebSocket so that the app's client, unchanged,
 * is timed: the 'snapshot:get' it sends, the arrival of the result (the last of its fragments,
 * shared/wire-fragments.ts) and of each delta. Records PageMarks in window.isolensBench.
 */
export function installBenchProbe(): void {
  const g = globalThis as unknown as PageGlobals;
  const marks = {
    snapshotRequestedAt: null as number | null,
    snapshotArrivedAt: null as number | null,
    firstRowsAt: null as number | null,
    deltaArrivals: [] as number[],
    deltaWatch: null as Promise<DeltaMarks> | null,
  };
  g.isolensBench = marks;
  const Native = g.WebSocket;
  let snapshotId: number | null = null;
  g.WebSocket = class extends Native {
    constructor(url: string) {
      super(url);
      // Registered before the client's own listener: it runs first, before the client parses.
      let head = '';
      this.addEventListener('message', (ev) => {
        const now = g.performance.now();
        const text = typeof ev.data === 'string' ? ev.data : '';
        const fragment = /^#(\d+)\/(\d+)\n/.exec(text);
        if (fragment && fragment[1] === '0') head = text.slice(fragment[0].length, fragment[0].length + 64);
        else if (!fragment) head = text.slice(0, 64);
        if (fragment && Number(fragment[1]) < Number(fragment[2]) - 1) return;
        if (snapshotId !== null && marks.snapshotArrivedAt === null && head.startsWith(`{"type":"result","id":${snapshotId},`)) {
          marks.snapshotArrivedAt = now;
        } else if (head.startsWith('{"type":"event","event":"delta"')) {
          marks.deltaArrivals.push(now);
        }
      });
    }
    override send(data: unknown): void {
      if (snapshotId === null && typeof data === 'string' && data.includes('"channel":"snapshot:get"')) {
        marks.snapshotRequestedAt = g.performance.now();
        snapshotId = (JSON.parse(data) as { id: number }).id;
      }
      super.send(data);
    }
  };
  // The first process rows: wait for them in the DOM, then for the frame that paints them.
  const mo = new g.MutationObserver(() => {
    if (marks.firstRowsAt !== null || !g.document.querySelector('[data-testid^="proc-"]')) return;
    mo.disconnect();
    g.requestAnimationFrame(() => {
      g.setTimeout(() => {
        marks.firstRowsAt = g.performance.now();
      }, 0);
    });
  });
  mo.observe(g.document, { childList: true, subtree: true });
}

/** Reads the PageMarks (null until the first rows are painted). */
export function readMarks(): PageMarks | null {
  const m = (globalThis as unknown as PageGlobals).isolensBench;
  return m && m.firstRowsAt !== null
    ? { snapshotRequestedAt: m.snapshotRequestedAt, snapshotArrivedAt: m.snapshotArrivedAt, firstRowsAt: m.firstRowsAt }
    : null;
}

/**
 * Before the bench makes the service emit delta number `index` (0-based, counting every delta
 * this page received): watches the DOM until the tree's counter shows `expect` (React has
 * committed the frame's render), then waits for that frame to be painted. awaitDelta() returns the marks.
 */
export function armDelta(arg: { readonly index: number; readonly expect: string }): void {
  const g = globalThis as unknown as PageGlobals;
  const bench = g.isolensBench;
  if (!bench) throw new Error('the bench probe is not installed');
  bench.deltaWatch = new Promise((resolve) => {
    const mo = new g.MutationObserver(() => {
      const received = bench.deltaArrivals[arg.index];
      const counter = g.document.querySelector('[data-testid="tree-count"]')?.textContent ?? '';
      if (received === undefined || !counter.includes(arg.expect)) return;
      mo.disconnect();
      // In the frame's callbacks (the store flushes in requestAnimationFrame): the frame's start time.
      const frameStart = g.document.timeline.currentTime ?? g.performance.now();
      const rendered = g.performance.now();
      g.setTimeout(() => resolve({ received, frameStart, rendered, painted: g.performance.now(), counter }), 0);
    });
    mo.observe(g.document, { childList: true, subtree: true, characterData: true });
  });
}

/** The marks of the delta armDelta watched for. */
export function awaitDelta(): Promise<DeltaMarks> {
  const w = (globalThis as unknown as PageGlobals).isolensBench?.deltaWatch;
  if (!w) return Promise.reject(new Error('armDelta was not called'));
  return w;
}
