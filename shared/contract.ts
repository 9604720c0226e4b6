import type { Delta, SequencedSnapshot } from './delta';
import type { EngineStatus, ProcessInfo } from './model';
import type { UsageSample } from './usage';

/** What moves in a process, read on demand (proc(5) /proc/PID/stat and status). */
export interface ProcessDetail {
  readonly process: ProcessInfo;
  /** stat field 3: R, S, D, Z, T, I… */
  readonly state: string;
  /** utime + stime in milliseconds. */
  readonly cpuMs: number;
  readonly threads: number;
  /** Resident set size in bytes; null for kernel threads. */
  readonly rssBytes: number | null;
}

/** Invoke calls: channel → argument tuple and result. The one definition both transports carry. */
export interface InvokeChannels {
  'snapshot:get': { readonly args: readonly []; readonly result: SequencedSnapshot };
  'history:get': { readonly args: readonly [containerId: string]; readonly result: readonly UsageSample[] };
  'process:get': { readonly args: readonly [pid: number]; readonly result: ProcessDetail };
}

/** Pushed events: name → payload. */
export interface EventChannels {
  delta: Delta;
  engines: readonly EngineStatus[];
}

/** A name of an invoke call. */
export type InvokeChannel = keyof InvokeChannels;
/** A name of a pushed event. */
export type EventChannel = keyof EventChannels;

/** Every invoke channel, for validating what arrives over a transport. */
export const INVOKE_CHANNELS: readonly InvokeChannel[] = ['snapshot:get', 'history:get', 'process:get'];
/** Every event channel. */
export const EVENT_CHANNELS: readonly EventChannel[] = ['delta', 'engines'];

/** An error as it crosses a transport: a stable code and a sentence for people. */
export interface WireError {
  readonly code: 'BAD_REQUEST' | 'NOT_FOUND' | 'UNAVAILABLE' | 'INTERNAL' | 'UNAUTHORIZED';
  readonly message: string;
}

/** The result of an invoke call, as it crosses a transport (never a thrown error). */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

/** An error a service throws to answer with a specific code. */
export class ServiceError extends Error {
  constructor(readonly code: WireError['code'], message: string) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** What the renderer talks to: window.isolens in Electron, a WebSocket client in a browser. */
export interface IsolensClient {
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<Result<InvokeChannels[C]['result']>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventChannel>(event: E, listener: (payload: EventChannels[E]) => void): () => void;
}

/** What a transport serves: the collector service implements it once. */
export interface IsolensService {
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<InvokeChannels[C]['result']>;
  on<E extends EventChannel>(event: E, listener: (payload: EventChannels[E]) => void): () => void;
}

/**
 * Checks an invocation that arrived over a transport (untrusted): a known channel with
 * arguments of the right types. Returns the typed call, or a BAD_REQUEST error.
 */
export function validateInvocation(channel: unknown, args: unknown): { channel: InvokeChannel; args: readonly unknown[] } | WireError {
  if (typeof channel !== 'string' || !(INVOKE_CHANNELS as readonly string[]).includes(channel)) {
    return { code: 'BAD_REQUEST', message: `unknown channel ${JSON.stringify(channel)}` };
  }
  const a = Array.isArray(args) ? (args as unknown[]) : [];
  const c = channel as InvokeChannel;
  switch (c) {
    case 'snapshot:get':
      return a.length === 0 ? { channel: c, args: [] } : { code: 'BAD_REQUEST', message: 'snapshot:get takes no arguments' };
    case 'history:get':
      return a.length === 1 && typeof a[0] === 'string' && a[0].length <= 256
        ? { channel: c, args: a }
        : { code: 'BAD_REQUEST', message: 'history:get takes one container id (a string)' };
    case 'process:get':
      return a.length === 1 && Number.isSafeInteger(a[0]) && (a[0] as number) > 0
        ? { channel: c, args: a }
        : { code: 'BAD_REQUEST', message: 'process:get takes one pid (a positive integer)' };
  }
}

/** Turns anything a service threw into a WireError. */
export function toWireError(err: unknown): WireError {
  if (err instanceof ServiceError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
