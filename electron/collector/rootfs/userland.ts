import { listDirInRoot, statInRoot, type RootHandle } from './resolve';

/** The bin directories looked in, in the order a path is reported from (/bin/sh before /usr/bin/sh). */
export const BIN_DIRS = ['/bin', '/usr/bin', '/usr/local/bin', '/sbin', '/usr/sbin', '/usr/local/sbin'] as const;
/** Shells (shells(5) lists the installed ones; these are the names looked for). */
export const SHELLS = ['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'yash', 'fish', 'tcsh', 'csh'] as const;
/** Package managers, by the command a person would type. */
export const PACKAGE_MANAGERS = ['apt', 'apt-get', 'dpkg', 'apk', 'dnf', 'microdnf', 'yum', 'rpm', 'zypper', 'pacman', 'opkg', 'xbps-install', 'emerge', 'nix-env'] as const;
/** Common tools a person exec'ing into the container would reach for. */
export const TOOLS = ['ps', 'cat', 'ls', 'curl', 'wget', 'nc', 'ip', 'mount', 'vi', 'python3', 'perl'] as const;

/** A path whose file name is busybox (busybox, busybox.static…). */
const BUSYBOX_FILE = /(^|\/)busybox[^/]*$/;

/** What a person could use inside a root filesystem. */
export interface Userland {
  /** Paths of the shells found, in SHELLS order. */
  readonly shells: string[];
  readonly packageManagers: string[];
  readonly tools: string[];
  readonly busybox: boolean;
}

/** Whether a path inside the root resolves (symlinks followed inside the root) to an executable regular file. */
export function isExecutableInRoot(root: RootHandle, path: string): boolean {
  const r = statInRoot(root, path);
  return r.ok && r.stat.isFile() && (r.stat.mode & 0o111) !== 0;
}

/**
 * Looks for shells, package managers, common tools and busybox in the bin directories of a
 * root (each directory listed once, each candidate resolved inside the root). Never throws.
 */
export function findUserland(root: RootHandle): Userland {
  const listed = new Map<string, Set<string>>();
  for (const dir of BIN_DIRS) {
    const r = listDirInRoot(root, dir, 50_000);
    if (r.ok) listed.set(dir, new Set(r.names));
  }
  /** The first bin path of `name` resolving to an executable file, with the file it resolves to. */
  const locate = (name: string): { path: string; target: string } | null => {
    for (const dir of BIN_DIRS) {
      if (!listed.get(dir)?.has(name)) continue;
      const r = statInRoot(root, `${dir}/${name}`);
      if (r.ok && r.stat.isFile() && (r.stat.mode & 0o111) !== 0) return { path: `${dir}/${name}`, target: r.path };
    }
    return null;
  };
  const find = (name: string): string | null => locate(name)?.path ?? null;
  const shells = SHELLS.map(find).filter((p): p is string => p !== null);
  // busybox has dpkg and rpm applets that cannot manage a system: not counted as package managers.
  const packageManagers = PACKAGE_MANAGERS.filter((n) => {
    const l = locate(n);
    return l !== null && !BUSYBOX_FILE.test(l.target);
  });
  const tools = TOOLS.filter((n) => find(n) !== null);
  let busybox = find('busybox') !== null;
  if (!busybox) {
    const sh = statInRoot(root, '/bin/sh');
    busybox = sh.ok && sh.stat.isFile() && BUSYBOX_FILE.test(sh.path);
  }
  return { shells, packageManagers, tools, busybox };
}
