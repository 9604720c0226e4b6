import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { IsolensService } from '../../shared/contract';
import {
  TOKEN_COOKIE,
  isAllowedHostHeader,
  isLoopbackHost,
  isSameOrigin,
  isWellFormedToken,
  isWildcardHost,
  requestHasToken,
  tokenMatches,
} from './auth';
import { readStaticFile } from './static';
import { DEFAULT_SESSION_LIMITS, PayloadCache, attachSession } from './ws-session';
import type { SessionLimits } from './ws-session';

/** Options of `isolens serve`: the read-only HTTP + WebSocket transport (RFC 9110, RFC 6455). */
export interface ServeOptions {
  readonly service: IsolensService;
  /** The built renderer (index.html and its assets); nothing outside it is ever served. */
  readonly staticDir: string;
  /** Address to bind; default 127.0.0.1. A non-loopback address needs allowNonLoopback. */
  readonly host?: string;
  /** Port; default 0 (a free port chosen by the kernel). */
  readonly port?: number;
  /** Access token (base64url, ≥ 16 characters); default 24 random bytes. */
  readonly token?: string;
  readonly allowNonLoopback?: boolean;
  readonly log?: (line: string) => void;
  /** WebSocket ping interval in ms; a client that misses a pong by the next ping is dropped. Default 30 000. */
  readonly heartbeatMs?: number;
  /** Per-connection limits; defaults in DEFAULT_SESSION_LIMITS. */
  readonly limits?: Partial<SessionLimits>;
}

/** A running server. */
export interface RunningServer {
  /** The page to open, with the token: http://127.0.0.1:PORT/?token=… */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Stops accepting, closes every connection, resolves when the port is free. */
  close(): Promise<void>;
}

/** A refused server configuration (a non-loopback host without consent, a malformed token). */
export class ServeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServeConfigError';
  }
}

/** Largest WebSocket frame accepted (bigger ones close the connection with 1009, RFC 6455 §7.4.1). */
const MAX_FRAME_BYTES = 1024 * 1024;

/** Headers sent with every HTTP response (CSP Level 3, RFC 9111 Cache-Control, Fetch nosniff). */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; connect-src 'self' ws: ; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

/** Splits a request target (RFC 9112 §3.2 origin-form) into path and query; null unless it starts with '/'. */
function splitTarget(target: string | undefined): { pathname: string; query: URLSearchParams } | null {
  if (!target || !target.startsWith('/')) return null;
  const q = target.indexOf('?');
  const pathname = q < 0 ? target : target.slice(0, q);
  return { pathname, query: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)) };
}

function displayHost(host: string): string {
  if (isWildcardHost(host)) return '127.0.0.1';
  return net.isIPv6(host) ? `[${host}]` : host;
}

function refuseUpgrade(socket: Duplex, status: number): void {
  const reason = http.STATUS_CODES[status] ?? 'Error';
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Serves the renderer and the IsolensService over HTTP + WebSocket (/ws), read-only, behind a
 * token, bound to loopback unless told otherwise.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!isLoopbackHost(host) && !opts.allowNonLoopback) {
    throw new ServeConfigError(
      `refusing to serve on ${host}: it is not a loopback address, and the page shows this host's processes; pass allowNonLoopback (--allow-non-loopback) to do it anyway`,
    );
  }
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  if (!isWellFormedToken(token)) throw new ServeConfigError('the token must be 16 to 512 base64url characters');
  const staticDir = path.resolve(opts.staticDir);
  if (!fs.statSync(staticDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ServeConfigError(`static directory ${staticDir} does not exist`);
  }
  const limits: SessionLimits = { ...DEFAULT_SESSION_LIMITS, ...opts.limits };
  const heartbeatMs = opts.heartbeatMs ?? 30_000;
  const cache = new PayloadCache();
  let port = 0;
  let closing = false;

  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      log(`isolens serve: request failed: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end();
    });
  });

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const plain = (status: number, text: string, extra: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...extra });
      res.end(req.method === 'HEAD' ? undefined : `${text}\n`);
    };
    if (!isAllowedHostHeader(req.headers.host, host, port)) return plain(403, 'Forbidden: unexpected Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Method Not Allowed: this server is read-only', { Allow: 'GET, HEAD' });
    const target = splitTarget(req.url);
    if (target === null) return plain(400, 'Bad Request');
    const queryToken = target.query.get('token');
    const ok = requestHasToken(token, { query: queryToken, authorization: req.headers.authorization, cookie: req.headers.cookie });
    if (!ok) return plain(401, 'Unauthorized: open the URL that `isolens serve` printed (it carries the token)', { 'WWW-Authenticate': 'Bearer' });
    if (tokenMatches(token, queryToken)) {
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    }
    if (target.pathname === '/ws') return plain(426, 'Upgrade Required', { Upgrade: 'websocket' });
    const file = await readStaticFile(staticDir, target.pathname);
    if (file === null) return plain(404, 'Not Found');
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': String(file.body.length) });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log(`isolens serve: upgrade socket error: ${err.message}`));
    if (closing) return refuseUpgrade(socket, 503);
    if (!isAllowedHostHeader(req.headers.host, host, port)) return refuseUpgrade(socket, 403);
    const target = splitTarget(req.url);
    if (target === null || target.pathname !== '/ws') return refuseUpgrade(socket, 404);
    if (!isSameOrigin(req.headers.origin, req.headers.host)) return refuseUpgrade(socket, 403);
    const ok = requestHasToken(token, { query: target.query.get('token'), authorization: req.headers.authorization, cookie: req.headers.cookie });
    if (!ok) return refuseUpgrade(socket, 401);
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      attachSession(ws, opts.service, cache, log, limits);
    });
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        log('isolens serve: dropping a client that missed a heartbeat');
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }, heartbeatMs);
  heartbeat.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port: opts.port ?? 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    clearInterval(heartbeat);
    throw err;
  }
  server.on('error', (err) => log(`isolens serve: server error: ${err.message}`));
  const addr = server.address();
  port = typeof addr === 'object' && addr !== null ? addr.port : 0;

  if (!isLoopbackHost(host)) {
    log(
      `isolens serve: WARNING: listening on ${host}:${port}, which is NOT loopback. Anyone who can reach this ` +
        `address and has the token sees this host's processes, command lines, namespaces and containers.`,
    );
  }

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    if (closed) return closed;
    closing = true;
    clearInterval(heartbeat);
    closed = new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      const force = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, 1000);
      force.unref();
      wss.close();
    });
    return closed;
  };

  return { url: `http://${displayHost(host)}:${port}/?token=${token}`, port, token, close };
}
