import { isVanished, type ProcReadError, toProcReadError } from '../procfs/errors';
import { listPids, readProcess, type ProcessRecord } from '../procfs/process';
import type { OpenFiles } from '../procfs/open-files';
import { readProcText } from '../procfs/read';
import { readTaskCounters } from '../procfs/loadavg';
import { parseStat } from '../procfs/stat';
import { sameProcess } from '../procfs/same-process';

/** What one pass of the cache found: the live processes, and failures that lost a whole process. */
export interface CacheTick {
  readonly processes: ProcessRecord[];
  readonly errors: ProcReadError[];
  /** How many processes were new to the cache: new pids, reused pids, execs, or changed in a full pass. */
  readonly readWhole: number;
  /** The new records of this tick (new processes, reused pids, execs, and changes a full pass found). */
  readonly fresh: ProcessRecord[];
}

/**
 * A kernel thread: kthreadd (PID 2) and its children, with no command line. Their comm changes
 * without an exec: a kworker shows the workqueue it runs now ("kworker/0:2-events", then
 * "kworker/0:2-mm_percpu_wq"), many times a second; read whole each time, a few kworkers on
 * screen made every steady tick rerun the discovery passes over all processes. Their new name
 * shows at the next full pass.
 */
function isKernelThread(rec: ProcessRecord): boolean {
  return (rec.pid === 2 || rec.ppid === 2) && rec.cmdline.length === 0;
}

/**
 * Keeps each live process's record, keyed by pid and checked by start time (proc(5) stat field
 * 22): what cannot change for a live process (namespaces, cmdline, cgroup) is read once; each
 * tick reads only stat, and a new pid, a reused pid or an exec (comm changed; not a kernel
 * thread's rename) is read whole.
 * setns(2) without exec is caught by a periodic full pass (`tickWholeWith`).
 */
export class ProcessCache {
  private readonly byPid = new Map<number, ProcessRecord>();
  /** Whether /proc/loadavg may stand in for listing /proc (see tick). */
  private readonly trustCounters: boolean;
  private lastCounters: { readonly threads: number; readonly lastPid: number } | null = null;
  private lastPids: number[] = [];
  private lastListed = new Set<number>();
  private readonly files: OpenFiles | null;

  /**
   * `skipUnchangedListing`: on a steady tick, do not list /proc when /proc/loadavg says no task was
   * created or went away (default: only for /proc itself, whose loadavg speaks for this reader's
   * pid namespace; a procfs mounted from elsewhere is always listed). `files`: where the stat of
   * watched processes stays open between ticks (procfs/open-files.ts).
   */
  constructor(private readonly procRoot: string, opts: { readonly skipUnchangedListing?: boolean; readonly files?: OpenFiles } = {}) {
    this.trustCounters = opts.skipUnchangedListing ?? procRoot === '/proc';
    this.files = opts.files ?? null;
  }

  /**
   * One steady pass over /proc (the slow resync is tickWholeWith). A listed pid already cached is
   * kept as it is, without a syscall, unless it is `watched` (on screen: its stat is read, to see
   * an exec, a reused pid or a new parent) or its parent just vanished (it was reparented).
   * Without `watched`, every cached pid's stat is read.
   */
  tick(watched?: ReadonlySet<number>): CacheTick {
    // Listing /proc costs ~10 ms at 10,000 processes (the kernel walks every pid); reading
    // /proc/loadavg costs microseconds, and its last pid and thread count both stay put only while
    // no task was created and none went away. It is read before listing, so a task created in
    // between moves it for the next tick.
    const counters = this.trustCounters ? readTaskCounters(this.procRoot) : null;
    const unchanged = counters !== null && this.lastCounters !== null
      && counters.lastPid === this.lastCounters.lastPid && counters.threads === this.lastCounters.threads;
    const pids = unchanged ? this.lastPids : listPids(this.procRoot);
    const listed = unchanged ? this.lastListed : new Set(pids);
    this.lastCounters = counters;
    this.lastPids = pids;
    this.lastListed = listed;
    const orphaned = new Set<number>();
    if (watched) {
      for (const pid of this.byPid.keys()) if (!listed.has(pid)) orphaned.add(pid);
    }
    const processes: ProcessRecord[] = [];
    const errors: ProcReadError[] = [];
    let readWhole = 0;
    const fresh: ProcessRecord[] = [];
    for (const pid of pids) {
      const cached = this.byPid.get(pid);
      let rec: ProcessRecord | ProcReadError;
      if (cached && watched && !watched.has(pid) && !orphaned.has(cached.ppid)) {
        rec = cached;
      } else if (cached) {
        const r = this.refresh(cached, watched !== undefined);
        rec = r.rec;
        if (r.whole) {
          readWhole++;
          if (!(rec instanceof Error)) fresh.push(rec);
        }
      } else {
        rec = readProcess(this.procRoot, pid);
        readWhole++;
        if (!(rec instanceof Error)) fresh.push(rec);
      }
      if (rec instanceof Error) {
        if (!isVanished(rec)) errors.push(rec);
        this.byPid.delete(pid);
        continue;
      }
      this.byPid.set(pid, rec);
      processes.push(rec);
    }
    for (const pid of this.byPid.keys()) if (!listed.has(pid)) this.byPid.delete(pid);
    return { processes, errors, readWhole, fresh };
  }

  /**
   * A full pass whose reads are done by `read` (readFullTable: isolens-table on both cores), which
   * must read every process listed after this call began. A process that shows nothing new keeps
   * its record (sameProcess), so nothing downstream is rebuilt; the listing is what `read` found.
   */
  async tickWholeWith(
    read: (adopt: (rec: ProcessRecord) => ProcessRecord) => Promise<{ readonly processes: readonly ProcessRecord[]; readonly errors: readonly ProcReadError[] }>,
  ): Promise<CacheTick> {
    // Read before the listing `read` does, as in tick(): a task created in between moves them for the next tick.
    const counters = this.trustCounters ? readTaskCounters(this.procRoot) : null;
    // Each record is swapped for the cached one as it is built, when the process shows nothing new.
    const got = await read((rec) => {
      const cached = this.byPid.get(rec.pid);
      return cached && sameProcess(cached, rec) ? cached : rec;
    });
    const processes: ProcessRecord[] = [];
    const fresh: ProcessRecord[] = [];
    let readWhole = 0;
    const listed = new Set<number>();
    for (const rec of got.processes) {
      if (this.byPid.get(rec.pid) !== rec) {
        readWhole++;
        fresh.push(rec);
        this.byPid.set(rec.pid, rec);
      }
      processes.push(rec);
      listed.add(rec.pid);
    }
    for (const pid of this.byPid.keys()) if (!listed.has(pid)) this.byPid.delete(pid);
    this.lastCounters = counters;
    this.lastPids = processes.map((p) => p.pid);
    this.lastListed = listed;
    return { processes, errors: got.errors.slice(), readWhole, fresh };
  }

  /** The cached record of a pid, if it is live. */
  get(pid: number): ProcessRecord | undefined {
    return this.byPid.get(pid);
  }

  /**
   * Re-reads stat: the same process keeps its record (ppid updated); another one is read whole.
   * `keep`: a watched process (on screen), whose stat is read every tick: through the kept files.
   */
  private refresh(cached: ProcessRecord, keep: boolean): { rec: ProcessRecord | ProcReadError; whole: boolean } {
    const path = `${this.procRoot}/${cached.pid}/stat`;
    let stat;
    try {
      stat = parseStat(keep && this.files ? this.files.read(path, cached.pid, true) : readProcText(path, cached.pid, true));
    } catch (e) {
      return { rec: toProcReadError(e, cached.pid, path), whole: false };
    }
    if (stat.startTime !== cached.startTime || (stat.comm !== cached.comm && !isKernelThread(cached))) return { rec: readProcess(this.procRoot, cached.pid), whole: true };
    if (stat.ppid === cached.ppid && stat.state === cached.state) return { rec: cached, whole: false };
    return { rec: { ...cached, ppid: stat.ppid, state: stat.state, utime: stat.utime, stime: stat.stime, numThreads: stat.numThreads }, whole: false };
  }
}
