// Helpers for the confinement unit tests: the fixture trees and records built from their status files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ContainerConfig, ContainerInfo } from '../../../shared/model';
import type { ProcessNamespaces } from '../../../shared/namespaces';
import type { ConfinementHost } from '../../../electron/collector/confinement/host';
import { readHostLsm } from '../../../electron/collector/confinement/lsm';
import { hostMountTable } from '../../../electron/collector/confinement/mounts';
import { readMountinfo } from '../../../electron/collector/procfs/mountinfo';
import { parseStatus } from '../../../electron/collector/procfs/status';
import type { ProcessRecord } from '../../../electron/collector/procfs/process';

/** test/fixtures/confinement. */
export const FX = path.join(__dirname, '../../fixtures/confinement');
export const PROC = path.join(FX, 'proc');
export const BROKEN = path.join(FX, 'proc-broken');

/** Real pids of the fixture tree (see test/fixtures/confinement/README.md). */
export const PIDS = {
  default: 18815, capNbs: 18880, unconfined: 18944, pidHost: 19009, readOnly: 19091, socket: 19154, user: 19218,
  bind: 19282, allCaps: 19363, systempaths: 5261, userns: 21487, unshareMnt: 3798, kthreadd: 2, hostShell: 5999,
} as const;

/** Reads a fixture file as text. */
export const fixtureText = (...parts: string[]): string => fs.readFileSync(path.join(FX, ...parts), 'utf8');

const NO_NS: ProcessNamespaces = { cgroup: null, ipc: null, mnt: null, net: null, pid: null, pid_for_children: null, time: null, user: null, uts: null };

/** A ProcessRecord whose status is the fixture's (other fields minimal). */
export function recordOf(pid: number, root = PROC): ProcessRecord {
  const status = parseStatus(fs.readFileSync(path.join(root, String(pid), 'status'), 'utf8'));
  return {
    pid, ppid: status.ppid, comm: status.name, state: status.state, cmdline: [], uid: status.uid[0], startTime: 0, utime: 0, stime: 0,
    numThreads: status.threads, nspid: status.nspid, namespaces: NO_NS, cgroups: [], cgroup: null, status, errors: [],
  };
}

/** The host of the fixtures: no labelling LSM, cgroup v1, the sandbox's bounding set. */
export const FIXTURE_HOST: ConfinementHost = {
  lsm: readHostLsm(path.join(FX, 'lsm', 'none', 'sys'), PROC),
  namespaces: {},
  cgroupVersion: 1,
  capLastCap: 40,
  capBnd: recordOf(PIDS.hostShell).status?.capBnd ?? null,
  mounts: hostMountTable(readMountinfo(PROC, 1)),
};

/** What mapInspect makes of a container run with no security flags. */
export const DEFAULT_CONFIG: ContainerConfig = {
  privileged: false, capAdd: [], capDrop: [], securityOpt: [],
  namespaceModes: { pid: '', net: 'none', ipc: 'private', uts: '', user: '', cgroup: '' }, user: null, readOnlyRootfs: false,
};

/** A Docker container of the fixture tree as discoverContainers makes it (default: cgroup v1, no limits, host cgroup/time/user namespaces). */
export function containerOf(pid: number, over: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id: `${'f'.repeat(58)}${String(pid).padStart(6, '0')}`, name: `fx-${pid}`, engine: 'docker', image: 'isolens/busybox:test', state: 'running',
    pid, pids: [pid], limits: { memoryBytes: null, cpus: null, pidsMax: null, cpuset: null },
    sharedWithHost: ['cgroup', 'time', 'user'], cgroup: `/docker/${pid}`, labels: {}, config: DEFAULT_CONFIG, createdAt: null, ...over,
  };
}
