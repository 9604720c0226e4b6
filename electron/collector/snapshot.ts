import * as fs from 'node:fs';
import * as os from 'node:os';
import type { CgroupLimits, ContainerInfo, HostFigures, NamespaceInfo, ProcessInfo, Snapshot } from '../../shared/model';
import { SNAPSHOT_SCHEMA } from '../../shared/model';
import type { CgroupMounts } from './cgroupfs/mounts';
import { detectCgroupVersion, readCgroupMounts } from './cgroupfs/mounts';
import { withKeptFiles } from './cgroupfs/files';
import { readLimits } from './cgroupfs/limits';
import type { ImageInfo } from '../../shared/rootfs';
import { readConfinementHost, type ConfinementHost } from './confinement/host';
import { addConfinement } from './confinement/pass';
import { discoverContainers, type ContainerDiscovery } from './discover/containers';
import { findHostNamespaces, type HostNamespaces } from './discover/host';
import { discoverNamespaces } from './discover/namespaces';
import { type FullRead, readFullTable } from './discover/full-read';
import { withHolders, type NamespaceHolderScan } from './discover/ns-holders';
import { parseNsfsMounts, type NsfsMount } from './discover/nsfs-mounts';
import { collectEngines, type EngineCollection } from './engines/collect';
import type { EngineAdapter } from './engines/types';
import { publishProcessTable } from './engines/host-tools';
import type { LsnsNamespace } from './lsns';
import type { RelationsContext } from './relations';
import { defaultRelations, type NamespaceRelations } from './relations';
import type { ProcReadError } from './procfs/errors';
import type { OpenFiles } from './procfs/open-files';
import type { ProcessRecord } from './procfs/process';
import { sameProcess } from './procfs/same-process';
import { withRootfs, type RootfsSource } from './rootfs/attach';
import { RootfsCache } from './rootfs/inspect';
import { DockerEngine } from './engines/docker';
import { ImageInfoCache, imageInfosFor } from './engines/docker-image';
import { dockerClientFor } from './engines/dockerode';
import type { EngineContainer } from './engines/types';
import { privilegeWarnings } from './warnings';

/** Where the collector reads from; every source can be swapped for a fixture in tests. */
export interface SnapshotSources {
  /** procfs mount point, normally /proc. */
  readonly procRoot: string;
  /** Cgroup mounts; read from PROCROOT/self/mountinfo when absent. */
  readonly cgroupMounts?: CgroupMounts;
  readonly engines: readonly EngineAdapter[];
  /** Where namespace parents and owners come from (isolens-nsinfo or lsns); null to skip (e.g. on a fixture tree). */
  readonly lsns: NamespaceRelations | null;
  readonly hostname?: string;
  readonly kernel?: string;
  readonly collectorUid?: number;
}

/** The sources of the machine the collector runs on. */
export function liveSources(engines: readonly EngineAdapter[]): SnapshotSources {
  return { procRoot: '/proc', engines, lsns: defaultRelations() };
}

function readMountinfo(procRoot: string): string {
  try {
    return fs.readFileSync(`${procRoot}/self/mountinfo`, 'utf8');
  } catch {
    return '';
  }
}

/** Everything a snapshot is assembled from, already read (so the live service can feed cached parts). */
export interface SnapshotParts {
  /** procfs root the records were read from (confinement reads more of it per container init). */
  readonly procRoot: string;
  /** sysfs root, for the host's LSMs (default /sys). */
  readonly sysRoot?: string;
  readonly processes: readonly ProcessRecord[];
  readonly tableErrors: readonly ProcReadError[];
  readonly mounts: CgroupMounts;
  readonly nsfs: readonly NsfsMount[];
  readonly lsns: readonly LsnsNamespace[];
  readonly engines: EngineCollection;
  /** Warnings from reading the parts (lsns failed, host namespaces unreadable…). */
  readonly warnings: readonly string[];
  readonly hostname: string;
  readonly kernel: string;
  readonly collectorUid: number;
  readonly takenAt: Date;
  /** Who else keeps namespaces alive (open fds, threads, bind mounts in other mount namespaces); null when not scanned. */
  readonly holders?: NamespaceHolderScan | null;
  /** Rootfs of each container (walked once per container, cached); null for none. */
  readonly rootfs?: RootfsSource | null;
  /** Image layers by container id (Docker image inspect + history). */
  readonly images?: ReadonlyMap<string, ImageInfo>;
  /** Slow-changing host figures (systeminformation), when the caller has them. */
  readonly figures?: HostFigures | null;
  /** The live service's memo: the discovery passes are skipped while their inputs are the same objects. */
  readonly memo?: DiscoveryMemo;
  /** The live service's files kept open between ticks: the limits read on a memo hit go through them. */
  readonly keptFiles?: OpenFiles | null;
}

/** What the discovery passes made of one set of inputs. */
interface Structure {
  readonly byPid: ReadonlyMap<number, ProcessRecord>;
  readonly host: HostNamespaces;
  readonly discovered: ContainerDiscovery;
  readonly namespaces: NamespaceInfo[];
  readonly processes: ProcessInfo[];
}

/** The inputs a Structure depends on, compared by identity (the live cache hands back the same records while nothing changed). */
interface StructureInputs {
  readonly processes: readonly ProcessRecord[];
  readonly engines: readonly EngineContainer[];
  readonly lsns: readonly LsnsNamespace[];
  readonly nsfs: readonly NsfsMount[];
  readonly holders: NamespaceHolderScan | null;
}

/**
 * Keeps the last discovery passes (containers, namespaces, the wire process list) of the live
 * service: on a steady tick the process table holds the same processes as before, so the passes
 * are not run again; only the limits (cgroupfs) are re-read. A record that is new only in what
 * moves all the time (a process on screen whose stat state changed: sameProcess) is the same
 * process to them; any other change runs them whole.
 */
export class DiscoveryMemo {
  private inputs: StructureInputs | null = null;
  private structure: Structure | null = null;
  /** How many times the passes ran, and how many times they were skipped (for tests and the bench). */
  runs = 0;
  hits = 0;

  /** The passes' result for these inputs, computed by `run` unless the last inputs were the same objects. */
  get(inputs: StructureInputs, run: () => Structure): Structure {
    const last = this.inputs;
    if (last && this.structure && sameInputs(last, inputs)) {
      this.hits++;
      return this.structure;
    }
    this.runs++;
    this.structure = run();
    this.inputs = inputs;
    return this.structure;
  }
}

function sameInputs(a: StructureInputs, b: StructureInputs): boolean {
  if (a.engines !== b.engines || a.lsns !== b.lsns || a.nsfs !== b.nsfs || a.holders !== b.holders) return false;
  if (a.processes === b.processes) return true;
  if (a.processes.length !== b.processes.length) return false;
  for (let i = 0; i < a.processes.length; i++) {
    const x = a.processes[i] as ProcessRecord;
    const y = b.processes[i] as ProcessRecord;
    if (x !== y && !sameProcess(x, y)) return false;
  }
  return true;
}

/** The discovery passes over one process table. */
function discoverStructure(parts: SnapshotParts): Structure {
  const byPid = new Map<number, ProcessRecord>();
  for (const p of parts.processes) byPid.set(p.pid, p);
  const host = findHostNamespaces(byPid);
  const discovered = discoverContainers(parts.processes, parts.engines.containers, host, (p) => readLimits(parts.mounts, p.cgroups), byPid);
  const namespaces = withHolders(discoverNamespaces(parts.processes, parts.lsns, parts.nsfs, host), parts.holders);
  const { containerIdByPid } = discovered;
  const processes: ProcessInfo[] = parts.processes.map((p) => processInfo(p, containerIdByPid.get(p.pid) ?? null));
  return { byPid, host, discovered, namespaces, processes };
}

/** The containers with their limits read again from cgroupfs (`docker update` changes them live); unchanged ones keep their object. */
function withFreshLimits(containers: readonly ContainerInfo[], byPid: ReadonlyMap<number, ProcessRecord>, mounts: CgroupMounts): ContainerInfo[] {
  return containers.map((c) => {
    const init = c.pid === null ? undefined : byPid.get(c.pid);
    if (!init) return c;
    const limits = readLimits(mounts, init.cgroups);
    return sameLimits(limits, c.limits) ? c : { ...c, limits };
  });
}

function sameLimits(a: CgroupLimits, b: CgroupLimits): boolean {
  return a.memoryBytes === b.memoryBytes && a.cpus === b.cpus && a.pidsMax === b.pidsMax && a.cpuset === b.cpuset;
}

/**
 * The wire record of a process. The live cache hands back the same ProcessRecord while a process
 * is unchanged, so its ProcessInfo is reused too: the tick's diff then compares by identity.
 */
const infoByRecord = new WeakMap<ProcessRecord, ProcessInfo>();
function processInfo(p: ProcessRecord, containerId: string | null): ProcessInfo {
  const hit = infoByRecord.get(p);
  if (hit && hit.containerId === containerId) return hit;
  const info: ProcessInfo = {
    pid: p.pid,
    ppid: p.ppid,
    comm: p.comm,
    cmdline: p.cmdline,
    uid: p.uid,
    startTime: p.startTime,
    nspid: p.nspid,
    namespaces: p.namespaces,
    cgroup: p.cgroup,
    containerId,
  };
  infoByRecord.set(p, info);
  return info;
}

/** The host's confinement facts (LSMs, cap_last_cap, PID 1's mount table) change rarely: read at most every 30 s. */
let hostMemo: { key: string; at: number; host: ConfinementHost } | null = null;
function confinementHostOf(
  procRoot: string, sysRoot: string, processes: ReadonlyMap<number, ProcessRecord>,
  namespaces: HostNamespaces['namespaces'], cgroupVersion: 1 | 2, now: number,
): ConfinementHost {
  const key = `${procRoot}\0${sysRoot}\0${cgroupVersion}\0${JSON.stringify(namespaces)}`;
  if (hostMemo && hostMemo.key === key && now - hostMemo.at >= 0 && now - hostMemo.at < 30_000) return hostMemo.host;
  const h = readConfinementHost({ procRoot, sysRoot, processes, namespaces, cgroupVersion });
  hostMemo = { key, at: now, host: h };
  return h;
}

/** Joins the parts with the discovery passes into the snapshot model (pure but for reading limits from cgroupfs). */
export function assembleSnapshot(parts: SnapshotParts): Snapshot {
  const inputs: StructureInputs = { processes: parts.processes, engines: parts.engines.containers, lsns: parts.lsns, nsfs: parts.nsfs, holders: parts.holders ?? null };
  const memo = parts.memo;
  // Limits were read by the passes when they ran; on a memo hit they are read again here.
  let fresh: boolean = memo === undefined;
  const structure = memo
    ? memo.get(inputs, () => {
        fresh = true;
        return discoverStructure(parts);
      })
    : discoverStructure(parts);
  const { byPid, host, discovered, namespaces, processes } = structure;
  const warnings = [...parts.warnings, ...parts.engines.warnings];
  if (host.from === null) warnings.push('The host namespaces could not be read from PID 1 or PID 2 (kthreadd): no namespace is marked as the host\'s.');
  const cgroupVersion = detectCgroupVersion(parts.mounts);
  const confinementHost = confinementHostOf(parts.procRoot, parts.sysRoot ?? '/sys', byPid, host.namespaces, cgroupVersion, parts.takenAt.getTime());
  const limited = fresh ? discovered.containers : withKeptFiles(parts.keptFiles ?? null, () => withFreshLimits(discovered.containers, byPid, parts.mounts));
  const containers = withRootfs(addConfinement(limited, byPid, parts.procRoot, confinementHost), parts.rootfs ?? null, parts.images);
  warnings.push(...privilegeWarnings(parts.collectorUid, parts.processes, parts.tableErrors));
  return {
    schema: SNAPSHOT_SCHEMA,
    takenAt: parts.takenAt.toISOString(),
    host: {
      hostname: parts.hostname,
      kernel: parts.kernel,
      cgroupVersion,
      namespaces: host.namespaces,
      namespacesFrom: host.from,
      collectorUid: parts.collectorUid,
      ...(parts.figures ? { figures: parts.figures } : {}),
    },
    processes,
    namespaces,
    containers,
    engines: parts.engines.statuses,
    warnings,
  };
}

/** The effective uid of this process (0 where the platform has no geteuid). */
export const effectiveUid = (): number => (typeof process.geteuid === 'function' ? process.geteuid() : 0);

/** Reads the cgroup mounts, or an empty set with a warning when mountinfo is unreadable. */
export function cgroupMountsOf(procRoot: string, warnings: string[]): CgroupMounts {
  try {
    return readCgroupMounts(procRoot);
  } catch (e) {
    warnings.push(`cgroup mounts could not be read (${e instanceof Error ? e.message : String(e)}): no limits are shown.`);
    return { v2: null, v1: new Map() };
  }
}

/** The last mount table parsed, so an unchanged table gives back the same (identical) list. */
let nsfsMemo: { procRoot: string; text: string; mounts: NsfsMount[] } | null = null;

/** The nsfs bind mounts of the collector's mount namespace (the same array while the mount table is unchanged). */
export function nsfsMountsOf(procRoot: string): NsfsMount[] {
  const text = readMountinfo(procRoot);
  if (nsfsMemo && nsfsMemo.procRoot === procRoot && nsfsMemo.text === text) return nsfsMemo.mounts;
  nsfsMemo = { procRoot, text, mounts: parseNsfsMounts(text) };
  return nsfsMemo.mounts;
}

/** Image layers of the Docker engine's containers (one inspect + history per image, cached); empty without Docker. */
export async function imagesOf(engines: readonly EngineAdapter[], containers: readonly EngineContainer[], cache: ImageInfoCache): Promise<Map<string, ImageInfo>> {
  const docker = engines.find((e): e is DockerEngine => e instanceof DockerEngine);
  const client = docker ? dockerClientFor(docker.target) : null;
  if (!client) return new Map();
  try {
    return await imageInfosFor(containers.filter((c) => c.engine === 'docker'), client, cache);
  } catch {
    return new Map();
  }
}

/** Looks up namespace relations and turns a failure into a warning. */
export async function lsnsOrWarning(relations: NamespaceRelations, ctx: RelationsContext, warnings: string[]): Promise<LsnsNamespace[]> {
  try {
    return await relations.lookup(ctx);
  } catch (e) {
    warnings.push(`${relations.name} failed (${e instanceof Error ? e.message : String(e)}): namespace parents and owners are unknown.`);
    return [];
  }
}

/**
 * The namespace relations of a full read: those isolens-table asked for as it read the ns links,
 * and the provider's for the rest (bind mounts no process is in); all from the provider when Node
 * read the table.
 */
async function relationsAfter(
  relations: NamespaceRelations, table: FullRead, procRoot: string, nsfs: readonly NsfsMount[], warnings: string[],
): Promise<LsnsNamespace[]> {
  if (table.relations === null) return lsnsOrWarning(relations, { procRoot, processes: table.processes, nsfs }, warnings);
  const known = new Set(table.relations.map((r) => r.ns));
  const rest = await lsnsOrWarning(relations, { procRoot, processes: [], nsfs, known }, warnings);
  return rest.length === 0 ? table.relations : [...table.relations, ...rest];
}

/**
 * Takes one snapshot: the process table from /proc, the namespaces (with lsns for parents,
 * owners and namespaces no process holds), the engines' containers joined to processes by
 * cgroup path, and their limits from cgroupfs. Partial sources give warnings, never a throw.
 */
export async function takeSnapshot(src: SnapshotSources): Promise<Snapshot> {
  const warnings: string[] = [];
  // The table and the fd and thread scan for namespace holders, read on both cores (full-read.ts):
  // isolens-table starts first, so that what follows (a first Docker client loads dockerode) runs
  // while it reads.
  const tablePromise = readFullTable(src.procRoot);
  // lsns, a full scan of its own, starts at once; the incremental helper needs the table first.
  const relations = src.lsns;
  const early = relations && !relations.incremental ? lsnsOrWarning(relations, { procRoot: src.procRoot, processes: [], nsfs: [] }, warnings) : null;
  // The engines' APIs are asked at once, while the table is read; the adapters that look for their
  // daemons in /proc (LXC, nspawn, nested) search this table, not /proc again, once it is read.
  let tableRead = (): void => undefined;
  const enginesPromise = collectEngines(src.engines, new Promise<void>((resolve) => (tableRead = resolve)));
  const table = await tablePromise;
  const holderScan = table.holders;
  publishProcessTable(src.procRoot, table.processes);
  tableRead();
  const mounts = src.cgroupMounts ?? cgroupMountsOf(src.procRoot, warnings);
  const nsfs = nsfsMountsOf(src.procRoot);
  const lsnsPromise = early ?? (relations ? relationsAfter(relations, table, src.procRoot, nsfs, warnings) : Promise.resolve([]));
  // The images are asked for as soon as the engines have answered, while the relations are looked up.
  const imagesPromise = enginesPromise.then((e) => imagesOf(src.engines, e.containers, new ImageInfoCache()));
  const [lsns, engines, holders, images] = await Promise.all([lsnsPromise, enginesPromise, holderScan.result(table.processes), imagesPromise]);
  return assembleSnapshot({
    procRoot: src.procRoot,
    processes: table.processes, tableErrors: table.errors, mounts, nsfs, lsns, engines, warnings, holders,
    rootfs: new RootfsCache({ procRoot: src.procRoot }), images,
    hostname: src.hostname ?? os.hostname(), kernel: src.kernel ?? os.release(),
    collectorUid: src.collectorUid ?? effectiveUid(), takenAt: new Date(),
  });
}
