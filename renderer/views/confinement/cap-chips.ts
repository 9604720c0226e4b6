// Capability chips of a container, grouped by what they grant and marked against Docker's
// default set: kept default, added with --cap-add, extra (there without a --cap-add), dropped. Pure.
import { capabilityGroup, capabilityInfo, CAPABILITY_GROUPS, DOCKER_DEFAULT_CAPS } from '../../../shared/confinement';
import type { CapabilityGroup, ContainerSecurity } from '../../../shared/confinement';
import type { ContainerConfig } from '../../../shared/model';

/**
 * How a capability stands against Docker's default set (moby oci/caps/defaults.go, capabilities(7)):
 * `default` in both; `added` in the bounding set beyond the defaults because `--cap-add` asked for it;
 * `extra` beyond the defaults without a `--cap-add` (--privileged, another engine's set, a host
 * process); `dropped` a default one missing from the bounding set (`--cap-drop`).
 */
export type CapState = 'default' | 'added' | 'extra' | 'dropped';

/** One chip: the capability, its state, and whether the init has it in its effective set. */
export interface CapChip {
  /** "CAP_NET_ADMIN" (unknown bits "CAP_41"). */
  readonly name: string;
  /** Without the CAP_ prefix, as `docker run --cap-add` spells it. */
  readonly short: string;
  readonly state: CapState;
  /** In CapEff (/proc/PID/status): what its init can use right now. Always false for dropped ones. */
  readonly effective: boolean;
  readonly summary: string;
  readonly bit: number | null;
}

/** The chips of one capability group, in bit order. */
export interface CapChipGroup {
  readonly id: CapabilityGroup;
  readonly title: string;
  readonly chips: readonly CapChip[];
}

/** Counts per state, for the one-line summary. */
export interface CapCounts {
  readonly default: number;
  readonly added: number;
  readonly extra: number;
  readonly dropped: number;
  readonly effective: number;
  readonly bounding: number;
}

const shortName = (name: string): string => name.replace(/^CAP_/, '');
const bitOf = (name: string): number | null => {
  const info = capabilityInfo(name);
  if (info) return info.bit;
  const m = /^CAP_(\d+)$/.exec(name);
  return m ? Number(m[1]) : null;
};

/** True when the engine config's --cap-add names this capability (or ALL). */
function askedFor(name: string, cfg: ContainerConfig | null): boolean {
  if (!cfg) return false;
  const want = shortName(name.toUpperCase());
  return cfg.capAdd.some((c) => {
    const n = shortName(c.toUpperCase());
    return n === 'ALL' || n === want;
  });
}

/** The chips of a container's bounding set plus its dropped defaults, grouped (CAPABILITY_GROUPS order, empty groups left out). */
export function capabilityChips(sec: ContainerSecurity, cfg: ContainerConfig | null): CapChipGroup[] {
  const defaults = new Set(DOCKER_DEFAULT_CAPS);
  const eff = new Set(sec.capEff);
  const chips: CapChip[] = [];
  const seen = new Set<string>();
  for (const name of sec.capBnd) {
    if (seen.has(name)) continue;
    seen.add(name);
    const state: CapState = defaults.has(name) ? 'default' : askedFor(name, cfg) ? 'added' : 'extra';
    chips.push({ name, short: shortName(name), state, effective: eff.has(name), summary: capabilityInfo(name)?.summary ?? 'a capability newer than this table', bit: bitOf(name) });
  }
  // Effective without being in the bounding set cannot happen in the kernel; show it anyway rather than hide it.
  for (const name of sec.capEff) {
    if (seen.has(name)) continue;
    seen.add(name);
    chips.push({ name, short: shortName(name), state: defaults.has(name) ? 'default' : 'extra', effective: true, summary: capabilityInfo(name)?.summary ?? '', bit: bitOf(name) });
  }
  for (const name of sec.capDropped) {
    if (seen.has(name)) continue;
    seen.add(name);
    chips.push({ name, short: shortName(name), state: 'dropped', effective: false, summary: capabilityInfo(name)?.summary ?? '', bit: bitOf(name) });
  }
  const byBit = (a: CapChip, b: CapChip): number => (a.bit ?? 999) - (b.bit ?? 999) || a.name.localeCompare(b.name);
  return CAPABILITY_GROUPS.map((g) => ({ id: g.id, title: g.title, chips: chips.filter((c) => capabilityGroup(c.name) === g.id).sort(byBit) })).filter(
    (g) => g.chips.length > 0,
  );
}

/** How many chips of each state, and the sizes of the effective and bounding sets. */
export function capabilityCounts(groups: readonly CapChipGroup[], sec: ContainerSecurity): CapCounts {
  const all = groups.flatMap((g) => g.chips);
  const n = (s: CapState): number => all.filter((c) => c.state === s).length;
  return { default: n('default'), added: n('added'), extra: n('extra'), dropped: n('dropped'), effective: sec.capEff.length, bounding: sec.capBnd.length };
}

/** What a state means, for the legend and the chips' titles. */
export const CAP_STATE_TEXT: Readonly<Record<CapState, string>> = {
  default: "in Docker's default set",
  added: 'added with --cap-add',
  extra: "beyond Docker's default set, without a --cap-add",
  dropped: "one of Docker's defaults, dropped",
};
