// Records an IsolensService's stream (the live collector) into a recording: the header, the
// state at t = 0, then every delta and engines event with its time, and an end record on stop().
import { performance } from 'node:perf_hooks';
import type { IsolensService } from '../../../shared/contract';
import { applyDelta } from '../../../shared/delta';
import type { Delta, SequencedSnapshot } from '../../../shared/delta';
import type { EngineStatus } from '../../../shared/model';
import { MAX_RECORDING_CHARS, RECORDING_FORMAT, RECORDING_SCHEMA, encodeDelta, encodeEnd, encodeEngines, encodeHeader, encodeInitial } from '../../../shared/recording';
import { REDACTED_HOSTNAME, redactDelta, redactEngines, redactSequenced } from '../../../shared/redact';
import type { RedactOptions } from '../../../shared/redact';
import { diffSnapshots } from '../service/diff';
import type { RecordingSink } from './file';

/** How a Recorder records. */
export interface RecorderOptions {
  /** The service's poll interval, written into the header. */
  readonly intervalMs: number;
  /** Redact every record (shared/redact.ts); null or absent: record as is. */
  readonly redact?: RedactOptions | null;
  /** Monotonic milliseconds (default performance.now); t = now() − now() at start. */
  readonly now?: () => number;
  /** Wall-clock time of t = 0 (default Date.now). */
  readonly wallClock?: () => number;
  /** Stop writing deltas past this many bytes (default MAX_RECORDING_CHARS). */
  readonly maxBytes?: number;
  readonly log?: (line: string) => void;
}

/** What a recording holds once stopped. */
export interface RecordingSummary {
  readonly bytes: number;
  readonly deltas: number;
  /** Engines events recorded (an engine came or went). */
  readonly engineChanges: number;
  readonly durationMs: number;
  readonly redacted: boolean;
  /** Resyncs the recorder had to make (the service skipped a seq): each became one computed delta. */
  readonly resyncs: number;
  /** Why the recording stopped early or is incomplete (write failure, size limit); null when all went well. */
  readonly error: string | null;
}

/**
 * Subscribes to a service and writes what it emits. Deltas are renumbered consecutively in the
 * file; should the service skip one, the recorder fetches a snapshot and writes the difference as
 * one delta, so the file always folds back to the service's states.
 */
export class Recorder {
  private readonly now: () => number;
  private readonly redact: RedactOptions | null;
  private readonly maxBytes: number;
  private readonly log: (line: string) => void;
  private t0 = 0;
  private lastT = 0;
  /** The service's state as the deltas fold it (unredacted, the service's seqs). */
  private state: SequencedSnapshot | null = null;
  private fileSeq = 0;
  private deltas = 0;
  private engineChanges = 0;
  private resyncs = 0;
  private queue: ({ kind: 'delta'; delta: Delta } | { kind: 'engines'; engines: readonly EngineStatus[] })[] = [];
  private resyncing: Promise<void> | null = null;
  private unsubscribe: (() => void)[] = [];
  private stopped = false;
  private full = false;
  private service: IsolensService | null = null;

  constructor(
    private readonly sink: RecordingSink,
    private readonly opts: RecorderOptions,
  ) {
    this.now = opts.now ?? (() => performance.now());
    this.redact = opts.redact ?? null;
    this.maxBytes = opts.maxBytes ?? MAX_RECORDING_CHARS;
    this.log = opts.log ?? ((line) => process.stderr.write(`isolens record: ${line}\n`));
  }

  /** Subscribes, then writes the header and the service's current state as t = 0. */
  async start(service: IsolensService): Promise<void> {
    if (this.service) throw new Error('the recorder is already started');
    this.service = service;
    // Subscribe first: nothing emitted while the snapshot is fetched is lost (older seqs are skipped).
    this.unsubscribe = [
      service.on('delta', (d) => this.onEvent({ kind: 'delta', delta: d })),
      service.on('engines', (e) => this.onEvent({ kind: 'engines', engines: e })),
    ];
    await this.resync(true);
  }

  /** Milliseconds since t = 0 (0 before start() has written the initial state). */
  elapsed(): number {
    return this.state ? Math.max(0, this.now() - this.t0) : 0;
  }

  /** Unsubscribes, writes the end record, closes the sink. */
  async stop(): Promise<RecordingSummary> {
    if (!this.stopped) {
      this.stopped = true;
      for (const off of this.unsubscribe.splice(0)) off();
      await this.resyncing?.catch(() => undefined);
      if (this.state) this.sink.write(encodeEnd(this.time(), this.deltas));
      await this.sink.close();
    }
    return {
      bytes: this.sink.bytes, deltas: this.deltas, engineChanges: this.engineChanges, durationMs: this.lastT,
      redacted: this.redact !== null, resyncs: this.resyncs,
      error: this.sink.error ?? (this.full ? `the recording reached its size limit (${this.maxBytes} bytes): later changes were not recorded` : null),
    };
  }

  private time(): number {
    this.lastT = Math.max(this.lastT, Math.round(this.now() - this.t0));
    return this.lastT;
  }

  private onEvent(e: Recorder['queue'][number]): void {
    if (this.stopped) return;
    if (this.resyncing || !this.state) {
      this.queue.push(e);
      return;
    }
    if (e.kind === 'engines') {
      this.write(encodeEngines(this.time(), this.redact ? redactEngines(e.engines, this.redact) : e.engines));
      this.engineChanges++;
      return;
    }
    const r = applyDelta(this.state, e.delta);
    if (r.kind === 'stale') return;
    if (r.kind === 'resync') {
      this.log(`the service skipped from seq ${this.state.seq} to ${e.delta.seq}: recording the difference from a fresh snapshot`);
      this.queue.push(e);
      void this.resync(false);
      return;
    }
    this.state = r.state;
    this.writeDelta({ ...e.delta, seq: ++this.fileSeq });
  }

  private writeDelta(d: Delta): void {
    this.write(encodeDelta(this.time(), this.redact ? redactDelta(d, this.redact) : d));
    this.deltas++;
  }

  private write(line: string): void {
    if (this.full) return;
    if (this.sink.bytes + line.length > this.maxBytes) {
      this.full = true;
      this.log(`size limit of ${this.maxBytes} bytes reached: later changes are not recorded`);
      return;
    }
    this.sink.write(line);
  }

  /** Fetches the service's state: the first time, writes header and initial state; later, the difference as one delta. */
  private resync(first: boolean): Promise<void> {
    const service = this.service;
    if (!service) return Promise.resolve();
    const run = (async () => {
      let fresh: SequencedSnapshot;
      try {
        fresh = await service.invoke('snapshot:get');
      } catch (err) {
        if (first) throw err;
        this.log(`resync failed, deltas until the next one are dropped: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (first) {
        this.t0 = this.now();
        const wall = this.opts.wallClock?.() ?? Date.now();
        const initial = this.redact ? redactSequenced(fresh, this.redact) : fresh;
        const hostname = this.redact?.hostnames ? REDACTED_HOSTNAME : fresh.snapshot.host.hostname;
        this.sink.write(encodeHeader({
          format: RECORDING_FORMAT, schema: RECORDING_SCHEMA, recordedAt: new Date(wall).toISOString(),
          host: { hostname, kernel: fresh.snapshot.host.kernel }, intervalMs: this.opts.intervalMs, redacted: this.redact !== null,
        }));
        this.sink.write(encodeInitial(initial));
        this.fileSeq = fresh.seq;
      } else if (this.state) {
        this.resyncs++;
        this.writeDelta(diffSnapshots(this.state.snapshot, fresh.snapshot, ++this.fileSeq, fresh.usage));
      }
      this.state = fresh;
    })().finally(() => {
      this.resyncing = null;
      const queued = this.queue.splice(0);
      for (const e of queued) this.onEvent(e);
    });
    this.resyncing = run;
    return run;
  }
}
