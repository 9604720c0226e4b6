import type { EventChannel, InvokeChannel, Result } from '../../../shared/contract';

/** What the collector worker is started with (worker_threads workerData: plain data only). */
export interface WorkerOptions {
  readonly procRoot?: string;
  readonly intervalMs?: number;
  readonly resyncMs?: number;
  readonly historyMs?: number;
  readonly figuresMs?: number;
}

/** Main thread → collector worker. */
export type ToWorker =
  | { readonly kind: 'invoke'; readonly id: number; readonly channel: InvokeChannel; readonly args: readonly unknown[] }
  | { readonly kind: 'stop' };

/** Collector worker → main thread. */
export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'result'; readonly id: number; readonly result: Result<unknown> }
  | { readonly kind: 'event'; readonly event: EventChannel; readonly payload: unknown }
  | { readonly kind: 'log'; readonly line: string }
  | { readonly kind: 'stopped' };
