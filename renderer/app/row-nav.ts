// Moving the keyboard focus between the rows the views draw (process tree rows, namespace matrix
// rows, container cards), found by their roles and classes, so the views need no keyboard code.
import type { FocusKind } from './keyboard';

/** What counts as a row, in document order (views/tree TreeRowView, namespaces NamespaceMatrix, containers cards). */
export const ROW_SELECTOR = '[role="treeitem"], .ns-matrix tbody tr, button.card';

/** Where an element sits, for the key map. */
export function focusKindOf(el: Element | null): FocusKind {
  if (!el || el === document.body) return 'other';
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || (el as HTMLElement).isContentEditable) return 'text';
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    if (type === 'range') return 'control';
    if (type === 'checkbox' || type === 'radio' || type === 'button' || type === 'submit') return 'button';
    if (type === 'search') return 'search';
    return 'text';
  }
  if (tag === 'SELECT') return 'control';
  if (el.matches(ROW_SELECTOR)) return 'row';
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return 'button';
  return 'other';
}

/** The rows of the main panel that are drawn now. */
export function rowsOf(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(ROW_SELECTOR)];
}

/** The scrolling element around `el` (its nearest ancestor that scrolls), or null. */
function scroller(el: HTMLElement): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowY;
    if ((o === 'auto' || o === 'scroll') && p.scrollHeight > p.clientHeight) return p;
  }
  return null;
}

/** The first row whose box shows in its scroller (the tree may be scrolled), else the first row. */
function firstInView(rows: readonly HTMLElement[]): HTMLElement | undefined {
  for (const r of rows) {
    const s = scroller(r);
    if (!s) return r;
    const rb = r.getBoundingClientRect();
    const sb = s.getBoundingClientRect();
    if (rb.bottom > sb.top + 1) return r;
  }
  return rows[0];
}

/** Focuses a row and scrolls it into view (a virtual list then draws the rows around it). */
export function focusRow(row: HTMLElement): void {
  if (!row.hasAttribute('tabindex') && row.tagName !== 'BUTTON') row.tabIndex = -1;
  row.focus({ preventScroll: true });
  row.scrollIntoView?.({ block: 'nearest' });
}

/** Moves the focus to the next/previous/first/last row after `current` under `root`; returns the row focused, or null. */
export function moveRow(root: ParentNode, current: Element | null, to: 'next' | 'prev' | 'first' | 'last'): HTMLElement | null {
  const rows = rowsOf(root);
  if (rows.length === 0) return null;
  const at = current ? rows.findIndex((r) => r === current || r.contains(current)) : -1;
  let target: HTMLElement | undefined;
  if (to === 'first') target = rows[0];
  else if (to === 'last') target = rows[rows.length - 1];
  else if (at < 0) target = firstInView(rows);
  else target = rows[to === 'next' ? Math.min(rows.length - 1, at + 1) : Math.max(0, at - 1)];
  if (!target) return null;
  focusRow(target);
  return target;
}

/** The row an element is in (itself when it is one), or null. */
export function rowOf(el: Element | null): HTMLElement | null {
  return (el?.closest(ROW_SELECTOR) as HTMLElement | null) ?? null;
}

/** Enter on a row: the row when it is a button (a container card), else its primary button (a container header, the matrix row's container link). True when something was clicked. */
export function openRow(row: HTMLElement): boolean {
  if (row.tagName === 'BUTTON') {
    row.click();
    return true;
  }
  const primary = row.querySelector<HTMLElement>('.header-button, .container-link');
  if (primary) {
    primary.click();
    return true;
  }
  return false;
}

/** → / ← on a tree row: unfold or fold it through its twisty. True when it changed. */
export function expandRow(row: HTMLElement, expand: boolean): boolean {
  const expanded = row.getAttribute('aria-expanded');
  if (expanded === null || (expanded === 'true') === expand) return false;
  const twisty = row.querySelector<HTMLElement>('.twisty');
  if (!twisty) return false;
  twisty.click();
  return true;
}
