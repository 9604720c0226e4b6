import type { ContainerConfig, EngineKind, EngineStatus, PodRef } from '../../../shared/model';

/** A container as one engine's API reports it (Docker Engine API ContainerInspect, or its equivalent), before the join with /proc. */
export interface EngineContainer {
  /** Full id (64 hex digits for Docker). */
  readonly id: string;
  /** Name without Docker's leading '/'. */
  readonly name: string;
  readonly engine: EngineKind;
  /** Image as the user named it (Config.Image), e.g. "busybox:latest". */
  readonly image: string | null;
  /** Image content id, e.g. "sha256:…". */
  readonly imageId: string | null;
  /** Engine state: created, running, paused, restarting, removing, exited, dead. */
  readonly state: string;
  /** Host pid of its init process; null when not running. */
  readonly pid: number | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly config: ContainerConfig;
  /** RFC 3339 time of creation, null if unknown. */
  readonly createdAt: string | null;
  /** RFC 3339 time of the last start, null if never started. */
  readonly startedAt: string | null;
  /** The pod the engine says it is in (Podman pods); absent: none known here (Kubernetes pods come from CRI labels). */
  readonly pod?: PodRef | null;
  /** True for a pod's infra (sandbox) container, as the engine marks it (Podman IsInfra). */
  readonly sandbox?: boolean;
  /** Set when its engine runs inside another container (engines/nested.ts); `pid` is then already a host pid. */
  readonly nestedIn?: NestedIn;
}

/** Where a nested engine (docker-in-docker, a kind node's containerd) runs: its daemon's host pid and the container that pid's cgroup names (null if none). */
export interface NestedIn {
  readonly enginePid: number;
  readonly containerId: string | null;
  /** The engine's status name, e.g. "docker (inside 6c519d41063f)". */
  readonly engineName: string;
}

/** One engine's answer: its status and, when available, its running containers (engines/collect.ts). */
export interface EngineReport {
  readonly status: EngineStatus;
  readonly containers: EngineContainer[];
}

/** The engine-neutral contract that each container engine adapter (Docker, Podman, LXC…) implements. */
export interface EngineAdapter {
  readonly kind: EngineKind;
  /** Where the API is reached, e.g. "unix:///var/run/docker.sock". */
  readonly endpoint: string;
  /** Whether the API answers, its version, or a clear reason why not; never rejects. */
  probe(): Promise<EngineStatus>;
  /** Running containers with their inspected configuration; rejects with EngineError when the API cannot be used. */
  listContainers(): Promise<EngineContainer[]>;
  /** Optional: running containers read from the engine's on-disk state, asked when probe() finds its API unavailable (Podman without its service). */
  listFromDisk?(): Promise<EngineContainer[]>;
  /** Optional, for an adapter standing for engines found anew at each relist (engines/nested.ts): one report per engine, used instead of probe() and listContainers(); never rejects. */
  collectAll?(): Promise<EngineReport[]>;
  /** Optional: follows the engine's event stream, telling when containers may have changed and whether it is connected; returns stop. */
  watch?(listener: EngineWatchListener): () => void;
  /** True for adapters that look for their daemons in the collector's process table (engines/host-tools.ts): asked once it is read. */
  readonly readsProcessTable?: boolean;
}

/** What an engine's event stream tells its owner (Engine API GET /events). */
export interface EngineWatchListener {
  /** A container started, died, was renamed…, or events were missed (`resync`): relist now. */
  changed(action: string, containerId: string | null): void;
  /** The stream connected or was lost (the engine is down or restarting). */
  state(connected: boolean, error: string | null): void;
}

/** Why an engine's API could not be used: refused endpoint, missing socket, permissions, timeout, or an API error. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly engine: EngineKind,
    readonly endpoint: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
