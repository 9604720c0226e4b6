// The recording file: newline-delimited JSON (RFC 8259 values, one per line, RFC 7464-like
// framing without the record separator), optionally gzip-compressed (RFC 1952) by its writer.
//
//   line 1   header   {"format":"isolens-recording","schema":1,"recordedAt":…,"host":{…},"intervalMs":…,"redacted":…}
//   line 2   initial  {"t":0,"initial":SequencedSnapshot}
//   then     delta    {"t":MS,"delta":Delta}           t = ms since recordedAt, never decreasing
//            engines  {"t":MS,"engines":EngineStatus[]} an engine came or went (the 'engines' event)
//   last     end      {"t":MS,"end":{"deltas":N}}      written by a clean stop; t = the duration
//
// Pure: no Node APIs (the renderer may parse a file the user drops in). The file is untrusted
// input: every line is checked structurally, cheaply, before anything folds it.
import type { Delta, SequencedSnapshot } from './delta';
import type { EngineStatus } from './model';
import { SNAPSHOT_SCHEMA } from './model';

/** The `format` of line 1 of every recording. */
export const RECORDING_FORMAT = 'isolens-recording';
/** The recording layout this isolens writes and reads; bumped on any incompatible change. */
export const RECORDING_SCHEMA = 1;
/** Largest recording text accepted, in UTF-16 code units (after gunzip): 256 Mi. */
export const MAX_RECORDING_CHARS = 256 * 1024 * 1024;

/** Line 1: what the file is, where and when it was recorded. */
export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  readonly schema: typeof RECORDING_SCHEMA;
  /** ISO 8601 time of t = 0. */
  readonly recordedAt: string;
  /** uname(2) nodename ("host" when redacted) and release. */
  readonly host: { readonly hostname: string; readonly kernel: string };
  /** The collector's poll interval while recording. */
  readonly intervalMs: number;
  /** Every record went through shared/redact.ts. */
  readonly redacted: boolean;
}

/** One timed event after the initial snapshot. */
export type RecordingEvent =
  | { readonly kind: 'delta'; readonly t: number; readonly delta: Delta }
  | { readonly kind: 'engines'; readonly t: number; readonly engines: readonly EngineStatus[] };

/** A parsed, checked recording: the initial state and the timed events that follow it. */
export interface Recording {
  readonly header: RecordingHeader;
  /** The state at t = 0. */
  readonly initial: SequencedSnapshot;
  /** In file order: t never decreases, delta seqs are consecutive from initial.seq + 1. */
  readonly events: readonly RecordingEvent[];
  readonly deltaCount: number;
  /** The end record's t; without one (truncated), the last event's t. */
  readonly durationMs: number;
  /** The file ended early (no end record, or a last line cut short): everything up to the last complete line was kept. */
  readonly truncated: boolean;
  /** Sentences for people about what was recovered. */
  readonly warnings: readonly string[];
}

/** Why a recording was refused. */
export type RecordingErrorKind = 'not-recording' | 'newer-schema' | 'too-large' | 'corrupt' | 'seq-gap' | 'empty' | 'unreadable';

/** A recording that cannot be played: what is wrong, and on which line (1-based) when it is one line's fault. */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
  constructor(
    readonly kind: RecordingErrorKind,
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

/** The text of line 1. */
export function encodeHeader(h: RecordingHeader): string {
  return `${JSON.stringify(h)}\n`;
}

/** The text of line 2: the state at t = 0. */
export function encodeInitial(state: SequencedSnapshot): string {
  return `${JSON.stringify({ t: 0, initial: state })}\n`;
}

/** The text of a delta line. */
export function encodeDelta(t: number, delta: Delta): string {
  return `${JSON.stringify({ t, delta })}\n`;
}

/** The text of an engines line. */
export function encodeEngines(t: number, engines: readonly EngineStatus[]): string {
  return `${JSON.stringify({ t, engines })}\n`;
}

/** The text of the end line (a clean stop); t is the duration. */
export function encodeEnd(t: number, deltas: number): string {
  return `${JSON.stringify({ t, end: { deltas } })}\n`;
}

// ---- structural checks: each returns null when fine, else where and what is wrong ----

type Check = string | null;

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
const isInt = (x: unknown): x is number => Number.isSafeInteger(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const isStrOrNull = (x: unknown): boolean => x === null || typeof x === 'string';
const isNumOrNull = (x: unknown): boolean => x === null || isNum(x);

function checkArray(x: unknown, where: string, item: (y: unknown, where: string) => Check): Check {
  if (!Array.isArray(x)) return `${where} is not an array`;
  for (let i = 0; i < x.length; i++) {
    const e = item(x[i], `${where}[${i}]`);
    if (e) return e;
  }
  return null;
}

const checkString = (x: unknown, where: string): Check => (isStr(x) ? null : `${where} is not a string`);
const checkInt = (x: unknown, where: string): Check => (isInt(x) ? null : `${where} is not an integer`);

function fields(x: unknown, where: string, checks: Record<string, (v: unknown) => boolean>): Check {
  if (!isObj(x)) return `${where} is not an object`;
  for (const [k, ok] of Object.entries(checks)) if (!ok(x[k])) return `${where}.${k} is missing or of the wrong type`;
  return null;
}

function checkProcess(x: unknown, where: string): Check {
  return fields(x, where, {
    pid: (v) => isInt(v) && v > 0, ppid: (v) => isInt(v) && v >= 0, comm: isStr, startTime: (v) => isNum(v) && v >= 0,
    cmdline: (v) => Array.isArray(v) && v.every(isStr), uid: isNumOrNull, nspid: (v) => Array.isArray(v) && v.every(isInt),
    namespaces: isObj, cgroup: isStrOrNull, containerId: isStrOrNull,
  });
}

function checkNamespace(x: unknown, where: string): Check {
  return fields(x, where, {
    id: isInt, type: isStr, pids: (v) => Array.isArray(v) && v.every(isInt), host: (v) => typeof v === 'boolean',
    parent: (v) => v === null || isInt(v), owner: (v) => v === null || isInt(v), path: isStrOrNull,
  });
}

function checkContainer(x: unknown, where: string): Check {
  return fields(x, where, {
    id: isStr, name: isStr, engine: isStr, image: isStrOrNull, state: isStr, pid: (v) => v === null || isInt(v),
    pids: (v) => Array.isArray(v) && v.every(isInt), limits: isObj, sharedWithHost: (v) => Array.isArray(v) && v.every(isStr),
    cgroup: isStrOrNull, labels: (v) => isObj(v) && Object.values(v).every(isStr), createdAt: isStrOrNull,
  });
}

function checkEngine(x: unknown, where: string): Check {
  return fields(x, where, { name: isStr, available: (v) => typeof v === 'boolean', endpoint: isStr, version: isStrOrNull, error: isStrOrNull });
}

function checkHost(x: unknown, where: string): Check {
  return fields(x, where, { hostname: isStr, kernel: isStr, cgroupVersion: (v) => v === 1 || v === 2, namespaces: isObj, collectorUid: isInt });
}

function checkUsage(x: unknown, where: string): Check {
  if (!isObj(x)) return `${where} is not an object`;
  for (const [id, s] of Object.entries(x)) {
    const e = fields(s, `${where}[${JSON.stringify(id)}]`, { t: isNum, memoryBytes: isNumOrNull, cpuCores: isNumOrNull, pids: isNumOrNull });
    if (e) return e;
  }
  return null;
}

function checkSnapshot(x: unknown, where: string): Check {
  if (!isObj(x)) return `${where} is not an object`;
  if (x.schema !== SNAPSHOT_SCHEMA) return `${where}.schema is ${JSON.stringify(x.schema) ?? 'missing'}; this isolens reads snapshot schema ${SNAPSHOT_SCHEMA}`;
  return checkString(x.takenAt, `${where}.takenAt`)
    ?? checkHost(x.host, `${where}.host`)
    ?? checkArray(x.processes, `${where}.processes`, checkProcess)
    ?? checkArray(x.namespaces, `${where}.namespaces`, checkNamespace)
    ?? checkArray(x.containers, `${where}.containers`, checkContainer)
    ?? checkArray(x.engines, `${where}.engines`, checkEngine)
    ?? checkArray(x.warnings, `${where}.warnings`, checkString);
}

function checkSequenced(x: unknown, where: string): Check {
  if (!isObj(x)) return `${where} is not an object`;
  if (!isInt(x.seq) || x.seq < 0) return `${where}.seq is not a non-negative integer`;
  return checkSnapshot(x.snapshot, `${where}.snapshot`) ?? checkUsage(x.usage, `${where}.usage`);
}

function checkRecords(x: unknown, where: string): Check {
  if (!isObj(x)) return `${where} is not an object`;
  return checkArray(x.processes, `${where}.processes`, checkProcess)
    ?? checkArray(x.namespaces, `${where}.namespaces`, checkNamespace)
    ?? checkArray(x.containers, `${where}.containers`, checkContainer);
}

function checkDelta(x: unknown, where: string): Check {
  if (!isObj(x)) return `${where} is not an object`;
  if (!isInt(x.seq)) return `${where}.seq is not an integer`;
  const removed = x.removed;
  return checkString(x.takenAt, `${where}.takenAt`)
    ?? checkRecords(x.added, `${where}.added`)
    ?? checkRecords(x.updated, `${where}.updated`)
    ?? (isObj(removed)
      ? checkArray(removed.processes, `${where}.removed.processes`, checkString)
        ?? checkArray(removed.namespaces, `${where}.removed.namespaces`, checkInt)
        ?? checkArray(removed.containers, `${where}.removed.containers`, checkString)
      : `${where}.removed is not an object`)
    ?? (x.host === undefined ? null : checkHost(x.host, `${where}.host`))
    ?? (x.engines === undefined ? null : checkArray(x.engines, `${where}.engines`, checkEngine))
    ?? (x.warnings === undefined ? null : checkArray(x.warnings, `${where}.warnings`, checkString))
    ?? checkUsage(x.usage, `${where}.usage`);
}

// ---- the parser ----

function parseHeader(line: string | undefined): RecordingHeader | RecordingError {
  const notOurs = (why: string): RecordingError => new RecordingError('not-recording', `not an isolens recording: ${why}`, 1);
  if (line === undefined || line.trim() === '') return notOurs('line 1 is empty');
  let h: unknown;
  try {
    h = JSON.parse(line);
  } catch {
    return notOurs('line 1 is not JSON');
  }
  if (!isObj(h) || h.format !== RECORDING_FORMAT) return notOurs(`line 1 does not say "format":"${RECORDING_FORMAT}"`);
  if (isInt(h.schema) && h.schema > RECORDING_SCHEMA) {
    return new RecordingError('newer-schema', `made by a newer isolens (schema ${h.schema}); this one reads schema ${RECORDING_SCHEMA}`, 1);
  }
  if (h.schema !== RECORDING_SCHEMA) return notOurs(`unknown schema ${JSON.stringify(h.schema) ?? 'missing'} (this isolens reads schema ${RECORDING_SCHEMA})`);
  const bad = checkString(h.recordedAt, 'header.recordedAt')
    ?? fields(h.host, 'header.host', { hostname: isStr, kernel: isStr })
    ?? (isNum(h.intervalMs) && h.intervalMs > 0 ? null : 'header.intervalMs is not a positive number')
    ?? (typeof h.redacted === 'boolean' ? null : 'header.redacted is not a boolean');
  if (bad) return new RecordingError('corrupt', `line 1: ${bad}`, 1);
  const host = h.host as Record<string, unknown>;
  return {
    format: RECORDING_FORMAT, schema: RECORDING_SCHEMA, recordedAt: h.recordedAt as string,
    host: { hostname: host.hostname as string, kernel: host.kernel as string }, intervalMs: h.intervalMs as number, redacted: h.redacted as boolean,
  };
}

/**
 * Parses and checks a recording's text (after gunzip). Never throws: a refusal is a
 * RecordingError naming the line. A file that ends early — no end record, or a last line cut in
 * the middle (a recorder killed, a copy cut short) — is recovered up to its last complete line
 * and marked `truncated`, with a warning; damage anywhere else (bad JSON, a bad record, a
 * missing delta, time going backwards) refuses the whole file.
 */
export function parseRecording(text: string, opts: { readonly maxChars?: number } = {}): Recording | RecordingError {
  const max = opts.maxChars ?? MAX_RECORDING_CHARS;
  if (text.length > max) {
    return new RecordingError('too-large', `recording too large (${text.length} characters, limit ${max})`);
  }
  if (text.length === 0) return new RecordingError('empty', 'not an isolens recording: the file is empty');
  const lines = text.split('\n');
  // A file written whole ends with '\n': the last element is then ''. Otherwise it is a fragment.
  const fragment = lines.pop() ?? '';
  const warnings: string[] = [];
  let truncated = false;
  // A last line without its '\n' is kept when it is whole JSON, dropped (truncated) otherwise.
  if (fragment.trim() !== '') {
    let whole = true;
    try {
      JSON.parse(fragment);
    } catch {
      whole = false;
    }
    if (whole || lines.length === 0) lines.push(fragment);
    else {
      truncated = true;
      warnings.push(`the file ends in the middle of line ${lines.length + 1} (cut short?): played up to line ${lines.length}`);
    }
  }
  const header = parseHeader(lines[0]);
  if (header instanceof RecordingError) return header;

  const initialLine = lines[1];
  if (initialLine === undefined) {
    return new RecordingError('corrupt', truncated ? 'the file ends in the middle of line 2 (the initial snapshot): nothing to play' : 'the recording has no initial snapshot (line 2)', 2);
  }
  let first: unknown;
  try {
    first = JSON.parse(initialLine);
  } catch (e) {
    return new RecordingError('corrupt', `line 2 is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, 2);
  }
  const badInitial = isObj(first) ? (first.t === 0 ? checkSequenced(first.initial, 'initial') : 'initial line must have t = 0') : 'line 2 is not an object';
  if (badInitial) return new RecordingError('corrupt', `line 2: ${badInitial}`, 2);
  const initial = (first as { initial: SequencedSnapshot }).initial;

  const events: RecordingEvent[] = [];
  let seq = initial.seq;
  let lastT = 0;
  let end: number | null = null;
  let deltaCount = 0;
  for (let i = 2; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i] ?? '';
    if (end !== null) return new RecordingError('corrupt', `line ${n}: data after the end record (line ${n - 1})`, n);
    if (raw.trim() === '') return new RecordingError('corrupt', `line ${n} is empty`, n);
    let rec: unknown;
    try {
      rec = JSON.parse(raw);
    } catch (e) {
      return new RecordingError('corrupt', `line ${n} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, n);
    }
    if (!isObj(rec)) return new RecordingError('corrupt', `line ${n} is not an object`, n);
    const t = rec.t;
    if (!isNum(t) || t < 0) return new RecordingError('corrupt', `line ${n}: t is not a time in ms (a finite number ≥ 0)`, n);
    if (t < lastT) return new RecordingError('corrupt', `line ${n}: t = ${t} ms goes back before the previous line's ${lastT} ms`, n);
    lastT = t;
    if ('delta' in rec) {
      const bad = checkDelta(rec.delta, 'delta');
      if (bad) return new RecordingError('corrupt', `line ${n}: ${bad}`, n);
      const delta = rec.delta as Delta;
      if (delta.seq !== seq + 1) {
        return new RecordingError('seq-gap', `line ${n}: delta seq ${delta.seq} follows seq ${seq}: ${delta.seq > seq + 1 ? 'a delta is missing' : 'out of order'}`, n);
      }
      seq = delta.seq;
      deltaCount++;
      events.push({ kind: 'delta', t, delta });
    } else if ('engines' in rec) {
      const bad = checkArray(rec.engines, 'engines', checkEngine);
      if (bad) return new RecordingError('corrupt', `line ${n}: ${bad}`, n);
      events.push({ kind: 'engines', t, engines: rec.engines as EngineStatus[] });
    } else if ('end' in rec) {
      const count = isObj(rec.end) ? rec.end.deltas : undefined;
      if (count !== deltaCount) return new RecordingError('corrupt', `line ${n}: the end record counts ${JSON.stringify(count) ?? 'no'} deltas, the file holds ${deltaCount}`, n);
      end = t;
    } else {
      return new RecordingError('corrupt', `line ${n}: neither a delta, an engines list nor the end record`, n);
    }
  }
  if (end === null && !truncated) {
    truncated = true;
    warnings.push(`no end record: the recorder did not stop cleanly; played up to line ${lines.length}`);
  } else if (end === null) {
    warnings.push('no end record: the recorder did not stop cleanly');
  }
  return { header, initial, events, deltaCount, durationMs: end ?? lastT, truncated, warnings };
}
