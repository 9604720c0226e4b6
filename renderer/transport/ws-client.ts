// The browser side of `isolens serve`: an IsolensClient over one WebSocket (RFC 6455).
// Written for the browser (no Node imports); the WebSocket shape it needs is declared here.
import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels, IsolensClient, Result } from '../../shared/contract';
import { parseServerMessage } from '../../shared/wire';
import type { InvokeMessage } from '../../shared/wire';
import { isPackedSnapshot, unpackSnapshot } from '../../shared/snapshot-packing';
import { createFragmentJoiner } from '../../shared/wire-fragments';

/** The part of a MessageEvent the client reads (WHATWG HTML §9.3 WebSocket, `message` event). */
export interface MessageEventLike {
  readonly data: unknown;
}

/** The part of a WebSocket the client uses: the browser's, or the `ws` package's in Node tests. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: MessageEventLike) => void): void;
}

/** A WebSocket constructor (globalThis.WebSocket, or `ws`'s WebSocket). */
export type WebSocketLikeConstructor = new (url: string) => WebSocketLike;

/** Connection state, for a "reconnecting…" banner. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed';

/** Options of createWsClient. */
export interface WsClientOptions {
  /** ws://host:port/ws?token=… */
  readonly url: string;
  /** Defaults to globalThis.WebSocket. */
  readonly WebSocketImpl?: WebSocketLikeConstructor;
  readonly onStatus?: (s: ConnectionStatus) => void;
  /** An invoke not answered within this many ms resolves with UNAVAILABLE. Default 10 000. */
  readonly timeoutMs?: number;
  /** Reconnect delay: starts here (default 500 ms), doubles after each failure, up to maxBackoffMs (default 10 000). */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** An IsolensClient over a WebSocket, which can be shut down. */
export type WsClient = IsolensClient & { close(): void };

/** WebSocket.OPEN (WHATWG HTML §9.3). */
const OPEN = 1;

interface Pending {
  readonly channel: InvokeChannel;
  readonly text: string;
  sent: boolean;
  readonly resolve: (r: Result<unknown>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

function unavailable(message: string): Result<never> {
  return { ok: false, error: { code: 'UNAVAILABLE', message } };
}

/**
 * Connects to `isolens serve` and keeps connecting: reconnects with back-off, resends calls not
 * yet answered (they are read-only), fails a call with UNAVAILABLE after the timeout, and keeps
 * event listeners across reconnects. A reconnect may lose deltas: applyDelta's seq check asks
 * for a resync.
 */
export function createWsClient(opts: WsClientOptions): WsClient {
  const found = opts.WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketLikeConstructor }).WebSocket;
  if (!found) throw new Error('no WebSocket implementation: pass WebSocketImpl');
  const Impl: WebSocketLikeConstructor = found;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const minBackoff = opts.minBackoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 10_000;

  const pending = new Map<number, Pending>();
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  let socket: WebSocketLike | null = null;
  let nextId = 1;
  let backoff = minBackoff;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const setStatus = (s: ConnectionStatus): void => {
    try {
      opts.onStatus?.(s);
    } catch (err) {
      rethrowLater(err);
    }
  };

  const trySend = (p: Pending): void => {
    if (!socket || socket.readyState !== OPEN) return;
    try {
      socket.send(p.text);
      p.sent = true;
    } catch {
      // The socket is closing; its close event brings a reconnect and a resend.
    }
  };

  // A snapshot arrives packed (shared/snapshot-packing.ts): the caller gets it as the service gave it.
  const unpacked = (r: Result<unknown>): Result<unknown> => {
    if (!r.ok || !isPackedSnapshot(r.value)) return r;
    try {
      return { ok: true, value: unpackSnapshot(r.value) };
    } catch (err) {
      return { ok: false, error: { code: 'BAD_REQUEST', message: `malformed snapshot: ${err instanceof Error ? err.message : String(err)}` } };
    }
  };
  // Big messages (a snapshot) arrive as fragments of one message in a row (shared/wire-fragments.ts).
  const joiner = createFragmentJoiner();
  const deliver = (data: unknown): void => {
    if (typeof data !== 'string') return;
    const text = joiner.push(data);
    if (typeof text !== 'string') return;
    const msg = parseServerMessage(text);
    if (!('type' in msg)) return;
    if (msg.type === 'result') {
      const p = msg.id === null ? undefined : pending.get(msg.id);
      if (!p || msg.id === null) return;
      pending.delete(msg.id);
      clearTimeout(p.timer);
      p.resolve(p.channel === 'snapshot:get' ? unpacked(msg.result) : msg.result);
      return;
    }
    for (const l of [...(listeners.get(msg.event) ?? [])]) {
      try {
        l(msg.payload);
      } catch (err) {
        rethrowLater(err);
      }
    }
  };

  const scheduleReconnect = (): void => {
    if (stopped || reconnectTimer !== null) return;
    const delay = backoff;
    backoff = Math.min(backoff * 2, maxBackoff);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  };

  function connect(): void {
    if (stopped) return;
    setStatus('connecting');
    let ws: WebSocketLike;
    try {
      ws = new Impl(opts.url);
    } catch {
      setStatus('closed');
      scheduleReconnect();
      return;
    }
    socket = ws;
    joiner.reset();
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      backoff = minBackoff;
      setStatus('open');
      for (const p of pending.values()) if (!p.sent) trySend(p);
    });
    ws.addEventListener('message', (ev) => {
      if (socket === ws) deliver(ev.data);
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      // The server forgets calls on a lost connection: send them again on the next one.
      for (const p of pending.values()) p.sent = false;
      setStatus('closed');
      scheduleReconnect();
    });
    ws.addEventListener('error', () => {
      // A close event follows; nothing to do here.
    });
  }

  const client: WsClient = {
    invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<Result<InvokeChannels[C]['result']>> {
      if (stopped) return Promise.resolve(unavailable('the client is closed'));
      const id = nextId++;
      const msg: InvokeMessage = { type: 'invoke', id, channel, args };
      return new Promise<Result<InvokeChannels[C]['result']>>((resolve) => {
        const timer = setTimeout(() => {
          const p = pending.get(id);
          pending.delete(id);
          resolve(unavailable(p?.sent ? `no answer from the isolens server within ${timeoutMs} ms` : 'not connected to the isolens server'));
        }, timeoutMs);
        const p: Pending = { channel, text: JSON.stringify(msg), sent: false, resolve: resolve as (r: Result<unknown>) => void, timer };
        pending.set(id, p);
        trySend(p);
      });
    },
    on<E extends EventChannel>(event: E, listener: (payload: EventChannels[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => {
        listeners.get(event)?.delete(l);
      };
    },
    close(): void {
      if (stopped) return;
      stopped = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const ws = socket;
      socket = null;
      try {
        ws?.close(1000, 'client closed');
      } catch {
        // already closing
      }
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        pending.delete(id);
        p.resolve(unavailable('the client is closed'));
      }
      setStatus('closed');
    },
  };

  connect();
  return client;
}

/** Reports a listener's exception without breaking the delivery loop. */
function rethrowLater(err: unknown): void {
  setTimeout(() => {
    throw err;
  }, 0);
}
