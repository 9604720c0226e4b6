import type { ContainerSecurity } from '../../../shared/confinement';
import type { ContainerInfo } from '../../../shared/model';
import type { ProcessRecord } from '../procfs/process';
import { confinementFindings } from './findings';
import type { ConfinementHost } from './host';
import { readSecurity } from './security';

const securityByInit = new WeakMap<ProcessRecord, { config: ContainerInfo['config']; host: ConfinementHost; security: ContainerSecurity }>();

/**
 * Adds `security` and `findings` to each container whose init process is in the table: what it is
 * allowed to do (capabilities(7), seccomp(2), LSM, user_namespaces(7), mounts from proc(5)
 * mountinfo) and what an engineer should act on. Containers without a readable init are returned
 * unchanged. Reads /proc/PID files of each init; never throws.
 */
export function addConfinement(
  containers: readonly ContainerInfo[],
  processes: ReadonlyMap<number, ProcessRecord>,
  procRoot: string,
  host: ConfinementHost,
): ContainerInfo[] {
  const findingsHost = { lsmKind: host.lsm.kind, cgroupVersion: host.cgroupVersion, capBnd: host.capBnd };
  return containers.map((c) => {
    const init = c.pid === null ? undefined : processes.get(c.pid);
    if (!init) return c;
    // The live cache hands back the same record while the init is unchanged (a full pass every
    // 30 s makes new ones): its security files are read once, not on every tick.
    const cached = securityByInit.get(init);
    const security = cached && cached.config === c.config && cached.host === host ? cached.security : readSecurity(init, procRoot, host, c.config);
    securityByInit.set(init, { config: c.config, host, security });
    return { ...c, security, findings: confinementFindings(c, security, findingsHost) };
  });
}
