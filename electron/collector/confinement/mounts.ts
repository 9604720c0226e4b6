import * as path from 'node:path';
import type { MountFact, MountFlag, MountKind } from '../../../shared/confinement';
import type { MountinfoEntry } from '../procfs/mountinfo';

/** Where each filesystem (major:minor) is mounted in the host's mount namespace (proc(5) /proc/1/mountinfo). */
export type HostMountTable = ReadonlyMap<string, readonly { readonly mountPoint: string; readonly root: string }[]>;

/** Indexes the host's mountinfo by device. */
export function hostMountTable(entries: readonly MountinfoEntry[]): HostMountTable {
  const table = new Map<string, { mountPoint: string; root: string }[]>();
  for (const e of entries) {
    const list = table.get(e.device);
    if (list) list.push({ mountPoint: e.mountPoint, root: e.root });
    else table.set(e.device, [{ mountPoint: e.mountPoint, root: e.root }]);
  }
  return table;
}

/** Filesystems that are kernel interfaces, not storage: mounting them is no host path (proc(5), sysfs(5), cgroups(7)…). */
const PSEUDO_FS = new Set([
  'proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'mqueue', 'securityfs', 'debugfs', 'tracefs', 'bpf', 'configfs', 'fusectl',
  'pstore', 'efivarfs', 'binfmt_misc', 'hugetlbfs', 'nsfs', 'autofs', 'rpc_pipefs', 'selinuxfs',
]);

/** Unix sockets of container engine APIs: whoever can write to one controls the engine, and so the host. */
const ENGINE_SOCKETS = /(^|\/)(docker|containerd|podman)\.sock$/;

/** Files an engine writes for each container and bind-mounts in (docker: /var/lib/docker/containers/ID/…, podman: …/userdata/…). */
const ENGINE_FILES = new Set(['/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/run/.containerenv', '/.dockerenv']);

/** Docker / Podman named volumes live at …/volumes/NAME/_data on the host. */
const VOLUME = /\/volumes\/[^/]+\/_data(\/|$)/;

const under = (p: string, dir: string): boolean => p === dir || p.startsWith(dir + '/');

/** The host path a bind mount shows, when the host mounts that filesystem's root (or a parent of the bind's root) somewhere. */
export function hostPathOf(e: Pick<MountinfoEntry, 'device' | 'root'>, host: HostMountTable | null): string | null {
  const candidates = host?.get(e.device) ?? [];
  for (const m of candidates) {
    if (under(e.root, m.root) || m.root === '/') {
      const rel = m.root === '/' ? e.root : e.root.slice(m.root.length);
      return path.posix.join(m.mountPoint, rel);
    }
  }
  return null;
}

function kindOf(e: MountinfoEntry, host: HostMountTable | null): MountKind {
  if (e.mountPoint === '/') return 'rootfs';
  if (ENGINE_SOCKETS.test(e.root) || ENGINE_SOCKETS.test(e.mountPoint)) return 'socket';
  const fromHost = host === null ? !PSEUDO_FS.has(e.fsType) && e.fsType !== 'tmpfs' : host.has(e.device);
  const storage = !PSEUDO_FS.has(e.fsType) && e.fsType !== 'tmpfs' && e.fsType !== 'devtmpfs';
  // The engine hides parts of /proc and /sys by re-mounting them read-only or binding /dev/null over them.
  if ((under(e.mountPoint, '/proc') || under(e.mountPoint, '/sys')) && !(storage && fromHost) && !under(e.mountPoint, '/sys/fs/cgroup')) {
    if (e.mountPoint === '/proc' || e.mountPoint === '/sys') return 'pseudo';
    // binfmt_misc at /proc/sys/fs/binfmt_misc is a filesystem of its own; proc or tmpfs bits over /proc/… are masks.
    const ownFs = PSEUDO_FS.has(e.fsType) && e.root === '/' && e.fsType !== 'proc' && e.fsType !== 'sysfs';
    return ownFs ? 'pseudo' : 'masked';
  }
  if (PSEUDO_FS.has(e.fsType)) return 'pseudo';
  if (e.fsType === 'devtmpfs') return 'device';
  if (ENGINE_FILES.has(e.mountPoint) && (e.root.includes('/containers/') || e.root.includes('/userdata/'))) return 'engine';
  if (!fromHost) return 'pseudo';
  if (VOLUME.test(e.root)) return 'volume';
  return 'host';
}

/** The mount that covers `target` (the last-mounted one with the longest mount point that is a prefix of it). */
function covering(entries: readonly MountinfoEntry[], target: string): MountinfoEntry | undefined {
  let best: MountinfoEntry | undefined;
  for (const e of entries) {
    if (!under(target, e.mountPoint) && e.mountPoint !== '/') continue;
    if (!best || e.mountPoint.length >= best.mountPoint.length) best = e;
  }
  return best;
}

/**
 * Classifies the mounts of a container's mount namespace (its init's /proc/PID/mountinfo) with the
 * host's mount table (null when unknown): the root filesystem, kernel pseudo filesystems, paths
 * the engine masked, files it writes, and what comes from the host — engine sockets, host paths,
 * devices. Flags: a root filesystem that is the host's own root (a bare `unshare -m`), an engine
 * socket, a (writable) host path, a device, a writable /proc/sys or /sys.
 */
export function classifyMounts(entries: readonly MountinfoEntry[], host: HostMountTable | null): MountFact[] {
  const procSys = covering(entries, '/proc/sys');
  const sys = covering(entries, '/sys');
  return entries.map((e) => {
    const kind = kindOf(e, host);
    const readOnly = e.options.includes('ro');
    const flags: MountFlag[] = [];
    const hostPath = kind === 'host' || kind === 'socket' || kind === 'device' || kind === 'volume' || kind === 'rootfs' ? hostPathOf(e, host) : null;
    if (kind === 'rootfs' && hostPath === '/') flags.push('host-rootfs');
    if (kind === 'socket') flags.push('engine-socket');
    if (kind === 'host') flags.push(readOnly ? 'host-path' : 'host-path-writable');
    if (kind === 'device') flags.push('device');
    if (e === procSys && e.fsType === 'proc' && !readOnly) flags.push('proc-sys-writable');
    if (e === sys && e.fsType === 'sysfs' && !readOnly) flags.push('sys-writable');
    return { target: e.mountPoint, root: e.root, hostPath, fsType: e.fsType, source: e.source, device: e.device, readOnly, kind, flags };
  });
}

/** Whether the root filesystem is mounted read-only (the last mount on '/'); null when there is none. */
export function rootReadOnly(facts: readonly MountFact[]): boolean | null {
  let root: MountFact | undefined;
  for (const f of facts) if (f.kind === 'rootfs') root = f;
  return root ? root.readOnly : null;
}
