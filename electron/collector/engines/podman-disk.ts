// Podman's running containers from its files alone, read-only, for when its API service is not
// running: containers/storage's containers.json (names, full ids, images), libpod's state
// database (pods, infra containers, labels, state, pid) and, without that database (Podman 5's
// SQLite one), the runroot's pidfile and the OCI spec's pod annotations.
import fs from 'node:fs';
import path from 'node:path';
import type { PodRef } from '../../../shared/model';
import { configFromSpec } from './containerd';
import { parseLibpodState, type LibpodState } from './podman-state';
import { readStorageContainers, type StorageContainer, type StorageRoots } from './podman-storage';
import type { EngineContainer } from './types';

/** What the disk reader needs: the storage roots and the procfs to check pids against. */
export interface PodmanDiskOptions {
  readonly roots: StorageRoots;
  /** procfs mount point: a pid counts as running only while /proc/PID exists (default /proc). */
  readonly procRoot?: string;
}

/** The OCI annotation CRI-O's conventions put on a pod member: its sandbox (Podman: the infra container) id. */
const SANDBOX_ANNOTATION = 'io.kubernetes.cri-o.SandboxID';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** The pid in <runroot>/<driver>-containers/<id>/userdata/pidfile (conmon --container-pidfile), or null. */
function pidfileOf(roots: StorageRoots, id: string): number | null {
  for (const dir of [roots.driver ?? 'overlay', 'vfs', 'btrfs', 'zfs']) {
    try {
      const n = Number(fs.readFileSync(path.join(roots.runRoot, `${dir}-containers`, id, 'userdata', 'pidfile'), 'utf8').trim());
      return Number.isSafeInteger(n) && n > 0 ? n : null;
    } catch {
      // not this driver
    }
  }
  return null;
}

/** The libpod state database (Podman 4, <graphroot>/libpod/bolt_state.db), or null when absent or unreadable. */
export function readLibpodState(graphRoot: string): LibpodState | null {
  let file: Buffer;
  try {
    file = fs.readFileSync(path.join(graphRoot, 'libpod', 'bolt_state.db'));
  } catch {
    return null;
  }
  try {
    return parseLibpodState(file);
  } catch {
    return null; // torn while podman wrote it, or not bbolt: the files below still name the containers
  }
}

const annotationsOf = (spec: unknown): Record<string, unknown> => (isRecord(spec) && isRecord(spec.annotations) ? spec.annotations : {});

/**
 * Podman's running containers from its files: every container of containers.json (and of the
 * libpod database) whose init pid is alive in procRoot, with its name, full id, image, labels,
 * configuration (from its OCI bundle's config.json, else the database's spec), pod (name from
 * the libpod database) and infra flag.
 * Missing storage gives []; storage that cannot be read rejects (e.g. EACCES for a normal user).
 */
export function readPodmanDisk(opts: PodmanDiskOptions): EngineContainer[] {
  const { roots } = opts;
  const procRoot = opts.procRoot ?? '/proc';
  const storage = new Map<string, StorageContainer>(readStorageContainers(roots).map((c) => [c.id, c]));
  const db = readLibpodState(roots.graphRoot);
  const ids = [...new Set([...(db?.containers.keys() ?? []), ...storage.keys()])];
  const alive = (pid: number | null): pid is number => pid !== null && fs.existsSync(path.join(procRoot, String(pid)));

  const specs = new Map<string, unknown>();
  const specOf = (id: string): unknown => {
    if (!specs.has(id)) {
      // The OCI bundle's config.json names the joined namespaces by path; the database's copy of the spec does not.
      const bundle = readJson(path.join(roots.graphRoot, `${roots.driver ?? 'overlay'}-containers`, id, 'userdata', 'config.json'));
      specs.set(id, bundle ?? db?.containers.get(id)?.spec ?? null);
    }
    return specs.get(id);
  };

  const running = ids
    .map((id) => ({ id, lib: db?.containers.get(id), st: storage.get(id) }))
    .map((c) => ({ ...c, pid: c.lib ? c.lib.pid : pidfileOf(roots, c.id) }))
    .filter((c): c is typeof c & { pid: number } => alive(c.pid));
  // Without the database, the infra containers are those the members' annotations name.
  const sandboxIds = new Set(running.map((c) => annotationsOf(specOf(c.id))[SANDBOX_ANNOTATION]).filter((x): x is string => typeof x === 'string'));

  return running.map(({ id, lib, st, pid }): EngineContainer => {
    const spec = specOf(id);
    const sandboxOfMember = annotationsOf(spec)[SANDBOX_ANNOTATION];
    const pod = lib?.podId ? db?.pods.get(lib.podId) : undefined;
    const podRef: PodRef | null = pod ? { name: pod.name, namespace: '', uid: pod.id, kind: 'podman' } : null;
    const sandboxId = typeof sandboxOfMember === 'string' && sandboxOfMember !== id ? sandboxOfMember : null;
    const imageId = lib?.imageId ?? st?.imageId ?? null;
    return {
      id,
      name: st?.names[0] ?? lib?.name ?? id.slice(0, 12),
      engine: 'podman',
      image: lib?.imageName ?? st?.imageName ?? null,
      imageId: imageId === null ? null : `sha256:${imageId}`,
      state: lib?.state ?? 'running',
      pid,
      labels: lib?.labels ?? {},
      config: configFromSpec(spec, sandboxId),
      createdAt: lib?.createdAt ?? st?.created ?? null,
      startedAt: lib?.startedAt ?? null,
      // Without the database the pod's name is unknown here: discovery names it from the cgroup path.
      ...(podRef ? { pod: podRef } : {}),
      sandbox: lib ? lib.infra : sandboxIds.has(id),
    };
  });
}
