import type { OsRelease } from '../../../shared/rootfs';
import { readFileInRoot, type RootHandle } from './resolve';

/** Where os-release(5) says to look, in order. */
export const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release'] as const;
/** No real os-release is near this size; more is refused. */
export const OS_RELEASE_MAX_BYTES = 64 * 1024;

/** Malformed os-release(5) text: a line that is not KEY=VALUE, a comment or blank, or an unterminated quote. */
export class OsReleaseError extends Error {
  override readonly name = 'OsReleaseError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`os-release line ${line}: ${message}`);
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One os-release(5) value: shell-like, in double quotes (\" \\ \$ \` escapes), single quotes
 * (literal), or bare (backslash escapes the next character; inner blanks are kept, as systemd's
 * parse_env_file does). Returns null if a quote is not closed.
 */
export function unquoteOsReleaseValue(raw: string): string | null {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i] as string;
    if (ch === '"') {
      i++;
      let closed = false;
      while (i < raw.length) {
        const c = raw[i] as string;
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\\' && i + 1 < raw.length && '"\\$`'.includes(raw[i + 1] as string)) {
          out += raw[i + 1];
          i += 2;
          continue;
        }
        out += c;
        i++;
      }
      if (!closed) return null;
    } else if (ch === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) return null;
      out += raw.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '\\' && i + 1 < raw.length) {
      out += raw[i + 1];
      i += 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/**
 * Parses os-release(5) text into its variables: `KEY=VALUE` lines, `#` comments and blank
 * lines. Throws OsReleaseError on any other line or an unterminated quote.
 */
export function parseOsRelease(text: string): Record<string, string> {
  if (text.includes('\0')) throw new OsReleaseError(1, 'contains NUL bytes (not a text file)');
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new OsReleaseError(n + 1, `not KEY=VALUE: ${JSON.stringify(line.slice(0, 60))}`);
    const key = line.slice(0, eq);
    if (!KEY.test(key)) throw new OsReleaseError(n + 1, `bad variable name ${JSON.stringify(key.slice(0, 60))}`);
    const value = unquoteOsReleaseValue(line.slice(eq + 1));
    if (value === null) throw new OsReleaseError(n + 1, `unterminated quote in ${key}`);
    out[key] = value;
  }
  return out;
}

const cap = (s: string): string => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

/** The os-release(5) fields we show, with the defaults the man page gives for missing ones. */
export function osReleaseOf(vars: Readonly<Record<string, string>>, source: string): OsRelease {
  const name = vars.NAME || 'Linux';
  return {
    name: cap(name),
    id: cap(vars.ID || 'linux'),
    versionId: vars.VERSION_ID ? cap(vars.VERSION_ID) : null,
    prettyName: cap(vars.PRETTY_NAME || 'Linux'),
    source,
  };
}

/** What reading os-release gave: the OS, or none, and why not when a file was there but unusable. */
export interface OsReleaseRead {
  readonly os: OsRelease | null;
  readonly problem: string | null;
}

/**
 * Reads os-release(5) inside a container root: /etc/os-release, else /usr/lib/os-release,
 * each resolved in the root (a symlink can never reach the host's file). Never throws.
 */
export function readOsRelease(root: RootHandle): OsReleaseRead {
  let problem: string | null = null;
  for (const path of OS_RELEASE_PATHS) {
    const r = readFileInRoot(root, path, OS_RELEASE_MAX_BYTES);
    if (!r.ok) {
      if (r.code !== 'ENOENT') problem = `${path}: ${r.code}`;
      continue;
    }
    if (r.truncated) {
      problem = `${path}: larger than ${OS_RELEASE_MAX_BYTES} bytes`;
      continue;
    }
    try {
      return { os: osReleaseOf(parseOsRelease(r.data.toString('utf8')), r.path), problem: null };
    } catch (e) {
      problem = `${path}: ${(e as Error).message}`;
    }
  }
  return { os: null, problem };
}
