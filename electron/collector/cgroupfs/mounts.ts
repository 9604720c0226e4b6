import * as fs from 'node:fs';
import * as path from 'node:path';
import { CgroupParseError, CgroupReadError } from './errors';

/** One mounted cgroup hierarchy: where it is mounted and which cgroup is its root (proc(5) mountinfo fields 4 and 5). */
export interface CgroupMount {
  readonly mountPoint: string;
  /** Path of the hierarchy's cgroup shown at mountPoint: '/' on the host, e.g. '/docker/<id>' inside a container sharing the host cgroup namespace. */
  readonly root: string;
}

/** The cgroup hierarchies mounted in a mount namespace (proc(5) /proc/PID/mountinfo; cgroups(7)). */
export interface CgroupMounts {
  /** The cgroup2 (unified) hierarchy, or null. */
  readonly v2: CgroupMount | null;
  /** cgroup v1 hierarchies by controller ("cpu", "memory", ...) or named hierarchy ("name=systemd"); co-mounted controllers share one entry's value. */
  readonly v1: ReadonlyMap<string, CgroupMount>;
}

/** cgroup v1 controllers the kernel knows (cgroups(7) "Cgroups version 1 controllers"); other super options are not controllers. */
const V1_CONTROLLERS = new Set([
  'cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'net_cls', 'net_prio', 'blkio',
  'perf_event', 'hugetlb', 'pids', 'rdma', 'misc', 'debug',
]);

/** Undoes mountinfo's octal escapes of space, tab, newline and backslash (proc(5): "\040" etc.). */
export function unescapeMountinfo(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** The controllers (and `name=X` named hierarchy) a cgroup v1 mount's super options carry, e.g. "rw,cpu,cpuacct" -> cpu, cpuacct. */
export function v1Controllers(superOptions: string): string[] {
  return superOptions.split(',').filter((o) => V1_CONTROLLERS.has(o) || /^name=.+/.test(o));
}

/** Prefers the mount showing the hierarchy's real root when a hierarchy is mounted more than once (bind mounts). */
function better(current: CgroupMount | undefined, candidate: CgroupMount): boolean {
  return current === undefined || (current.root !== '/' && candidate.root === '/');
}

/** Parses proc(5) /proc/PID/mountinfo and keeps the cgroup and cgroup2 mounts; throws CgroupParseError on a malformed line. */
export function parseCgroupMounts(mountinfo: string): CgroupMounts {
  let v2: CgroupMount | null = null;
  const v1 = new Map<string, CgroupMount>();
  const lines = mountinfo.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    if (sep < 0 || fields.length < sep + 4) {
      throw new CgroupParseError(`mountinfo line ${i + 1}`, `expected "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ... - FSTYPE SOURCE SUPEROPTIONS", got ${JSON.stringify(line)}`);
    }
    const fstype = fields[sep + 1];
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    const mount: CgroupMount = { root: unescapeMountinfo(fields[3] ?? ''), mountPoint: unescapeMountinfo(fields[4] ?? '') };
    if (fstype === 'cgroup2') {
      if (v2 === null || better(v2, mount)) v2 = mount;
      continue;
    }
    for (const controller of v1Controllers(fields[sep + 3] ?? '')) {
      if (better(v1.get(controller), mount)) v1.set(controller, mount);
    }
  }
  return { v2, v1 };
}

/**
 * cgroups(7): 2 on a pure cgroup v2 host (a cgroup2 mount and no v1 controller mounted; a bare
 * `name=systemd` v1 hierarchy does not count), else 1 (legacy or hybrid: controllers live in v1).
 */
export function detectCgroupVersion(mounts: CgroupMounts): 1 | 2 {
  if (mounts.v2 === null) return 1;
  for (const key of mounts.v1.keys()) if (!key.startsWith('name=')) return 1;
  return 2;
}

/** Reads `${procRoot}/self/mountinfo` (proc(5)); throws CgroupReadError or CgroupParseError. */
export function readCgroupMounts(procRoot: string): CgroupMounts {
  const file = path.join(procRoot, 'self', 'mountinfo');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CgroupReadError(file, err);
  }
  return parseCgroupMounts(text);
}

/**
 * Directory of cgroup `cgroupPath` (as /proc/PID/cgroup shows it) in the hierarchy of v1 `controller`,
 * or of the v2 hierarchy when controller is null. The mount's root is stripped when it is not '/'.
 * null when that hierarchy is not mounted, or the path lies outside what the mount shows (e.g. a
 * "/../x" path of a process outside our cgroup namespace, cgroup_namespaces(7)).
 */
export function cgroupDir(mounts: CgroupMounts, controller: string | null, cgroupPath: string): string | null {
  const mount = controller === null ? mounts.v2 : mounts.v1.get(controller);
  if (!mount || !cgroupPath.startsWith('/')) return null;
  const segments = cgroupPath.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const rootSegments = mount.root.split('/').filter((s) => s !== '');
  for (let i = 0; i < rootSegments.length; i++) {
    if (segments[i] !== rootSegments[i]) return null;
  }
  return path.posix.join(mount.mountPoint, ...segments.slice(rootSegments.length));
}

/** The same mounts seen from `hostRoot` (e.g. '/host' when the host's /sys is bind-mounted there, or a fixture tree). */
export function relocateCgroupMounts(mounts: CgroupMounts, hostRoot: string): CgroupMounts {
  const move = (m: CgroupMount): CgroupMount => ({ root: m.root, mountPoint: path.posix.join(hostRoot, m.mountPoint) });
  return {
    v2: mounts.v2 === null ? null : move(mounts.v2),
    v1: new Map([...mounts.v1].map(([k, m]) => [k, move(m)])),
  };
}
