// Engines that run inside a container (docker-in-docker, a kind node's containerd, podman in a
// container), found the way TheDiveO/turtlefinder finds them: at each relist the process table
// is scanned for engine daemons whose mount namespace is not the host's; each is asked through
// the API socket in its own root (/proc/PID/root/run/docker.sock…), and the pids it reports,
// which are pids of its own pid namespace, are translated to host pids through NSpid.
// Read-only: nothing is ever written into a container; the only calls are the engines' GETs.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { EngineKind, EngineStatus } from '../../../shared/model';
import { attributeCgroupPath, type CgroupAttribution } from '../cgroupfs/attribution';
import { parseCgroupFile } from '../procfs/cgroup';
import { parseStatus } from '../procfs/status';
import { CONTAINERD_SOCKETS, ContainerdEngine } from './containerd';
import { DEFAULT_DOCKER_SOCKET, DockerEngine } from './docker';
import { childrenOf, findProcesses, namespaceOf } from './host-tools';
import { PODMAN_ROOT_SOCKET, podmanReason } from './podman';
import type { EngineAdapter, EngineContainer, EngineReport, NestedIn } from './types';

/** The engine daemons looked for (proc(5) comm): dockerd, containerd, `podman system service`. */
export type NestedEngineKind = 'docker' | 'containerd' | 'podman';

/** The engine a process is, from proc(5) /proc/PID/comm and cmdline; null for any other process. */
export function daemonKind(comm: string, cmdline: readonly string[]): NestedEngineKind | null {
  if (comm === 'dockerd') return 'docker';
  if (comm === 'containerd') return 'containerd';
  if (comm === 'podman') {
    const i = cmdline.indexOf('system');
    return i >= 0 && cmdline[i + 1] === 'service' ? 'podman' : null;
  }
  return null;
}

const unixPath = (v: string | undefined): string | null => {
  if (v === undefined || !v.startsWith('unix://')) return null;
  const p = v.slice('unix://'.length);
  return p.startsWith('/') ? p : null;
};

/** The value of a flag given as `-f v`, `-f=v`, `--flag v` or `--flag=v` (every occurrence, in order). */
function flagValues(cmdline: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < cmdline.length; i++) {
    const a = cmdline[i] ?? '';
    for (const n of names) {
      if (a === n && cmdline[i + 1] !== undefined) out.push(cmdline[i + 1] ?? '');
      else if (a.startsWith(`${n}=`)) out.push(a.slice(n.length + 1));
    }
  }
  return out;
}

/**
 * The API sockets to try inside a daemon's root, in order: those its argv names (dockerd(8)
 * -H/--host unix://, containerd(8) -a/--address, podman-system-service(1) URI), then the defaults.
 */
export function daemonSockets(kind: NestedEngineKind, cmdline: readonly string[]): string[] {
  const out: string[] = [];
  if (kind === 'docker') {
    for (const v of flagValues(cmdline, ['-H', '--host'])) {
      const p = unixPath(v);
      if (p !== null) out.push(p);
    }
    out.push('/run/docker.sock', DEFAULT_DOCKER_SOCKET);
  } else if (kind === 'containerd') {
    for (const v of flagValues(cmdline, ['-a', '--address'])) if (v.startsWith('/')) out.push(v);
    out.push(CONTAINERD_SOCKETS[0] ?? '/run/containerd/containerd.sock');
  } else {
    const i = cmdline.indexOf('service');
    for (const v of cmdline.slice(i + 1)) {
      const p = unixPath(v);
      if (p !== null) out.push(p);
    }
    out.push(PODMAN_ROOT_SOCKET);
  }
  return [...new Set(out)];
}

/** The host's mount (or pid…) namespace: that of PID 1 when readable, else of kthreadd (PID 2), always in the initial namespaces (namespaces(7)). */
export function hostNamespace(procRoot: string, link: 'mnt' | 'pid'): number | null {
  return namespaceOf(procRoot, 1, link) ?? namespaceOf(procRoot, 2, link);
}

/** An engine daemon found in a mount namespace other than the host's (mount_namespaces(7)), with its proc(5) status NSpid and cgroup. */
export interface NestedDaemon {
  /** Host pid of the daemon. */
  readonly pid: number;
  readonly kind: NestedEngineKind;
  readonly cmdline: readonly string[];
  readonly mntNs: number;
  /** Its pid namespace (ns/pid inode), null if unreadable. */
  readonly pidNs: number | null;
  /** proc(5) status NSpid, host pid first: its depth is that of the pid namespace its engine reports pids in. */
  readonly nspid: readonly number[];
  /** The container it runs in, as its cgroup path names it (cgroupfs/attribution.ts); null if none. */
  readonly outer: CgroupAttribution | null;
}

const readText = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null; // vanished (ENOENT/ESRCH) or not readable (EACCES)
  }
};

/** The container a process's /proc/PID/cgroup names, trying every hierarchy's path; null if none. */
function outerOf(procRoot: string, pid: number): CgroupAttribution | null {
  const text = readText(`${procRoot}/${pid}/cgroup`);
  if (text === null) return null;
  try {
    for (const e of parseCgroupFile(text)) {
      const a = attributeCgroupPath(e.path);
      if (a !== null) return a;
    }
  } catch {
    // a malformed cgroup file: no outer container known
  }
  return null;
}

function nspidOf(procRoot: string, pid: number): number[] | null {
  const text = readText(`${procRoot}/${pid}/status`);
  if (text === null) return null;
  try {
    const s = parseStatus(text);
    return s.nspid.length > 0 ? [...s.nspid] : [pid];
  } catch {
    return null;
  }
}

/**
 * Finds the engine daemons of proc(5) /proc whose mount namespace differs from the host's
 * (PID 1's, else kthreadd's): one per engine kind and mount namespace (the lowest pid). A
 * containerd beside a dockerd in the same mount namespace is Docker's own and is left out.
 * Nothing is found when the host's mount namespace cannot be read (not root).
 */
export function findNestedDaemons(procRoot: string): NestedDaemon[] {
  const hostMnt = hostNamespace(procRoot, 'mnt');
  if (hostMnt === null) return [];
  const byKey = new Map<string, NestedDaemon>();
  for (const p of findProcesses(procRoot, (comm) => comm === 'dockerd' || comm === 'containerd' || comm === 'podman')) {
    const kind = daemonKind(p.comm, p.cmdline);
    if (kind === null) continue;
    const mntNs = namespaceOf(procRoot, p.pid, 'mnt');
    if (mntNs === null || mntNs === hostMnt) continue;
    const key = `${kind}/${mntNs}`;
    if (byKey.has(key)) continue; // findProcesses sorts by pid: the first is the lowest
    const nspid = nspidOf(procRoot, p.pid);
    if (nspid === null) continue;
    byKey.set(key, { pid: p.pid, kind, cmdline: p.cmdline, mntNs, pidNs: namespaceOf(procRoot, p.pid, 'pid'), nspid, outer: outerOf(procRoot, p.pid) });
  }
  const withDocker = new Set([...byKey.values()].filter((d) => d.kind === 'docker').map((d) => d.mntNs));
  return [...byKey.values()].filter((d) => !(d.kind === 'containerd' && withDocker.has(d.mntNs))).sort((a, b) => a.pid - b.pid);
}

/** What pid translation needs of a process: proc(5) status PPid and NSpid, and its pid namespace (ns/pid). */
export interface PidEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly nspid: readonly number[];
  readonly pidNs: number | null;
}

/**
 * Reads the PidEntry of every process of proc(5) /proc that is not in `skipPidNs` (the host's
 * pid namespace: its processes have a one-level NSpid and can never match a nested pid).
 */
export function readPidEntries(procRoot: string, skipPidNs: number | null): Map<number, PidEntry> {
  const out = new Map<number, PidEntry>();
  let names: string[];
  try {
    names = fs.readdirSync(procRoot);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^[1-9]\d*$/.test(name)) continue;
    const pid = Number(name);
    const pidNs = namespaceOf(procRoot, pid, 'pid');
    if (skipPidNs !== null && pidNs === skipPidNs) continue;
    const text = readText(`${procRoot}/${pid}/status`);
    if (text === null) continue;
    try {
      const st = parseStatus(text);
      out.set(pid, { pid, ppid: st.ppid, nspid: st.nspid.length > 0 ? st.nspid : [pid], pidNs });
    } catch {
      // malformed status: this process cannot be matched
    }
  }
  return out;
}

function pidEntry(procRoot: string, pid: number): PidEntry | null {
  const text = readText(`${procRoot}/${pid}/status`);
  if (text === null) return null;
  try {
    const st = parseStatus(text);
    return { pid, ppid: st.ppid, nspid: st.nspid.length > 0 ? st.nspid : [pid], pidNs: namespaceOf(procRoot, pid, 'pid') };
  } catch {
    return null; // malformed status: this process cannot be matched
  }
}

/** Processes read at most by readPidSubtree before it gives up (the full scan then decides). */
const MAX_SUBTREE = 100_000;

/**
 * Reads the PidEntry of the processes of the daemon's pid namespace and below, cheaply: from
 * the topmost ancestor of the daemon still in its pid namespace (the namespace's init, usually),
 * down through proc(5) /proc/PID/task/TID/children. Processes put into the namespace from outside
 * (setns(2): `docker exec`, nsenter) hang below processes outside it and are not found here.
 * null when the children files are missing (a kernel without CONFIG_PROC_CHILDREN).
 */
export function readPidSubtree(procRoot: string, daemonPid: number): Map<number, PidEntry> | null {
  const out = new Map<number, PidEntry>();
  let top = pidEntry(procRoot, daemonPid);
  if (top === null) return out;
  const depth = top.nspid.length;
  out.set(top.pid, top);
  for (let i = 0; i < MAX_ANCESTRY && top.ppid > 0; i++) {
    const up = pidEntry(procRoot, top.ppid);
    if (up === null || up.nspid.length < depth) break;
    out.set(up.pid, up);
    top = up;
  }
  if (!fs.existsSync(`${procRoot}/${top.pid}/task/${top.pid}/children`)) return null;
  const queue = [top.pid];
  const seen = new Set(queue);
  while (queue.length > 0 && seen.size < MAX_SUBTREE) {
    const pid = queue.shift() ?? 0;
    for (const child of childrenOf(procRoot, pid)) {
      if (seen.has(child)) continue;
      seen.add(child);
      const e = pidEntry(procRoot, child);
      if (e === null) continue;
      out.set(child, e);
      queue.push(child);
    }
  }
  return out;
}

/** The pid namespace an engine reports pids in (pid_namespaces(7)): its daemon's NSpid (depth) and ns/pid inode. */
export interface PidNamespaceRef {
  readonly nspid: readonly number[];
  readonly pidNs: number | null;
}

/** Ancestors followed at most when checking that a process lies in the daemon's pid namespace or below it. */
const MAX_ANCESTRY = 4096;

/**
 * Translates the pids an engine reports (its own pid namespace's, e.g. State.Pid) to host pids
 * (pid_namespaces(7), proc(5) status NSpid). With the daemon's NSpid of length L, the host pid of
 * nsPid is the process whose NSpid[L-1] is nsPid and that lies in the daemon's pid namespace or a
 * descendant of it: it, or an ancestor through PPid before any leaves depth L, is in the daemon's
 * namespace (a parent is always in its child's pid namespace or an ancestor of it). A daemon in
 * the host's pid namespace (L = 1) reports host pids. null: no such process (it exited) or unknown.
 */
export function pidTranslator(daemon: PidNamespaceRef, table: ReadonlyMap<number, PidEntry>): (nsPid: number) => number | null {
  const depth = daemon.nspid.length;
  if (depth <= 1) return (nsPid) => (nsPid > 0 ? nsPid : null);
  const target = daemon.pidNs;
  const byInner = new Map<number, number[]>();
  for (const e of table.values()) {
    const v = e.nspid[depth - 1];
    if (v === undefined) continue;
    const list = byInner.get(v);
    if (list) list.push(e.pid);
    else byInner.set(v, [e.pid]);
  }
  const inside = (start: PidEntry): boolean => {
    let cur: PidEntry | undefined = start;
    for (let i = 0; cur !== undefined && i < MAX_ANCESTRY; i++) {
      if (cur.nspid.length < depth) return false;
      if (cur.pidNs === target) return true;
      cur = cur.ppid > 0 ? table.get(cur.ppid) : undefined;
    }
    return false;
  };
  return (nsPid) => {
    if (target === null) return null;
    const hits = (byInner.get(nsPid) ?? []).filter((pid) => {
      const e = table.get(pid);
      return e !== undefined && inside(e);
    });
    return hits.length === 1 ? (hits[0] ?? null) : null;
  };
}

/** A unix(7) socket inside a container's root, reachable while the fd of its directory stays open (proc(5) /proc/PID/fd). */
export interface HeldSocket {
  /** Its path inside the container, symlinks resolved (e.g. /run/docker.sock for /var/run/docker.sock). */
  readonly path: string;
  /** Open fd of its directory: connect to /proc/<our pid>/fd/<dirFd>/<name>. */
  readonly dirFd: number;
  readonly name: string;
  readonly dev: number;
  readonly ino: number;
  close(): void;
}

/** Symlinks followed before giving up (path_resolution(7) MAXSYMLINKS). */
const MAX_SYMLINKS = 40;

const errno = (e: unknown): string => (typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : 'EIO');

/**
 * Finds the unix socket `sockPath` inside the root directory `root` (e.g. /proc/PID/root) as the
 * container sees it: one component at a time through /proc/self/fd/N/<name>, an absolute symlink
 * restarting at the container's root (never the host's: /var/run -> /run must not reach the
 * host's /run/docker.sock), `..` stopping at the root, each directory opened O_NOFOLLOW and held
 * open. Mounts inside the root (a tmpfs on /run) are crossed. Returns the socket with its
 * directory's fd (the caller closes it), or why not (an errno name and the path).
 */
export function holdSocketInRoot(root: string, sockPath: string): HeldSocket | string {
  let rootFd: number;
  try {
    rootFd = fs.openSync(root, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  } catch (e) {
    const code = errno(e);
    return `${root}: ${code}${code === 'EACCES' || code === 'EPERM' ? ' (reading another process\'s root needs root)' : ''}`;
  }
  const stack: { name: string; fd: number }[] = [];
  const cur = (): number => stack[stack.length - 1]?.fd ?? rootFd;
  const closeStack = (): void => {
    for (const f of stack.splice(0)) fs.closeSync(f.fd);
  };
  let kept: number | null = null;
  let queue = sockPath.split('/').filter((c) => c !== '' && c !== '.');
  let links = 0;
  const fail = (code: string): string => `${sockPath}: ${code}`;
  try {
    while (queue.length > 0) {
      const c = queue.shift() ?? '';
      if (c === '..') {
        const top = stack.pop();
        if (top) fs.closeSync(top.fd);
        continue;
      }
      const at = `/proc/self/fd/${cur()}/${c}`;
      let st: fs.Stats;
      try {
        st = fs.lstatSync(at);
      } catch (e) {
        return fail(errno(e));
      }
      if (st.isSymbolicLink()) {
        if (++links > MAX_SYMLINKS) return fail('ELOOP');
        let target: string;
        try {
          target = fs.readlinkSync(at);
        } catch (e) {
          return fail(errno(e));
        }
        if (target.startsWith('/')) closeStack();
        queue = [...target.split('/').filter((x) => x !== '' && x !== '.'), ...queue];
        continue;
      }
      if (queue.length === 0) {
        if (!st.isSocket()) return fail('not a socket');
        const dirFd = cur();
        kept = dirFd;
        const inside = '/' + [...stack.map((f) => f.name), c].join('/');
        return {
          path: inside, dirFd, name: c, dev: st.dev, ino: st.ino,
          close: () => {
            try {
              fs.closeSync(dirFd);
            } catch {
              // already closed
            }
          },
        };
      }
      if (!st.isDirectory()) return fail('ENOTDIR');
      let fd: number;
      try {
        fd = fs.openSync(at, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
      } catch (e) {
        return fail(errno(e));
      }
      const again = fs.fstatSync(fd);
      if (again.dev !== st.dev || again.ino !== st.ino) {
        fs.closeSync(fd);
        return fail('ESTALE');
      }
      stack.push({ name: c, fd });
    }
    return fail('EISDIR');
  } finally {
    for (const f of stack.splice(0)) if (f.fd !== kept) fs.closeSync(f.fd);
    if (rootFd !== kept) fs.closeSync(rootFd);
  }
}

/** A container of a nested engine (Docker Engine API ContainerInspect or ctr): its pid a host pid, tagged with where its engine runs. */
export type NestedContainer = EngineContainer & { readonly nestedIn: NestedIn };

/** The id the join (discover/containers.ts) knows a cgroup-attributed container by: lxc and nspawn ones as `engine:name`. */
function joinId(a: CgroupAttribution): string {
  return a.engine === 'lxc' || a.engine === 'nspawn' ? `${a.engine}:${a.id}` : a.id;
}

const shortId = (id: string): string => (/^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id);

/** The status name of a nested engine: "docker (inside 6c519d41063f)", or "(inside pid N)" when no container is named. */
export function nestedEngineName(d: Pick<NestedDaemon, 'kind' | 'pid' | 'outer'>): string {
  return `${d.kind} (inside ${d.outer ? shortId(joinId(d.outer)) : `pid ${d.pid}`})`;
}

/** Options of NestedEngines (proc(5) root): where /proc is, the host's own API sockets (never asked twice), time limits, and test hooks. */
export interface NestedEnginesOptions {
  readonly procRoot?: string;
  /** Sockets of the host's engines: a daemon whose socket is one of these is the host's engine seen from another mount namespace. */
  readonly hostSockets?: readonly string[];
  readonly probeTimeoutMs?: number;
  readonly listTimeoutMs?: number;
  /**
   * How long a scan of the whole process table for daemons is reused (default 10 s): relists in
   * between only check that the daemons found are still there. A scan reads every process's comm.
   */
  readonly rescanMs?: number;
  /** How to find daemons (default findNestedDaemons(procRoot)). */
  readonly findDaemons?: () => NestedDaemon[];
  readonly now?: () => number;
}

/** The host sockets (dockerd(8) -H, podman-system-service(1), containerd(8) --address defaults) a nested daemon's socket is compared with. */
export const HOST_ENGINE_SOCKETS: readonly string[] = ['/run/docker.sock', DEFAULT_DOCKER_SOCKET, PODMAN_ROOT_SOCKET, ...CONTAINERD_SOCKETS];

/**
 * Translates one daemon's pids: first through its pid namespace's process subtree (cheap), then,
 * for a pid not found there, through the whole process table (read once per relist, shared).
 */
class DaemonPids {
  private sub: ((nsPid: number) => number | null) | undefined;
  private full: ((nsPid: number) => number | null) | undefined;

  constructor(
    private readonly procRoot: string,
    private readonly daemon: NestedDaemon,
    private readonly wholeTable: () => ReadonlyMap<number, PidEntry>,
  ) {}

  translate(nsPid: number): number | null {
    if (this.daemon.nspid.length <= 1) return nsPid > 0 ? nsPid : null;
    if (this.sub === undefined) {
      const t = readPidSubtree(this.procRoot, this.daemon.pid);
      this.sub = t === null ? () => null : pidTranslator(this.daemon, t);
    }
    const hit = this.sub(nsPid);
    if (hit !== null) return hit;
    this.full ??= pidTranslator(this.daemon, this.wholeTable());
    return this.full(nsPid);
  }
}

/**
 * Engines running inside containers (TheDiveO/turtlefinder's approach): at each relist, the
 * daemons of findNestedDaemons() are asked through the API socket in their own root, each as its
 * own engine with its own status ("docker (inside <outer id>)", endpoint the /proc/PID/root path),
 * in parallel; one failing never hides another. Their containers' pids are translated to host
 * pids and tagged with `nestedIn`, so the join nests them under the container running the engine.
 */
export class NestedEngines implements EngineAdapter {
  readonly kind = 'docker' as const;
  readonly readsProcessTable = true;
  readonly endpoint: string;
  private readonly procRoot: string;
  private readonly hostSockets: readonly string[];
  private readonly probeTimeoutMs: number;
  private readonly listTimeoutMs: number;
  private readonly rescanMs: number;
  private readonly findDaemons: () => NestedDaemon[];
  private readonly now: () => number;
  private scanned: { at: number; daemons: NestedDaemon[] } | null = null;

  constructor(opts: NestedEnginesOptions = {}) {
    this.procRoot = opts.procRoot ?? '/proc';
    this.endpoint = `proc://${this.procRoot}`;
    this.hostSockets = opts.hostSockets ?? HOST_ENGINE_SOCKETS;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 3000;
    this.listTimeoutMs = opts.listTimeoutMs ?? 10_000;
    this.rescanMs = opts.rescanMs ?? 10_000;
    this.findDaemons = opts.findDaemons ?? ((): NestedDaemon[] => findNestedDaemons(this.procRoot));
    this.now = opts.now ?? Date.now;
  }

  /** Always available: it is a scan of /proc; each nested engine found has its own status (collectAll). */
  probe(): Promise<EngineStatus> {
    return Promise.resolve({ name: 'nested engines', available: true, endpoint: this.endpoint, version: null, error: null });
  }

  async listContainers(): Promise<EngineContainer[]> {
    return (await this.collectAll()).flatMap((r) => r.containers);
  }

  /** The daemons: a fresh scan every rescanMs, else the last scan's that still run (same comm and mount namespace). */
  private daemons(): NestedDaemon[] {
    const now = this.now();
    if (this.scanned !== null && now - this.scanned.at < this.rescanMs) {
      return this.scanned.daemons.filter((d) => {
        const comm = readText(`${this.procRoot}/${d.pid}/comm`)?.replace(/\n$/, '') ?? null;
        return comm !== null && daemonKind(comm, d.cmdline) === d.kind && namespaceOf(this.procRoot, d.pid, 'mnt') === d.mntNs;
      });
    }
    const daemons = this.findDaemons();
    this.scanned = { at: now, daemons };
    return daemons;
  }

  /** One report per nested engine found now (none: no report at all); never rejects. */
  async collectAll(): Promise<EngineReport[]> {
    let daemons: NestedDaemon[];
    try {
      daemons = this.daemons();
    } catch {
      return [];
    }
    if (daemons.length === 0) return [];
    const host = this.hostSocketIds();
    let table: Map<number, PidEntry> | null = null;
    const wholeTable = (): Map<number, PidEntry> => (table ??= readPidEntries(this.procRoot, hostNamespace(this.procRoot, 'pid')));
    const reports = await Promise.all(daemons.map((d) => this.report(d, host, new DaemonPids(this.procRoot, d, wholeTable)).catch((e: unknown): EngineReport => ({
      status: { name: nestedEngineName(d), available: false, endpoint: `unix://${this.procRoot}/${d.pid}/root`, version: null, error: e instanceof Error ? e.message : String(e) },
      containers: [],
    }))));
    return reports.filter((r): r is EngineReport => r !== null);
  }

  private hostSocketIds(): Set<string> {
    const out = new Set<string>();
    for (const s of this.hostSockets) {
      try {
        const st = fs.statSync(s);
        if (st.isSocket()) out.add(`${st.dev}:${st.ino}`);
      } catch {
        // not on this host
      }
    }
    return out;
  }

  /** Asks one daemon; null when its socket is one of the host's (the host's own engine, not a nested one). */
  private async report(d: NestedDaemon, hostIds: ReadonlySet<string>, pids: DaemonPids): Promise<EngineReport | null> {
    const name = nestedEngineName(d);
    const root = `${this.procRoot}/${d.pid}/root`;
    const tried: string[] = [];
    let held: HeldSocket | null = null;
    for (const sock of daemonSockets(d.kind, d.cmdline)) {
      const h = holdSocketInRoot(root, sock);
      if (typeof h === 'string') {
        tried.push(h);
        if (h.startsWith(`${root}:`)) break; // the root itself cannot be opened: no socket will be found
        continue;
      }
      if (hostIds.has(`${h.dev}:${h.ino}`)) {
        h.close();
        return null;
      }
      held = h;
      break;
    }
    if (held === null) {
      return { status: { name, available: false, endpoint: `unix://${root}`, version: null, error: `no API socket found in its root (${tried.join('; ')})` }, containers: [] };
    }
    const shown = `${root}${held.path}`;
    // The directory's fd stays open while we talk: the path cannot be redirected by the container meanwhile.
    const viaFd = `/proc/${process.pid}/fd/${held.dirFd}/${held.name}`;
    // HTTP keep-alive pools connections by socket path, and fd numbers are reused: each Docker client
    // gets an agent of its own that keeps no connection, so a pooled connection to another daemon is
    // never taken for this one (and nothing is written anywhere). ctr runs as a child process.
    const connect = viaFd;
    const reword = (s: string): string => {
      const plain = s.split(connect).join(shown);
      return d.kind === 'podman' ? podmanReason(plain) : plain;
    };
    try {
      const engine: EngineAdapter = d.kind === 'containerd'
        ? new ContainerdEngine({ socket: connect, timeoutMs: this.listTimeoutMs })
        : new DockerEngine({ endpoint: `unix://${connect}`, env: {}, probeTimeoutMs: this.probeTimeoutMs, listTimeoutMs: this.listTimeoutMs, agent: new http.Agent({ keepAlive: false }) });
      const probed = await engine.probe();
      const status: EngineStatus = { ...probed, name, endpoint: `unix://${shown}`, error: probed.error === null ? null : reword(probed.error) };
      if (!status.available) return { status, containers: [] };
      let listed: EngineContainer[];
      try {
        listed = await engine.listContainers();
      } catch (e) {
        return { status: { ...status, available: false, error: `listing containers failed: ${reword(e instanceof Error ? e.message : String(e))}` }, containers: [] };
      }
      const nestedIn: NestedIn = { enginePid: d.pid, containerId: d.outer ? joinId(d.outer) : null, engineName: name };
      const kind: EngineKind = d.kind;
      const containers: NestedContainer[] = listed.map((c) => ({ ...c, engine: kind, pid: c.pid === null ? null : pids.translate(c.pid), nestedIn }));
      return { status, containers };
    } finally {
      held.close();
    }
  }
}
