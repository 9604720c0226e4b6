import type { Delta, SequencedSnapshot } from './delta';
import type { CgroupLimits, EngineStatus, ProcessInfo } from './model';
import type { LayerAnalysis } from './rootfs';
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
  /** What is being shown: the live host, or a recording (for a "recording" badge and the timeline). */
  'session:get': { readonly args: readonly []; readonly result: SessionInfo };
  /** Play, pause, seek or change the speed of a recording; BAD_REQUEST in live mode. Answers with the new state. */
  'playback:control': { readonly args: readonly [control: PlaybackControl]; readonly result: PlaybackState };
  /** What a viewer has on screen: the collector reads stat only for these processes between full passes (issue: speed at scale). */
  'view:set': { readonly args: readonly [viewerId: string, view: ViewInterest]; readonly result: null };
  /** Usage and limits of the cgroup a process is in (any process the user selects, container or not). */
  'cgroup:get': { readonly args: readonly [pid: number]; readonly result: CgroupReport };
  /** dive's view of a container's image: files added, changed and removed per layer, wasted bytes, efficiency. On demand: it reads `docker save`. */
  'image:analyze': { readonly args: readonly [containerId: string]; readonly result: LayerAnalysis };
}

/** What one viewer looks at: the visible process rows and the selected container. */
export interface ViewInterest {
  readonly pids: readonly number[];
  readonly containerId: string | null;
}

/** Limits a viewer may declare: a screen shows at most a few hundred rows. */
export const VIEW_MAX_PIDS = 5000;

/** A process's cgroup with its limits and usage now (cgroup-v1 / cgroup-v2.rst). */
export interface CgroupReport {
  readonly pid: number;
  /** v2 path, or the v1 memory controller's path. */
  readonly path: string | null;
  readonly limits: CgroupLimits;
  readonly usage: UsageSample;
}

/** Whether a service shows the live host or plays a recording file. */
export type SessionMode = 'live' | 'recording';

/** A recording being played (its header, see shared/recording.ts). */
export interface RecordingInfo {
  /** The file's base name (never the server's full path). */
  readonly file: string;
  /** Recording format schema (RECORDING_SCHEMA). */
  readonly schema: number;
  /** When recording started (ISO 8601): position 0. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** The recorded host ("host" when the recording was redacted). */
  readonly host: { readonly hostname: string; readonly kernel: string };
  /** The collector's poll interval while recording. */
  readonly intervalMs: number;
  /** Command lines, label values, host names and /home paths were replaced (shared/redact.ts). */
  readonly redacted: boolean;
  /** The file ended early (recorder killed, copy cut short): played up to its last complete line. */
  readonly truncated: boolean;
  /** Number of deltas in the recording. */
  readonly deltas: number;
}

/** Answer of 'session:get'. */
export interface SessionInfo {
  readonly mode: SessionMode;
  /** Present in recording mode. */
  readonly recording?: RecordingInfo;
  /** Present in recording mode: the playback state now (the 'playback' event carries later ones). */
  readonly playback?: PlaybackState;
}

/** What 'playback:control' may ask. */
export type PlaybackAction = 'play' | 'pause' | 'seek' | 'speed';

/** Argument of 'playback:control': `seek` takes value = position in ms (clamped to 0..durationMs); `speed` takes value = factor in PLAYBACK_SPEED_RANGE; play and pause take no value. */
export interface PlaybackControl {
  readonly action: PlaybackAction;
  readonly value?: number;
}

/** Speeds a recording may be played at (× real time), inclusive. */
export const PLAYBACK_SPEED_RANGE = { min: 0.1, max: 64 } as const;

/**
 * Where playback stands ('playback' event, 'playback:control' answer, SessionInfo.playback).
 * Pushed on every change and every ~500 ms while playing.
 */
export interface PlaybackState {
  readonly mode: SessionMode;
  readonly playing: boolean;
  readonly speed: number;
  /** Position in the recording, ms since its start (0..durationMs). */
  readonly positionMs: number;
  readonly durationMs: number;
  /** ISO 8601 time of position 0 (wall-clock time shown = startedAt + positionMs). */
  readonly startedAt: string;
  /** The recording's file base name. */
  readonly source: string;
  /** True when playback reached the end and paused there (no loop); 'play' then starts again from 0. */
  readonly ended: boolean;
  /** Incremented by every seek that changed the state: drop client-side history (re-fetch 'history:get'). */
  readonly epoch: number;
}

/** Pushed events: name → payload. */
export interface EventChannels {
  delta: Delta;
  engines: readonly EngineStatus[];
  /** Recording mode only: playback state changes (see PlaybackState). */
  playback: PlaybackState;
}

/** A name of an invoke call. */
export type InvokeChannel = keyof InvokeChannels;
/** A name of a pushed event. */
export type EventChannel = keyof EventChannels;

/** Every invoke channel, for validating what arrives over a transport. */
export const INVOKE_CHANNELS: readonly InvokeChannel[] = ['snapshot:get', 'history:get', 'process:get', 'session:get', 'playback:control', 'view:set', 'cgroup:get', 'image:analyze'];
/** Every event channel. */
export const EVENT_CHANNELS: readonly EventChannel[] = ['delta', 'engines', 'playback'];

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
    case 'session:get':
      return a.length === 0 ? { channel: c, args: [] } : { code: 'BAD_REQUEST', message: 'session:get takes no arguments' };
    case 'playback:control': {
      const control = a.length === 1 ? validatePlaybackControl(a[0]) : 'playback:control takes one argument: { action, value? }';
      return typeof control === 'string' ? { code: 'BAD_REQUEST', message: control } : { channel: c, args: [control] };
    }
    case 'view:set': {
      const view = a.length === 2 && typeof a[0] === 'string' && a[0].length > 0 && a[0].length <= 64 ? validateView(a[1]) : null;
      return view ? { channel: c, args: [a[0], view] } : { code: 'BAD_REQUEST', message: `view:set takes a viewer id (1-64 characters) and { pids: up to ${VIEW_MAX_PIDS} positive integers, containerId: string | null }` };
    }
    case 'cgroup:get':
      return a.length === 1 && Number.isSafeInteger(a[0]) && (a[0] as number) > 0
        ? { channel: c, args: a }
        : { code: 'BAD_REQUEST', message: 'cgroup:get takes one pid (a positive integer)' };
    case 'image:analyze':
      return a.length === 1 && typeof a[0] === 'string' && a[0].length > 0 && a[0].length <= 256
        ? { channel: c, args: a }
        : { code: 'BAD_REQUEST', message: 'image:analyze takes one container id (a string)' };
  }
}

/** Checks a PlaybackControl (untrusted): known action, no other keys, a value only where one is meant. Returns it, or why not. */
export function validatePlaybackControl(x: unknown): PlaybackControl | string {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'playback:control takes an object { action, value? }';
  const o = x as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'action' && k !== 'value');
  if (extra.length > 0) return `playback:control: unknown key ${JSON.stringify(extra[0])}`;
  const { action, value } = o;
  switch (action) {
    case 'play':
    case 'pause':
      return value === undefined ? { action } : `playback:control: ${action} takes no value`;
    case 'seek':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0
        ? { action, value }
        : 'playback:control: seek takes value = a position in ms (a finite number ≥ 0)';
    case 'speed':
      return typeof value === 'number' && Number.isFinite(value) && value >= PLAYBACK_SPEED_RANGE.min && value <= PLAYBACK_SPEED_RANGE.max
        ? { action, value }
        : `playback:control: speed takes value = a factor from ${PLAYBACK_SPEED_RANGE.min} to ${PLAYBACK_SPEED_RANGE.max}`;
    default:
      return `playback:control: action must be play, pause, seek or speed, not ${JSON.stringify(action) ?? 'undefined'}`;
  }
}

function validateView(x: unknown): ViewInterest | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return null;
  const keys = Object.keys(x);
  if (keys.length !== 2 || !keys.includes('pids') || !keys.includes('containerId')) return null;
  const v = x as { pids: unknown; containerId: unknown };
  if (!Array.isArray(v.pids) || v.pids.length > VIEW_MAX_PIDS || !v.pids.every((p) => Number.isSafeInteger(p) && (p as number) > 0)) return null;
  if (v.containerId !== null && (typeof v.containerId !== 'string' || v.containerId.length > 256)) return null;
  return { pids: v.pids as number[], containerId: v.containerId };
}

/** Turns anything a service threw into a WireError. */
export function toWireError(err: unknown): WireError {
  if (err instanceof ServiceError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
