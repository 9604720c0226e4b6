// The "compare" affordance of a row: a toggle shown on hover or focus (always once picked), and
// the `c` key on the focused row.
import type { KeyboardEvent, ReactNode } from 'react';

/** Props of PickButton. */
export interface PickButtonProps {
  /** A or B when picked, null when not. */
  readonly slot: 'A' | 'B' | null;
  readonly label: string;
  readonly onToggle: () => void;
  readonly testId?: string;
}

/** A small toggle button: "compare", or "✓ A" / "✓ B" once picked (aria-pressed, data-slot). */
export function PickButton({ slot, label, onToggle, testId }: PickButtonProps): ReactNode {
  const picked = slot !== null;
  return (
    <button
      type="button"
      className={picked ? 'pick-button picked' : 'pick-button'}
      aria-pressed={picked}
      aria-label={picked ? `Unpick ${label} (comparison)` : `Pick ${label} for comparison`}
      title={picked ? `Picked as ${slot} for comparison (click or c to unpick)` : 'Pick for comparison (or press c on the row)'}
      data-testid={testId}
      data-slot={slot ?? ''}
      onClick={(e) => {
        e.stopPropagation();
        onToggle();
      }}
    >
      <span className="pick-box" aria-hidden="true">
        {picked ? '✓' : ''}
      </span>
      {picked ? slot : 'compare'}
    </button>
  );
}

/** A row's keydown handler: `c` (no modifier, not typing in a field) toggles the pick. */
export function pickOnC(onToggle: (() => void) | undefined): ((e: KeyboardEvent<HTMLElement>) => void) | undefined {
  if (!onToggle) return undefined;
  return (e) => {
    if (e.key !== 'c' && e.key !== 'C') return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target as HTMLElement;
    if (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable) return;
    e.preventDefault();
    onToggle();
  };
}

/** A row's place in the comparison: picked as A or B (null: not picked), and how to toggle it. */
export interface RowPick {
  readonly slot: 'A' | 'B' | null;
  readonly onToggle: () => void;
}

/** The compare toggle of a row whose ref is `ref`; undefined when picking is off (no onTogglePick). */
export function rowPick(ref: string, picks: readonly string[] | undefined, onTogglePick: ((ref: string) => void) | undefined): RowPick | undefined {
  if (!onTogglePick) return undefined;
  const slot = picks?.[0] === ref ? 'A' : picks?.[1] === ref ? 'B' : null;
  return { slot, onToggle: () => onTogglePick(ref) };
}
