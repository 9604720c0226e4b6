// Test data for renderer tests: the recorded snapshot, synthetic snapshots, and a fake client.
import fs from 'node:fs';
import path from 'node:path';
import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels, IsolensClient, Result } from '../../../shared/contract';
import type { Delta, SequencedSnapshot } from '../../../shared/delta';
import type { ContainerInfo, NamespaceInfo, ProcessInfo, Snapshot } from '../../../shared/model';
import type { NamespaceKind, ProcessNamespaces } from '../../../shared/namespaces';
import type { UsageSample } from '../../../shared/usage';

const dir = path.join(__dirname, '..', '..', 'fixtures', 'snapshots');

/** A recorded `isolens snapshot --json` (test/fixtures/snapshots/<name>.json). */
export function loadSnapshot(name = 'demo'): Snapshot {
  return JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Snapshot;
}

/** The recorded demo snapshot's containers, by name (see test/fixtures/snapshots/README.md). */
export function containerNamed(s: Snapshot, name: string): ContainerInfo {
  const c = s.containers.find((x) => x.name === name);
  if (!c) throw new Error(`fixture has no container ${name}`);
  return c;
}

export const HOST_NS: Readonly<Record<NamespaceKind, number>> = {
  cgroup: 4026531835, ipc: 4026531839, mnt: 4026531832, net: 4026531833, pid: 4026531836, time: 4026531834, user: 4026531837, uts: 4026531838,
};

/** Namespace links of a process: the host's, with some kinds replaced. */
export function nsOf(over: Partial<Record<NamespaceKind, number>> = {}): ProcessNamespaces {
  const k = { ...HOST_NS, ...over };
  return { cgroup: k.cgroup, ipc: k.ipc, mnt: k.mnt, net: k.net, pid: k.pid, pid_for_children: k.pid, time: k.time, user: k.user, uts: k.uts };
}

/** A process record with defaults. */
export function proc(pid: number, ppid: number, over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid, ppid, comm: `p${pid}`, cmdline: [`/bin/p${pid}`], uid: 0, startTime: 100 + pid, nspid: [pid],
    namespaces: nsOf(), cgroup: '/', containerId: null, ...over,
  };
}

/** A container record with defaults. */
export function container(id: string, name: string, pids: readonly number[], over: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id, name, engine: 'docker', image: 'isolens/busybox:test', state: 'running', pid: pids[0] ?? null, pids,
    limits: { memoryBytes: 64 * 1024 * 1024, cpus: null, pidsMax: null, cpuset: null },
    sharedWithHost: ['cgroup', 'time', 'user'], cgroup: `/docker/${id}`, labels: {}, config: null, createdAt: '2026-01-01T00:00:00Z', ...over,
  };
}

/** A snapshot with defaults around the given records. */
export function snapshotOf(processes: readonly ProcessInfo[], containers: readonly ContainerInfo[] = [], namespaces: readonly NamespaceInfo[] = []): Snapshot {
  return {
    schema: 1,
    takenAt: '2026-01-01T00:00:00.000Z',
    host: { hostname: 'test', kernel: '6.18.0', cgroupVersion: 2, namespaces: HOST_NS, namespacesFrom: 1, collectorUid: 0 },
    processes,
    namespaces,
    containers,
    engines: [{ name: 'docker', available: true, endpoint: 'unix:///var/run/docker.sock', version: '27.0.0', error: null }],
    warnings: [],
  };
}

/**
 * A host with `n` processes: pid 1, then 1 + n/10 daemons each with children, and every 50th
 * daemon a container (shim → init → one child) with its own pid/net/mnt namespaces.
 */
export function bigSnapshot(n: number): Snapshot {
  const processes: ProcessInfo[] = [proc(1, 0, { comm: 'systemd', cmdline: ['/sbin/init'] })];
  const containers: ContainerInfo[] = [];
  let pid = 2;
  let daemon = 0;
  while (pid <= n) {
    const d = pid++;
    processes.push(proc(d, 1, { comm: `daemon${daemon}`, cmdline: [`/usr/sbin/daemon${daemon}`] }));
    if (daemon % 50 === 0 && pid + 1 <= n) {
      const init = pid++;
      const child = pid++;
      const id = `c${String(daemon).padStart(63, '0')}`;
      const ns = nsOf({ pid: 5_000_000 + daemon, net: 6_000_000 + daemon, mnt: 7_000_000 + daemon });
      processes.push(proc(init, d, { comm: 'sleep', cmdline: ['sleep', '600'], nspid: [init, 1], namespaces: ns, containerId: id }));
      processes.push(proc(child, init, { comm: 'sh', cmdline: ['sh'], nspid: [child, 2], namespaces: ns, containerId: id }));
      containers.push(container(id, `box${daemon}`, [init, child]));
    }
    for (let k = 0; k < 8 && pid <= n; k++, pid++) processes.push(proc(pid, d, { comm: 'worker', cmdline: ['worker', String(k)] }));
    daemon++;
  }
  return snapshotOf(processes, containers);
}

/** A usage sample with defaults. */
export function sample(t: number, over: Partial<UsageSample> = {}): UsageSample {
  return {
    t, memoryBytes: 10 * 1024 * 1024, memoryLimitBytes: 64 * 1024 * 1024, memoryPeakBytes: null, oomKills: 0,
    cpuCores: 0.1, cpuQuotaCores: null, throttledPeriods: 0, throttledMs: 0, pids: 1, pidsMax: null, ...over,
  };
}

/** A delta with nothing in it but what is given. */
export function delta(seq: number, over: Partial<Delta> = {}): Delta {
  const none = { processes: [], namespaces: [], containers: [] };
  return { seq, takenAt: `2026-01-01T00:00:${String(seq % 60).padStart(2, '0')}.000Z`, added: none, updated: none, removed: none, usage: {}, ...over };
}

/** A client whose answers the test sets and whose events the test emits. */
export interface FakeClient extends IsolensClient {
  readonly calls: { channel: InvokeChannel; args: readonly unknown[] }[];
  /** Answer of the next snapshot:get calls (a function to vary it per call). */
  snapshot: () => Result<SequencedSnapshot>;
  history: (id: string) => Result<readonly UsageSample[]>;
  emit<E extends EventChannel>(event: E, payload: EventChannels[E]): void;
  listenerCount(event: EventChannel): number;
}

/** A fake IsolensClient serving `initial` at seq `seq`. */
export function fakeClient(initial: Snapshot, seq = 0): FakeClient {
  const listeners = new Map<EventChannel, Set<(p: unknown) => void>>();
  const fake: FakeClient = {
    calls: [],
    snapshot: () => ({ ok: true, value: { seq, snapshot: initial, usage: {} } }),
    history: () => ({ ok: true, value: [] }),
    invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<Result<InvokeChannels[C]['result']>> {
      fake.calls.push({ channel, args });
      if (channel === 'snapshot:get') return Promise.resolve(fake.snapshot() as Result<InvokeChannels[C]['result']>);
      if (channel === 'history:get') return Promise.resolve(fake.history(String(args[0])) as Result<InvokeChannels[C]['result']>);
      return Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message: 'no such process' } });
    },
    on<E extends EventChannel>(event: E, listener: (payload: EventChannels[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
    emit(event, payload) {
      for (const l of [...(listeners.get(event) ?? [])]) l(payload);
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
  };
  return fake;
}

/** A frame scheduler run by hand: `run()` flushes what was scheduled, like one animation frame. */
export function manualFrames(): { schedule: (f: () => void) => void; run: () => number; pending: () => number } {
  let queue: (() => void)[] = [];
  return {
    schedule: (f) => {
      queue.push(f);
    },
    run: () => {
      const q = queue;
      queue = [];
      for (const f of q) f();
      return q.length;
    },
    pending: () => queue.length,
  };
}

/** Lets pending promise callbacks run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
