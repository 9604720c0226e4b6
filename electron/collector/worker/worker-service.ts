import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels, IsolensService } from '../../../shared/contract';
import { ServiceError } from '../../../shared/contract';
import { COLLECTOR_YOUNG_GENERATION_MB } from '../service/heap-flags';
import type { FromWorker, ToWorker, WorkerOptions } from './protocol';

/**
 * The collector service running in a worker thread, seen from the main thread as the same
 * contract (IsolensService): invoke calls are posted to the worker, its events re-emitted here.
 * So the Electron window and serve's HTTP loop never wait on /proc.
 */
export class WorkerService implements IsolensService {
  private readonly events = new EventEmitter();
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private worker: Worker | null = null;
  private nextId = 1;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly opts: WorkerOptions & { readonly log?: (line: string) => void } = {}) {}

  /** Starts the worker; resolves once its first snapshot is taken. */
  start(): Promise<void> {
    // The same file name as this one: .ts under tsx (tests, bench), .js in dist/.
    const entry = path.join(__dirname, `service-worker${path.extname(__filename)}`);
    const { log, ...data } = this.opts;
    // Under tsx (tests, bench) the worker must register tsx's require hook before loading TypeScript.
    const resourceLimits = { maxYoungGenerationSizeMb: COLLECTOR_YOUNG_GENERATION_MB };
    const worker = entry.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true, workerData: data, resourceLimits })
      : new Worker(entry, { workerData: data, resourceLimits });
    this.worker = worker;
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        switch (m.kind) {
          case 'ready':
            resolve();
            break;
          case 'failed':
            reject(new Error(`collector worker failed to start: ${m.message}`));
            break;
          case 'result': {
            const p = this.pending.get(m.id);
            this.pending.delete(m.id);
            if (!p) break;
            if (m.result.ok) p.resolve(m.result.value);
            else p.reject(new ServiceError(m.result.error.code, m.result.error.message));
            break;
          }
          case 'event':
            this.events.emit(m.event, m.payload);
            break;
          case 'log':
            (log ?? ((line: string) => process.stderr.write(`isolens: ${line}\n`)))(m.line);
            break;
          case 'stopped':
            break;
        }
      });
      worker.once('error', (e) => {
        reject(e);
        this.failAll(`the collector worker crashed: ${e.message}`);
      });
      worker.once('exit', (code) => {
        reject(new Error(`the collector worker exited (${code}) before it was ready`));
        this.failAll(`the collector worker exited (${code})`);
        this.worker = null;
      });
    });
  }

  /** Stops the worker and waits for it to exit. */
  async stop(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    const bye: ToWorker = { kind: 'stop' };
    w.postMessage(bye);
    const timer = setTimeout(() => void w.terminate(), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<InvokeChannels[C]['result']> {
    const w = this.worker;
    if (!w) return Promise.reject(new ServiceError('UNAVAILABLE', 'the collector is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const m: ToWorker = { kind: 'invoke', id, channel, args };
      w.postMessage(m);
    });
  }

  on<E extends EventChannel>(event: E, listener: (payload: EventChannels[E]) => void): () => void {
    const l = listener as (payload: unknown) => void;
    this.events.on(event, l);
    return () => this.events.off(event, l);
  }

  private failAll(message: string): void {
    for (const p of this.pending.values()) p.reject(new ServiceError('UNAVAILABLE', message));
    this.pending.clear();
  }
}
