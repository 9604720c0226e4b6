// How the container palette looks to a person with deuteranopia, and whether its colours stay
// apart: Machado, Oliveira & Fernandes (2009) simulation in linear RGB, then CIE 1976 ΔE*ab. Pure.
import { HOST_GREY, PALETTE } from '../../state/colors';

/** An sRGB colour, channels 0–255 (IEC 61966-2-1). */
export type Rgb = readonly [number, number, number];
/** CIE 1976 L*a*b* under D65. */
export type Lab = readonly [number, number, number];

/** Machado et al. 2009, deuteranopia at severity 1.0, applied to linear RGB. */
export const MACHADO_DEUTERANOPIA: readonly (readonly [number, number, number])[] = [
  [0.367322, 0.860646, -0.227968],
  [0.280085, 0.672501, 0.047413],
  [-0.01182, 0.04294, 0.968881],
];

/** Machado et al. 2009, protanopia at severity 1.0 (for comparison). */
export const MACHADO_PROTANOPIA: readonly (readonly [number, number, number])[] = [
  [0.152286, 1.052583, -0.204868],
  [0.114503, 0.786281, 0.099216],
  [-0.003882, -0.048116, 1.051998],
];

/** Below this CIE76 distance two colours are taken for one by a viewer at the back of a room. */
export const MIN_DISTINGUISHABLE_DELTA_E = 10;

/** Parses #RRGGBB (or #RGB). */
export function parseHex(hex: string): Rgb {
  const h = hex.replace(/^#/, '');
  const full = h.length === 3 ? h.replace(/./g, (c) => c + c) : h;
  if (!/^[0-9a-fA-F]{6}$/.test(full)) throw new Error(`not a #RRGGBB colour: ${hex}`);
  const n = Number.parseInt(full, 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** sRGB channel (0–255) to linear light (0–1), IEC 61966-2-1. */
function toLinear(c: number): number {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** Linear light (0–1, clamped) to an sRGB channel (0–255). */
function fromLinear(v: number): number {
  const c = Math.min(1, Math.max(0, v));
  return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
}

/** A colour as a viewer with the given dichromacy sees it (default deuteranopia). */
export function simulate(rgb: Rgb, matrix: readonly (readonly [number, number, number])[] = MACHADO_DEUTERANOPIA): Rgb {
  const l = rgb.map(toLinear);
  const row = (i: number): number => {
    const m = matrix[i] ?? [0, 0, 0];
    return m[0] * (l[0] ?? 0) + m[1] * (l[1] ?? 0) + m[2] * (l[2] ?? 0);
  };
  return [fromLinear(row(0)), fromLinear(row(1)), fromLinear(row(2))];
}

/** sRGB to CIE L*a*b* (D65 white). */
export function toLab(rgb: Rgb): Lab {
  const [r, g, b] = rgb.map(toLinear) as [number, number, number];
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE 1976 colour difference ΔE*ab (Euclidean distance in L*a*b*). */
export function deltaE76(a: Lab, b: Lab): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Every pair of a palette with its ΔE as seen through `matrix` (default deuteranopia), closest first. */
export function pairDistances(palette: readonly string[], matrix = MACHADO_DEUTERANOPIA): { a: string; b: string; deltaE: number }[] {
  const labs = palette.map((h) => toLab(simulate(parseHex(h), matrix)));
  const out: { a: string; b: string; deltaE: number }[] = [];
  for (let i = 0; i < palette.length; i++) {
    for (let j = i + 1; j < palette.length; j++) {
      out.push({ a: palette[i] ?? '', b: palette[j] ?? '', deltaE: deltaE76(labs[i] ?? [0, 0, 0], labs[j] ?? [0, 0, 0]) });
    }
  }
  return out.sort((x, y) => x.deltaE - y.deltaE);
}

/**
 * The colours classroom mode tells containers apart by: the solid container colours (Paul Tol's
 * muted scheme, renderer/state/colors.ts) and the host's grey. The tree's row border and the
 * container headers carry them; classroom mode widens that border.
 */
export const CLASSROOM_COLOURS: readonly string[] = [...PALETTE, HOST_GREY];
