// Synthetic snapshots for the render bench: a host with its kernel threads and services, and a few
// hundred Docker containers (shim, init, workers; some sharing a net namespace, some --pid host),
// with the namespaces and containers consistent with the processes. Seeded: the same every run.
import { diffSnapshots } from '../electron/collector/service/diff';
import type { Delta, SequencedSnapshot } from '../shared/delta';
import type { ContainerInfo, NamespaceInfo, ProcessInfo, Snapshot } from '../shared/model';
import { NAMESPACE_KINDS } from '../shared/namespaces';
import type { NamespaceId, NamespaceKind, ProcessNamespaces } from '../shared/namespaces';
import type { UsageSample } from '../shared/usage';

/** A seeded pseudo-random generator in [0, 1) (mulberry32). */
export type Rng = () => number;

/** mulberry32: a small, fast, seeded generator (good enough for test data, not for secrets). */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const MiB = 1024 * 1024;

/** The host's initial namespaces (namespaces(7) inode numbers as a 6.x kernel numbers them). */
export const HOST_NAMESPACES: Readonly<Record<NamespaceKind, NamespaceId>> = {
  cgroup: 4026531835, ipc: 4026531839, mnt: 4026531832, net: 4026531833, pid: 4026531836, time: 4026531834, user: 4026531837, uts: 4026531838,
};

const KERNEL_THREADS = ['kworker/%:0H', 'ksoftirqd/%', 'migration/%', 'cpuhp/%', 'kworker/u%:2', 'rcu_preempt', 'kcompactd0', 'khugepaged', 'kswapd0', 'jbd2/nvme0n1p2-8', 'kblockd', 'writeback', 'irq/%-nvme0q%'];
const SERVICES = [
  ['/lib/systemd/systemd-journald'], ['/lib/systemd/systemd-udevd'], ['/usr/bin/dbus-daemon', '--system', '--address=systemd:'], ['/usr/sbin/cron', '-f'],
  ['/usr/sbin/rsyslogd', '-n', '-iNONE'], ['/usr/sbin/sshd', '-D'], ['/usr/bin/containerd'], ['/usr/sbin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock'],
  ['/usr/sbin/chronyd', '-F', '1'], ['/usr/bin/node_exporter'], ['/lib/systemd/systemd-logind'], ['/usr/sbin/irqbalance', '--foreground'],
  ['/lib/systemd/systemd', '--user'], ['-bash'], ['tmux'], ['vim', 'notes.md'], ['/usr/sbin/apache2', '-k', 'start'], ['php-fpm: pool www'],
] as const;

/** What runs in a container: its init's command line and its workers'. */
interface AppTemplate {
  readonly app: string;
  readonly image: string;
  readonly init: readonly string[];
  readonly worker: readonly string[];
  readonly uid: number;
}
const APPS: readonly AppTemplate[] = [
  { app: 'web', image: 'nginx:1.27', init: ['nginx: master process nginx -g daemon off;'], worker: ['nginx: worker process'], uid: 0 },
  { app: 'db', image: 'postgres:16', init: ['postgres'], worker: ['postgres: app appdb 172.18.0.5(51234) idle'], uid: 999 },
  { app: 'cache', image: 'redis:7', init: ['redis-server', '*:6379'], worker: ['redis-server', '*:6379'], uid: 999 },
  { app: 'api', image: 'node:22-slim', init: ['node', '/app/server.js'], worker: ['node', '/app/worker.js'], uid: 1000 },
  { app: 'app', image: 'python:3.12-slim', init: ['gunicorn: master [app:app]'], worker: ['gunicorn: worker [app:app]'], uid: 1000 },
  { app: 'svc', image: 'eclipse-temurin:21', init: ['java', '-Xmx512m', '-jar', '/app/app.jar'], worker: ['/bin/sh', '-c', 'healthcheck.sh'], uid: 0 },
  { app: 'job', image: 'busybox:1.36', init: ['/bin/sh', '-c', '/docker-entrypoint.sh'], worker: ['sleep', '3600'], uid: 0 },
];

function hex(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rng() * 16).toString(16);
  return s;
}

function hostNs(): ProcessNamespaces {
  return { ...HOST_NAMESPACES, pid_for_children: HOST_NAMESPACES.pid };
}

/** The namespaces and containers that agree with a process list (pids ascending, as the collector gives them). */
function reindex(s: Snapshot, processes: readonly ProcessInfo[]): Snapshot {
  const nsPids = new Map<NamespaceId, number[]>();
  const containerPids = new Map<string, number[]>();
  const sorted = [...processes].sort((a, b) => a.pid - b.pid);
  for (const p of sorted) {
    for (const k of NAMESPACE_KINDS) {
      const id = p.namespaces[k];
      if (id === null) continue;
      const l = nsPids.get(id);
      if (l) l.push(p.pid);
      else nsPids.set(id, [p.pid]);
    }
    if (p.containerId !== null) {
      const l = containerPids.get(p.containerId);
      if (l) l.push(p.pid);
      else containerPids.set(p.containerId, [p.pid]);
    }
  }
  return {
    ...s,
    processes: sorted,
    namespaces: s.namespaces.map((n) => ({ ...n, pids: nsPids.get(n.id) ?? [] })),
    containers: s.containers.map((c) => ({ ...c, pids: containerPids.get(c.id) ?? [] })),
  };
}

/** How many processes each of `count` containers gets, `total` in all, heavy-tailed (most small, a few large). */
function containerSizes(rng: Rng, count: number, total: number): number[] {
  const weights = Array.from({ length: count }, () => 1 + Math.exp(rng() * 4));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / sum) * total)));
  let left = total - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; left !== 0; i = (i + 1) % count) {
    const cur = sizes[i] ?? 1;
    if (left > 0) {
      sizes[i] = cur + 1;
      left--;
    } else if (cur > 1) {
      sizes[i] = cur - 1;
      left++;
    }
  }
  return sizes;
}

/** Options of syntheticSnapshot. */
export interface SyntheticOptions {
  /** Processes in all: host processes (12 %), one containerd shim per container, the containers' processes. */
  readonly processes: number;
  readonly seed?: number;
}

/** A snapshot of a busy Docker host with `processes` processes and about processes / 25 containers (shared/model.ts). */
export function syntheticSnapshot(opts: SyntheticOptions): Snapshot {
  const rng = seededRng(opts.seed ?? 42);
  const n = opts.processes;
  const containerCount = Math.max(3, Math.round(n / 25));
  const hostCount = Math.max(60, Math.round(n * 0.12));
  const inContainers = n - hostCount - containerCount;
  if (inContainers < containerCount) throw new Error(`${n} processes are too few for a synthetic host`);

  const processes: ProcessInfo[] = [];
  let nextPid = 1;
  let clock = 20;
  const proc = (p: Omit<ProcessInfo, 'pid' | 'startTime' | 'comm'> & { comm?: string }): ProcessInfo => {
    const pid = nextPid++;
    clock += 1 + Math.floor(rng() * 40);
    const comm = p.comm ?? (p.cmdline[0] ?? 'proc').split('/').pop()?.slice(0, 15) ?? 'proc';
    const made: ProcessInfo = { ...p, pid, comm, startTime: clock, nspid: p.nspid.length > 0 ? p.nspid : [pid] };
    processes.push(made);
    return made;
  };
  const host = (ppid: number, cmdline: readonly string[], comm?: string, uid = 0): ProcessInfo =>
    proc({ ppid, cmdline, comm, uid, nspid: [], namespaces: hostNs(), cgroup: '/system.slice', containerId: null });

  // The host: init, kthreadd and its kernel threads, services and a few sessions.
  host(0, ['/sbin/init'], 'systemd');
  host(0, [], 'kthreadd');
  const kernelThreads = Math.round(hostCount * 0.45);
  for (let i = 0; i < kernelThreads; i++) host(2, [], pick(rng, KERNEL_THREADS).replace(/%/g, String(i % 16)));
  const services: ProcessInfo[] = [];
  while (nextPid <= hostCount) {
    const parent = services.length > 4 && rng() < 0.35 ? pick(rng, services).pid : 1;
    services.push(host(parent, pick(rng, SERVICES), undefined, rng() < 0.8 ? 0 : 100 + Math.floor(rng() * 900)));
  }

  // The containers: a shim on the host, then init and its workers in the container's namespaces.
  let nsNext = 4026532200;
  const namespaces: NamespaceInfo[] = NAMESPACE_KINDS.map((k) => ({
    id: HOST_NAMESPACES[k], type: k, pids: [], host: true, parent: null, owner: k === 'user' ? null : HOST_NAMESPACES.user, path: null,
  }));
  const containers: ContainerInfo[] = [];
  const sizes = containerSizes(rng, containerCount, inContainers);
  const created = Date.parse('2026-11-01T08:00:00Z');
  let previousNs: ProcessNamespaces | null = null;
  let previousId = '';
  sizes.forEach((size, i) => {
    const t = APPS[i % APPS.length] as AppTemplate;
    const id = hex(rng, 64);
    const sidecar = previousNs !== null && i % 8 === 7;
    const hostPid = i % 25 === 24;
    const own = (k: NamespaceKind): NamespaceId => {
      const nsId = nsNext++;
      namespaces.push({
        id: nsId, type: k, pids: [], host: false, parent: k === 'pid' ? HOST_NAMESPACES.pid : null, owner: HOST_NAMESPACES.user,
        path: k === 'net' ? `/run/docker/netns/${hex(rng, 12)}` : null,
      });
      return nsId;
    };
    const prev = previousNs;
    const ns: ProcessNamespaces = {
      cgroup: own('cgroup'),
      ipc: sidecar && prev ? prev.ipc : own('ipc'),
      mnt: own('mnt'),
      net: sidecar && prev ? prev.net : own('net'),
      pid: hostPid ? HOST_NAMESPACES.pid : own('pid'),
      pid_for_children: 0,
      time: HOST_NAMESPACES.time,
      user: HOST_NAMESPACES.user,
      uts: sidecar && prev ? prev.uts : own('uts'),
    };
    const nsFull: ProcessNamespaces = { ...ns, pid_for_children: ns.pid };
    const cgroup = `/system.slice/docker-${id}.scope`;
    const shim = host(1, ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'moby', '-id', id, '-address', '/run/containerd/containerd.sock']);
    let inside = 1;
    const inner = (ppid: number, cmdline: readonly string[]): ProcessInfo => {
      const pid = nextPid;
      const nspid = hostPid ? [pid] : [pid, inside++];
      return proc({ ppid, cmdline, uid: t.uid, nspid, namespaces: nsFull, cgroup, containerId: id });
    };
    const init = inner(shim.pid, t.init);
    let parent = init;
    for (let k = 1; k < size; k++) {
      // Large containers get a second level: a supervisor every 12 workers.
      if (size > 16 && k % 12 === 1) parent = inner(init.pid, [...t.worker, '--supervisor']);
      else inner(parent.pid, t.worker);
    }
    const limited = rng() < 0.7;
    containers.push({
      id,
      name: `${t.app}-${String(i).padStart(3, '0')}`,
      engine: 'docker',
      image: t.image,
      state: 'running',
      pid: init.pid,
      pids: [],
      limits: {
        memoryBytes: limited ? pick(rng, [128, 256, 512, 1024, 2048]) * MiB : null,
        cpus: limited ? pick(rng, [0.5, 1, 2]) : null,
        pidsMax: limited && rng() < 0.5 ? 512 : null,
        cpuset: null,
      },
      sharedWithHost: hostPid ? ['pid', 'time', 'user'] : ['time', 'user'],
      cgroup,
      labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': t.app },
      config: {
        privileged: false, capAdd: [], capDrop: [], securityOpt: [], user: null, readOnlyRootfs: false,
        namespaceModes: { PidMode: hostPid ? 'host' : '', NetworkMode: sidecar ? `container:${previousId}` : 'bridge', IpcMode: sidecar ? `container:${previousId}` : 'private' },
      },
      createdAt: new Date(created + i * 60_000).toISOString(),
    });
    previousNs = nsFull;
    previousId = id;
  });

  const base: Snapshot = {
    schema: 1,
    takenAt: new Date(created + 86_400_000).toISOString(),
    host: { hostname: 'bench', kernel: '6.18.0', cgroupVersion: 2, namespaces: HOST_NAMESPACES, namespacesFrom: 1, collectorUid: 0 },
    processes: [],
    namespaces,
    containers,
    engines: [{ name: 'docker', available: true, endpoint: 'unix:///var/run/docker.sock', version: '27.3.1', error: null }],
    warnings: [],
  };
  return reindex(base, processes);
}

/** One cgroup usage sample per container at time t (what the service sends with every delta). */
export function usageAt(s: Snapshot, t: number, rng: Rng): Record<string, UsageSample> {
  const out: Record<string, UsageSample> = {};
  for (const c of s.containers) {
    const limit = c.limits.memoryBytes;
    const quota = c.limits.cpus;
    out[c.id] = {
      t,
      memoryBytes: Math.round((limit ?? 512 * MiB) * (0.1 + 0.6 * rng())),
      memoryLimitBytes: limit,
      memoryPeakBytes: limit !== null ? Math.round(limit * 0.8) : null,
      oomKills: 0,
      cpuCores: (quota ?? 1) * rng(),
      cpuQuotaCores: quota,
      throttledPeriods: 0,
      throttledMs: 0,
      pids: c.pids.length,
      pidsMax: c.limits.pidsMax,
    };
  }
  return out;
}

/** The snapshot after one tick: `touched` processes added, removed or changed in containers (the count moves by ±4). */
export function nextTick(s: Snapshot, rng: Rng, step: number, touched = 20): Snapshot {
  const updates = Math.round(touched * 0.3);
  const churn = touched - updates;
  // Alternate: one tick starts 4 fewer processes than end, the next 4 more (the tree's count changes).
  const adds = Math.floor(churn / 2) + (step % 2 === 0 ? 2 : -2);
  const removes = churn - adds;
  const byPid = new Map(s.processes.map((p) => [p.pid, p]));
  const parents = new Set(s.processes.map((p) => p.ppid));
  const inits = new Set(s.containers.map((c) => c.pid));
  const leaves = s.processes.filter((p) => p.containerId !== null && !inits.has(p.pid) && !parents.has(p.pid));
  const removed = new Set<number>();
  while (removed.size < Math.min(removes, leaves.length)) removed.add(pick(rng, leaves).pid);

  let maxPid = Math.max(...s.processes.map((p) => p.pid));
  let maxStart = Math.max(...s.processes.map((p) => p.startTime));
  const next: ProcessInfo[] = s.processes.filter((p) => !removed.has(p.pid));
  const insideMax = new Map<string, number>();
  for (const p of next) {
    if (p.containerId === null) continue;
    insideMax.set(p.containerId, Math.max(insideMax.get(p.containerId) ?? 0, p.nspid[p.nspid.length - 1] ?? 0));
  }
  for (let i = 0; i < adds; i++) {
    const c = pick(rng, s.containers);
    const init = c.pid !== null ? byPid.get(c.pid) : undefined;
    if (!init) continue;
    const pid = ++maxPid;
    const inside = (insideMax.get(c.id) ?? 1) + 1;
    insideMax.set(c.id, inside);
    next.push({
      ...init,
      pid,
      ppid: init.pid,
      comm: 'sh',
      cmdline: ['/bin/sh', '-c', `job --tick ${step}`],
      startTime: ++maxStart,
      nspid: init.nspid.length > 1 ? [pid, inside] : [pid],
    });
  }
  for (let i = 0; i < updates; i++) {
    const idx = Math.floor(rng() * next.length);
    const p = next[idx];
    if (!p || p.cmdline.length === 0) continue;
    next[idx] = { ...p, cmdline: [...p.cmdline.filter((a) => !a.startsWith('--tick=')), `--tick=${step}`] };
  }
  return reindex({ ...s, takenAt: new Date(Date.parse(s.takenAt) + 1000).toISOString() }, next);
}

/** The initial sequenced snapshot (seq 0) and `count` consecutive deltas (seq 1…count) as the live service would send them. */
export function syntheticSeries(opts: SyntheticOptions & { readonly deltas: number; readonly touched?: number }): {
  readonly initial: SequencedSnapshot;
  readonly deltas: readonly Delta[];
  /** The process count after each delta (what the tree's counter must show). */
  readonly counts: readonly number[];
} {
  const rng = seededRng((opts.seed ?? 42) + 1);
  let s = syntheticSnapshot(opts);
  const t0 = Date.parse(s.takenAt);
  const initial: SequencedSnapshot = { seq: 0, snapshot: s, usage: usageAt(s, t0, rng) };
  const deltas: Delta[] = [];
  const counts: number[] = [];
  for (let i = 1; i <= opts.deltas; i++) {
    const next = nextTick(s, rng, i, opts.touched);
    deltas.push(diffSnapshots(s, next, i, usageAt(next, t0 + i * 1000, rng)));
    counts.push(next.processes.length);
    s = next;
  }
  return { initial, deltas, counts };
}
