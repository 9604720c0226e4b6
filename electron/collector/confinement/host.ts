import type { NamespaceId, NamespaceKind } from '../../../shared/namespaces';
import { readMountinfo } from '../procfs/mountinfo';
import type { ProcessRecord } from '../procfs/process';
import { allCapsMask, readCapLastCap } from './capabilities';
import { type HostLsm, readHostLsm } from './lsm';
import { type HostMountTable, hostMountTable } from './mounts';

/** What the confinement pass needs to know about the host (namespaces(7), capabilities(7), LSM, proc(5) mountinfo). */
export interface ConfinementHost {
  /** The host's LSMs: is there a profile LSM a container should be labelled by? */
  readonly lsm: HostLsm;
  /** The initial namespaces (HostNamespaces.namespaces). */
  readonly namespaces: Readonly<Partial<Record<NamespaceKind, NamespaceId>>>;
  readonly cgroupVersion: 1 | 2;
  /** /proc/sys/kernel/cap_last_cap; null when unreadable. */
  readonly capLastCap: number | null;
  /** What "every capability" means here: PID 1's bounding set, else all bits up to cap_last_cap; null when neither is known. */
  readonly capBnd: bigint | null;
  /** The host's mount table by device, to tell host paths from the container's own filesystems; null when unreadable. */
  readonly mounts: HostMountTable | null;
}

/** Inputs of readConfinementHost. */
export interface ConfinementHostSources {
  readonly procRoot: string;
  /** sysfs mount point, normally /sys. */
  readonly sysRoot: string;
  readonly processes: ReadonlyMap<number, ProcessRecord>;
  readonly namespaces: Readonly<Partial<Record<NamespaceKind, NamespaceId>>>;
  readonly cgroupVersion: 1 | 2;
}

/**
 * Reads the host facts the pass needs: its LSMs (SYSROOT/kernel/security/lsm), cap_last_cap,
 * PID 1's bounding set (from the process table) and the host mount table (PROCROOT/1/mountinfo,
 * else PROCROOT/self/mountinfo). Never throws: unknown facts are null.
 */
export function readConfinementHost(src: ConfinementHostSources): ConfinementHost {
  const capLastCap = readCapLastCap(src.procRoot);
  const init = src.processes.get(1)?.status?.capBnd ?? null;
  const capBnd = init ?? (capLastCap === null ? null : allCapsMask(capLastCap));
  let mounts: HostMountTable | null = null;
  for (const pid of [1, 'self'] as const) {
    try {
      mounts = hostMountTable(readMountinfo(src.procRoot, pid));
      break;
    } catch {
      // PID 1's mountinfo needs root; the collector's own mount namespace is the host's when it runs on the host.
    }
  }
  return { lsm: readHostLsm(src.sysRoot, src.procRoot), namespaces: src.namespaces, cgroupVersion: src.cgroupVersion, capLastCap, capBnd, mounts };
}
