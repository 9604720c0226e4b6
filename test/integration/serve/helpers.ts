// Helpers for the serve tests: raw HTTP requests (custom Host headers) and a WebSocket with a message inbox.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { ClientOptions } from 'ws';
import { createFragmentJoiner } from '../../../shared/wire-fragments';

/** A response, body read whole. */
export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP request to 127.0.0.1:port, with exactly the headers given (Host included). */
export function request(port: number, reqPath: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: reqPath, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...opts.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A temp directory holding an index.html, an app.js and a secret next to it (outside). */
export function makeStaticDir(): { root: string; dir: string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-serve-'));
  const dir = path.join(root, 'www');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>isolens</title><script src="app.js"></script>');
  fs.writeFileSync(path.join(dir, 'app.js'), 'console.log("isolens");');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'do not serve');
  return { root, dir, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** A `ws` client with every text message kept (fragments joined, as the app's client does), for `next()`. */
export class Inbox {
  readonly messages: unknown[] = [];
  private waiters: (() => void)[] = [];
  constructor(readonly ws: WebSocket) {
    const joiner = createFragmentJoiner();
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? null : joiner.push((data as Buffer).toString('utf8'));
      if (typeof text === 'string') this.messages.push(JSON.parse(text));
      else if (text !== null) throw new Error(`bad fragment: ${text.message}`);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Waits for (and removes) the first message matching `pred`. */
  async next(pred: (m: Record<string, unknown>) => boolean = () => true, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex((m) => pred(m as Record<string, unknown>));
      if (i >= 0) return this.messages.splice(i, 1)[0] as Record<string, unknown>;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; have ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

/** Opens a `ws` connection: resolves with the open socket, or rejects with the HTTP status of a refused upgrade. */
export function connect(url: string, options: ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

/** Resolves when the socket has closed. */
export function closed(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

/** Polls until `cond` holds (or throws after timeoutMs). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
