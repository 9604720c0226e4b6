// A small in-test IsolensService: a hand-written snapshot, deltas emitted on demand.
import { ServiceError } from '../../../shared/contract';
import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels, IsolensService, ProcessDetail, SessionInfo } from '../../../shared/contract';
import type { Delta, SequencedSnapshot } from '../../../shared/delta';
import type { ProcessInfo, Snapshot } from '../../../shared/model';
import type { UsageSample } from '../../../shared/usage';

const hostNs = { cgroup: 4026531835, ipc: 4026531839, mnt: 4026531841, net: 4026531840, pid: 4026531836, pid_for_children: 4026531836, time: 4026531834, user: 4026531837, uts: 4026531838 };

const init: ProcessInfo = {
  pid: 1, ppid: 0, comm: 'systemd', cmdline: ['/sbin/init'], uid: 0, startTime: 3,
  nspid: [1], namespaces: hostNs, cgroup: '/init.scope', containerId: null,
};

const CONTAINER = 'c0ffee'.padEnd(64, '0');

const sleeper: ProcessInfo = {
  pid: 4242, ppid: 4200, comm: 'sleep', cmdline: ['sleep', 'infinity'], uid: 0, startTime: 98765,
  nspid: [4242, 1], namespaces: { ...hostNs, pid: 4026532300, pid_for_children: 4026532300, mnt: 4026532298, uts: 4026532299, ipc: 4026532301, net: 4026532303 },
  cgroup: `/system.slice/docker-${CONTAINER}.scope`, containerId: CONTAINER,
};

/** The hand-written snapshot the fake serves. */
export const SNAPSHOT: Snapshot = {
  schema: 1,
  takenAt: '2025-01-01T00:00:00.000Z',
  host: { hostname: 'testhost', kernel: '6.18.0', cgroupVersion: 2, namespaces: { pid: 4026531836, net: 4026531840 }, namespacesFrom: 1, collectorUid: 0 },
  processes: [init, sleeper],
  namespaces: [
    { id: 4026531836, type: 'pid', pids: [1], host: true, parent: null, owner: 4026531837, path: null },
    { id: 4026532300, type: 'pid', pids: [4242], host: false, parent: 4026531836, owner: 4026531837, path: null },
  ],
  containers: [{
    id: CONTAINER, name: 'sleepy', engine: 'docker', image: 'busybox', state: 'running', pid: 4242, pids: [4242],
    limits: { memoryBytes: 67108864, cpus: 0.5, pidsMax: 64, cpuset: null },
    sharedWithHost: ['cgroup', 'time', 'user'], cgroup: `/system.slice/docker-${CONTAINER}.scope`, labels: { 'isolens.test': '1' },
    config: null, createdAt: '2025-01-01T00:00:00.000Z',
  }],
  engines: [{ name: 'docker', available: true, endpoint: 'unix:///var/run/docker.sock', version: '27.0.0', error: null }],
  warnings: [],
};

/** A delta with seq `seq` that adds one process. */
export function makeDelta(seq: number, extraBytes = 0): Delta {
  const p: ProcessInfo = { ...sleeper, pid: 5000 + seq, startTime: 100000 + seq, comm: 'sh', cmdline: extraBytes > 0 ? ['sh', 'x'.repeat(extraBytes)] : ['sh'] };
  return {
    seq,
    takenAt: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
    added: { processes: [p], namespaces: [], containers: [] },
    updated: { processes: [], namespaces: [], containers: [] },
    removed: { processes: [], namespaces: [], containers: [] },
    usage: {},
  };
}

type Listener = (payload: unknown) => void;

/** An IsolensService over SNAPSHOT that counts its subscribers and emits on demand. */
export class FakeService implements IsolensService {
  state: SequencedSnapshot = { seq: 0, snapshot: SNAPSHOT, usage: {} };
  readonly listeners = new Map<EventChannel, Set<Listener>>();
  readonly calls: { channel: InvokeChannel; args: readonly unknown[] }[] = [];

  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<InvokeChannels[C]['result']> {
    this.calls.push({ channel, args });
    return Promise.resolve(this.answer(channel, args) as InvokeChannels[C]['result']);
  }

  private answer(channel: InvokeChannel, args: readonly unknown[]): SequencedSnapshot | readonly UsageSample[] | ProcessDetail | SessionInfo | null {
    switch (channel) {
      case 'snapshot:get':
        return this.state;
      case 'history:get':
        if (args[0] === 'boom') throw new Error('disk on fire');
        if (args[0] !== CONTAINER) throw new ServiceError('NOT_FOUND', `no container ${String(args[0])}`);
        return [];
      case 'process:get': {
        const p = this.state.snapshot.processes.find((x) => x.pid === args[0]);
        if (!p) throw new ServiceError('NOT_FOUND', `no process ${String(args[0])}`);
        return { process: p, state: 'S', cpuMs: 10, threads: 1, rssBytes: 1024 };
      }
      case 'session:get':
        return { mode: 'live' };
      case 'playback:control':
        throw new ServiceError('BAD_REQUEST', 'live mode has no playback');
      case 'view:set':
        return null;
      case 'cgroup:get':
      case 'image:analyze':
        throw new ServiceError('NOT_FOUND', 'the fake service has no cgroups or images');
    }
  }

  on<E extends EventChannel>(event: E, listener: (payload: EventChannels[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as Listener;
    set.add(l);
    return () => {
      this.listeners.get(event)?.delete(l);
    };
  }

  /** Number of listeners subscribed to an event. */
  subscribers(event: EventChannel): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  emit<E extends EventChannel>(event: E, payload: EventChannels[E]): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) l(payload);
  }
}

export { CONTAINER };
