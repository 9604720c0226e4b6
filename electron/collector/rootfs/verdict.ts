import type { EntrypointInfo, OsRelease } from '../../../shared/rootfs';

/** What the one-line verdict is made from. */
export interface VerdictInput {
  readonly os: OsRelease | null;
  readonly files: number;
  /** Regular files of size 0 (Docker's /.dockerenv is one). */
  readonly emptyFiles: number;
  readonly shells: readonly string[];
  readonly packageManagers: readonly string[];
  readonly busybox: boolean;
  readonly entrypoint: EntrypointInfo | null;
  readonly partial: boolean;
  readonly error: string | null;
}

const count = (n: number, partial: boolean): string => `${partial ? 'at least ' : ''}${n.toLocaleString('en-US')} file${n === 1 && !partial ? '' : 's'}`;

/** The package manager to name: apt over apt-get over dpkg, else the first found. */
function mainPackageManager(pms: readonly string[]): string | null {
  if (pms.includes('apt') || pms.includes('apt-get')) return 'apt';
  return pms[0] ?? null;
}

/** The OS as "NAME VERSION_ID" (os-release(5)), e.g. "Debian GNU/Linux 12", "Alpine Linux 3.20.3". */
export const osLabel = (os: OsRelease): string => (os.versionId !== null && !os.name.includes(os.versionId) ? `${os.name} ${os.versionId}` : os.name);

/**
 * One line on what a root filesystem is: "one static binary, no OS", "busybox userland
 * (402 files, shell)", "Debian GNU/Linux 12 userland (6,102 files, shell, apt)".
 */
export function rootfsVerdict(v: VerdictInput): string {
  if (v.error !== null) return `root filesystem unreadable (${v.error})`;
  const details = [count(v.files, v.partial)];
  if (v.shells.length > 0) details.push('shell');
  const pm = mainPackageManager(v.packageManagers);
  if (pm !== null) details.push(pm);
  const ep = v.entrypoint;
  if (v.os !== null) return `${osLabel(v.os)} userland (${details.join(', ')})${v.busybox ? ', busybox' : ''}`;
  if (v.busybox) return `busybox userland (${details.join(', ')})`;
  if (v.files === 0 && !v.partial) return 'empty root filesystem';
  const withData = v.files - v.emptyFiles;
  if (v.shells.length === 0 && pm === null && ep !== null && ep.error === null && !v.partial) {
    if (ep.static === true && withData === 1) return 'one static binary, no OS';
    // The binary, its loader and its DT_NEEDED libraries, and nothing else.
    if (ep.static === false && withData <= ep.needed.length + 2) {
      const missing = ep.missing.length > 0 ? `, ${ep.missing.length} missing` : '';
      return `one dynamically linked binary and its libraries, no OS (${count(v.files, false)}${missing})`;
    }
  }
  return `no OS release (${details.join(', ')})`;
}
