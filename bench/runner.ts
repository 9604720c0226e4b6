// The reference commands run from bench/runner.c, a small process of its own, not forked from the
// bench's Node process (see runner.c for why): each timed by the runner, from its fork to its end.
import { type ChildProcess, spawn } from 'node:child_process';
import { compileBenchC, type CompiledBinary } from './compile';

/** How one command ended: its exit status (128 + signal; 127: not started), its time by the runner's clock, its stdout if captured. */
export interface CommandRun {
  readonly status: number;
  readonly ms: number;
  readonly stdout: string;
}

/** One runner process; commands run one at a time, in the order asked. */
export class CommandRunner {
  private readonly compiled: CompiledBinary;
  private readonly child: ChildProcess;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: CommandRun) => void; reject: (e: Error) => void }[] = [];
  private ended: Error | null = null;

  constructor() {
    this.compiled = compileBenchC('runner.c');
    this.child = spawn(this.compiled.binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.stdout?.on('data', (chunk: Buffer) => this.data(chunk));
    this.child.on('error', (e) => this.end(e));
    this.child.on('close', (code) => this.end(new Error(`bench runner exited ${code ?? 'by a signal'}`)));
  }

  /** Runs ARGV (the program looked up in PATH) to its end, stdout kept when `capture`, else discarded. */
  run(argv: readonly string[], capture = false): Promise<CommandRun> {
    if (this.ended) return Promise.reject(this.ended);
    if (argv.length === 0 || argv.some((a) => a.includes('\t') || a.includes('\n'))) return Promise.reject(new Error(`cannot pass ${JSON.stringify(argv)} to the runner`));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin?.write(`${capture ? 1 : 0}\t${argv.join('\t')}\n`);
    });
  }

  /** Runs ARGV and resolves with its time in ms; rejects unless it exited 0. */
  async timed(argv: readonly string[]): Promise<number> {
    const r = await this.run(argv);
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
    return r.ms;
  }

  /** Ends the runner and removes its binary. */
  close(): void {
    this.child.stdin?.end();
    this.compiled.dispose();
  }

  private data(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const nl = this.buffered.indexOf(0x0a);
      if (nl < 0) return;
      const m = /^(\d+) (\d+) (\d+)$/.exec(this.buffered.toString('latin1', 0, nl));
      if (!m) return this.end(new Error(`bench runner printed ${JSON.stringify(this.buffered.toString('latin1', 0, Math.min(nl, 80)))}`));
      const len = Number(m[3]);
      if (this.buffered.length < nl + 1 + len) return;
      const stdout = this.buffered.toString('utf8', nl + 1, nl + 1 + len);
      this.buffered = this.buffered.subarray(nl + 1 + len);
      this.waiting.shift()?.resolve({ status: Number(m[1]), ms: Number(m[2]) / 1000, stdout });
    }
  }

  private end(e: Error): void {
    if (this.ended) return;
    this.ended = e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }
}
