import * as fs from 'node:fs';
import type { ContainerConfig, EngineStatus } from '../../../shared/model';
import { CommandError, findExecutable, isRecord, isSocket, runCommand } from './host-tools';
import { CRI_LABELS, isSandbox } from './kubernetes';
import { EngineError, type EngineAdapter, type EngineContainer } from './types';
import { VersionMemo } from './version-memo';

/** containerd sockets worth asking, in order: the system's (containerd(8) default), Docker's managed one, k3s, microk8s. */
export const CONTAINERD_SOCKETS: readonly string[] = [
  '/run/containerd/containerd.sock',
  '/run/docker/containerd/containerd.sock',
  '/run/k3s/containerd/containerd.sock',
  '/var/snap/microk8s/common/run/containerd.sock',
];

/** containerd namespaces whose containers another engine already reports: Docker's (moby, and its plugins). */
export const SKIPPED_NAMESPACES: readonly string[] = ['moby', 'plugins.moby'];

/** Malformed `ctr` output (tasks ls table, containers info JSON). */
export class CtrOutputError extends Error {
  override readonly name = 'CtrOutputError';
}

/** One row of `ctr tasks ls` (ctr(8)): the task id (= container id), its host pid, and its status. */
export interface CtrTask {
  readonly id: string;
  readonly pid: number;
  /** RUNNING, PAUSED, CREATED, STOPPED, UNKNOWN. */
  readonly status: string;
}

/** Parses `ctr tasks ls` output: a `TASK PID STATUS` header, then one whitespace-separated row per task. */
export function parseCtrTasks(text: string): CtrTask[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  if (!/^TASK\s+PID\s+STATUS\s*$/.test(lines[0] ?? '')) throw new CtrOutputError(`ctr tasks ls: unexpected header ${JSON.stringify(lines[0])}`);
  return lines.slice(1).map((l) => {
    const f = l.trim().split(/\s+/);
    if (f.length !== 3 || !/^\d+$/.test(f[1] ?? '')) throw new CtrOutputError(`ctr tasks ls: malformed row ${JSON.stringify(l)}`);
    return { id: f[0] ?? '', pid: Number(f[1]), status: f[2] ?? '' };
  });
}

/** The server version from `ctr version` (the `Version:` line under `Server:`), or null. */
export function parseCtrVersion(text: string): string | null {
  const server = text.split(/^Server:\s*$/m)[1];
  if (server === undefined) return null;
  return /^\s*Version:\s*(\S+)/m.exec(server)?.[1] ?? null;
}

/** Docker's default capability set (moby oci/caps/defaults.go; containerd's oci.WithDefaultSpec is the same). */
const DEFAULT_CAPS = [
  'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE',
];

/** OCI runtime-spec namespace types -> the names ContainerConfig.namespaceModes uses. */
const OCI_NS: Readonly<Record<string, string>> = { pid: 'pid', network: 'net', ipc: 'ipc', uts: 'uts', user: 'user', cgroup: 'cgroup' };

const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Reads an OCI runtime spec (runtime-spec config.md, config-linux.md) into ContainerConfig:
 * capabilities against Docker's default set, AppArmor / seccomp / no-new-privileges, namespace
 * modes (a missing namespace = the host's, a path = joined, e.g. a pod sandbox's), user, read-only root.
 */
export function configFromSpec(specValue: unknown, sandboxId: string | null): ContainerConfig {
  const spec = rec(specValue);
  const proc = rec(spec.process);
  const linux = rec(spec.linux);
  const bounding = strs(rec(proc.capabilities).bounding).map((c) => c.toUpperCase().replace(/^CAP_/, ''));
  const securityOpt: string[] = [];
  if (typeof proc.apparmorProfile === 'string' && proc.apparmorProfile !== '') securityOpt.push(`apparmor=${proc.apparmorProfile}`);
  if (!isRecord(linux.seccomp)) securityOpt.push('seccomp=unconfined');
  if (proc.noNewPrivileges === true) securityOpt.push('no-new-privileges');
  const modes: Record<string, string> = { pid: 'host', net: 'host', ipc: 'host', uts: 'host', user: 'host', cgroup: 'host' };
  if (Array.isArray(linux.namespaces)) {
    for (const n of linux.namespaces) {
      const ns = rec(n);
      const key = typeof ns.type === 'string' ? OCI_NS[ns.type] : undefined;
      if (key === undefined) continue;
      const p = typeof ns.path === 'string' ? ns.path : '';
      modes[key] = p === '' ? '' : sandboxId !== null ? `container:${sandboxId}` : `path:${p}`;
    }
  }
  const user = rec(proc.user);
  const uid = typeof user.uid === 'number' ? user.uid : 0;
  const gid = typeof user.gid === 'number' ? user.gid : 0;
  const all = bounding.length >= 38; // every capability the kernel has (CAP_LAST_CAP is 40 on 6.x)
  return {
    privileged: all && !isRecord(linux.seccomp),
    capAdd: bounding.filter((c) => !DEFAULT_CAPS.includes(c)),
    capDrop: DEFAULT_CAPS.filter((c) => !bounding.includes(c)),
    securityOpt,
    namespaceModes: modes,
    user: uid === 0 && gid === 0 ? null : `${uid}:${gid}`,
    readOnlyRootfs: rec(spec.root).readonly === true,
  };
}

/**
 * Maps `ctr -n NAMESPACE containers info ID` JSON (containerd's containers.Container) and its task to
 * an EngineContainer. Ids that are 64 hex digits (CRI, nerdctl) are kept, so they meet the ids in
 * cgroup paths (cri-containerd-<id>.scope, kubepods/…/<id>); others become containerd:NAMESPACE/ID. CRI
 * containers are named POD-NAMESPACE/POD/CONTAINER (the sandbox: …/POD), labelled as kubelet made them.
 */
export function mapContainerInfo(info: unknown, namespace: string, task: CtrTask | null): EngineContainer {
  if (!isRecord(info) || typeof info.ID !== 'string' || info.ID === '') throw new CtrOutputError('containers info JSON has no ID');
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(info.Labels))) if (typeof v === 'string') labels[k] = v;
  labels['containerd.namespace'] = namespace;
  const spec = rec(info.Spec);
  const annotations = rec(spec.annotations);
  const sandboxId = typeof info.SandboxID === 'string' && info.SandboxID !== ''
    ? info.SandboxID
    : typeof annotations['io.kubernetes.cri.sandbox-id'] === 'string' ? annotations['io.kubernetes.cri.sandbox-id'] : null;
  const pod = labels[CRI_LABELS.podName];
  const podNs = labels[CRI_LABELS.podNamespace];
  let name = info.ID;
  if (pod && podNs) name = `${podNs}/${pod}/${isSandbox(labels) ? 'POD' : labels[CRI_LABELS.containerName] ?? info.ID.slice(0, 12)}`;
  const cfg = configFromSpec(info.Spec, sandboxId !== null && sandboxId !== info.ID ? sandboxId : null);
  const running = task !== null && task.pid > 0 && task.status !== 'STOPPED';
  return {
    id: HEX64.test(info.ID) ? info.ID : `containerd:${namespace}/${info.ID}`,
    name,
    engine: 'containerd',
    image: typeof info.Image === 'string' && info.Image !== '' ? info.Image : null,
    imageId: null,
    state: task === null ? 'created' : task.status.toLowerCase(),
    pid: running ? task.pid : null,
    labels,
    config: cfg,
    createdAt: typeof info.CreatedAt === 'string' && !info.CreatedAt.startsWith('0001-') ? info.CreatedAt : null,
    startedAt: null,
  };
}

/** Options of ContainerdEngine: its socket, the ctr binary, the namespaces to skip, time limits. */
export interface ContainerdEngineOptions {
  readonly socket?: string;
  readonly ctr?: string;
  readonly skipNamespaces?: readonly string[];
  readonly timeoutMs?: number;
  /** How many `ctr containers info` run at once (default 8). */
  readonly concurrency?: number;
  /** How long a server version from `ctr version` stands before it is asked again (default 60 s: version-memo.ts). */
  readonly versionTtlMs?: number;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * containerd used directly (ctr, nerdctl, kubelet's CRI plugin) through the `ctr` CLI (ctr(8)): every
 * namespace but Docker's (`moby`, whose containers Docker reports), its running tasks, and each
 * task's container info (labels, image, OCI spec). There is no gRPC client here: one `ctr` per call
 * (a Go program: ~30 ms of CPU each), so what does not change is not asked again: a task's container
 * info while the task runs with the same pid, the server version for versionTtlMs while every call
 * succeeds. A relist of a node with N running tasks costs two calls per namespace, not N more.
 */
export class ContainerdEngine implements EngineAdapter {
  readonly kind = 'containerd' as const;
  readonly endpoint: string;
  readonly socket: string;
  private readonly ctr: string;
  private readonly skip: ReadonlySet<string>;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  /** The server version from `ctr version`; dropped when a `ctr` call fails. */
  private readonly version: VersionMemo;
  /**
   * `containers info` JSON of the running tasks, by namespace and task id, with the task's pid: a
   * container's spec and image are fixed for the life of its task. A task gone from `tasks ls`, or
   * back with another pid (restarted), is asked again. (Labels changed on a running container with
   * `ctr containers label` show once its task restarts.)
   */
  private readonly infos = new Map<string, { readonly pid: number; readonly info: unknown }>();

  constructor(opts: ContainerdEngineOptions = {}) {
    this.socket = opts.socket ?? CONTAINERD_SOCKETS[0] ?? '/run/containerd/containerd.sock';
    this.endpoint = `unix://${this.socket}`;
    this.ctr = opts.ctr ?? 'ctr';
    this.skip = new Set(opts.skipNamespaces ?? SKIPPED_NAMESPACES);
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.concurrency = opts.concurrency ?? 8;
    this.version = new VersionMemo(opts.versionTtlMs);
  }

  private reason(): string | null {
    if (!isSocket(this.socket)) return `socket ${this.socket} not found (is containerd running?)`;
    try {
      fs.accessSync(this.socket, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      return `permission denied on ${this.socket}: run as root`;
    }
    if (this.ctr === 'ctr' && findExecutable('ctr') === null) return 'the ctr CLI is not installed (Debian package containerd)';
    return null;
  }

  private async run(args: readonly string[]): Promise<string> {
    try {
      return await runCommand(this.ctr, ['--address', this.socket, ...args], this.timeoutMs);
    } catch (e) {
      this.version.drop(); // a containerd that fails may come back as another version
      throw e;
    }
  }

  async probe(): Promise<EngineStatus> {
    const down = (error: string): EngineStatus => ({ name: this.kind, available: false, endpoint: this.endpoint, version: null, error });
    const up = (version: string): EngineStatus => ({ name: this.kind, available: true, endpoint: this.endpoint, version, error: null });
    const bad = this.reason();
    if (bad !== null) {
      this.version.drop();
      return down(bad);
    }
    // The listing that follows asks containerd anyway: a failure there marks it unavailable (collect.ts).
    const known = this.version.fresh();
    if (known !== null) return up(known);
    try {
      const version = parseCtrVersion(await this.run(['version']));
      if (version === null) return down(`${this.socket} answered \`ctr version\` without a server version`);
      this.version.set(version);
      return up(version);
    } catch (e) {
      return down(e instanceof Error ? e.message : String(e));
    }
  }

  /** The container of a running task, from its container info: asked of containerd unless its task was seen with this pid before. */
  private async containerOf(ns: string, task: CtrTask, seen: Set<string>): Promise<EngineContainer> {
    const key = `${ns}\0${task.id}`;
    seen.add(key);
    const hit = this.infos.get(key);
    const info: unknown = hit && hit.pid === task.pid ? hit.info : JSON.parse(await this.run(['--namespace', ns, 'containers', 'info', task.id]));
    const container = mapContainerInfo(info, ns, task);
    this.infos.set(key, { pid: task.pid, info });
    return container;
  }

  async listContainers(): Promise<EngineContainer[]> {
    const bad = this.reason();
    if (bad !== null) throw new EngineError(this.kind, this.endpoint, bad);
    try {
      const namespaces = (await this.run(['namespaces', 'ls', '-q'])).split('\n').map((s) => s.trim()).filter((s) => s !== '' && !this.skip.has(s));
      const seen = new Set<string>();
      const perNs = await Promise.all(namespaces.map(async (ns) => {
        const tasks = parseCtrTasks(await this.run(['--namespace', ns, 'tasks', 'ls'])).filter((t) => t.status === 'RUNNING' || t.status === 'PAUSED');
        const infos = await mapLimit(tasks, this.concurrency, async (t) => {
          try {
            return await this.containerOf(ns, t, seen);
          } catch (e) {
            // Deleted between `tasks ls` and `containers info`: dropped; anything else fails the listing.
            if (e instanceof CommandError && /not found/i.test(e.stderr)) return null;
            throw e;
          }
        });
        return infos.filter((c): c is EngineContainer => c !== null);
      }));
      for (const key of this.infos.keys()) if (!seen.has(key)) this.infos.delete(key);
      return perNs.flat();
    } catch (e) {
      throw new EngineError(this.kind, this.endpoint, e instanceof Error ? e.message : String(e), { cause: e });
    }
  }
}

/** The containerd sockets that exist here, one per daemon (/var/run is /run: compared by real path). */
export function existingContainerdSockets(candidates: readonly string[] = CONTAINERD_SOCKETS): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of candidates) {
    if (!isSocket(s)) continue;
    let real = s;
    try {
      real = fs.realpathSync(s);
    } catch {
      // keep the name given
    }
    if (seen.has(real)) continue;
    seen.add(real);
    out.push(s);
  }
  return out;
}
