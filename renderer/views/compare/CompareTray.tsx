// The tray at the bottom of the window: what is picked for a comparison, and the button that opens it.
import type { ReactNode } from 'react';
import type { ViewModel } from '../../state/derive';
import { refLabel } from './refs';
import type { CompareRef } from './refs';

/** Props of CompareTray. */
export interface CompareTrayProps {
  readonly model: ViewModel;
  readonly picks: readonly CompareRef[];
  readonly onUnpick: (ref: CompareRef) => void;
  readonly onClear: () => void;
  readonly onCompare: (a: CompareRef, b: CompareRef) => void;
}

/** "A vs B — Compare" once two rows are picked; with one, a hint to pick another. Nothing when none is. */
export function CompareTray({ model, picks, onUnpick, onClear, onCompare }: CompareTrayProps): ReactNode {
  if (picks.length === 0) return null;
  const [a, b] = picks;
  const la = a !== undefined ? refLabel(model, a) : '';
  const lb = b !== undefined ? refLabel(model, b) : '';
  return (
    <div className="compare-tray" role="region" aria-label="Comparison picks" data-testid="compare-tray">
      <span className="tray-title">Compare</span>
      {picks.map((r, i) => (
        <span key={r} className="tray-pick" data-testid={`tray-pick-${i === 0 ? 'A' : 'B'}`}>
          <span className="tray-slot">{i === 0 ? 'A' : 'B'}</span> {refLabel(model, r)}
          <button type="button" className="tray-x" aria-label={`Unpick ${refLabel(model, r)}`} onClick={() => onUnpick(r)}>
            ✕
          </button>
        </span>
      ))}
      {b === undefined && <span className="muted tray-hint">Pick a second row: hover a row and click “compare”, or focus it and press c.</span>}
      <span className="tray-actions">
        <button type="button" className="tray-clear" onClick={onClear}>
          Clear
        </button>
        {a !== undefined && b !== undefined && (
          <button type="button" className="tray-go" data-testid="compare-open" onClick={() => onCompare(a, b)}>
            {la} vs {lb} — Compare
          </button>
        )}
      </span>
    </div>
  );
}
