/** A cgroupfs or mountinfo file whose text is not in the format the kernel writes (cgroup-v2.rst "Interface Files", proc(5) mountinfo). */
export class CgroupParseError extends Error {
  override readonly name = 'CgroupParseError';
  /** What was being parsed, e.g. "memory.max" or "mountinfo line 3". */
  readonly what: string;

  constructor(what: string, message: string) {
    super(`${what}: ${message}`);
    this.what = what;
  }
}

/** A cgroupfs or /proc file that exists but could not be read (EACCES, EIO, ...): not the same as "controller not enabled". */
export class CgroupReadError extends Error {
  override readonly name = 'CgroupReadError';
  readonly file: string;
  /** errno code from Node (e.g. "EACCES"), or null. */
  readonly code: string | null;

  constructor(file: string, cause: unknown) {
    const code = errnoCode(cause);
    super(`cannot read ${file}: ${code ?? String(cause)}`, { cause });
    this.file = file;
    this.code = code;
  }
}

/** The errno code of a Node fs error, or null. */
export function errnoCode(err: unknown): string | null {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}
