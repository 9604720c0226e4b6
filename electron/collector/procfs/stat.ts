import { ProcParseError } from './errors';
import { parseDecimal, parseSigned } from './parse';

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
  const pid = parseDecimal(text.slice(0, open - 1), 'stat', 'pid');
  if (text.charCodeAt(open - 1) !== 32) throw new ProcParseError('stat', 'no space before "(comm)"');
  const comm = text.slice(open + 1, close);
  // Fields 3.. follow ") ", separated by single spaces; the last one ends with '\n'.
  const rest = text.slice(close + 2).trimEnd().split(' ');
  // rest[i] is field i + 3.
  if (rest.length < 20) throw new ProcParseError('stat', `truncated: ${rest.length + 2} fields, need at least 22`);
  const state = rest[0] ?? '';
  if (state.length !== 1) throw new ProcParseError('stat', `bad state ${JSON.stringify(state)}`);
  return {
    pid,
    comm,
    state,
    ppid: parseSigned(rest[1], 'stat', 'ppid'),
    pgrp: parseSigned(rest[2], 'stat', 'pgrp'),
    session: parseSigned(rest[3], 'stat', 'session'),
    utime: parseDecimal(rest[11], 'stat', 'utime'),
    stime: parseDecimal(rest[12], 'stat', 'stime'),
    numThreads: parseDecimal(rest[17], 'stat', 'num_threads'),
    startTime: parseDecimal(rest[19], 'stat', 'starttime'),
  };
}
