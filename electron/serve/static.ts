import fs from 'node:fs';
import path from 'node:path';

/** Content types by file extension (RFC 9110 §8.3 Content-Type; IANA media types). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a file name (RFC 9110 §8.3); application/octet-stream when unknown. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path (RFC 3986 §3.3, percent-encoded, without query) to a file under `root`, or
 * null if it cannot name one there: bad encoding, NUL, backslash, or `..` escaping the root.
 * Pure: touches no file system. '/' maps to index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  if (!urlPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // Any `..` segment is refused outright, even one that would stay inside the root.
  if (decoded.split('/').some((seg) => seg === '..')) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.slice(1);
  const base = path.resolve(root);
  const full = path.resolve(base, rel);
  if (full !== base && !full.startsWith(base + path.sep)) return null;
  if (full === base) return null;
  return full;
}

/** A file to send: its bytes and content type. */
export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * Reads the file a URL path names under `root` (see resolveStaticPath), refusing anything that is
 * not a regular file or whose real path (symlinks followed, realpath(3)) leaves the root's real path.
 * Returns null for "not found" in every such case; never throws.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  const full = resolveStaticPath(root, urlPath);
  if (full === null) return null;
  try {
    const [realRoot, realFile] = await Promise.all([fs.promises.realpath(root), fs.promises.realpath(full)]);
    if (!realFile.startsWith(realRoot + path.sep)) return null;
    const st = await fs.promises.stat(realFile);
    if (!st.isFile()) return null;
    const body = await fs.promises.readFile(realFile);
    return { body, contentType: contentTypeFor(realFile) };
  } catch {
    return null;
  }
}
