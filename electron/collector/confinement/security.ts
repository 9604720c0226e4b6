import type { ContainerSecurity, IdMapEntry, MountFact, SeccompMode } from '../../../shared/confinement';
import type { ContainerConfig } from '../../../shared/model';
import { describeIdMap, mapToInside, readIdMap } from '../procfs/idmap';
import { readMountinfo } from '../procfs/mountinfo';
import type { ProcessRecord } from '../procfs/process';
import { toProcReadError } from '../procfs/errors';
import { capabilityNames, diffFromDockerDefault } from './capabilities';
import type { ConfinementHost } from './host';
import { readLsmLabel } from './lsm';
import { classifyMounts, rootReadOnly } from './mounts';
import { readContainerPasswd, userName } from './user';

/** seccomp(2) mode of /proc/PID/status `Seccomp:` (0, 1, 2) as a word. */
export function seccompMode(n: 0 | 1 | 2 | null): SeccompMode | null {
  return n === null ? null : (['disabled', 'strict', 'filter'] as const)[n];
}

/**
 * What a process may do, from its /proc/PID files: status (capabilities, seccomp, no_new_privs,
 * uid), attr (LSM label), uid_map/gid_map, mountinfo and root/etc/passwd (user name), joined with
 * the engine's configuration when it has one (privileged, user, read-only rootfs, security options).
 * Files that cannot be read are named in `unreadable`; this never throws.
 */
export function readSecurity(p: ProcessRecord, procRoot: string, host: ConfinementHost, config: ContainerConfig | null): ContainerSecurity {
  const unreadable: string[] = [];
  const note = (file: string, err: unknown): void => {
    unreadable.push(`${file}: ${toProcReadError(err, p.pid, `${procRoot}/${p.pid}/${file}`).code}`);
  };
  const st = p.status;
  if (st === null) unreadable.push('status');

  const capBnd = capabilityNames(st?.capBnd ?? null);
  const { added, dropped } = st?.capBnd == null ? { added: [], dropped: [] } : diffFromDockerDefault(capBnd);

  const { lsm, error: lsmError } = readLsmLabel(procRoot, p.pid, host.lsm);
  if (lsmError) unreadable.push(`attr/current: ${lsmError.code}`);

  const map = (kind: 'uid' | 'gid'): IdMapEntry[] => {
    try {
      return readIdMap(procRoot, p.pid, kind);
    } catch (err) {
      note(`${kind}_map`, err);
      return [];
    }
  };
  const uidMap = map('uid');
  const gidMap = map('gid');

  let mounts: MountFact[] = [];
  try {
    mounts = classifyMounts(readMountinfo(procRoot, p.pid), host.mounts);
  } catch (err) {
    note('mountinfo', err);
  }

  const hostUid = st === null ? null : st.uid[1];
  const uid = hostUid === null ? null : uidMap.length > 0 ? mapToInside(uidMap, hostUid) : null;
  const passwd = uid === null ? null : readContainerPasswd(procRoot, p.pid);

  return {
    capEff: capabilityNames(st?.capEff ?? null),
    capBnd,
    capPrm: capabilityNames(st?.capPrm ?? null),
    capInh: capabilityNames(st?.capInh ?? null),
    capAmb: capabilityNames(st?.capAmb ?? null),
    capAdded: added,
    capDropped: dropped,
    seccomp: { mode: seccompMode(st?.seccomp ?? null), filters: st?.seccompFilters ?? null },
    noNewPrivs: st?.noNewPrivs ?? null,
    lsm,
    uidMap,
    gidMap,
    uidMapSummary: uidMap.length > 0 ? describeIdMap(uidMap, 'uid') : 'unknown (uid_map unreadable)',
    user: { uid, name: userName(uid, passwd, config?.user ?? null) },
    hostUid,
    mounts,
    readOnlyRootfs: rootReadOnly(mounts) ?? config?.readOnlyRootfs ?? null,
    privileged: config?.privileged ?? null,
    securityOpt: config?.securityOpt ?? [],
    unreadable,
  };
}
