import { capabilityInfo, type ContainerSecurity, type Finding, type Severity, SEVERITIES } from '../../../shared/confinement';
import type { ContainerInfo } from '../../../shared/model';
import type { NamespaceKind } from '../../../shared/namespaces';
import { capabilityNames, PRE_5_8_CAPS_MASK } from './capabilities';
import type { HostLsmKind } from './lsm';
import { isUnconfined } from './lsm';
import { isIdentityMap } from '../procfs/idmap';

/** The host facts findings depend on. */
export interface FindingsHost {
  readonly lsmKind: HostLsmKind | null;
  readonly cgroupVersion: 1 | 2;
  /** What "every capability" is on this host (PID 1's bounding set); null when unknown. */
  readonly capBnd: bigint | null;
}

/** The bit of a capability name ("CAP_SYS_ADMIN", or "CAP_41" for a bit newer than the table). */
function bitOf(name: string): number | null {
  const info = capabilityInfo(name);
  if (info) return info.bit;
  const m = /^CAP_(\d+)$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** The mask of a list of capability names. */
export function maskOf(names: readonly string[]): bigint {
  let m = 0n;
  for (const n of names) {
    const b = bitOf(n);
    if (b !== null) m |= 1n << BigInt(b);
  }
  return m;
}

/** Namespaces shared with the host: how much that exposes (namespaces(7)). Time is left out: no engine makes one. */
const HOST_NS: Partial<Record<NamespaceKind, { severity: Severity; message: string }>> = {
  mnt: { severity: 'critical', message: 'shares the host\'s mount namespace: it sees and can reach the host\'s whole filesystem tree' },
  pid: { severity: 'high', message: 'shares the host\'s pid namespace: it sees every process on the host (and can signal or trace them with the capabilities to)' },
  net: { severity: 'high', message: 'shares the host\'s network namespace: host interfaces, host ports and services on the host\'s localhost' },
  ipc: { severity: 'medium', message: 'shares the host\'s IPC namespace: System V IPC and POSIX message queues of host processes' },
  uts: { severity: 'low', message: 'shares the host\'s UTS namespace: it sees (and with CAP_SYS_ADMIN could change) the host\'s hostname' },
};

/** Capabilities that are dangerous on their own in the effective set, with a severity (capabilities(7)). */
function capabilityFinding(name: string, shared: readonly NamespaceKind[]): { severity: Severity; message: string } | null {
  switch (name) {
    case 'CAP_SYS_ADMIN':
      return { severity: 'critical', message: 'has CAP_SYS_ADMIN: mount, BPF, namespaces… close to full root, the usual way out of a container' };
    case 'CAP_SYS_MODULE':
      return { severity: 'critical', message: 'has CAP_SYS_MODULE: it can load code into the host kernel' };
    case 'CAP_SYS_PTRACE':
      return shared.includes('pid')
        ? { severity: 'critical', message: 'has CAP_SYS_PTRACE and the host\'s pid namespace: it can trace and inject into any host process' }
        : { severity: 'medium', message: 'has CAP_SYS_PTRACE: it can trace any process of its pid namespace' };
    case 'CAP_NET_ADMIN':
      return shared.includes('net')
        ? { severity: 'high', message: 'has CAP_NET_ADMIN in the host\'s network namespace: it can reconfigure the host\'s interfaces, routes and firewall' }
        : { severity: 'medium', message: 'has CAP_NET_ADMIN: it can reconfigure its own network namespace (interfaces, routes, firewall)' };
    case 'CAP_DAC_READ_SEARCH':
      return { severity: 'high', message: 'has CAP_DAC_READ_SEARCH: open_by_handle_at(2) can open host files by handle ("shocker")' };
    default:
      return null;
  }
}

/**
 * The findings for one container: each a severity, a one-line reason and the field that shows it.
 * Severities: privileged, an engine socket, CAP_SYS_ADMIN / CAP_SYS_MODULE / every capability,
 * the host's mount namespace or root filesystem are critical; the host's pid or net namespace, CAP_DAC_READ_SEARCH,
 * seccomp disabled, a writable host path or a writable /proc/sys or /sys are high; running as
 * root without a user namespace, no LSM profile where the host has an LSM, devices, the host's IPC
 * namespace are medium; no memory / pids limit and read-only host paths are low. Sharing the host's
 * cgroup namespace is info on cgroup v1 (Docker's default there: it only shows cgroup paths) and
 * low on v2 (where Docker's default is private). A default Docker container gets nothing above medium.
 */
export function confinementFindings(c: ContainerInfo, s: ContainerSecurity, host: FindingsHost): Finding[] {
  const out: Finding[] = [];
  const add = (id: string, severity: Severity, message: string, evidence: string): void => {
    out.push({ id, severity, message, evidence });
  };
  const shared = c.sharedWithHost;
  const modes = c.config?.namespaceModes ?? {};
  const mode = (k: string): string => (modes[k] ? ` (config.namespaceModes.${k} = ${modes[k]})` : '');

  if (s.privileged === true) {
    add('privileged', 'critical', 'runs --privileged: every capability, all host devices, no seccomp or LSM profile, writable /sys', 'security.privileged = true (HostConfig.Privileged)');
  }

  for (const kind of ['mnt', 'pid', 'net', 'ipc', 'uts'] as const) {
    const f = HOST_NS[kind];
    if (f && shared.includes(kind)) add(`host-ns-${kind}`, f.severity, f.message, `sharedWithHost includes ${kind}${mode(kind)}`);
  }
  if (shared.includes('cgroup')) {
    if (host.cgroupVersion === 1) {
      add('host-ns-cgroup', 'info', 'shares the host\'s cgroup namespace (Docker\'s default on cgroup v1): /proc/self/cgroup shows host cgroup paths', `sharedWithHost includes cgroup; host cgroup v1${mode('cgroup')}`);
    } else {
      add('host-ns-cgroup', 'low', 'shares the host\'s cgroup namespace (Docker\'s default on cgroup v2 is private): it sees the host\'s cgroup paths', `sharedWithHost includes cgroup; host cgroup v2${mode('cgroup')}`);
    }
  }

  const eff = maskOf(s.capEff);
  const legacy = host.capBnd === null ? null : host.capBnd & PRE_5_8_CAPS_MASK;
  if (host.capBnd !== null && legacy !== null && legacy !== 0n && (eff & legacy) === legacy) {
    const missing = capabilityNames(host.capBnd & ~eff);
    const detail = missing.length === 0 ? 'every capability the host\'s bounding set has' : `every capability the host allows but ${missing.join(', ')} (newer than its engine)`;
    add('cap-all', 'critical', `has ${detail}: root on the host in all but namespaces`, `security.capEff has ${s.capEff.length} capabilities, host bounding set ${capabilityNames(host.capBnd).length}`);
  } else {
    for (const name of s.capEff) {
      const f = capabilityFinding(name, shared);
      if (f) add(`cap-${name.slice(4).toLowerCase().replace(/_/g, '-')}`, f.severity, f.message, `security.capEff includes ${name}`);
    }
  }

  if (s.seccomp.mode === 'disabled') {
    const opt = s.securityOpt.find((o) => /^seccomp[=:]unconfined$/.test(o));
    add('seccomp-disabled', 'high', 'runs without seccomp: every system call of the host kernel is reachable', `security.seccomp.mode = disabled${opt ? ` (security option ${opt})` : ''}`);
  }

  if (host.lsmKind === 'apparmor' || host.lsmKind === 'selinux') {
    if (isUnconfined(s.lsm)) {
      add('no-lsm-profile', 'medium', `runs without a ${host.lsmKind === 'apparmor' ? 'AppArmor profile' : 'confining SELinux type'} although the host enforces ${host.lsmKind}`, `security.lsm.label = ${s.lsm.label === null ? 'none' : JSON.stringify(s.lsm.label)}`);
    }
  } else if (host.lsmKind === 'none') {
    add('host-no-lsm', 'info', 'the host kernel runs no AppArmor or SELinux: no mandatory access control profile confines it', 'security.lsm.kind = none');
  }

  const noUserns = shared.includes('user') || (s.uidMap.length > 0 && isIdentityMap(s.uidMap));
  if (s.user.uid === 0 && noUserns) {
    add('root-no-userns', 'medium', 'runs as root without a user namespace: root inside is root on the host, one escape away', `security.user.uid = 0; security.uidMapSummary = ${s.uidMapSummary}`);
  } else if (noUserns && s.user.uid !== null) {
    add('no-userns', 'info', `shares the host's user namespace: uid ${s.user.uid} inside is uid ${s.hostUid ?? s.user.uid} on the host`, `security.uidMapSummary = ${s.uidMapSummary}`);
  }

  if (c.limits.memoryBytes === null) add('no-memory-limit', 'low', 'has no memory limit: it can take all the host\'s memory', 'limits.memoryBytes = null');
  if (c.limits.pidsMax === null) add('no-pids-limit', 'low', 'has no pids limit: a fork bomb inside exhausts the host\'s pids', 'limits.pidsMax = null');

  const hostRoot = s.mounts.find((m) => m.flags.includes('host-rootfs'));
  if (hostRoot) {
    const others = s.mounts.filter((m) => m.kind === 'host' || m.kind === 'device').length;
    add('host-rootfs', 'critical', `its root filesystem is the host's own root${hostRoot.readOnly ? ' (read-only)' : ', writable'}: it sees every host file`,
      `security.mounts: / is ${hostRoot.source} ${hostRoot.root} (${hostRoot.readOnly ? 'ro' : 'rw'}), the host's /; ${others} more host mounts not listed one by one`);
  }
  for (const m of s.mounts) {
    const where = `${m.hostPath ?? m.root} -> ${m.target}${m.readOnly ? ' (ro)' : ' (rw)'}`;
    if (hostRoot && (m.kind === 'host' || m.kind === 'device')) continue;
    if (m.flags.includes('engine-socket')) add('engine-socket', 'critical', `has the container engine's socket ${m.target}: it can start a privileged container, so it controls the host`, `security.mounts: ${where}`);
    if (m.flags.includes('host-path-writable')) add('host-path-writable', 'high', `has the host path ${m.hostPath ?? m.root} mounted writable at ${m.target}`, `security.mounts: ${where}`);
    if (m.flags.includes('host-path')) add('host-path', 'low', `has the host path ${m.hostPath ?? m.root} mounted read-only at ${m.target}`, `security.mounts: ${where}`);
    if (m.flags.includes('device')) add('device-mount', 'medium', `has the host device ${m.hostPath ?? m.root} bind-mounted at ${m.target}`, `security.mounts: ${where} (devtmpfs)`);
    if (m.flags.includes('proc-sys-writable')) add('proc-sys-writable', 'high', '/proc/sys is writable: it can change host kernel settings (sysctls not namespaced)', `security.mounts: ${m.target} proc rw covers /proc/sys`);
    if (m.flags.includes('sys-writable')) add('sys-writable', 'high', '/sys is writable: host devices and kernel settings', `security.mounts: ${m.target} sysfs rw`);
  }

  return out.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}
