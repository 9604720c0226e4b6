// Runs the real `bin/isolens serve` as a child process and reads the URL it prints.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inCI } from '../../helpers/require';
import { waitFor } from '../../helpers/wait';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A running `isolens serve` (electron/cli/serve.ts). */
export interface ServeProcess {
  /** The URL it printed, token included: `http://127.0.0.1:PORT/?token=…`. */
  readonly url: string;
  readonly pid: number;
  /** What it wrote on stderr so far (its log). */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when it has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * For `describe(name, { skip: builtSkip() }, ...)`: false when `npm run build` has made dist/
 * (the CLI and the renderer); otherwise why not. Under CI=true a missing build throws.
 */
export function builtSkip(): string | false {
  const cli = path.join(ROOT, 'dist', 'electron', 'cli', 'main.js');
  const ui = path.join(ROOT, 'dist', 'renderer', 'index.html');
  if (fs.existsSync(cli) && fs.existsSync(ui)) return false;
  const why = 'dist/ is not built: run npm run build';
  if (inCI) throw new Error(`CI=true but ${why}`);
  return why;
}

/**
 * Starts `bin/isolens serve [--interval MS] [ARGS…]` on a random loopback port and waits for its URL
 * (20 s at most); `args` adds options such as `--recording FILE` (which takes no --interval) or `--classroom`.
 */
export async function startServe(opts: { readonly intervalMs?: number; readonly args?: readonly string[] }): Promise<ServeProcess> {
  const interval = opts.intervalMs !== undefined ? ['--interval', String(opts.intervalMs)] : [];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [path.join(ROOT, 'bin', 'isolens'), 'serve', ...interval, ...(opts.args ?? [])], {
    cwd: ROOT,
  });
  let out = '';
  let err = '';
  let exited = child.exitCode !== null;
  const done = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await done;
    clearTimeout(timer);
  };
  try {
    const url = await waitFor('the URL isolens serve prints', () => {
      if (exited) throw new Error(`isolens serve exited (${child.exitCode}): ${err.trim()}`);
      return /open (http:\/\/\S+)/.exec(out)?.[1];
    }, 20_000);
    return { url, pid: child.pid ?? -1, stderr: () => err, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
