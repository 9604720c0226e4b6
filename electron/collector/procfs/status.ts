import { ProcParseError } from './errors';
import { parseDecimal } from './parse';

/** Real, effective, saved set and filesystem ids, as the `Uid:` and `Gid:` lines of proc(5) /proc/PID/status list them. */
export type IdQuad = readonly [real: number, effective: number, saved: number, fs: number];

/** The fields Isolens uses from proc(5) /proc/PID/status. */
export interface ProcStatus {
  readonly name: string;
  /** `Umask:` (octal text, e.g. "0022"); null on kernels before 4.7 and for zombies. */
  readonly umask: string | null;
  /** The state letter of `State:` (R, S, D, Z, ...). */
  readonly state: string;
  readonly tgid: number;
  readonly pid: number;
  readonly ppid: number;
  readonly uid: IdQuad;
  readonly gid: IdQuad;
  /** `NStgid:` .. `NSsid:`, outermost (host) pid namespace first; [] on kernels before 4.1. */
  readonly nstgid: readonly number[];
  readonly nspid: readonly number[];
  readonly nspgid: readonly number[];
  readonly nssid: readonly number[];
  readonly threads: number;
  /** Capability sets (capabilities(7)); null when the line is absent (CapAmb before 4.3). */
  readonly capInh: bigint | null;
  readonly capPrm: bigint | null;
  readonly capEff: bigint | null;
  readonly capBnd: bigint | null;
  readonly capAmb: bigint | null;
  /** `NoNewPrivs:` (prctl(2) PR_SET_NO_NEW_PRIVS); null before 4.10. */
  readonly noNewPrivs: boolean | null;
  /** `Seccomp:` 0 = off, 1 = strict, 2 = filter (seccomp(2)); null without CONFIG_SECCOMP. */
  readonly seccomp: 0 | 1 | 2 | null;
  /** `Seccomp_filters:` number of attached filters; null before 5.9. */
  readonly seccompFilters: number | null;
  /** `VmRSS:` in kB; null for kernel threads and zombies, which have no mm. */
  readonly vmRss: number | null;
}

const HEX = /^[0-9a-fA-F]{1,32}$/;

/** Capability sets by their text: a handful of distinct values across every process (and one bigint each). */
const capSets = new Map<string, bigint>();

function hex(value: string, key: string): bigint {
  const known = capSets.get(value);
  if (known !== undefined) return known;
  if (!HEX.test(value)) throw new ProcParseError('status', `${key}: expected hex, got ${JSON.stringify(value)}`);
  const v = BigInt('0x' + value);
  if (capSets.size >= 4096) capSets.clear();
  capSets.set(value, v);
  return v;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;

/** The whitespace-separated decimals of text[from, to) (proc(5) NSpid, Uid: tab-separated). */
function numbers(text: string, from: number, to: number, key: string): number[] {
  const out: number[] = [];
  let i = from;
  while (i < to) {
    while (i < to && isSpace(text.charCodeAt(i))) i++;
    if (i >= to) break;
    let n = 0;
    const start = i;
    for (; i < to && !isSpace(text.charCodeAt(i)); i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9 || i - start >= 20) return badNumbers(text, from, to, key);
      n = n * 10 + d;
    }
    out.push(n);
  }
  return out;
}

function badNumbers(text: string, from: number, to: number, key: string): never {
  const value = text.slice(from, to);
  for (const part of value.split(/\s+/)) if (part !== '') parseDecimal(part, 'status', key);
  throw new ProcParseError('status', `${key}: expected numbers, got ${JSON.stringify(value)}`);
}

/**
 * The status lines parseStatus reads, by key length (a line of another key is skipped without copying its key).
 * isolens-table sends only these lines (native/table.c STATUS_KEYS): a key added here must be added there.
 */
const KEYS: Readonly<Record<number, readonly string[]>> = (() => {
  const byLength: Record<number, string[]> = {};
  for (const k of ['Name', 'Umask', 'State', 'Tgid', 'Pid', 'PPid', 'Uid', 'Gid', 'NStgid', 'NSpid', 'NSpgid', 'NSsid', 'Threads',
    'CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp', 'Seccomp_filters', 'VmRSS']) (byLength[k.length] ??= []).push(k);
  return byLength;
})();

function keyAt(text: string, at: number, length: number): string | null {
  const candidates = KEYS[length];
  if (candidates === undefined) return null;
  for (const k of candidates) if (text.startsWith(k, at)) return k;
  return null;
}

function quad(text: string, from: number, to: number, key: string): IdQuad {
  const ids = numbers(text, from, to, key);
  if (ids.length !== 4) throw new ProcParseError('status', `${key}: expected 4 ids, got ${JSON.stringify(text.slice(from, to))}`);
  return [ids[0] ?? 0, ids[1] ?? 0, ids[2] ?? 0, ids[3] ?? 0];
}

function kb(value: string, key: string): number {
  const m = /^\s*(\d+) kB$/.exec(value);
  if (!m) throw new ProcParseError('status', `${key}: expected "N kB", got ${JSON.stringify(value)}`);
  return parseDecimal(m[1], 'status', key);
}

function required<T>(v: T | undefined, key: string): T {
  if (v === undefined) throw new ProcParseError('status', `no ${key}: line`);
  return v;
}

/**
 * Parses proc(5) /proc/PID/status ("Key:\tvalue" lines). Name, State, Tgid, Pid, PPid, Uid,
 * Gid and Threads are required; other missing lines give null or []. Throws ProcParseError.
 */
export function parseStatus(text: string): ProcStatus {
  let name: string | undefined;
  let state: string | undefined;
  let tgid: number | undefined;
  let pid: number | undefined;
  let ppid: number | undefined;
  let uid: IdQuad | undefined;
  let gid: IdQuad | undefined;
  let threads: number | undefined;
  let umask: string | null = null;
  let nstgid: number[] = [];
  let nspid: number[] = [];
  let nspgid: number[] = [];
  let nssid: number[] = [];
  let capInh: bigint | null = null;
  let capPrm: bigint | null = null;
  let capEff: bigint | null = null;
  let capBnd: bigint | null = null;
  let capAmb: bigint | null = null;
  let noNewPrivs: boolean | null = null;
  let seccomp: 0 | 1 | 2 | null = null;
  let seccompFilters: number | null = null;
  let vmRss: number | null = null;

  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', start);
    if (colon < 0 || colon > end) {
      // Not a "Key:" line: no kernel prints one; skip it rather than lose the whole record.
      start = end + 1;
      continue;
    }
    const key = keyAt(text, start, colon - start);
    // The value follows a tab (sometimes spaces); Name keeps everything after the tab verbatim.
    let v = colon + 1;
    if (text.charCodeAt(v) === 9) v++;
    start = end + 1;
    if (key === null) continue;
    // The lists are parsed where they are; the other values are short.
    switch (key) {
      case 'Uid': uid = quad(text, v, end, key); continue;
      case 'Gid': gid = quad(text, v, end, key); continue;
      case 'NStgid': nstgid = numbers(text, v, end, key); continue;
      case 'NSpid': nspid = numbers(text, v, end, key); continue;
      case 'NSpgid': nspgid = numbers(text, v, end, key); continue;
      case 'NSsid': nssid = numbers(text, v, end, key); continue;
      default: break;
    }
    const value = text.slice(v, end);
    switch (key) {
      case 'Name': name = value; break;
      case 'Umask': umask = value.trim(); break;
      case 'State': {
        const s = value.trim();
        if (s.length === 0) throw new ProcParseError('status', 'empty State');
        state = s.charAt(0);
        break;
      }
      case 'Tgid': tgid = parseDecimal(value.trim(), 'status', key); break;
      case 'Pid': pid = parseDecimal(value.trim(), 'status', key); break;
      case 'PPid': ppid = parseDecimal(value.trim(), 'status', key); break;
      case 'Threads': threads = parseDecimal(value.trim(), 'status', key); break;
      case 'CapInh': capInh = hex(value.trim(), key); break;
      case 'CapPrm': capPrm = hex(value.trim(), key); break;
      case 'CapEff': capEff = hex(value.trim(), key); break;
      case 'CapBnd': capBnd = hex(value.trim(), key); break;
      case 'CapAmb': capAmb = hex(value.trim(), key); break;
      case 'NoNewPrivs': {
        const n = parseDecimal(value.trim(), 'status', key);
        if (n > 1) throw new ProcParseError('status', `NoNewPrivs: expected 0 or 1, got ${n}`);
        noNewPrivs = n === 1;
        break;
      }
      case 'Seccomp': {
        const n = parseDecimal(value.trim(), 'status', key);
        if (n !== 0 && n !== 1 && n !== 2) throw new ProcParseError('status', `Seccomp: expected 0, 1 or 2, got ${n}`);
        seccomp = n;
        break;
      }
      case 'Seccomp_filters': seccompFilters = parseDecimal(value.trim(), 'status', key); break;
      case 'VmRSS': vmRss = kb(value, key); break;
      default: break;
    }
  }

  return {
    name: required(name, 'Name'),
    umask,
    state: required(state, 'State'),
    tgid: required(tgid, 'Tgid'),
    pid: required(pid, 'Pid'),
    ppid: required(ppid, 'PPid'),
    uid: required(uid, 'Uid'),
    gid: required(gid, 'Gid'),
    nstgid,
    nspid,
    nspgid,
    nssid,
    threads: required(threads, 'Threads'),
    capInh,
    capPrm,
    capEff,
    capBnd,
    capAmb,
    noNewPrivs,
    seccomp,
    seccompFilters,
    vmRss,
  };
}
