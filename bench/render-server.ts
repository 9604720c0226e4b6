// A loopback HTTP server for the render bench: the production renderer bundle (dist/renderer) and
// the synthetic snapshots, nothing else; the snapshots also over a WebSocket (/bench/ws), as
// `isolens serve` sends them.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { WebSocketServer } from 'ws';
import { MAX_FRAGMENT_CHARS, fragmentServerMessage } from '../shared/wire-fragments';

/** The built renderer that `isolens serve` ships (npm run build). */
export const RENDERER_DIR = path.resolve(__dirname, '..', 'dist', 'renderer');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** A running bench server (RFC 9110 GET only). */
export interface BenchServer {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  close(): Promise<void>;
}

/** Where the WebSocket that sends the documents listens: send a document's path, receive its text. */
export const BENCH_WS_PATH = '/bench/ws';

/**
 * Serves the files of `dir` (default dist/renderer) at / and each `documents` entry (path → JSON
 * text) at its path, on 127.0.0.1 at a random port, uncached; a WebSocket at BENCH_WS_PATH
 * answers a document's path with its text as `isolens serve` sends a message (64 KiB fragments,
 * shared/wire-fragments.ts; an unknown path: an empty message).
 */
export async function startBenchServer(documents: ReadonlyMap<string, string>, dir: string = RENDERER_DIR, fragmentChars: number = MAX_FRAGMENT_CHARS): Promise<BenchServer> {
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`${dir}/index.html is missing: run npm run build first`);
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const f of fs.readdirSync(dir)) {
    const type = TYPES[path.extname(f)];
    if (type) files.set(`/${f}`, { body: fs.readFileSync(path.join(dir, f)), type });
  }
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  for (const [p, json] of documents) files.set(p, { body: Buffer.from(json), type: 'application/json; charset=utf-8' });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = req.method === 'GET' ? files.get(url.pathname) : undefined;
    if (!file) {
      res.writeHead(req.method === 'GET' ? 404 : 405).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length, 'cache-control': 'no-store' });
    res.end(file.body);
  });
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => {
    ws.on('message', (data: Buffer) => {
      for (const part of fragmentServerMessage(documents.get(data.toString()) ?? '', fragmentChars)) ws.send(part);
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== BENCH_WS_PATH) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
