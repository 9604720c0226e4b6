import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { EVENT_CHANNELS } from '../../shared/contract';
import type { EventChannel, IsolensService, Result } from '../../shared/contract';
import { MAX_CLIENT_MESSAGE_CHARS, parseClientMessage } from '../../shared/wire';
import { packSnapshot } from '../../shared/snapshot-packing';
import type { SequencedSnapshot } from '../../shared/delta';
import { fragmentServerMessage } from '../../shared/wire-fragments';
import type { ResultMessage, ServerMessage } from '../../shared/wire';
import { answerInvocation } from './dispatch';

/** Limits of one WebSocket connection (RFC 6455). */
export interface SessionLimits {
  /** A client whose unsent data exceeds this many bytes is dropped (it cannot keep up). */
  readonly maxBufferedBytes: number;
  /** Invocations answered at once per connection; more are refused with UNAVAILABLE. */
  readonly maxInFlight: number;
}

/** Default limits: 8 MiB of backlog, 32 concurrent invocations. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxBufferedBytes: 8 * 1024 * 1024, maxInFlight: 32 };

/**
 * Serializes a pushed payload once for all connections during one synchronous fan-out (every
 * session hears a service event in the same tick); forgotten at the next microtask, so a
 * payload object the service later mutates and emits again is serialized afresh.
 */
export class PayloadCache {
  private last: { readonly event: EventChannel; readonly payload: unknown; readonly text: string } | null = null;

  /** The JSON text of the event message carrying this payload. */
  eventText(event: EventChannel, payload: unknown): string {
    if (this.last && this.last.event === event && this.last.payload === payload) return this.last.text;
    const text = JSON.stringify({ type: 'event', event, payload } as ServerMessage);
    if (this.last === null) queueMicrotask(() => (this.last = null));
    this.last = { event, payload, text };
    return text;
  }
}

/**
 * Serves one WebSocket connection: forwards the service's events, answers invoke messages with
 * Results (never throws), drops the client when its backlog grows past the limit, and
 * unsubscribes everything when the socket closes.
 */
export function attachSession(
  ws: WebSocket,
  service: IsolensService,
  cache: PayloadCache,
  log: (line: string) => void,
  limits: SessionLimits = DEFAULT_SESSION_LIMITS,
): void {
  let inFlight = 0;
  let dropped = false;

  const sendText = (text: string): void => {
    if (dropped || ws.readyState !== WebSocket.OPEN) return;
    // One message is always let through an empty buffer, however big (a full snapshot).
    if (ws.bufferedAmount > 0 && ws.bufferedAmount + text.length > limits.maxBufferedBytes) {
      dropped = true;
      log(`isolens serve: dropping a slow client (${ws.bufferedAmount} bytes unsent)`);
      ws.terminate();
      return;
    }
    // A big message (a snapshot) goes as 64 KiB fragments, sent in a row (shared/wire-fragments.ts).
    for (const part of fragmentServerMessage(text)) {
      ws.send(part, (err) => {
        if (err) log(`isolens serve: send failed: ${err.message}`);
      });
    }
  };
  const reply = (id: number | null, result: Result<unknown>): void => {
    const msg: ResultMessage = { type: 'result', id, result };
    let text: string;
    try {
      text = JSON.stringify(msg);
    } catch (err) {
      text = JSON.stringify({ type: 'result', id, result: { ok: false, error: { code: 'INTERNAL', message: `result not serializable: ${String(err)}` } } });
    }
    sendText(text);
  };

  const unsubscribe = EVENT_CHANNELS.map((event) =>
    service.on(event, (payload: unknown) => {
      try {
        sendText(cache.eventText(event, payload));
      } catch (err) {
        log(`isolens serve: cannot forward ${event}: ${String(err)}`);
      }
    }),
  );

  ws.on('message', (data: RawData, isBinary: boolean) => {
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    if (isBinary) return reply(null, { ok: false, error: { code: 'BAD_REQUEST', message: 'binary messages are not accepted' } });
    // A UTF-16 code unit takes at most 3 bytes of UTF-8: past this, the text is surely too long.
    if (bytes > 3 * MAX_CLIENT_MESSAGE_CHARS) {
      return reply(null, { ok: false, error: { code: 'BAD_REQUEST', message: `message too large (${bytes} bytes)` } });
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
    const msg = parseClientMessage(text);
    if (!('type' in msg)) return reply(msg.id, { ok: false, error: { code: msg.code, message: msg.message } });
    if (inFlight >= limits.maxInFlight) {
      return reply(msg.id, { ok: false, error: { code: 'UNAVAILABLE', message: `too many calls in flight (limit ${limits.maxInFlight})` } });
    }
    inFlight++;
    void answerInvocation(service, msg.channel, msg.args).then((result) => {
      inFlight--;
      // A full snapshot travels packed (shared/snapshot-packing.ts); the client unpacks it.
      if (msg.channel === 'snapshot:get' && result.ok) {
        try {
          return reply(msg.id, { ok: true, value: packSnapshot(result.value as SequencedSnapshot) });
        } catch (err) {
          return reply(msg.id, { ok: false, error: { code: 'INTERNAL', message: `cannot pack the snapshot: ${String(err)}` } });
        }
      }
      reply(msg.id, result);
    });
  });

  ws.on('error', (err) => log(`isolens serve: WebSocket error: ${err.message}`));
  ws.once('close', () => {
    for (const off of unsubscribe) {
      try {
        off();
      } catch (err) {
        log(`isolens serve: unsubscribe failed: ${String(err)}`);
      }
    }
  });
}
