// The fixture images of the rootfs tests (test/fixtures/images/build.sh): isolens/dynamic:test and
// isolens/hostile:test are built on demand (seconds); isolens/debian:test only by setup
// (`sudo bash scripts/setup-env.sh`, debootstrap), never by a test.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { imageExists } from '../../helpers/docker';
import { inCI, isRoot } from '../../helpers/require';

/** Images these tests run, besides FIXTURE_IMAGES (hello, busybox). */
export const ROOTFS_IMAGES = { dynamic: 'isolens/dynamic:test', hostile: 'isolens/hostile:test', debian: 'isolens/debian:test' } as const;

const SETUP = path.resolve(__dirname, '..', '..', '..', 'scripts', 'setup-env.sh');

/** Builds isolens/dynamic:test and isolens/hostile:test when missing (setup-env.sh --images-only); throws if that fails. */
export function ensureRootfsImages(): void {
  if (imageExists(ROOTFS_IMAGES.dynamic) && imageExists(ROOTFS_IMAGES.hostile)) return;
  execFileSync('bash', [SETUP, '--images-only'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

/** For `{ skip: debianSkip() }`: the reason to skip when isolens/debian:test was not built by setup (a failure under CI=true). */
export function debianSkip(): string | false {
  if (imageExists(ROOTFS_IMAGES.debian)) return false;
  const why = `${ROOTFS_IMAGES.debian} is missing: run \`sudo bash scripts/setup-env.sh\` (debootstrap, ~35 s here) or \`bash test/fixtures/images/build.sh --with-debian\``;
  if (inCI) throw new Error(`CI=true but ${why}`);
  return why;
}

/** For `{ skip: rootSkip() }`: reading /proc/PID/root of another process needs root. */
export function rootSkip(): string | false {
  if (isRoot) return false;
  if (inCI) throw new Error('CI=true but not root: /proc/PID/root of a container is only readable by root');
  return 'needs root (reads /proc/PID/root of container processes)';
}
