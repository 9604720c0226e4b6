import { EventEmitter } from 'node:events';
import * as os from 'node:os';
import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels, IsolensService, ProcessDetail } from '../../../shared/contract';
import { ServiceError, type CgroupReport, type ViewInterest } from '../../../shared/contract';
import type { LayerAnalysis } from '../../../shared/rootfs';
import { withKeptFiles } from '../cgroupfs/files';
import { readLimits } from '../cgroupfs/limits';
import { DockerEngine } from '../engines/docker';
import { analyzeImageLayers, ImageInfoCache } from '../engines/docker-image';
import { dockerClientFor } from '../engines/dockerode';
import type { SequencedSnapshot } from '../../../shared/delta';
import type { ContainerInfo, EngineStatus, HostFigures, Snapshot } from '../../../shared/model';
import type { UsageSample } from '../../../shared/usage';
import type { CgroupMounts } from '../cgroupfs/mounts';
import { readUsage } from '../cgroupfs/usage';
import { collectEngines, type EngineCollection } from '../engines/collect';
import { publishProcessTable } from '../engines/host-tools';
import type { EngineAdapter } from '../engines/types';
import type { LsnsNamespace } from '../lsns';
import type { NamespaceRelations } from '../relations';
import { readFullTable, type FullReadOptions } from '../discover/full-read';
import type { HolderScanHandle } from '../discover/holders-native';
import type { NamespaceHolderScan } from '../discover/ns-holders';
import { OpenFiles } from '../procfs/open-files';
import { readProcess, type ProcessRecord } from '../procfs/process';
import { attributeProcess } from '../discover/containers';
import type { ImageInfo } from '../../../shared/rootfs';
import type { RootfsSource } from '../rootfs/attach';
import { RootfsCache } from '../rootfs/inspect';
import { assembleSnapshot, cgroupMountsOf, DiscoveryMemo, effectiveUid, imagesOf, lsnsOrWarning, nsfsMountsOf } from '../snapshot';
import type { NsfsMount } from '../discover/nsfs-mounts';
import { diffSnapshots, sameValue } from './diff';
import { fetchHostFigures } from './host-figures';
import { keepShortLivedObjectsYoung } from './heap-flags';
import { ProcessCache } from './process-cache';
import { RingBuffer } from './ring-buffer';
import { toSample, type CpuCounter } from './usage-sampler';

/** How long an engine event waits for the rest of its burst before the tick it asks for (ms). */
export const EVENT_COALESCE_MS = 15;

/** CPU time the service's ticks took (process.cpuUsage while each ran): steady ticks and full passes apart. */
export interface TickCosts {
  steadyTicks: number;
  steadyCpuMs: number;
  fullPasses: number;
  fullPassCpuMs: number;
}

/** How the live service polls; every source can be swapped in tests. */
export interface CollectorServiceOptions {
  readonly procRoot?: string;
  readonly engines: readonly EngineAdapter[];
  /** Where namespace parents and owners come from (isolens-nsinfo per new namespace, or lsns in the background); null to do without. */
  readonly lsns: NamespaceRelations | null;
  /** Poll interval (default 1000 ms). */
  readonly intervalMs?: number;
  /** Full re-read of every process, catching setns(2) without exec (default 30 s). */
  readonly resyncMs?: number;
  /** Usage history kept per container (default 10 minutes). */
  readonly historyMs?: number;
  /** Host figures from systeminformation, refreshed at this slow rate (default 60 s; 0 = never). */
  readonly figuresMs?: number;
  readonly cgroupMounts?: CgroupMounts;
  /** How long a stopped container stays listed as "exited" (default DEPARTED_MS; 0: removed at once). */
  readonly departedMs?: number;
  /** Called for failures that must not stop the loop. */
  readonly log?: (line: string) => void;
  /** How full passes read the table (readFullTable; e.g. minProcesses 0 to use isolens-table at any size). */
  readonly fullRead?: FullReadOptions;
}

const CLK_TCK = 100;

/** How long a stopped container stays listed, marked "exited", before it is removed. */
export const DEPARTED_MS = 5_000;

/** A viewer that has not said what it looks at for this long is forgotten (its page was closed). */
export const VIEW_TTL_MS = 15_000;

/**
 * The collector as a live service (the one implementation of the contract): a poll loop over a
 * process cache, engine events that trigger an immediate relist and tick, cgroup usage per
 * container with a ring buffer of history, and keyed deltas pushed to subscribers.
 */
export class CollectorService implements IsolensService {
  private readonly procRoot: string;
  private readonly intervalMs: number;
  private readonly resyncMs: number;
  private readonly figuresMs: number;
  private readonly historyLength: number;
  private readonly cache: ProcessCache;
  private readonly events = new EventEmitter();
  private readonly log: (line: string) => void;

  private mounts: CgroupMounts | null = null;
  private state: SequencedSnapshot | null = null;
  private engines: EngineCollection = { statuses: [], containers: [], warnings: [] };
  /** Each engine's last answer: an event relists only the engine it came from. */
  private readonly perEngine = new Map<EngineAdapter, EngineCollection>();
  /** Parent and owner of every namespace seen, by id; rebuilt on each full pass. */
  private relations = new Map<number, LsnsNamespace>();
  /** `relations` as a list, rebuilt only when they change (null: to rebuild). */
  private relationList: LsnsNamespace[] | null = null;
  /** The nsfs bind mounts of the last tick (the same array while the mount table is unchanged). */
  private lastNsfs: readonly NsfsMount[] | null = null;
  /** The discovery passes of the last tick, reused while the process table holds the same records. */
  private readonly memo = new DiscoveryMemo();
  private lsnsWarnings: string[] = [];
  private mountWarnings: string[] = [];
  private lsnsRunning = false;
  private lsnsAt = 0;
  private figures: HostFigures | null = null;
  private readonly history = new Map<string, RingBuffer<UsageSample>>();
  private readonly counters = new Map<string, CpuCounter>();
  private timer: NodeJS.Timeout | null = null;
  private figuresTimer: NodeJS.Timeout | null = null;
  private eventTimer: NodeJS.Timeout | null = null;
  /** The one timer that removes departed containers on time, and when it fires. */
  private departedTimer: { at: number; timer: NodeJS.Timeout } | null = null;
  private unwatch: (() => void)[] = [];
  private running = false;
  private ticking: Promise<void> | null = null;
  private again = false;
  /** Engines to ask again at the next tick (their event stream said something changed). */
  private readonly dirtyEngines = new Set<EngineAdapter>();
  private readonly cost: TickCosts = { steadyTicks: 0, steadyCpuMs: 0, fullPasses: 0, fullPassCpuMs: 0 };
  /** The cgroup files of the containers and the stat of the processes on screen, read every tick: kept open (procfs/open-files.ts). */
  private readonly keptFiles = new OpenFiles();
  private lastResync = 0;
  private holders: NamespaceHolderScan | null = null;
  private readonly departed = new Map<string, { info: ContainerInfo; until: number }>();
  private readonly views = new Map<string, { pids: Set<number>; containerId: string | null; at: number }>();
  private readonly cgroupCounters = new Map<string, CpuCounter>();
  private readonly imageCache = new ImageInfoCache();
  private images: ReadonlyMap<string, ImageInfo> = new Map();
  private readonly rootfs: RootfsCache;
  /** Rootfs walks wait until after the tick that found the container (up to 200 ms each): it appears first, its rootfs a tick later. */
  private readonly rootfsQueue = new Map<string, number>();
  private readonly deferredRootfs: RootfsSource = {
    get: (id, pid) => {
      const hit = this.rootfs.peek(id, pid);
      if (hit === undefined) this.queueRootfs(id, pid);
      return hit;
    },
  };

  constructor(private readonly opts: CollectorServiceOptions) {
    this.procRoot = opts.procRoot ?? '/proc';
    this.intervalMs = opts.intervalMs ?? 1000;
    this.resyncMs = opts.resyncMs ?? 30_000;
    this.figuresMs = opts.figuresMs ?? 60_000;
    this.historyLength = Math.max(1, Math.ceil((opts.historyMs ?? 600_000) / this.intervalMs));
    this.cache = new ProcessCache(this.procRoot, { files: this.keptFiles });
    this.rootfs = new RootfsCache({ procRoot: this.procRoot, ttlMs: Number.POSITIVE_INFINITY });
    this.log = opts.log ?? ((line) => process.stderr.write(`isolens: ${line}\n`));
  }

  /** Takes the first snapshot, then polls and follows engine events until stop(). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    keepShortLivedObjectsYoung();
    const warnings: string[] = [];
    this.mounts = this.opts.cgroupMounts ?? cgroupMountsOf(this.procRoot, warnings);
    this.mountWarnings = warnings;
    await this.tick(true); // lists the engines too
    for (const e of this.opts.engines) {
      if (!e.watch) continue;
      this.unwatch.push(e.watch({
        changed: () => this.engineChanged(e),
        state: () => this.engineChanged(e),
      }));
    }
    if (this.figuresMs > 0) this.refreshFigures();
    this.schedule();
  }

  /** Stops polling and every engine stream; no timers are left. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.figuresTimer) clearTimeout(this.figuresTimer);
    if (this.eventTimer) clearTimeout(this.eventTimer);
    if (this.departedTimer) clearTimeout(this.departedTimer.timer);
    this.departedTimer = null;
    this.timer = this.figuresTimer = this.eventTimer = null;
    for (const u of this.unwatch.splice(0)) u();
    await this.ticking;
    this.keptFiles.closeAll();
  }

  on<E extends EventChannel>(event: E, listener: (payload: EventChannels[E]) => void): () => void {
    const l = listener as (payload: unknown) => void;
    this.events.on(event, l);
    return () => this.events.off(event, l);
  }

  async invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<InvokeChannels[C]['result']> {
    type R = InvokeChannels[C]['result'];
    switch (channel) {
      case 'snapshot:get':
        return this.current() as R;
      case 'history:get':
        return this.historyOf(String(args[0])) as R;
      case 'process:get':
        return this.processDetail(Number(args[0])) as R;
      case 'session:get':
        return { mode: 'live' } as R;
      case 'playback:control':
        throw new ServiceError('BAD_REQUEST', 'live mode has no playback: serve a recording (isolens serve --recording FILE) to play one');
      case 'view:set':
        this.setView(String(args[0]), args[1] as ViewInterest);
        return null as R;
      case 'cgroup:get':
        return this.cgroupReport(Number(args[0])) as R;
      case 'image:analyze':
        return (await this.analyzeImage(String(args[0]))) as R;
      default:
        throw new ServiceError('BAD_REQUEST', `unknown channel ${String(channel)}`);
    }
  }

  /** The current state; throws UNAVAILABLE before the first tick. */
  current(): SequencedSnapshot {
    if (!this.state) throw new ServiceError('UNAVAILABLE', 'the collector has not taken its first snapshot yet');
    return this.state;
  }

  /** A container's usage samples, oldest first. */
  historyOf(containerId: string): UsageSample[] {
    const h = this.history.get(containerId);
    if (!h) {
      if (this.state?.snapshot.containers.some((c) => c.id === containerId)) return [];
      throw new ServiceError('NOT_FOUND', `no container ${containerId}`);
    }
    return h.toArray();
  }

  /** What moves in one process, read now from /proc. */
  processDetail(pid: number): ProcessDetail {
    const rec = readProcess(this.procRoot, pid);
    if (rec instanceof Error) throw new ServiceError(rec.code === 'ENOENT' || rec.code === 'ESRCH' ? 'NOT_FOUND' : 'INTERNAL', rec.message);
    const info = this.state?.snapshot.processes.find((p) => p.pid === pid && p.startTime === rec.startTime);
    return {
      process: info ?? {
        pid: rec.pid, ppid: rec.ppid, comm: rec.comm, cmdline: rec.cmdline, uid: rec.uid, startTime: rec.startTime,
        nspid: rec.nspid, namespaces: rec.namespaces, cgroup: rec.cgroup, containerId: null,
      },
      state: rec.state,
      cpuMs: ((rec.utime + rec.stime) * 1000) / CLK_TCK,
      threads: rec.numThreads,
      rssBytes: rec.status?.vmRss === null || rec.status?.vmRss === undefined ? null : rec.status.vmRss * 1024,
    };
  }

  /** Runs one tick now and resolves when it is done (for the benchmark and tests). */
  tickNow(): Promise<void> {
    return this.tick(false);
  }

  /** Asks for a tick now (engine event); coalesced with one already running. */
  requestTick(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.tick(false).then(() => this.schedule());
  }

  /** Records what a viewer has on screen; views not renewed within VIEW_TTL_MS are forgotten. */
  setView(viewerId: string, view: ViewInterest): void {
    this.views.set(viewerId, { pids: new Set(view.pids), containerId: view.containerId, at: Date.now() });
    if (this.views.size > 64) {
      const oldest = [...this.views.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (oldest) this.views.delete(oldest[0]);
    }
  }

  /** The processes whose stat is read each tick: those on a viewer's screen and the selected containers' members. */
  private watchedPids(now: number): Set<number> {
    const watched = new Set<number>();
    const containers = new Map((this.state?.snapshot.containers ?? []).map((c) => [c.id, c]));
    for (const [id, v] of this.views) {
      if (now - v.at > VIEW_TTL_MS) {
        this.views.delete(id);
        continue;
      }
      for (const p of v.pids) watched.add(p);
      const c = v.containerId === null ? undefined : containers.get(v.containerId);
      if (c) for (const p of c.pids) watched.add(p);
    }
    return watched;
  }

  /** Usage and limits of the cgroup a process is in, read now. */
  cgroupReport(pid: number): CgroupReport {
    const rec = this.cache.get(pid) ?? readProcess(this.procRoot, pid);
    if (rec instanceof Error) throw new ServiceError(rec.code === 'ENOENT' || rec.code === 'ESRCH' ? 'NOT_FOUND' : 'INTERNAL', rec.message);
    const mounts = this.mounts ?? { v2: null, v1: new Map() };
    const key = `cgroup:${rec.cgroup ?? pid}`;
    const { sample, counter } = toSample(readUsage(mounts, rec.cgroups), Date.now(), this.cgroupCounters.get(key));
    if (counter) this.cgroupCounters.set(key, counter);
    if (this.cgroupCounters.size > 256) this.cgroupCounters.delete(this.cgroupCounters.keys().next().value ?? key);
    return { pid, path: rec.cgroup, limits: readLimits(mounts, rec.cgroups), usage: sample };
  }

  /** dive's layer view of a running container's image (reads `docker save`: on demand only). */
  async analyzeImage(containerId: string): Promise<LayerAnalysis> {
    const c = this.engines.containers.find((x) => x.id === containerId);
    if (!c || c.engine !== 'docker' || !c.imageId) throw new ServiceError('NOT_FOUND', `no running Docker container ${containerId} with an image`);
    const docker = this.opts.engines.find((e): e is DockerEngine => e instanceof DockerEngine);
    const client = docker ? dockerClientFor(docker.target) : null;
    if (!client) throw new ServiceError('UNAVAILABLE', 'Docker is not reachable');
    return analyzeImageLayers(client, c.imageId);
  }

  /**
   * A container that stopped stays listed for DEPARTED_MS with state "exited" and no processes,
   * so a viewer sees it go (marked, then removed) instead of it vanishing between two frames.
   */
  private withDeparted(next: Snapshot, prev: Snapshot | undefined, now: number): Snapshot {
    const live = new Set(next.containers.map((c) => c.id));
    for (const c of prev?.containers ?? []) {
      if (!live.has(c.id) && c.engine !== 'none' && !this.departed.has(c.id)) {
        this.departed.set(c.id, { info: { ...c, state: 'exited', pid: null, pids: [] }, until: now + (this.opts.departedMs ?? DEPARTED_MS) });
      }
    }
    const kept: ContainerInfo[] = [];
    for (const [id, d] of this.departed) {
      if (live.has(id) || now >= d.until) this.departed.delete(id);
      else kept.push(d.info);
    }
    if (kept.length === 0) return next;
    // Remove them on time even when the poll interval is long: one timer, for the earliest.
    const due = Math.min(...[...this.departed.values()].map((d) => d.until));
    if (this.departedTimer === null || this.departedTimer.at > due) {
      if (this.departedTimer) clearTimeout(this.departedTimer.timer);
      const timer = setTimeout(() => {
        this.departedTimer = null;
        this.requestTick();
      }, Math.max(10, due - now + 10));
      timer.unref?.();
      this.departedTimer = { at: due, timer };
    }
    return { ...next, containers: [...next.containers, ...kept] };
  }

  /**
   * Asks these engines again (in parallel, each on its own: one failing never hides another) and
   * keeps the others' last answers; tells subscribers when an engine came up or went down. An
   * unchanged answer keeps the old container list, so the discovery passes are not run again.
   */
  private async relistEngines(which: readonly EngineAdapter[]): Promise<void> {
    const before = this.engines;
    const answers = await Promise.all(which.map((e) => collectEngines([e])));
    which.forEach((e, i) => {
      const a = answers[i];
      if (a) this.perEngine.set(e, a);
    });
    const parts = this.opts.engines.map((e) => this.perEngine.get(e)).filter((x): x is EngineCollection => x !== undefined);
    const containers = parts.flatMap((x) => x.containers);
    this.engines = {
      statuses: parts.flatMap((x) => x.statuses),
      containers: sameValue(containers, before.containers) ? before.containers : containers,
      warnings: parts.flatMap((x) => x.warnings),
    };
    if (!sameStatuses(before.statuses, this.engines.statuses)) this.events.emit('engines', this.engines.statuses);
    if (this.engines.containers !== before.containers) this.images = await imagesOf(this.opts.engines, this.engines.containers, this.imageCache);
  }

  /** The engines that run a container fresh processes belong to but that they have not listed (available ones, or one that reads its own files). */
  private enginesOfUnlisted(fresh: readonly ProcessRecord[]): EngineAdapter[] {
    if (fresh.length === 0) return [];
    const listed = new Set(this.engines.containers.map((c) => c.id));
    const kinds = new Set<string>();
    for (const p of fresh) {
      const a = attributeProcess(p);
      if (a !== null && !listed.has(a.id)) kinds.add(a.engine);
    }
    if (kinds.size === 0) return [];
    return this.opts.engines.filter((e) => kinds.has(e.kind) && (e.listFromDisk !== undefined || this.perEngine.get(e)?.statuses.some((st) => st.available) === true));
  }

  private queueRootfs(id: string, pid: number): void {
    if (this.rootfsQueue.has(id)) return;
    this.rootfsQueue.set(id, pid);
    if (this.rootfsQueue.size === 1) setImmediate(() => this.walkNextRootfs());
  }

  /**
   * Walks one queued rootfs (up to its 200 ms budget: a distribution's userland takes ~80 ms here),
   * then yields, so that ticks and viewers' requests run between the walks of a host's many
   * containers rather than after all of them.
   */
  private walkNextRootfs(): void {
    const next = this.rootfsQueue.entries().next();
    if (next.done === true || !this.running) {
      this.rootfsQueue.clear();
      return;
    }
    const [cid, cpid] = next.value;
    this.rootfs.get(cid, cpid);
    this.rootfsQueue.delete(cid);
    if (this.rootfsQueue.size > 0) {
      setImmediate(() => this.walkNextRootfs());
      return;
    }
    // A tick under way is awaiting something (engines, the holder scan) and has not assembled its
    // snapshot yet (nothing is awaited after that): it shows these. Asking for another tick then
    // would keep a full pass from settling while new containers keep appearing.
    if (!this.ticking) this.requestTick();
  }

  /**
   * An engine said something changed. Its events come in bursts (create + start; kill + die +
   * stop + destroy, within a few milliseconds): the tick waits EVENT_COALESCE_MS for the rest of
   * the burst, so one burst costs one relist and one tick, not four.
   */
  private engineChanged(engine: EngineAdapter): void {
    this.dirtyEngines.add(engine);
    if (this.eventTimer !== null) return;
    this.eventTimer = setTimeout(() => {
      this.eventTimer = null;
      this.requestTick();
    }, EVENT_COALESCE_MS);
    this.eventTimer.unref?.();
  }

  private schedule(): void {
    if (!this.running || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick(false).then(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref?.();
  }

  private tick(forceWhole: boolean): Promise<void> {
    if (this.ticking) {
      this.again = true;
      return this.ticking;
    }
    this.ticking = (async () => {
      do {
        this.again = false;
        try {
          const cpu0 = process.cpuUsage();
          const whole = await this.tickOnce(forceWhole);
          const used = process.cpuUsage(cpu0);
          const ms = (used.user + used.system) / 1000;
          if (whole) {
            this.cost.fullPasses++;
            this.cost.fullPassCpuMs += ms;
          } else {
            this.cost.steadyTicks++;
            this.cost.steadyCpuMs += ms;
          }
        } catch (e) {
          this.log(`tick failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        }
        forceWhole = false;
      } while (this.again && this.running);
    })().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  /** Runs one tick; resolves whether it was a full pass. */
  private async tickOnce(forceWhole: boolean): Promise<boolean> {
    const now = Date.now();
    const whole = forceWhole || now - this.lastResync >= this.resyncMs;
    if (whole) this.lastResync = now;
    // Holders (fds, threads, other mount namespaces' bind mounts) cost a scan of every fd: only on
    // full passes, read with the table (readFullTable: isolens-table on both cores, or Node's read
    // beside isolens-holders).
    const pass: { holders: HolderScanHandle | null } = { holders: null };
    const table = whole
      ? await this.cache.tickWholeWith(async (adopt) => {
          const full = await readFullTable(this.procRoot, { warn: this.log, nodeThreads: 1, ...this.opts.fullRead, adopt });
          pass.holders = full.holders;
          return full;
        })
      : this.cache.tick(this.watchedPids(now));
    // Adapters that look for their daemons in /proc (LXC, nspawn, nested engines) search this table.
    publishProcessTable(this.procRoot, table.processes);
    if (whole) {
      this.dirtyEngines.clear();
      await this.relistEngines(this.opts.engines);
    } else {
      // A new process in a container its engine has not listed yet (the start event is on its
      // way, or the engine has no events): ask that engine now, so the container appears with
      // its name and image, not as a bare id.
      for (const e of this.enginesOfUnlisted(table.fresh)) this.dirtyEngines.add(e);
      if (this.dirtyEngines.size > 0) {
        const which = [...this.dirtyEngines];
        this.dirtyEngines.clear();
        await this.relistEngines(which);
      }
    }
    const nsfs = nsfsMountsOf(this.procRoot);
    const provider = this.opts.lsns;
    // Namespaces can only be new where a process was read whole or the bind mounts changed.
    if (provider?.incremental && (whole || table.fresh.length > 0 || nsfs !== this.lastNsfs || this.relationList === null)) {
      // A few syscalls per namespace not seen before: done inline, so a new container's namespaces arrive with their parents.
      if (whole) this.relations = new Map();
      const warnings: string[] = [];
      const found = await lsnsOrWarning(provider, { procRoot: this.procRoot, processes: table.processes, nsfs, known: new Set(this.relations.keys()) }, warnings);
      for (const r of found) this.relations.set(r.ns, r);
      if (whole || found.length > 0) this.relationList = null;
      this.lsnsWarnings = warnings;
    } else if (provider && whole && this.state) {
      void this.refreshLsns();
    }
    if (pass.holders) this.holders = await pass.holders.result(table.processes);
    const mounts = this.mounts ?? { v2: null, v1: new Map() };
    const snapshot = assembleSnapshot({
      procRoot: this.procRoot, processes: table.processes, tableErrors: table.errors, mounts, nsfs, lsns: this.relationsList(),
      engines: this.engines, warnings: [...this.mountWarnings, ...this.lsnsWarnings], hostname: os.hostname(), kernel: os.release(),
      collectorUid: effectiveUid(), takenAt: new Date(now), figures: this.figures, holders: this.holders,
      rootfs: this.deferredRootfs, images: this.images, memo: this.memo, keptFiles: this.keptFiles,
    });
    this.lastNsfs = nsfs;
    // Forget the rootfs of containers that are gone: every container on screen is kept, also those
    // no engine lists (found by cgroup path), or each full pass would walk them again.
    this.rootfs.prune(snapshot.containers.map((c) => c.id));
    if (provider && !provider.incremental && !this.lsnsRunning && now - this.lsnsAt > 2000) {
      if (snapshot.namespaces.some((n) => !this.relations.has(n.id) && n.pids.length > 0)) void this.refreshLsns();
    }
    const usage = withKeptFiles(this.keptFiles, () => this.sampleUsage(snapshot));
    // Files not read this tick nor the one before (a container gone, a row scrolled away) are closed.
    this.keptFiles.sweep();
    const prev = this.state;
    const seq = (prev?.seq ?? 0) + 1;
    const shown = this.withDeparted(snapshot, prev?.snapshot, now);
    this.state = { seq, snapshot: shown, usage };
    if (prev) this.events.emit('delta', diffSnapshots(prev.snapshot, shown, seq, usage));
    return whole;
  }

  /** What the ticks have cost so far (CPU time of this process while each ran), steady ticks apart from full passes. */
  costs(): TickCosts {
    return { ...this.cost };
  }

  /** The relations as a list: the same array until they change, so the discovery memo can compare it by identity. */
  private relationsList(): LsnsNamespace[] {
    this.relationList ??= [...this.relations.values()];
    return this.relationList;
  }

  private sampleUsage(snapshot: Snapshot): Record<string, UsageSample> {
    const usage: Record<string, UsageSample> = {};
    const live = new Set<string>();
    const mounts = this.mounts;
    for (const c of snapshot.containers) {
      live.add(c.id);
      if (c.engine === 'none' || c.pid === null || !mounts) continue;
      const init = this.cache.get(c.pid);
      if (!init) continue;
      const raw = readUsage(mounts, init.cgroups);
      // The time of this very read: CPU time over wall time must use the moment the counter was read.
      const { sample, counter } = toSample(raw, Date.now(), this.counters.get(c.id), this.history.get(c.id)?.last());
      if (counter) this.counters.set(c.id, counter);
      let h = this.history.get(c.id);
      if (!h) {
        h = new RingBuffer<UsageSample>(this.historyLength);
        this.history.set(c.id, h);
      }
      h.push(sample);
      usage[c.id] = sample;
    }
    for (const id of [...this.history.keys()]) {
      if (!live.has(id)) {
        this.history.delete(id);
        this.counters.delete(id);
      }
    }
    return usage;
  }

  /** lsns(8) scans every process: run in the background, its result used from the next tick on. */
  private async refreshLsns(): Promise<void> {
    const run = this.opts.lsns;
    if (!run || this.lsnsRunning) return;
    this.lsnsRunning = true;
    try {
      const warnings: string[] = [];
      const all = await lsnsOrWarning(run, { procRoot: this.procRoot, processes: [], nsfs: [] }, warnings);
      this.relations = new Map(all.map((r) => [r.ns, r]));
      this.relationList = null;
      this.lsnsWarnings = warnings;
      this.lsnsAt = Date.now();
    } finally {
      this.lsnsRunning = false;
    }
  }

  private refreshFigures(): void {
    fetchHostFigures().then(
      (f) => {
        this.figures = f;
      },
      (e: unknown) => this.log(`host figures unavailable: ${e instanceof Error ? e.message : String(e)}`),
    ).finally(() => {
      if (!this.running) return;
      this.figuresTimer = setTimeout(() => this.refreshFigures(), this.figuresMs);
      this.figuresTimer.unref?.();
    });
  }
}

function sameStatuses(a: readonly EngineStatus[], b: readonly EngineStatus[]): boolean {
  return a.length === b.length && a.every((x, i) => x.available === b[i]?.available && x.error === b[i]?.error && x.version === b[i]?.version);
}
