import * as fs from 'node:fs';
import type { NamespaceHolder, NamespaceInfo } from '../../../shared/model';
import type { NamespaceId, NamespaceKind } from '../../../shared/namespaces';
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import { parseNsLink } from '../procfs/ns';
import type { ProcessRecord } from '../procfs/process';
import { parseNsfsMounts } from './nsfs-mounts';

/** A namespace a holder names, by kind and inode (namespaces(7) "The /proc/[pid]/ns/ directory"). */
export interface HeldNamespace {
  readonly id: NamespaceId;
  readonly type: NamespaceKind;
}

/** What findNamespaceHolders found: who holds each namespace, and the namespaces no process is a member of. */
export interface NamespaceHolderScan {
  /** Every fd, thread and nsfs bind mount that holds a namespace, keyed by its inode. */
  readonly holders: Map<NamespaceId, NamespaceHolder[]>;
  /** Namespaces found only through a holder: no process's /proc/PID/ns link (nor pid_for_children) names them. */
  readonly extra: HeldNamespace[];
  /** Time the scan took, in milliseconds. */
  readonly elapsedMs: number;
  /** Who read the fds and threads: the isolens-holders helper, or the JS scan (startHolderScan). */
  readonly source?: 'isolens-holders' | 'isolens-table' | 'js';
}

/** Which holders to look for: fd scanning reads every fd link of every process, the costliest part. */
export interface NamespaceHolderOptions {
  /** Read /proc/PID/fd/* links (default true). */
  readonly fds?: boolean;
  /** Read /proc/PID/task/TID/ns/* of multi-threaded processes (default true). */
  readonly tasks?: boolean;
  /** Read /proc/PID/mountinfo of one process per mount namespace (default true). */
  readonly mounts?: boolean;
}

const KINDS: ReadonlySet<string> = new Set(NAMESPACE_KINDS);
const DIGITS = /^\d{1,10}$/;

/**
 * Parses the target of an fd or ns link that names a namespace (namespaces(7): `net:[4026532254]`);
 * null for anything else (`socket:[…]`, `pipe:[…]`, `anon_inode:[eventpoll]`, a path).
 */
export function parseNamespaceTarget(target: string): HeldNamespace | null {
  const link = parseNsLink(target);
  return link !== null && KINDS.has(link.type) ? { id: link.inode, type: link.type as NamespaceKind } : null;
}

/** The ns links read for each thread: pid_for_children names a 'pid' namespace (namespaces(7)). */
const TASK_LINKS: readonly { readonly link: string; readonly kind: NamespaceKind }[] = [
  { link: 'cgroup', kind: 'cgroup' }, { link: 'ipc', kind: 'ipc' }, { link: 'mnt', kind: 'mnt' }, { link: 'net', kind: 'net' },
  { link: 'pid_for_children', kind: 'pid' }, { link: 'time', kind: 'time' }, { link: 'user', kind: 'user' }, { link: 'uts', kind: 'uts' },
];

function readdir(path: string): string[] {
  try {
    return fs.readdirSync(path);
  } catch {
    return []; // ENOENT (vanished), EACCES (not ours): nothing to see
  }
}

function readlink(path: string): string | null {
  try {
    return fs.readlinkSync(path);
  } catch {
    return null;
  }
}

function readText(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Kernel threads hold no fds and never setns(2) a single thread. */
const isKernelThread = (p: ProcessRecord): boolean => p.pid === 2 || p.ppid === 2;

/** The namespace of this thread-group leader for a task link (pid_for_children is the one a thread can change). */
function leaderNamespace(p: ProcessRecord, link: string): NamespaceId | null {
  switch (link) {
    case 'pid_for_children': return p.namespaces.pid_for_children;
    case 'cgroup': return p.namespaces.cgroup;
    case 'ipc': return p.namespaces.ipc;
    case 'mnt': return p.namespaces.mnt;
    case 'net': return p.namespaces.net;
    case 'time': return p.namespaces.time;
    case 'user': return p.namespaces.user;
    case 'uts': return p.namespaces.uts;
    default: return null;
  }
}

/** A holder the fd or thread scan found, with the namespace it names (namespaces(7) "Namespace lifetime"). */
export interface FoundHolder {
  readonly ns: HeldNamespace;
  readonly holder: NamespaceHolder;
}

/** Processes that may hold namespaces by fd or thread: all but kernel threads. */
export const holderCandidates = (processes: readonly ProcessRecord[]): ProcessRecord[] => processes.filter((p) => !isKernelThread(p));

/** proc(5) /proc/PID/fd/*: every fd whose link names a namespace. */
function scanFds(procRoot: string, users: readonly ProcessRecord[], found: FoundHolder[]): void {
  for (const p of users) {
    const dir = `${procRoot}/${p.pid}/fd/`;
    for (const name of readdir(dir)) {
      if (!DIGITS.test(name)) continue;
      const fd = Number(name);
      const target = readlink(dir + name);
      // Most fds are files, sockets and pipes: test the first byte before the regular expression.
      if (target === null || target.charCodeAt(0) === 47 /* '/' */) continue;
      const ns = parseNamespaceTarget(target);
      if (ns) found.push({ ns, holder: { pid: p.pid, via: 'fd', fd } });
    }
  }
}

/** proc(5) /proc/PID/task/TID/ns/*: every thread link that differs from its leader's. */
function scanTasks(procRoot: string, users: readonly ProcessRecord[], found: FoundHolder[]): void {
  for (const p of users) {
    if (p.numThreads < 2) continue;
    const taskDir = `${procRoot}/${p.pid}/task/`;
    for (const tidName of readdir(taskDir)) {
      const tid = Number(tidName);
      if (!DIGITS.test(tidName) || tid === p.pid) continue;
      for (const { link, kind } of TASK_LINKS) {
        const leader = leaderNamespace(p, link);
        const target = readlink(`${taskDir}${tidName}/ns/${link}`);
        if (target === null) continue;
        const ns = parseNamespaceTarget(target);
        if (ns === null || ns.type !== kind || ns.id === leader) continue;
        found.push({ ns, holder: { pid: p.pid, via: 'task', tid } });
      }
    }
  }
}

/**
 * Finds what keeps namespaces alive besides their member processes (namespaces(7) "Namespace
 * lifetime"): an open file descriptor (/proc/PID/fd/N reads `net:[…]`), a thread whose
 * /proc/PID/task/TID/ns/X differs from its thread-group leader's (setns(2)/unshare(2) in one
 * thread), and nsfs bind mounts (`ip netns add`), read from /proc/PID/mountinfo of one process per
 * mount namespace so mounts inside containers are seen too (paths are as that mount namespace sees
 * them). Vanished or unreadable processes are skipped silently.
 */
export function findNamespaceHolders(
  procRoot: string,
  processes: readonly ProcessRecord[],
  opts: NamespaceHolderOptions = {},
): NamespaceHolderScan {
  const started = process.hrtime.bigint();
  const users = holderCandidates(processes);
  const found: FoundHolder[] = [];
  if (opts.fds !== false) scanFds(procRoot, users, found);
  if (opts.tasks !== false) scanTasks(procRoot, users, found);
  return completeHolderScan(procRoot, processes, found, opts.mounts !== false, started);
}

/**
 * The rest of a holder scan once the fd and thread holders are known (from the JS scan or the
 * isolens-holders helper): nsfs bind mounts per mount namespace (namespaces(7), proc(5)
 * /proc/PID/mountinfo), then the namespaces only holders name. `started` (process.hrtime.bigint())
 * is when the scan began, for elapsedMs.
 */
export function completeHolderScan(
  procRoot: string,
  processes: readonly ProcessRecord[],
  found: readonly FoundHolder[],
  mounts: boolean,
  started: bigint,
): NamespaceHolderScan {
  const holders = new Map<NamespaceId, NamespaceHolder[]>();
  const types = new Map<NamespaceId, NamespaceKind>();
  const add = (ns: HeldNamespace, h: NamespaceHolder): void => {
    types.set(ns.id, ns.type);
    const list = holders.get(ns.id);
    if (list) list.push(h);
    else holders.set(ns.id, [h]);
  };
  for (const f of found) add(f.ns, f.holder);

  if (mounts) {
    // One reader per mount namespace; PID 1's (the host's) first, so a mount propagated into other
    // namespaces is credited to the host path. The same (namespace, path) is counted once.
    const seenMnt = new Set<NamespaceId>();
    const seenPath = new Set<string>();
    const order = holderCandidates(processes).sort((a, b) => (a.pid === 1 ? -1 : b.pid === 1 ? 1 : a.pid - b.pid));
    for (const p of order) {
      const mnt = p.namespaces.mnt;
      // PID 1's mountinfo is read even when its ns links are not (some init systems hide them).
      if ((mnt === null && p.pid !== 1) || (mnt !== null && seenMnt.has(mnt))) continue;
      const text = readText(`${procRoot}/${p.pid}/mountinfo`);
      if (text === '') continue; // vanished or unreadable: try the next member of that namespace
      if (mnt !== null) seenMnt.add(mnt);
      for (const m of parseNsfsMounts(text)) {
        const key = `${m.id} ${m.path}`;
        if (seenPath.has(key)) continue;
        seenPath.add(key);
        add(m, { pid: p.pid, via: 'bind-mount', path: m.path });
      }
    }
  }

  const members = new Set<NamespaceId>();
  for (const p of processes) {
    for (const id of Object.values(p.namespaces)) if (id !== null) members.add(id);
  }
  const extra: HeldNamespace[] = [];
  for (const [id, type] of types) if (!members.has(id)) extra.push({ id, type });
  extra.sort((a, b) => a.type.localeCompare(b.type) || a.id - b.id);
  return { holders, extra, elapsedMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

/**
 * Adds a scan's holders to a namespace list (discoverNamespaces' output) and appends the namespaces
 * only holders keep alive (no member process, not the host's; path from a bind mount if any).
 */
export function withHolders(namespaces: readonly NamespaceInfo[], scan: NamespaceHolderScan | null | undefined): NamespaceInfo[] {
  if (!scan) return [...namespaces];
  const known = new Set(namespaces.map((n) => n.id));
  const out: NamespaceInfo[] = namespaces.map((n) => {
    const h = scan.holders.get(n.id);
    return h ? { ...n, holders: h } : n;
  });
  for (const e of scan.extra) {
    if (known.has(e.id)) continue;
    const h = scan.holders.get(e.id) ?? [];
    const mount = h.find((x) => x.via === 'bind-mount' && x.path !== undefined);
    out.push({ id: e.id, type: e.type, pids: [], host: false, parent: null, owner: null, path: mount?.path ?? null, holders: h });
  }
  return out.sort((a, b) => a.type.localeCompare(b.type) || a.id - b.id);
}
