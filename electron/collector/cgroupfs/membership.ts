import type { CgroupMounts } from './mounts';
import { cgroupDir } from './mounts';

/**
 * One line of proc(5) /proc/PID/cgroup: "hierarchy-ID:controller-list:cgroup-path". A v2 line has
 * hierarchyId 0 and no controllers. Structurally the same as procfs/cgroup.ts CgroupEntry.
 */
export interface CgroupMembership {
  readonly hierarchyId: number;
  readonly controllers: readonly string[];
  readonly path: string;
}

/** Where one controller's interface files for a process's cgroup are: which cgroup version serves it, and the directory. */
export interface ControllerDir {
  readonly version: 1 | 2;
  readonly dir: string;
  /** Directory of the topmost cgroup visible in that hierarchy (the mount point): the root for "no restriction" comparisons. */
  readonly rootDir: string;
}

/**
 * Finds the directory holding `controller`'s files for a process (cgroups(7)): its v1 hierarchy when
 * that controller is mounted as v1 and the process has a line for it; else the v2 hierarchy. Hybrid
 * hosts thus read memory/cpu/pids from v1. null when neither applies.
 */
export function locateController(mounts: CgroupMounts, memberships: readonly CgroupMembership[], controller: string): ControllerDir | null {
  const v1Mount = mounts.v1.get(controller);
  const v1Line = memberships.find((m) => m.hierarchyId !== 0 && m.controllers.includes(controller));
  if (v1Mount && v1Line) {
    const dir = cgroupDir(mounts, controller, v1Line.path);
    if (dir !== null) return { version: 1, dir, rootDir: v1Mount.mountPoint };
  }
  const v2Line = memberships.find((m) => m.hierarchyId === 0);
  if (mounts.v2 && v2Line && !v1Mount) {
    const dir = cgroupDir(mounts, null, v2Line.path);
    if (dir !== null) return { version: 2, dir, rootDir: mounts.v2.mountPoint };
  }
  return null;
}
