import { ProcParseError } from './errors';

/** Parses a non-negative decimal integer as the kernel prints it (%u, %lu, %d without sign); throws ProcParseError otherwise. */
export function parseDecimal(s: string | undefined, kind: string, what: string): number {
  if (s === undefined || s.length === 0 || s.length > 20) {
    throw new ProcParseError(kind, `${what}: expected a number, got ${JSON.stringify(s ?? null)}`);
  }
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) throw new ProcParseError(kind, `${what}: expected a number, got ${JSON.stringify(s)}`);
    n = n * 10 + c;
  }
  return n;
}
