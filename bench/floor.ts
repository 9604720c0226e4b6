// The C floor (bench/floor.c): compiled with gcc -O2 into a temporary directory and run as is.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Timing, timingOf } from './measure';

/** A compiled floor binary and the directory to remove afterwards. */
export interface FloorBinary {
  readonly binary: string;
  readonly dispose: () => void;
}

/** Compiles bench/floor.c with `gcc -O2` into a fresh temporary directory; throws with gcc's stderr. */
export function compileFloor(): FloorBinary {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-floor-'));
  const binary = path.join(dir, 'floor');
  try {
    execFileSync('gcc', ['-O2', '-Wall', '-o', binary, path.join(__dirname, 'floor.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    const stderr = (e as { stderr?: Buffer }).stderr?.toString('utf8') ?? String(e);
    throw new Error(`gcc -O2 bench/floor.c failed (is gcc installed? scripts/setup-env.sh installs it): ${stderr.trim()}`);
  }
  return { binary, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** What the floor reads per process: everything a full snapshot reads, or only stat (what a steady tick reads). */
export type FloorMode = 'all' | 'stat';

/** One run of the floor: the processes it read and the time it took by its own clock (CLOCK_MONOTONIC, no exec cost). */
export function runFloorOnce(binary: string, procRoot = '/proc', mode: FloorMode = 'all'): { processes: number; ms: number } {
  const r = spawnSync(binary, [procRoot, mode], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${binary} exited ${r.status ?? r.signal}: ${r.stderr}`);
  const m = /^(\d+) ([\d.]+)\s*$/.exec(r.stdout);
  if (!m) throw new Error(`${binary} printed ${JSON.stringify(r.stdout)}, not "<processes> <ms>"`);
  return { processes: Number(m[1]), ms: Number(m[2]) };
}

/** The name of a floor measure. */
export const floorName = (mode: FloorMode): string =>
  mode === 'all' ? 'C floor: every /proc/PID stat, status, cmdline, cgroup + 9 ns links (gcc -O2)' : 'C stat floor: every /proc/PID/stat (gcc -O2)';

/** The floor run `runs` times after one warm-up: the median of its self-reported times, and the processes it saw. */
export function timeFloor(binary: string, runs: number, procRoot = '/proc', mode: FloorMode = 'all'): { timing: Timing; processes: number } {
  runFloorOnce(binary, procRoot, mode);
  const xs: number[] = [];
  let processes = 0;
  for (let i = 0; i < runs; i++) {
    const r = runFloorOnce(binary, procRoot, mode);
    xs.push(r.ms);
    processes = r.processes;
  }
  return { timing: timingOf(floorName(mode), xs), processes };
}
