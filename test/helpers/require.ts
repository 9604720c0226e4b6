import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';

/** True under CI=true, where a test that needs the real thing must run, never skip. */
export const inCI = process.env.CI === 'true';

/**
 * Skips the test (saying why) when a prerequisite is missing on a user's machine;
 * under CI=true the missing prerequisite fails the test instead.
 */
export function requireOrSkip(t: TestContext, ok: boolean, why: string): boolean {
  if (ok) return true;
  if (inCI) throw new Error(`CI=true but ${why}`);
  t.skip(why);
  return false;
}

/** Whether `docker info` answers (a running dockerd we may use). */
export function dockerAvailable(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Whether the effective user is root (some facts are only readable as root). */
export const isRoot = typeof process.geteuid === 'function' && process.geteuid() === 0;

/**
 * For `describe(name, { skip: dockerSkip() }, ...)`: false when dockerd answers; otherwise the
 * reason to skip on a user's machine. Under CI=true a missing dockerd throws: those tests must run.
 */
export function dockerSkip(): string | false {
  if (dockerAvailable()) return false;
  const why = 'no Docker engine answers `docker info` (start dockerd, or run scripts/setup-env.sh as root)';
  if (inCI) throw new Error(`CI=true but ${why}`);
  return why;
}

/** Debian's Chromium, which the end-to-end tests drive through Playwright (`npx playwright install` is not used). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * For `describe(name, { skip: chromiumSkip() }, ...)`: false when /usr/bin/chromium exists;
 * otherwise the reason to skip on a user's machine. Under CI=true a missing Chromium throws.
 */
export function chromiumSkip(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  const why = `${CHROMIUM_PATH} is missing (apt-get install chromium, or run scripts/setup-env.sh)`;
  if (inCI) throw new Error(`CI=true but ${why}`);
  return why;
}
