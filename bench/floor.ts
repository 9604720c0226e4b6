// The C floor (bench/floor.c): compiled with gcc -O2 (compile.ts) and run by the bench's runner (runner.ts).
import { compileBenchC, type CompiledBinary } from './compile';
import type { CommandRunner } from './runner';

/** Compiles bench/floor.c with `gcc -O2` into a fresh temporary directory; throws with gcc's stderr. */
export const compileFloor = (): CompiledBinary => compileBenchC('floor.c');

/** What the floor reads per process: everything a full snapshot reads, or only stat (what a steady tick reads). */
export type FloorMode = 'all' | 'stat';

/** One run of the floor: the processes it read and the time it took by its own clock (CLOCK_MONOTONIC, no exec cost). */
export async function runFloorOnce(runner: CommandRunner, binary: string, procRoot = '/proc', mode: FloorMode = 'all'): Promise<{ processes: number; ms: number }> {
  const r = await runner.run([binary, procRoot, mode], true);
  if (r.status !== 0) throw new Error(`${binary} exited ${r.status}`);
  const m = /^(\d+) ([\d.]+)\s*$/.exec(r.stdout);
  if (!m) throw new Error(`${binary} printed ${JSON.stringify(r.stdout)}, not "<processes> <ms>"`);
  return { processes: Number(m[1]), ms: Number(m[2]) };
}

/** The name of a floor measure. */
export const floorName = (mode: FloorMode): string =>
  mode === 'all' ? 'C floor: every /proc/PID stat, status, cmdline, cgroup + 9 ns links (gcc -O2)' : 'C stat floor: every /proc/PID/stat (gcc -O2)';
