// What the render bench runs inside the page: a fake window.isolens installed before the app loads
// (the snapshot from the bench's server over a WebSocket, as `isolens serve` sends it; deltas
// pushed by the bench), and the timing hooks.
// These functions are sent to Chromium as source text: they may use only their argument and the page's globals.
import type { EventChannel, InvokeChannel, IsolensClient, Result } from '../shared/contract';

/** Timestamps the page records (performance.now(): milliseconds since navigation start). */
export interface PageMarks {
  /** The app asked for its first snapshot (app.js loaded, React mounted, the store started). */
  readonly snapshotRequestedAt: number | null;
  /** The snapshot's WebSocket message arrived (its last fragment: the text in hand, not yet parsed). */
  readonly snapshotArrivedAt: number | null;
  /** The snapshot parsed (JSON.parse of the message, as renderer/transport/ws-client.ts does). */
  readonly snapshotReadyAt: number | null;
  /** The frame after the first tree rows were added to the DOM has been painted. */
  readonly firstRowsAt: number | null;
}

/** One delta's timings inside the page, in ms since navigation start. */
export interface DeltaMarks {
  /** Before JSON.parse of the message (as the WebSocket client does). */
  readonly received: number;
  /** The delta handed to the store's listener. */
  readonly emitted: number;
  /** Start of the frame in which the store published it (requestAnimationFrame's timestamp). */
  readonly frameStart: number;
  /** After that frame's callbacks: the store flushed, React rendered and committed. */
  readonly rendered: number;
  /** A task after that frame: style, layout and paint are done. */
  readonly painted: number;
  /** Frames waited until the tree's counter showed the new count (1 = the first). */
  readonly frames: number;
  /** The tree's counter, "9996 processes · 400 containers". */
  readonly counter: string;
}

/** The page globals these functions use (declared here: the bench compiles without the DOM library). */
interface PageGlobals {
  readonly performance: { now(): number };
  readonly document: { querySelector(selector: string): { readonly textContent: string | null } | null };
  requestAnimationFrame(cb: (t: number) => void): number;
  setTimeout(cb: () => void, ms: number): number;
  readonly location: { readonly host: string };
  readonly WebSocket: new (url: string) => {
    send(data: string): void;
    addEventListener(type: 'open' | 'error', cb: () => void): void;
    addEventListener(type: 'message', cb: (ev: { readonly data: unknown }) => void): void;
  };
  readonly MutationObserver: new (cb: () => void) => {
    observe(target: unknown, opts: { childList: boolean; subtree: boolean }): void;
    disconnect(): void;
  };
  isolens?: IsolensClient;
  isolensBench?: PageMarks & { emit(event: EventChannel, payload: unknown): void };
}

/**
 * Init script (runs before app.js): window.isolens answers 'snapshot:get' with the JSON at
 * `snapshotUrl`, asked for over a WebSocket to the bench server (opened now, as the app's
 * WebSocket client opens its socket when app.js starts) and parsed from the message text;
 * 'history:get' with no samples; the bench pushes events with window.isolensBench.emit.
 * Records PageMarks.
 */
export function installBenchClient(arg: { readonly snapshotUrl: string; readonly wsPath: string }): void {
  const g = globalThis as unknown as PageGlobals;
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const ws = new g.WebSocket(`ws://${g.location.host}${arg.wsPath}`);
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error(`the bench WebSocket ${arg.wsPath} failed`)));
  });
  const answers: ((text: string) => void)[] = [];
  // Fragments joined as renderer/transport/ws-client.ts does (shared/wire-fragments.ts: "#i/n\n" + text).
  let parts: string[] = [];
  ws.addEventListener('message', (ev) => {
    const data = typeof ev.data === 'string' ? ev.data : '';
    const header = /^#(\d+)\/(\d+)\n/.exec(data);
    if (!header) {
      answers.shift()?.(data);
      return;
    }
    parts.push(data.slice(header[0].length));
    if (parts.length < Number(header[2])) return;
    const whole = parts.join('');
    parts = [];
    answers.shift()?.(whole);
  });
  const marks = {
    snapshotRequestedAt: null as number | null,
    snapshotArrivedAt: null as number | null,
    snapshotReadyAt: null as number | null,
    firstRowsAt: null as number | null,
    emit(event: EventChannel, payload: unknown): void {
      for (const l of [...(listeners.get(event) ?? [])]) l(payload);
    },
  };
  g.isolensBench = marks;
  const client: IsolensClient = {
    invoke: (async (channel: InvokeChannel): Promise<Result<unknown>> => {
      if (channel === 'snapshot:get') {
        marks.snapshotRequestedAt ??= g.performance.now();
        await opened;
        const text = await new Promise<string>((resolve) => {
          answers.push(resolve);
          ws.send(arg.snapshotUrl);
        });
        marks.snapshotArrivedAt ??= g.performance.now();
        if (!text) return { ok: false, error: { code: 'UNAVAILABLE', message: `the bench server has no ${arg.snapshotUrl}` } };
        const value: unknown = JSON.parse(text);
        marks.snapshotReadyAt ??= g.performance.now();
        return { ok: true, value };
      }
      if (channel === 'history:get') return { ok: true, value: [] };
      return { ok: false, error: { code: 'NOT_FOUND', message: 'the bench client has no process details' } };
    }) as IsolensClient['invoke'],
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
  };
  g.isolens = client;
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
    ? { snapshotRequestedAt: m.snapshotRequestedAt, snapshotArrivedAt: m.snapshotArrivedAt, snapshotReadyAt: m.snapshotReadyAt, firstRowsAt: m.firstRowsAt }
    : null;
}

/**
 * Pushes one delta (a JSON string, parsed here as the WebSocket client would) and resolves after
 * the frame in which the tree's counter shows `expect` has been painted.
 */
export function pushDelta(arg: { readonly json: string; readonly expect: string }): Promise<DeltaMarks> {
  const g = globalThis as unknown as PageGlobals;
  return new Promise((resolve, reject) => {
    const bench = g.isolensBench;
    if (!bench) {
      reject(new Error('the bench client is not installed'));
      return;
    }
    const received = g.performance.now();
    const payload: unknown = JSON.parse(arg.json);
    const emitted = g.performance.now();
    bench.emit('delta', payload);
    let frames = 0;
    const onFrame = (frameStart: number): void => {
      frames++;
      const counter = g.document.querySelector('[data-testid="tree-count"]')?.textContent ?? '';
      if (!counter.includes(arg.expect) && frames < 120) {
        g.requestAnimationFrame(onFrame);
        return;
      }
      const rendered = g.performance.now();
      g.setTimeout(() => resolve({ received, emitted, frameStart, rendered, painted: g.performance.now(), frames, counter }), 0);
    };
    g.requestAnimationFrame(onFrame);
  });
}
