// Compiles one of the C helpers (native/*.c) into a temporary folder for a test file, so the tests
// of a helper run on its current source, and say why when it does not compile.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inCI } from './require';

/** The repository's root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** A helper compiled for a test file (call build() in before(), cleanup() in after()). */
export interface TestHelperBuild {
  /** The binary's path (it exists once build() succeeded). */
  readonly binary: string;
  /** The folder the binary is in, for the test's own scripts. */
  readonly dir: string;
  build(): void;
  /** True when the binary is built; else skips the test (throws under CI=true, where it must build). */
  need(t: { skip(why: string): void }): boolean;
  cleanup(): void;
}

/** Compiles native/SOURCE with gcc -O2 -Wall -Wextra -Werror (CC overrides gcc) into a temp folder as NAME. */
export function testHelperBuild(source: string, name: string): TestHelperBuild {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const binary = path.join(dir, name);
  let built = false;
  let why = 'build() was not called';
  return {
    binary,
    dir,
    build() {
      const r = spawnSync(process.env.CC ?? 'gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', binary, path.join(REPO_ROOT, 'native', source)], { encoding: 'utf8' });
      built = r.status === 0;
      why = r.error ? r.error.message : r.stderr;
    },
    need(t) {
      if (built) return true;
      if (inCI) throw new Error(`CI=true but native/${source} did not compile: ${why}`);
      t.skip(`native/${source} did not compile (${why})`);
      return false;
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
