// One collator for the renderer's sorts, in localeCompare's order (ECMA-402: a default
// Intl.Collator). It is made on first use, or by warmCollator() while the first snapshot travels:
// the first collator a page makes loads the collation data, which costs ~15 ms in Chromium.

let collator: Intl.Collator | null = null;

/** Compares like `a.localeCompare(b)`. */
export function compareText(a: string, b: string): number {
  collator ??= new Intl.Collator();
  return collator.compare(a, b);
}

/** Makes the collator now (main.tsx calls it once the snapshot has been asked for, so it loads while the answer is on its way). */
export function warmCollator(): void {
  compareText('', '');
}
