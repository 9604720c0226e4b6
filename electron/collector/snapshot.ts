import * as fs from 'node:fs';
import * as os from 'node:os';
import type { EngineStatus, ProcessInfo, Snapshot } from '../../shared/model';
import { SNAPSHOT_SCHEMA } from '../../shared/model';
import type { CgroupMounts } from './cgroupfs/mounts';
import { detectCgroupVersion, readCgroupMounts } from './cgroupfs/mounts';
import { readLimits } from './cgroupfs/limits';
import { discoverContainers } from './discover/containers';
import { findHostNamespaces } from './discover/host';
import { discoverNamespaces } from './discover/namespaces';
import { parseNsfsMounts } from './discover/nsfs-mounts';
import { collectEngines } from './engines/collect';
import type { EngineAdapter, EngineContainer } from './engines/types';
import type { LsnsNamespace } from './lsns';
import { runLsns } from './lsns';
import { readProcessTable } from './procfs/process';
import { privilegeWarnings } from './warnings';

/** Where the collector reads from; every source can be swapped for a fixture in tests. */
export interface SnapshotSources {
  /** procfs mount point, normally /proc. */
  readonly procRoot: string;
  /** Cgroup mounts; read from PROCROOT/self/mountinfo when absent. */
  readonly cgroupMounts?: CgroupMounts;
  readonly engines: readonly EngineAdapter[];
  /** Runs lsns(8); null to skip it (e.g. on a fixture tree). */
  readonly lsns: (() => Promise<LsnsNamespace[]>) | null;
  readonly hostname?: string;
  readonly kernel?: string;
  readonly collectorUid?: number;
}

/** The sources of the machine the collector runs on. */
export function liveSources(engines: readonly EngineAdapter[]): SnapshotSources {
  return { procRoot: '/proc', engines, lsns: () => runLsns() };
}

function readMountinfo(procRoot: string): string {
  try {
    return fs.readFileSync(`${procRoot}/self/mountinfo`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Takes one snapshot: the process table from /proc, the namespaces (with lsns for parents,
 * owners and namespaces no process holds), the engines' containers joined to processes by
 * cgroup path, and their limits from cgroupfs. Partial sources give warnings, never a throw.
 */
export async function takeSnapshot(src: SnapshotSources): Promise<Snapshot> {
  const warnings: string[] = [];
  // Start the asynchronous sources first; /proc is read synchronously meanwhile.
  const lsnsPromise = src.lsns ? src.lsns().then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e })) : null;
  const enginesPromise = collectEngines(src.engines);

  const table = readProcessTable(src.procRoot);
  const mounts = src.cgroupMounts ?? readCgroupMounts(src.procRoot);
  const nsfs = parseNsfsMounts(readMountinfo(src.procRoot));
  const byPid = new Map(table.processes.map((p) => [p.pid, p]));
  const host = findHostNamespaces(byPid);
  if (host.from === null) warnings.push('The host namespaces could not be read from PID 1 or PID 2 (kthreadd): no namespace is marked as the host\'s.');

  let lsns: LsnsNamespace[] = [];
  if (lsnsPromise) {
    const r = await lsnsPromise;
    if (r.ok) lsns = r.v;
    else warnings.push(`lsns failed (${r.e instanceof Error ? r.e.message : String(r.e)}): namespace parents and owners are unknown; bind-mounted namespaces come from mountinfo only.`);
  }
  const engines: { statuses: EngineStatus[]; containers: EngineContainer[]; warnings: string[] } = await enginesPromise;
  warnings.push(...engines.warnings);

  const { containers, containerIdByPid } = discoverContainers(table.processes, engines.containers, host, (p) => readLimits(mounts, p.cgroups));
  const namespaces = discoverNamespaces(table.processes, lsns, nsfs, host);

  const processes: ProcessInfo[] = table.processes.map((p) => ({
    pid: p.pid,
    ppid: p.ppid,
    comm: p.comm,
    cmdline: p.cmdline,
    uid: p.uid,
    startTime: p.startTime,
    nspid: p.nspid,
    namespaces: p.namespaces,
    cgroup: p.cgroup,
    containerId: containerIdByPid.get(p.pid) ?? null,
  }));

  const collectorUid = src.collectorUid ?? (typeof process.geteuid === 'function' ? process.geteuid() : 0);
  warnings.push(...privilegeWarnings(collectorUid, table.processes, table.errors));

  return {
    schema: SNAPSHOT_SCHEMA,
    takenAt: new Date().toISOString(),
    host: {
      hostname: src.hostname ?? os.hostname(),
      kernel: src.kernel ?? os.release(),
      cgroupVersion: detectCgroupVersion(mounts),
      namespaces: host.namespaces,
      namespacesFrom: host.from,
      collectorUid,
    },
    processes,
    namespaces,
    containers,
    engines: engines.statuses,
    warnings,
  };
}
