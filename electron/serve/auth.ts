import crypto from 'node:crypto';
import net from 'node:net';

/** Name of the cookie that carries the token for the page's own asset requests (RFC 6265). */
export const TOKEN_COOKIE = 'isolens_token';

/** A token is base64url text (RFC 4648 §5) of at least 16 characters: safe in a URL and a cookie. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{16,512}$/.test(token);
}

/** Compares a presented token with the expected one in constant time (crypto.timingSafeEqual over SHA-256 digests). */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = crypto.createHash('sha256').update(expected).digest();
  const b = crypto.createHash('sha256').update(presented).digest();
  return crypto.timingSafeEqual(a, b);
}

/** Parses a Cookie request header into name → value (RFC 6265 §5.4); the first of duplicate names wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? '' : part.slice(0, eq).trim();
    if (name === '') continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

/** Where a request may carry the token: `?token=`, `Authorization: Bearer` (RFC 6750 §2.1), or the cookie. */
export interface TokenSources {
  readonly query: string | null;
  readonly authorization: string | undefined;
  readonly cookie: string | undefined;
}

/** Whether any of the request's token sources holds the expected token. */
export function requestHasToken(expected: string, src: TokenSources): boolean {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(src.authorization ?? '')?.[1] ?? null;
  const cookie = parseCookies(src.cookie).get(TOKEN_COOKIE) ?? null;
  // Evaluate all three (no short-circuit on which one is present), each in constant time.
  const q = tokenMatches(expected, src.query);
  const b = tokenMatches(expected, bearer);
  const c = tokenMatches(expected, cookie);
  return q || b || c;
}

/** Whether a host to bind is loopback: 127.0.0.0/8, ::1, ::ffff:127.x.y.z or the name localhost (RFC 6761 §6.3). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) {
    if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1];
    return mapped !== undefined && mapped.startsWith('127.');
  }
  return false;
}

/** Whether a host to bind is a wildcard address (0.0.0.0 or ::), listening on every interface (ip(7), ipv6(7)). */
export function isWildcardHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1');
  return h === '0.0.0.0' || h === '::' || h === '0:0:0:0:0:0:0:0';
}

/** A Host header split into name and port (RFC 9110 §7.2); null when malformed. */
export function parseHostHeader(value: string | undefined): { hostname: string; port: number | null } | null {
  if (!value) return null;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m || m[1] === undefined) return null;
  const hostname = m[1].toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && port > 65535) return null;
  return { hostname, port };
}

/**
 * DNS-rebinding defence: whether a request's Host header names this server. Accepted: the bound
 * host, localhost, 127.0.0.1 and ::1, with the bound port (80 may be omitted); when bound to a
 * wildcard address, any IP literal too (a rebinding attack needs a DNS name).
 */
export function isAllowedHostHeader(value: string | undefined, boundHost: string, port: number): boolean {
  const h = parseHostHeader(value);
  if (h === null) return false;
  if ((h.port ?? 80) !== port) return false;
  const bound = boundHost.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h.hostname === bound || h.hostname === 'localhost' || h.hostname === '127.0.0.1' || h.hostname === '::1') return true;
  return isWildcardHost(bound) && net.isIP(h.hostname) !== 0;
}

/**
 * Cross-site WebSocket hijacking defence (RFC 6455 §10.2): an Origin, when present, must be
 * this page's own origin `http://<Host header>`. A missing Origin means a non-browser client,
 * which must still hold the token.
 */
export function isSameOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!hostHeader) return false;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (o.protocol !== 'http:') return false;
  const expected = parseHostHeader(hostHeader);
  const got = parseHostHeader(o.host);
  if (expected === null || got === null) return false;
  return expected.hostname === got.hostname && (expected.port ?? 80) === (got.port ?? 80);
}
