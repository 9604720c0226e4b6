// Runs bench/probe-child.ts (the collector alone, as `isolens serve` runs it) in a child process:
// bundled with esbuild into .cache/bench/ and run with plain node, so neither tsx's loader
// thread nor the bench's own objects count in its memory. Its CPU time is read from /proc.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { COLLECTOR_SEMI_SPACE_MB } from '../electron/collector/service/heap-flags';
import type { ProbeMessage, ProbeSample } from './probe-protocol';

const ROOT = path.resolve(__dirname, '..');
/** Two levels under the repository, so that the bundle's __dirname/../.. is the repository (findNsinfo looks in dist/native). */
const OUT = path.join(ROOT, '.cache', 'bench', 'probe-child.js');

let clockTicks: number | null = null;

/** sysconf(_SC_CLK_TCK) via getconf(1); 100 when it cannot be asked. */
export function clkTck(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * CPU time of a process (all its threads) and of its children, in ms: those it waited for (lsns,
 * isolens-nsinfo, ctr…) and those still running (the isolens-table it keeps, with what they waited for).
 */
export interface CpuTime {
  readonly selfMs: number;
  readonly childrenMs: number;
}

/** proc(5) /proc/PID/stat: ppid, utime + stime and cutime + cstime (ms); null when it is gone. */
function statTimes(pid: number): { ppid: number; selfMs: number; waitedMs: number } | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ms = (a: number, b: number): number => ((Number(f[a] ?? 0) + Number(f[b] ?? 0)) * 1000) / clkTck();
  return { ppid: Number(f[1]), selfMs: ms(11, 12), waitedMs: ms(13, 14) };
}

/** The process's own CPU, and its children's: cutime + cstime, plus every running descendant's own and waited-for time. */
export function cpuTimeMs(pid: number): CpuTime {
  const self = statTimes(pid);
  if (self === null) throw new Error(`process ${pid} is gone`);
  const children = new Map<number, { pid: number; ms: number }[]>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const t = statTimes(Number(d));
    if (t === null) continue;
    const list = children.get(t.ppid);
    const entry = { pid: Number(d), ms: t.selfMs + t.waitedMs };
    if (list) list.push(entry);
    else children.set(t.ppid, [entry]);
  }
  let childrenMs = self.waitedMs;
  const todo = [...(children.get(pid) ?? [])];
  for (let c = todo.pop(); c !== undefined; c = todo.pop()) {
    childrenMs += c.ms;
    todo.push(...(children.get(c.pid) ?? []));
  }
  return { selfMs: self.selfMs, childrenMs };
}

/** A running probe. */
export interface Probe {
  readonly pid: number;
  /** The sample taken after a full snapshot and with the service warm. */
  readonly warm: { readonly snapshotProcesses: number; readonly sample: ProbeSample };
  /** Every periodic sample so far. */
  readonly samples: readonly ProbeSample[];
  /** Log lines of the service (failures that did not stop it). */
  readonly logs: readonly string[];
  /** Stops the service and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Bundles the probe (esbuild, node20, CommonJS; packages stay in node_modules). */
export async function buildProbe(): Promise<string> {
  await build({
    entryPoints: [path.join(__dirname, 'probe-child.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    outfile: OUT,
    logLevel: 'silent',
  });
  return OUT;
}

/** Starts the probe and resolves once its service is warm; samples every `sampleMs`. */
export async function startProbe(opts: { readonly sampleMs: number; readonly timeoutMs?: number }): Promise<Probe> {
  const entry = await buildProbe();
  // The young generation serve's and Electron's collector worker gets (resourceLimits), here on a main thread.
  const child: ChildProcess = spawn(process.execPath, [`--max-semi-space-size=${COLLECTOR_SEMI_SPACE_MB}`, entry, '--sample-ms', String(opts.sampleMs)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const samples: ProbeSample[] = [];
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const warm = await new Promise<Probe['warm']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the probe did not get warm in time')), opts.timeoutMs ?? 300_000);
    let rest = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      rest += chunk;
      const lines = rest.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        const m = JSON.parse(line) as ProbeMessage;
        if (m.kind === 'warm') {
          clearTimeout(timer);
          resolve({ snapshotProcesses: m.snapshotProcesses, sample: m.sample });
        } else if (m.kind === 'sample') samples.push(m.sample);
        else if (m.kind === 'log') logs.push(m.line);
        else if (m.kind === 'failed') {
          clearTimeout(timer);
          reject(new Error(`the probe failed: ${m.message}`));
        }
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the probe exited (${code ?? signal}) before it was warm`));
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the probe has no pid');
  return {
    pid,
    warm,
    samples,
    logs,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The RSS of a bare node process (nothing loaded): the floor under the collector's memory. */
export function bareNodeRss(): number {
  const r = spawnSync(process.execPath, ['-e', 'setTimeout(() => console.log(process.memoryUsage().rss), 200)'], { encoding: 'utf8' });
  return Number(r.stdout.trim()) || Number.NaN;
}
