import { execFile } from 'node:child_process';
import { NAMESPACE_KINDS, type NamespaceKind } from '../../shared/namespaces';

/** lsns(8) arguments: JSON, full list, and the columns parseLsns reads. */
export const LSNS_ARGS: readonly string[] = ['-J', '-l', '-o', 'NS,TYPE,NPROCS,PID,PPID,PNS,ONS,NETNSID,NSFS'];

/** One row of `lsns -J -l -o NS,TYPE,NPROCS,PID,PPID,PNS,ONS,NETNSID,NSFS` (lsns(8)). */
export interface LsnsNamespace {
  /** NS: inode number of the namespace (namespaces(7)). */
  readonly ns: number;
  readonly type: NamespaceKind;
  /** NPROCS: processes in it that the caller can see (0 where a newer lsns lists a namespace kept alive only by a bind mount or fd). */
  readonly nprocs: number;
  /** PID: lowest pid in it, null when no process is in it. */
  readonly pid: number | null;
  /** PPID: parent of that process (0 for kernel threads and pid 1). */
  readonly ppid: number | null;
  /** PNS: parent namespace (pid and user only); null where lsns prints 0 (none, or not visible). */
  readonly pns: number | null;
  /** ONS: owning user namespace; null where lsns prints 0 (the initial user namespace has none). */
  readonly ons: number | null;
  /** NETNSID: nsid of a net namespace as seen from lsns' own net namespace; null for "unassigned" or other types. */
  readonly netnsid: number | null;
  /** NSFS: bind mounts of its nsfs file (e.g. /run/netns/NAME); lsns 2.38 separates several with a newline. */
  readonly nsfs: readonly string[];
}

/** Malformed lsns(8) JSON: not JSON, no "namespaces" array, or a field of the wrong type. */
export class LsnsParseError extends Error {
  override readonly name = 'LsnsParseError';
}

/** Why running lsns(8) failed: not installed, failed (with its stderr), timed out, or printed something parseLsns rejects. */
export type LsnsErrorCode = 'ENOENT' | 'FAILED' | 'TIMEOUT' | 'PARSE';

/** Running lsns(8) failed; the snapshot turns it into a warning. */
export class LsnsError extends Error {
  override readonly name = 'LsnsError';
  constructor(
    readonly code: LsnsErrorCode,
    message: string,
    readonly stderr: string = '',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const KINDS: ReadonlySet<string> = new Set(NAMESPACE_KINDS);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-negative integer printed as a JSON number (lsns >= 2.37) or a string (older lsns). */
function toInt(v: unknown, field: string, index: number): number | null {
  if (v === null || v === undefined || v === '') return null;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) n = Number(v.trim());
  else throw new LsnsParseError(`namespaces[${index}].${field}: expected a number, got ${JSON.stringify(v)}`);
  if (!Number.isSafeInteger(n)) throw new LsnsParseError(`namespaces[${index}].${field}: not an integer: ${JSON.stringify(v)}`);
  return n;
}

/** 0 means "none" in lsns' PNS and ONS columns. */
function toNsRef(v: unknown, field: string, index: number): number | null {
  const n = toInt(v, field, index);
  return n === null || n <= 0 ? null : n;
}

function toNetnsid(v: unknown, index: number): number | null {
  // lsns prints "unassigned" for NETNSA_NSID_NOT_ASSIGNED (-1), a number (as a string in 2.38) otherwise.
  if (v === 'unassigned') return null;
  const n = toInt(v, 'netnsid', index);
  return n === null || n < 0 ? null : n;
}

function toNsfs(v: unknown, index: number): string[] {
  if (v === null || v === undefined) return [];
  // 2.38 joins several mount points with "\n"; accept a JSON array too, as newer versions may print one.
  const parts = typeof v === 'string' ? v.split('\n')
    : Array.isArray(v) && v.every((p) => typeof p === 'string') ? (v as string[])
      : null;
  if (parts === null) throw new LsnsParseError(`namespaces[${index}].nsfs: expected a string, got ${JSON.stringify(v)}`);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Parses the JSON printed by `lsns` with LSNS_ARGS (lsns(8), util-linux 2.38: numbers as JSON
 * numbers, NETNSID as a string; older versions print every value as a string). Rows of a type
 * this code does not know (a future kernel's) are skipped.
 */
export function parseLsns(json: string): LsnsNamespace[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw new LsnsParseError(`lsns output is not JSON: ${(e as Error).message}`);
  }
  if (!isRecord(doc)) throw new LsnsParseError('lsns output is not a JSON object');
  const rows = doc.namespaces;
  if (!Array.isArray(rows)) throw new LsnsParseError('lsns output has no "namespaces" array');
  const out: LsnsNamespace[] = [];
  rows.forEach((row: unknown, i) => {
    if (!isRecord(row)) throw new LsnsParseError(`namespaces[${i}] is not an object`);
    const ns = toInt(row.ns, 'ns', i);
    if (ns === null || ns <= 0) throw new LsnsParseError(`namespaces[${i}].ns is missing`);
    if (typeof row.type !== 'string') throw new LsnsParseError(`namespaces[${i}].type: expected a string, got ${JSON.stringify(row.type)}`);
    if (!KINDS.has(row.type)) return;
    out.push({
      ns,
      type: row.type as NamespaceKind,
      nprocs: toInt(row.nprocs, 'nprocs', i) ?? 0,
      pid: toInt(row.pid, 'pid', i),
      ppid: toInt(row.ppid, 'ppid', i),
      pns: toNsRef(row.pns, 'pns', i),
      ons: toNsRef(row.ons, 'ons', i),
      netnsid: toNetnsid(row.netnsid, i),
      nsfs: toNsfs(row.nsfs, i),
    });
  });
  return out;
}

/** Options for runLsns; `command` replaces the `lsns` looked up in PATH (tests). */
export interface RunLsnsOptions {
  readonly timeoutMs?: number;
  readonly command?: string;
}

/** Runs `lsns` with LSNS_ARGS (execFile, no shell) and parses its output (lsns(8)). */
export function runLsns(opts: RunLsnsOptions = {}): Promise<LsnsNamespace[]> {
  const command = opts.command ?? 'lsns';
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...LSNS_ARGS],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
          if (e.code === 'ENOENT') {
            reject(new LsnsError('ENOENT', `${command} not found: install util-linux`, '', { cause: err }));
          } else if (e.killed === true && e.signal === 'SIGKILL') {
            reject(new LsnsError('TIMEOUT', `${command} did not finish within ${timeoutMs} ms`, stderr, { cause: err }));
          } else {
            const why = stderr.trim() || e.message;
            reject(new LsnsError('FAILED', `${command} failed: ${why}`, stderr, { cause: err }));
          }
          return;
        }
        try {
          resolve(parseLsns(stdout));
        } catch (pe) {
          reject(new LsnsError('PARSE', `${command} printed unexpected output: ${(pe as Error).message}`, stderr, { cause: pe }));
        }
      },
    );
  });
}
