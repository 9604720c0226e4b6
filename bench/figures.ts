// The figures the bench reports: each measured value beside its reference from the same run,
// the ratio, the target and PASS/MISS.

/** One reported figure. */
export interface Figure {
  readonly figure: string;
  readonly measured: number;
  readonly unit: string;
  /** What it is compared with, measured in the same run. */
  readonly reference: string;
  readonly referenceValue: number | null;
  /** How the ratio reads: measured/reference ("×"), reference/measured ("× faster") or a share ("%"). */
  readonly ratio: number | null;
  readonly ratioText: string;
  /** The target in words, e.g. "≤ 1.3× floor". */
  readonly target: string;
  /** null when the figure has no target (a reference only). */
  readonly pass: boolean | null;
}

const num = (x: number, unit: string): string => {
  if (!Number.isFinite(x)) return 'n/a';
  if (unit === 'bytes') return x >= 10_000 ? `${(x / 1024).toFixed(1)} KiB` : `${x.toFixed(0)} B`;
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  return `${x.toFixed(digits)} ${unit}`;
};

/** A value with its unit, as the table prints it. */
export const formatValue = num;

/** measured / reference, e.g. the snapshot against the C floor; target: at most `max`. */
export function slowerThan(figure: string, measured: number, reference: string, referenceMs: number, max: number | null): Figure {
  const ratio = measured / referenceMs;
  return {
    figure, measured, unit: 'ms', reference, referenceValue: referenceMs, ratio, ratioText: `${ratio.toFixed(2)}×`,
    target: max === null ? '—' : `≤ ${max}× ${reference}`, pass: max === null ? null : ratio <= max,
  };
}

/** reference / measured, e.g. how many times faster than lsns; target: at least `min`. */
export function fasterThan(figure: string, measured: number, reference: string, referenceMs: number, min: number | null): Figure {
  const ratio = referenceMs / measured;
  return {
    figure, measured, unit: 'ms', reference, referenceValue: referenceMs, ratio, ratioText: `${ratio.toFixed(2)}× faster`,
    target: min === null ? '—' : `≥ ${min}× faster than ${reference}`, pass: min === null ? null : ratio >= min,
  };
}

/** An absolute target (under `max` units), with a reference for scale. */
export function under(figure: string, measured: number, unit: string, reference: string, referenceValue: number | null, max: number | null, targetNote = ''): Figure {
  const ratio = referenceValue === null || referenceValue === 0 ? null : measured / referenceValue;
  return {
    figure, measured, unit, reference, referenceValue, ratio, ratioText: ratio === null ? '—' : `${ratio.toFixed(2)}×`,
    target: max === null ? '—' : `< ${num(max, unit)}${targetNote}`, pass: max === null ? null : measured < max,
  };
}

/** A share of a reference in percent (bytes per delta of a full snapshot); target: under `maxPercent`. */
export function shareOf(figure: string, measured: number, unit: string, reference: string, referenceValue: number, maxPercent: number): Figure {
  const ratio = (100 * measured) / referenceValue;
  return {
    figure, measured, unit, reference, referenceValue, ratio, ratioText: `${ratio.toFixed(2)}%`,
    target: `< ${maxPercent}% of ${reference}`, pass: ratio < maxPercent,
  };
}

/** The figures as a fixed-width table. */
export function formatFigures(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.figure,
    num(f.measured, f.unit),
    f.referenceValue === null ? f.reference : `${f.reference} ${num(f.referenceValue, f.unit)}`,
    f.ratioText,
    f.target,
    f.pass === null ? '' : f.pass ? 'PASS' : 'MISS',
  ]);
  const head = ['figure', 'measured', 'reference', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/** The figures as a Markdown table (for the README's Performance section). */
export function markdownFigures(figures: readonly Figure[]): string {
  const out = ['| figure | measured | reference | ratio | target | |', '|---|---:|---|---:|---|---|'];
  for (const f of figures) {
    const ref = f.referenceValue === null ? f.reference : `${f.reference} ${num(f.referenceValue, f.unit)}`;
    out.push(`| ${f.figure} | ${num(f.measured, f.unit)} | ${ref} | ${f.ratioText} | ${f.target} | ${f.pass === null ? '' : f.pass ? 'PASS' : 'MISS'} |`);
  }
  return out.join('\n');
}
