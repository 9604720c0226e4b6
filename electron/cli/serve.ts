import * as fs from 'node:fs';
import * as path from 'node:path';
import { WorkerService } from '../collector/worker/worker-service';
import { describeRecording, openPlayback } from '../collector/recording/open';
import type { IsolensService } from '../../shared/contract';
import { ServeConfigError, startServer } from '../serve/server';
import { parseArgs } from './args';

/** Where `npm run build` puts the renderer. */
export const RENDERER_DIR = path.resolve(__dirname, '..', '..', 'renderer');

/** What serve serves: the live collector, or a recording (which reads no /proc and asks no engine). */
interface Served {
  readonly service: IsolensService;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `isolens serve [--port N] [--host H] [--allow-remote] [--interval MS]`: the UI and the live stream over HTTP + WebSocket;
 * `--recording FILE [--speed X] [--paused]`: a recording instead of the live host; `--classroom`: the printed URL opens in classroom mode.
 */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  const a = parseArgs(argv, ['--port', '--host', '--interval', '--recording', '--speed'], ['--allow-remote', '--paused', '--classroom']);
  if (a.unknown.length > 0) {
    process.stderr.write(`isolens serve: unknown option ${a.unknown.join(' ')}\n`);
    return 2;
  }
  const port = Number(a.values.get('--port') ?? '0');
  const intervalMs = Number(a.values.get('--interval') ?? '1000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('isolens serve: --port takes 0..65535\n');
    return 2;
  }
  if (!Number.isFinite(intervalMs) || intervalMs < 100) {
    process.stderr.write('isolens serve: --interval takes milliseconds, at least 100\n');
    return 2;
  }
  const recordingFile = a.values.get('--recording');
  if (recordingFile === undefined && (a.values.has('--speed') || a.flags.has('--paused'))) {
    process.stderr.write('isolens serve: --speed and --paused need --recording FILE\n');
    return 2;
  }
  if (recordingFile !== undefined && a.values.has('--interval')) {
    process.stderr.write('isolens serve: --interval has no meaning with --recording (the recording keeps its own)\n');
    return 2;
  }
  let served: Served | null = null;
  if (recordingFile !== undefined) {
    const opened = openPlayback(recordingFile, { speed: Number(a.values.get('--speed') ?? '1'), paused: a.flags.has('--paused') });
    if (opened instanceof Error) {
      process.stderr.write(`isolens serve: cannot play ${recordingFile}: ${opened.message}\n`);
      return 2;
    }
    for (const w of opened.recording.warnings) process.stderr.write(`isolens serve: ${recordingFile}: ${w}\n`);
    process.stdout.write(`isolens serve: playing ${recordingFile} (${describeRecording(opened.recording)})\n`);
    const player = opened.service;
    served = { service: player, start: () => Promise.resolve(player.start()), stop: () => Promise.resolve(player.stop()) };
  }
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    process.stderr.write(`isolens serve: the renderer is not built (${RENDERER_DIR}/index.html is missing): run npm run build\n`);
    return 1;
  }
  const log = (line: string): void => void process.stderr.write(`isolens: ${line}\n`);
  // The live collector reads /proc in a worker thread, off this HTTP loop.
  served ??= live(new WorkerService({ intervalMs, log }));
  const { service } = served;
  await served.start();
  let server;
  try {
    server = await startServer({
      service, staticDir: RENDERER_DIR, host: a.values.get('--host') ?? '127.0.0.1', port,
      allowNonLoopback: a.flags.has('--allow-remote'), log,
    });
  } catch (e) {
    await served.stop();
    if (e instanceof ServeConfigError) {
      process.stderr.write(`isolens serve: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  // --classroom: the page reads ?classroom=1 and starts in classroom mode (renderer/main.tsx).
  const url = a.flags.has('--classroom') ? `${server.url}${server.url.includes('?') ? '&' : '?'}classroom=1` : server.url;
  process.stdout.write(`isolens serve: open ${url}\n`);
  const running = server;
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      void Promise.all([running.close(), served.stop()]).then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function live(service: WorkerService): Served {
  return { service, start: () => service.start(), stop: () => service.stop() };
}
