import { ProcParseError } from './errors';
import { readProcText } from './read';

/** proc(5) /proc/loadavg: the load averages, the runnable and total scheduling entities (threads), and the last pid allocated. */
export interface ProcLoadavg {
  readonly load1: number;
  readonly load5: number;
  readonly load15: number;
  readonly running: number;
  /** Every thread on the machine (nr_threads): an exit without a new task lowers it. */
  readonly threads: number;
  /** The most recently allocated pid in the reader's pid namespace: any new process or thread moves it. */
  readonly lastPid: number;
}

const LOADAVG = /^(\d+\.\d+) (\d+\.\d+) (\d+\.\d+) (\d+)\/(\d+) (\d+)\s*$/;

/** Parses /proc/loadavg ("0.56 1.74 3.23 1/10258 13246"); throws ProcParseError on anything else. */
export function parseLoadavg(text: string): ProcLoadavg {
  const m = LOADAVG.exec(text);
  if (!m) throw new ProcParseError('loadavg', `expected "L1 L5 L15 R/T LASTPID", got ${JSON.stringify(text.slice(0, 80))}`);
  return { load1: Number(m[1]), load5: Number(m[2]), load15: Number(m[3]), running: Number(m[4]), threads: Number(m[5]), lastPid: Number(m[6]) };
}

/**
 * The pair that changes whenever the set of tasks does: no task was created (the last pid did not
 * move: every task gets a pid in the reader's namespace and its ancestors) and none went away (the
 * thread count did not move). Null when /proc/loadavg cannot be read or parsed (a fixture tree).
 */
export function readTaskCounters(procRoot: string): { readonly threads: number; readonly lastPid: number } | null {
  try {
    const l = parseLoadavg(readProcText(`${procRoot}/loadavg`, null, true));
    return { threads: l.threads, lastPid: l.lastPid };
  } catch {
    return null;
  }
}
