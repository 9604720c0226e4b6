import { EVENT_CHANNELS, validateInvocation } from './contract';
import type { EventChannel, EventChannels, InvokeChannel, Result, WireError } from './contract';

/** Largest client message accepted, in UTF-16 code units of its text (RFC 6455 text frame, decoded). */
export const MAX_CLIENT_MESSAGE_CHARS = 64 * 1024;

/** Client → server: one invoke call (RFC 6455 text frame carrying JSON). */
export interface InvokeMessage {
  readonly type: 'invoke';
  /** Chosen by the client, echoed in the result; a non-negative safe integer. */
  readonly id: number;
  readonly channel: InvokeChannel;
  readonly args: readonly unknown[];
}

/** Any message a client may send over the WebSocket. */
export type ClientMessage = InvokeMessage;

/** Server → client: the answer to one invoke; `id` is null when the request's id could not be read. */
export interface ResultMessage {
  readonly type: 'result';
  readonly id: number | null;
  readonly result: Result<unknown>;
}

/** Server → client: a pushed event (see EventChannels). */
export type EventMessage = {
  [E in EventChannel]: { readonly type: 'event'; readonly event: E; readonly payload: EventChannels[E] };
}[EventChannel];

/** Any message the server sends over the WebSocket. */
export type ServerMessage = ResultMessage | EventMessage;

/** A client message that was refused, with the request id to answer when it could be read. */
export interface ClientMessageError extends WireError {
  readonly id: number | null;
}

/** True for the error branch of parseClientMessage / parseServerMessage. */
export function isWireError(x: ClientMessage | ServerMessage | WireError): x is WireError {
  return !('type' in x);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isRequestId(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function bad(id: number | null, message: string): ClientMessageError {
  return { code: 'BAD_REQUEST', message, id };
}

/**
 * Parses a message from a client (untrusted): size cap, JSON, shape, then validateInvocation.
 * Never throws; a refusal carries the request id when one could be read, to answer it.
 */
export function parseClientMessage(text: string): ClientMessage | ClientMessageError {
  if (text.length > MAX_CLIENT_MESSAGE_CHARS) {
    return bad(null, `message too large (${text.length} characters, limit ${MAX_CLIENT_MESSAGE_CHARS})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return bad(null, 'message is not valid JSON');
  }
  if (!isRecord(data)) return bad(null, 'message is not a JSON object');
  const id = isRequestId(data.id) ? data.id : null;
  if (data.type !== 'invoke') return bad(id, `unknown message type ${JSON.stringify(data.type) ?? 'undefined'}`);
  if (id === null) return bad(null, 'invoke needs an id (a non-negative integer)');
  if (data.args !== undefined && !Array.isArray(data.args)) return bad(id, 'args must be an array');
  const call = validateInvocation(data.channel, data.args ?? []);
  if ('code' in call) return { ...call, id };
  return { type: 'invoke', id, channel: call.channel, args: call.args };
}

/**
 * Parses a message from the server: checks the envelope only (type, id, ok, event name);
 * payloads are trusted to match EventChannels. Never throws.
 */
export function parseServerMessage(text: string): ServerMessage | WireError {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { code: 'BAD_REQUEST', message: 'server message is not valid JSON' };
  }
  if (!isRecord(data)) return { code: 'BAD_REQUEST', message: 'server message is not a JSON object' };
  if (data.type === 'result') {
    const id = data.id === null || isRequestId(data.id) ? data.id : undefined;
    const r = data.result;
    if (id === undefined || !isRecord(r) || typeof r.ok !== 'boolean') {
      return { code: 'BAD_REQUEST', message: 'malformed result message' };
    }
    if (!r.ok && !(isRecord(r.error) && typeof r.error.code === 'string' && typeof r.error.message === 'string')) {
      return { code: 'BAD_REQUEST', message: 'malformed error result' };
    }
    return { type: 'result', id, result: r as Result<unknown> };
  }
  if (data.type === 'event') {
    if (typeof data.event !== 'string' || !(EVENT_CHANNELS as readonly string[]).includes(data.event) || !('payload' in data)) {
      return { code: 'BAD_REQUEST', message: `unknown event ${JSON.stringify(data.event) ?? 'undefined'}` };
    }
    return data as unknown as EventMessage;
  }
  return { code: 'BAD_REQUEST', message: `unknown message type ${JSON.stringify(data.type) ?? 'undefined'}` };
}
