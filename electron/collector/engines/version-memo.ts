/** How long an engine's version stands before it is asked again (ms), unless a call fails first. */
export const DEFAULT_VERSION_TTL_MS = 60_000;

/**
 * An engine's version, kept for `ttlMs` after it was asked: asking for it costs the daemon work
 * (dockerd answers /version by running `runc --version` and `docker-init --version`; `ctr version`
 * is a Go program started per call) and it changes only when the daemon restarts, which shows as
 * a failed call: the adapter then drops it.
 */
export class VersionMemo {
  private known: { readonly value: string; readonly at: number } | null = null;

  constructor(private readonly ttlMs: number = DEFAULT_VERSION_TTL_MS) {}

  /** The version if asked less than ttlMs ago (a clock set back counts as expired), else null. */
  fresh(now = Date.now()): string | null {
    const k = this.known;
    return k !== null && now - k.at >= 0 && now - k.at < this.ttlMs ? k.value : null;
  }

  set(value: string, now = Date.now()): void {
    this.known = { value, at: now };
  }

  drop(): void {
    this.known = null;
  }
}
