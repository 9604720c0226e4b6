// The machine a bench ran on, and how many processes and threads it had.
import * as fs from 'node:fs';
import * as os from 'node:os';

/** The machine: CPU model, cores, kernel, memory (proc(5) /proc/meminfo), load and node version. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly kernel: string;
  readonly memTotalBytes: number;
  readonly memAvailableBytes: number;
  /** 1-, 5- and 15-minute load averages (proc(5) /proc/loadavg): other work on the machine makes figures noisy. */
  readonly loadavg: readonly number[];
  readonly node: string;
}

/** A /proc/meminfo field in bytes (proc(5)); null when absent. */
export function meminfoBytes(text: string, field: string): number | null {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : null;
}

/** Describes the machine now. */
export function machineInfo(): MachineInfo {
  let meminfo = '';
  try {
    meminfo = fs.readFileSync('/proc/meminfo', 'utf8');
  } catch {
    // not Linux: the figures below fall back to os
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    kernel: os.release(),
    memTotalBytes: meminfoBytes(meminfo, 'MemTotal') ?? os.totalmem(),
    memAvailableBytes: meminfoBytes(meminfo, 'MemAvailable') ?? os.freemem(),
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
  };
}

/** The number of /proc/PID directories (processes, i.e. thread-group leaders; proc(5)). */
export function countProcesses(procRoot = '/proc'): number {
  let n = 0;
  for (const name of fs.readdirSync(procRoot)) {
    const c = name.charCodeAt(0);
    if (c >= 49 && c <= 57) n++;
  }
  return n;
}

/** Kernel scheduling entities (threads) on the machine: the 4th field of proc(5) /proc/loadavg, "running/total". */
export function countThreads(procRoot = '/proc'): number | null {
  try {
    const m = /^\S+ \S+ \S+ \d+\/(\d+) /.exec(fs.readFileSync(`${procRoot}/loadavg`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** One line: "2 × AMD EPYC, kernel 6.18, 23.4 GiB (22.1 GiB available), load 1.2 0.9 0.8, node v20". */
export function describeMachine(m: MachineInfo): string {
  const gib = (b: number): string => (b / 2 ** 30).toFixed(1);
  return `${m.cores} × ${m.cpu}, kernel ${m.kernel}, ${gib(m.memTotalBytes)} GiB (${gib(m.memAvailableBytes)} GiB available), ` +
    `load ${m.loadavg.join(' ')}, node ${m.node}`;
}
