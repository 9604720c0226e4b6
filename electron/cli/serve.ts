import * as fs from 'node:fs';
import * as path from 'node:path';
import { CollectorService } from '../collector/service/collector-service';
import { defaultEngines } from '../collector/engines/registry';
import { defaultRelations } from '../collector/relations';
import { ServeConfigError, startServer } from '../serve/server';
import { parseArgs } from './args';

/** Where `npm run build` puts the renderer. */
export const RENDERER_DIR = path.resolve(__dirname, '..', '..', 'renderer');

/** `isolens serve [--port N] [--host H] [--allow-remote] [--interval MS]`: the UI and the live stream over HTTP + WebSocket. */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  const a = parseArgs(argv, ['--port', '--host', '--interval'], ['--allow-remote']);
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
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    process.stderr.write(`isolens serve: the renderer is not built (${RENDERER_DIR}/index.html is missing): run npm run build\n`);
    return 1;
  }
  const log = (line: string): void => void process.stderr.write(`isolens: ${line}\n`);
  const service = new CollectorService({ engines: defaultEngines(), lsns: defaultRelations(), intervalMs, log });
  await service.start();
  let server;
  try {
    server = await startServer({
      service, staticDir: RENDERER_DIR, host: a.values.get('--host') ?? '127.0.0.1', port,
      allowNonLoopback: a.flags.has('--allow-remote'), log,
    });
  } catch (e) {
    await service.stop();
    if (e instanceof ServeConfigError) {
      process.stderr.write(`isolens serve: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  process.stdout.write(`isolens serve: open ${server.url}\n`);
  const running = server;
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      void Promise.all([running.close(), service.stop()]).then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
