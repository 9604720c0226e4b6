// Podman 4's libpod state database (<graphroot>/libpod/bolt_state.db, libpod boltdb_state.go):
// buckets ctr/<id>/{config,state,pod-id} and pod/<id>/{config,state}, values JSON.
import { openBolt, type BoltBucket } from './podman-bolt';

/** A pod as libpod keeps it (libpod PodConfig + PodState). */
export interface LibpodPod {
  readonly id: string;
  readonly name: string;
  /** Its infra container's id (PodState InfraContainerID), null for a pod made with --infra=false. */
  readonly infraId: string | null;
}

/** A container as libpod keeps it (libpod ContainerConfig + ContainerState), only the fields this tool shows. */
export interface LibpodContainer {
  readonly id: string;
  readonly name: string;
  readonly podId: string | null;
  /** A pod's infra container (ContainerConfig IsInfra, JSON "pause"). */
  readonly infra: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly imageName: string | null;
  readonly imageId: string | null;
  readonly createdAt: string | null;
  /** libpod define.ContainerStatus as `podman ps` prints it: created, running, paused, exited… */
  readonly state: string;
  /** Host pid of its init; null when it does not run. */
  readonly pid: number | null;
  readonly startedAt: string | null;
  /** The OCI runtime spec it was created with (ContainerConfig.Spec), for configFromSpec. */
  readonly spec: unknown;
}

/** The pods and containers of one libpod database. */
export interface LibpodState {
  readonly pods: ReadonlyMap<string, LibpodPod>;
  readonly containers: ReadonlyMap<string, LibpodContainer>;
}

/** libpod define.ContainerStatus, by its numeric value (libpod/define/containerstate.go). */
const STATES = ['unknown', 'configured', 'created', 'running', 'stopped', 'paused', 'exited', 'removing', 'stopping'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const time = (v: unknown): string | null => {
  const s = strOrNull(v);
  return s === null || s.startsWith('0001-01-01') ? null : s;
};

function json(b: BoltBucket, key: string): Record<string, unknown> {
  const v = b.get(key);
  if (v === null) return {};
  try {
    const parsed: unknown = JSON.parse(v.toString('utf8'));
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/**
 * Parses a libpod bbolt state database held in memory: every pod (name, infra container) and
 * every container (name, pod, infra flag, labels, image, state, pid, spec). Throws
 * BoltFormatError when the file is not a valid bbolt file; entries with unreadable JSON keep
 * what they have (the id, and the name from the id registry).
 */
export function parseLibpodState(file: Buffer): LibpodState {
  const root = openBolt(file);
  const pods = new Map<string, LibpodPod>();
  for (const e of root.bucket('pod')?.entries() ?? []) {
    if (!e.bucket) continue;
    const id = e.key.toString('utf8');
    const config = json(e.bucket, 'config');
    const state = json(e.bucket, 'state');
    pods.set(id, { id, name: strOrNull(config.name) ?? id.slice(0, 12), infraId: strOrNull(state.InfraContainerID) });
  }
  const registry = root.bucket('id-registry');
  const containers = new Map<string, LibpodContainer>();
  for (const e of root.bucket('ctr')?.entries() ?? []) {
    if (!e.bucket) continue;
    const id = e.key.toString('utf8');
    const config = json(e.bucket, 'config');
    const state = json(e.bucket, 'state');
    const podId = e.bucket.get('pod-id')?.toString('utf8') || strOrNull(config.pod);
    const n = typeof state.state === 'number' ? state.state : 0;
    const pid = typeof state.pid === 'number' && Number.isSafeInteger(state.pid) && state.pid > 0 ? state.pid : null;
    const status = STATES[n] ?? 'unknown';
    containers.set(id, {
      id,
      name: strOrNull(config.name) ?? registry?.get(id)?.toString('utf8') ?? id.slice(0, 12),
      podId: podId ?? null,
      infra: config.pause === true || (podId !== null && pods.get(podId)?.infraId === id),
      labels: labelsOf(config.labels),
      imageName: strOrNull(config.rootfsImageName) ?? strOrNull(config.RawImageName),
      imageId: strOrNull(config.rootfsImageID),
      createdAt: time(config.createdTime),
      state: status,
      pid: status === 'running' || status === 'paused' || status === 'stopping' ? pid : null,
      startedAt: time(state.startedTime),
      spec: config.spec,
    });
  }
  return { pods, containers };
}
