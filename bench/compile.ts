// The bench's C programs (bench/floor.c, bench/runner.c): compiled with gcc -O2 into a temporary directory.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A compiled program and the directory to remove afterwards. */
export interface CompiledBinary {
  readonly binary: string;
  readonly dispose: () => void;
}

/** Compiles bench/SOURCE with `gcc -O2` into a fresh temporary directory; throws with gcc's stderr. */
export function compileBenchC(source: string): CompiledBinary {
  const name = path.basename(source, '.c');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `isolens-${name}-`));
  const binary = path.join(dir, name);
  try {
    execFileSync('gcc', ['-O2', '-Wall', '-o', binary, path.join(__dirname, source)], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    const stderr = (e as { stderr?: Buffer }).stderr?.toString('utf8') ?? String(e);
    throw new Error(`gcc -O2 bench/${source} failed (is gcc installed? scripts/setup-env.sh installs it): ${stderr.trim()}`);
  }
  return { binary, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
