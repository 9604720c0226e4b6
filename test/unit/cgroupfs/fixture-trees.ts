// Helpers for the cgroupfs tests: open a fixture tree under test/fixtures/cgroupfs/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CgroupMembership } from '../../../electron/collector/cgroupfs/membership';
import type { CgroupMounts } from '../../../electron/collector/cgroupfs/mounts';
import { readCgroupMounts, relocateCgroupMounts } from '../../../electron/collector/cgroupfs/mounts';

/** test/fixtures/cgroupfs. */
export const FIXTURES = path.resolve(__dirname, '../../fixtures/cgroupfs');

/** Minimal proc(5) /proc/PID/cgroup reader for the tests (the real parser lives in procfs/cgroup.ts). */
export function membershipsFromText(text: string): CgroupMembership[] {
  return text.split('\n').filter((l) => l !== '').map((line) => {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    const controllers = line.slice(first + 1, second);
    return {
      hierarchyId: Number(line.slice(0, first)),
      controllers: controllers === '' ? [] : controllers.split(','),
      path: line.slice(second + 1),
    };
  });
}

/** A fixture tree: its mounts (relocated into the tree) and the memberships of a process in it. */
export interface FixtureTree {
  readonly root: string;
  readonly mounts: CgroupMounts;
  memberships(pid: number): CgroupMembership[];
}

/** Opens test/fixtures/cgroupfs/<name>. */
export function openTree(name: string): FixtureTree {
  const root = path.join(FIXTURES, name);
  return {
    root,
    mounts: relocateCgroupMounts(readCgroupMounts(path.join(root, 'proc')), root),
    memberships: (pid) => membershipsFromText(fs.readFileSync(path.join(root, 'proc', String(pid), 'cgroup'), 'utf8')),
  };
}
