import { capabilityName, DOCKER_DEFAULT_CAPS, LAST_KNOWN_CAP } from '../../../shared/confinement';
import { parseDecimal } from '../procfs/parse';
import { readProcText } from '../procfs/read';

/**
 * The names of the bits set in a capability mask from /proc/PID/status (capabilities(7)),
 * lowest bit first: "CAP_CHOWN" …; bits newer than the table are kept as "CAP_41".
 */
export function capabilityNames(mask: bigint | null): string[] {
  const out: string[] = [];
  if (mask === null) return out;
  for (let bit = 0, m = mask; m > 0n; bit++, m >>= 1n) {
    if (m & 1n) out.push(capabilityName(bit));
  }
  return out;
}

/** The mask with every bit from 0 to `lastCap` set: all capabilities the running kernel knows (/proc/sys/kernel/cap_last_cap). */
export function allCapsMask(lastCap: number): bigint {
  return (1n << BigInt(lastCap + 1)) - 1n;
}

/** The bits of every capability that existed before Linux 5.8 (up to CAP_AUDIT_READ): what engines built before then grant as "ALL". */
export const PRE_5_8_CAPS_MASK = allCapsMask(37);

/** True when the mask has a bit above LAST_KNOWN_CAP: a kernel newer than this table. */
export const hasUnknownBits = (mask: bigint): boolean => mask >> BigInt(LAST_KNOWN_CAP + 1) !== 0n;

/** Parses /proc/sys/kernel/cap_last_cap (proc(5)): the number of the highest capability the kernel knows. */
export function parseCapLastCap(text: string): number {
  return parseDecimal(text.trim(), 'cap_last_cap', 'value');
}

/** Reads ${procRoot}/sys/kernel/cap_last_cap; null when absent (kernels before 3.2, fixture trees) or unreadable. */
export function readCapLastCap(procRoot: string): number | null {
  try {
    return parseCapLastCap(readProcText(`${procRoot}/sys/kernel/cap_last_cap`));
  } catch {
    return null;
  }
}

/** A container's capability set against Docker's default: what was added and what was dropped (names with CAP_). */
export function diffFromDockerDefault(names: readonly string[]): { added: string[]; dropped: string[] } {
  const have = new Set(names);
  const dflt = new Set(DOCKER_DEFAULT_CAPS);
  return {
    added: names.filter((n) => !dflt.has(n)),
    dropped: DOCKER_DEFAULT_CAPS.filter((n) => !have.has(n)),
  };
}
