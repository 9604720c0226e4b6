import { ProcParseError } from './errors';
import { parseDecimal } from './parse';

/** The fields Isolens uses from proc(5) /proc/PID/stat. */
export interface ProcStat {
  readonly pid: number;
  /** Field 2, without the parentheses; may itself contain spaces and parentheses. */
  readonly comm: string;
  /** Field 3: R, S, D, Z, T, t, X, I... */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  /** Field 14, clock ticks in user mode. */
  readonly utime: number;
  /** Field 15, clock ticks in kernel mode. */
  readonly stime: number;
  /** Field 20. */
  readonly numThreads: number;
  /** Field 22, clock ticks after boot at which the process started. */
  readonly startTime: number;
}

/** Parses proc(5) /proc/PID/stat: comm is what lies between the first '(' and the LAST ')'. */
export function parseStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) throw new ProcParseError('stat', 'no "(comm)" field');
  const pid = decimalAt(text, 0, open - 1, 'pid');
  if (text.charCodeAt(open - 1) !== 32) throw new ProcParseError('stat', 'no space before "(comm)"');
  const comm = text.slice(open + 1, close);
  // Fields 3.. are space-separated after "(comm) ": read in place, without splitting (field i
  // here is field i + 3 of proc(5)); only the ten used are looked at.
  let end = text.length;
  while (end > close + 2 && isTrailingSpace(text.charCodeAt(end - 1))) end--;
  let state = '';
  let ppid = 0, pgrp = 0, session = 0, utime = 0, stime = 0, numThreads = 0, startTime = 0;
  let field = 0;
  let at = close + 2;
  for (; field < 20 && at <= end; field++) {
    let sp = text.indexOf(' ', at);
    if (sp < 0 || sp > end) sp = end;
    switch (field) {
      case 0:
        if (sp - at !== 1) throw new ProcParseError('stat', `bad state ${JSON.stringify(text.slice(at, sp))}`);
        state = text.charAt(at);
        break;
      case 1: ppid = signedAt(text, at, sp, 'ppid'); break;
      case 2: pgrp = signedAt(text, at, sp, 'pgrp'); break;
      case 3: session = signedAt(text, at, sp, 'session'); break;
      case 11: utime = decimalAt(text, at, sp, 'utime'); break;
      case 12: stime = decimalAt(text, at, sp, 'stime'); break;
      case 17: numThreads = decimalAt(text, at, sp, 'num_threads'); break;
      case 19: startTime = decimalAt(text, at, sp, 'starttime'); break;
    }
    at = sp + 1;
  }
  if (field < 20) {
    const fields = Math.max(1, text.slice(Math.min(close + 2, text.length)).trimEnd().split(' ').length);
    throw new ProcParseError('stat', `truncated: ${fields + 2} fields, need at least 22`);
  }
  return { pid, comm, state, ppid, pgrp, session, utime, stime, numThreads, startTime };
}

const isTrailingSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13 || c === 11 || c === 12;

/** parseDecimal of text[from, to) without copying it, unless it is not a number (then its error). */
function decimalAt(text: string, from: number, to: number, what: string): number {
  if (to > from && to - from <= 15) {
    let n = 0;
    let i = from;
    for (; i < to; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === to) return n;
  }
  return parseDecimal(text.slice(from, to), 'stat', what);
}

/** A signed decimal (%d) in text[from, to), without copying it. */
function signedAt(text: string, from: number, to: number, what: string): number {
  if (text.charCodeAt(from) === 45 /* - */) return -decimalAt(text, from + 1, to, what);
  return decimalAt(text, from, to, what);
}
