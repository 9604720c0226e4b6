/** Context for a ProcReadError: which process (if any) and which file. */
export interface ProcReadErrorInit {
  readonly pid: number | null;
  readonly file: string;
  readonly code: string;
  readonly cause?: unknown;
}

/**
 * A /proc file could not be read or parsed (proc(5)). `code` is the errno name
 * ('ENOENT' = the process vanished, 'EACCES' = not permitted, 'ESRCH', ...) or 'EPARSE'.
 */
export class ProcReadError extends Error {
  readonly pid: number | null;
  readonly file: string;
  readonly code: string;
  override readonly cause: unknown;

  constructor(message: string, init: ProcReadErrorInit) {
    super(message);
    this.name = 'ProcReadError';
    this.pid = init.pid;
    this.file = init.file;
    this.code = init.code;
    this.cause = init.cause;
  }
}

/** Text of a /proc file that does not have the format proc(5) documents; thrown by the pure parsers. */
export class ProcParseError extends Error {
  /** The kind of file being parsed, e.g. 'stat', 'status', 'cgroup'. */
  readonly kind: string;

  constructor(kind: string, message: string) {
    super(`${kind}: ${message}`);
    this.name = 'ProcParseError';
    this.kind = kind;
  }
}

/** Wraps anything thrown while reading or parsing `file` into a ProcReadError (errno code, or 'EPARSE'). */
export function toProcReadError(err: unknown, pid: number | null, file: string): ProcReadError {
  if (err instanceof ProcReadError) {
    if (err.pid === pid || pid === null) return err;
    return new ProcReadError(err.message, { pid, file: err.file, code: err.code, cause: err.cause });
  }
  if (err instanceof ProcParseError) {
    return new ProcReadError(`cannot parse ${file}: ${err.message}`, { pid, file, code: 'EPARSE', cause: err });
  }
  const code = errnoCode(err) ?? 'EUNKNOWN';
  const detail = err instanceof Error ? err.message : String(err);
  return new ProcReadError(`cannot read ${file}: ${detail}`, { pid, file, code, cause: err });
}

function errnoCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null || !('code' in err)) return null;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/** True for the codes that mean the process is gone (exited and reaped between listing and reading). */
export function isVanished(err: ProcReadError): boolean {
  return err.code === 'ENOENT' || err.code === 'ESRCH';
}
