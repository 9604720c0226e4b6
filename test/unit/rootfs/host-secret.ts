// The host files the hostile fixture tree's symlinks point at (test/fixtures/rootfs/trees/hostile):
// created with a unique marker before a test, removed after, so a test can prove that no
// host content leaks into what the inspector reports.
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';

/** Where the hostile tree's absolute and `..`-climbing symlinks lead on the host. */
export const SECRET_DIR = '/tmp/isolens-rootfs-secret';

/** Creates SECRET_DIR/{os-release,sh} holding a fresh marker (a valid os-release, an executable); returns the marker and a cleanup. */
export function plantHostSecret(): { marker: string; remove: () => void } {
  const marker = `ISOLENS-HOST-SECRET-${randomBytes(8).toString('hex')}`;
  fs.rmSync(SECRET_DIR, { recursive: true, force: true });
  fs.mkdirSync(SECRET_DIR, { mode: 0o700 });
  fs.writeFileSync(`${SECRET_DIR}/os-release`, `NAME="${marker}"\nID=${marker.toLowerCase()}\nPRETTY_NAME="${marker}"\n`);
  fs.writeFileSync(`${SECRET_DIR}/sh`, `#!/bin/sh\n# ${marker}\n`, { mode: 0o755 });
  for (const lib of ['ld-linux-x86-64.so.2', 'libc.so.6', 'libm.so.6']) fs.writeFileSync(`${SECRET_DIR}/${lib}`, marker, { mode: 0o755 });
  return { marker, remove: () => fs.rmSync(SECRET_DIR, { recursive: true, force: true }) };
}
