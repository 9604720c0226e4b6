import type { ContainerConfig, EngineKind, EngineStatus } from '../../../shared/model';

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
  /** Optional: follows the engine's event stream, telling when containers may have changed and whether it is connected; returns stop. */
  watch?(listener: EngineWatchListener): () => void;
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
