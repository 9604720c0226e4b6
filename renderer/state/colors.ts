// Colours: one per container, from a colour-blind-safe palette; neutral grey for the host.
import { compareText } from './collate';

/** Paul Tol's "muted" qualitative scheme (colour-blind safe, https://personal.sron.nl/~pault/). */
export const PALETTE: readonly string[] = [
  '#CC6677', // rose
  '#332288', // indigo
  '#DDCC77', // sand
  '#117733', // green
  '#88CCEE', // cyan
  '#882255', // wine
  '#44AA99', // teal
  '#999933', // olive
  '#AA4499', // purple
];

/** The host's namespaces: Tol's pale grey. */
export const HOST_GREY = '#DDDDDD';
/** A namespace no container holds (a stray process's). */
export const STRAY_GREY = '#BBBBBB';
/** Alarms: OOM kills, throttling (Tol "vibrant" red). */
export const ALARM = '#CC3311';

/** A container's colour: the solid band and the light tints drawn behind its rows and cells. */
export interface ContainerColor {
  readonly solid: string;
  /** Behind its rows in the process tree. */
  readonly tint: string;
  /** Behind its namespace cells (stronger). */
  readonly cell: string;
}

/** FNV-1a 32-bit hash of a string (http://www.isthe.com/chongo/tech/comp/fnv/). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A hex colour (#RRGGBB) mixed with white: amount 0 = white, 1 = the colour. */
export function mixWithWhite(hex: string, amount: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const ch = (shift: number): number => Math.round(255 - (255 - ((n >> shift) & 0xff)) * amount);
  return `rgb(${ch(16)}, ${ch(8)}, ${ch(0)})`;
}

/** The colour set of a palette entry. */
export function colorOf(solid: string): ContainerColor {
  return { solid, tint: mixWithWhite(solid, 0.13), cell: mixWithWhite(solid, 0.4) };
}

/**
 * Stable colours per container id: each id prefers the palette slot its hash names; on a clash
 * the older container (createdAt, then id) keeps the slot and the newer one takes the next free
 * one, so a container arriving never recolours those already shown. Past 9 containers, slots repeat.
 */
export function assignColors(containers: readonly { readonly id: string; readonly createdAt: string | null }[]): Map<string, ContainerColor> {
  const order = [...containers].sort((a, b) => compareText(a.createdAt ?? '', b.createdAt ?? '') || compareText(a.id, b.id));
  const taken = new Set<number>();
  const out = new Map<string, ContainerColor>();
  for (const c of order) {
    const preferred = fnv1a(c.id) % PALETTE.length;
    let slot = preferred;
    for (let i = 0; i < PALETTE.length; i++) {
      const s = (preferred + i) % PALETTE.length;
      if (!taken.has(s)) {
        slot = s;
        break;
      }
    }
    taken.add(slot);
    out.set(c.id, colorOf(PALETTE[slot] ?? HOST_GREY));
  }
  return out;
}
