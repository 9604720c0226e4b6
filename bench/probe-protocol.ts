import type { TickCosts } from '../electron/collector/service/collector-service';

/** One sample of the probed collector: process.memoryUsage() and what its service holds. */
export interface ProbeSample {
  /** Date.now() when taken. */
  readonly t: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly externalBytes: number;
  readonly processes: number;
  readonly containers: number;
  /** Deltas emitted so far. */
  readonly deltas: number;
  /** CPU time of the service's ticks so far, steady ticks apart from full passes (CollectorService.costs()). */
  readonly costs?: TickCosts;
}

/** The probe child → the bench, one JSON object per stdout line. */
export type ProbeMessage =
  | { readonly kind: 'warm'; readonly snapshotProcesses: number; readonly sample: ProbeSample }
  | { readonly kind: 'sample'; readonly sample: ProbeSample }
  | { readonly kind: 'log'; readonly line: string }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'stopped' };
