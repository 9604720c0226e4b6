// The guided tour's panel and the ring that points at each step's object on screen. Keys (App's
// one keyboard handler): → next, ← back, Esc close.
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { ExplainStrip } from '../explain/Explain';
import type { TourStep } from './steps';

/** Props of Tour. */
export interface TourProps {
  readonly steps: readonly TourStep[];
  readonly index: number;
  readonly onNext: () => void;
  readonly onBack: () => void;
  readonly onClose: () => void;
}

/** Scrolls the element's scrolling ancestors so that it sits mid-height, without scrolling sideways (a wide table row would). */
function centreVertically(el: HTMLElement): void {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowY;
    if ((o !== 'auto' && o !== 'scroll') || p.scrollHeight <= p.clientHeight) continue;
    const e = el.getBoundingClientRect();
    const box = p.getBoundingClientRect();
    p.scrollTop += e.top + e.height / 2 - (box.top + box.height / 2);
  }
}

/** Polls (every frame) for the element with data-testid `target`; returns it while it is there. */
function useTarget(target: string | null, jumpTo: string | null, stepKey: string): HTMLElement | null {
  const [el, setEl] = useState<HTMLElement | null>(null);
  useEffect(() => {
    setEl(null);
    if (target === null) return undefined;
    let frame = 0;
    let jumped = false;
    let scrolled = false;
    const started = performance.now();
    const look = (): void => {
      const found = document.querySelector<HTMLElement>(`[data-testid="${target.replace(/["\\]/g, '\\$&')}"]`);
      if (!found && jumpTo !== null && !jumped) {
        // The tree draws only the rows in view: scroll to the container's box with its "Jump to" link.
        const link = [...document.querySelectorAll<HTMLElement>('[data-testid="tree-jump"] button')].find((b) => b.textContent?.trim() === jumpTo);
        if (link) {
          link.click();
          jumped = true;
        }
      }
      if (found) {
        if (!scrolled) {
          centreVertically(found);
          scrolled = true;
        }
        setEl((prev) => (prev === found ? prev : found));
      } else {
        setEl(null);
      }
      // Keep following it (it moves when the view scrolls or re-renders); give up looking after a while.
      if (found || performance.now() - started < 5000) frame = requestAnimationFrame(look);
    };
    frame = requestAnimationFrame(look);
    return () => cancelAnimationFrame(frame);
  }, [target, jumpTo, stepKey]);
  return el;
}

/** A ring drawn over the target's box (data-testid tour-ring, data-target), following it as it moves. */
function Ring({ el, target }: { readonly el: HTMLElement; readonly target: string }): ReactNode {
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    let frame = 0;
    const place = (): void => {
      const r = el.getBoundingClientRect();
      const d = ref.current;
      if (d) {
        d.style.top = `${r.top - 6}px`;
        d.style.left = `${r.left - 6}px`;
        d.style.width = `${r.width + 12}px`;
        d.style.height = `${r.height + 12}px`;
      }
      frame = requestAnimationFrame(place);
    };
    place();
    el.setAttribute('data-tour-target', 'true');
    return () => {
      cancelAnimationFrame(frame);
      el.removeAttribute('data-tour-target');
    };
  }, [el]);
  return <div ref={ref} className="tour-ring" aria-hidden="true" data-testid="tour-ring" data-target={target} />;
}

/** The tour panel (data-testid tour-panel; tour-step, tour-title, tour-text, tour-missing, tour-back, tour-next, tour-close). */
export function Tour({ steps, index, onNext, onBack, onClose }: TourProps): ReactNode {
  const step = steps[index];
  const el = useTarget(step?.target ?? null, step?.jumpTo ?? null, `${index}`);
  const next = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    next.current?.focus({ preventScroll: true });
  }, [index]);
  if (!step) return null;
  const last = index === steps.length - 1;
  // Out of the way of what it points at: on the left when that sits on the right.
  const box = el?.getBoundingClientRect();
  const left = box !== undefined && box.width < window.innerWidth * 0.6 && box.left + box.width / 2 > window.innerWidth * 0.55;
  return (
    <>
      {el && step.target && <Ring el={el} target={step.target} />}
      <div className={left ? 'tour-panel tour-left' : 'tour-panel'} role="dialog" aria-labelledby="tour-title" data-testid="tour-panel" data-step={step.id}>
        <p className="tour-count" data-testid="tour-step">
          Step {index + 1} of {steps.length}
        </p>
        <h2 id="tour-title" className="tour-title" data-testid="tour-title">
          {step.title}
        </h2>
        <p className="tour-text" data-testid="tour-text">
          {step.text}
        </p>
        {step.missing && (
          <div className="tour-missing" data-testid="tour-missing">
            <p>
              <b>{step.missing.what}</b> Create it in a terminal, and it shows up here within a second:
            </p>
            <pre className="command">
              <code data-testid="tour-missing-command">{step.missing.command}</code>
            </pre>
          </div>
        )}
        {step.target && !el && !step.missing && <p className="muted tour-looking">Looking for it on screen…</p>}
        <ExplainStrip concepts={step.concepts} label="Explain:" />
        <div className="tour-buttons">
          <button type="button" data-testid="tour-back" onClick={onBack} disabled={index === 0}>
            ← Back
          </button>
          <button type="button" ref={next} data-testid="tour-next" onClick={last ? onClose : onNext}>
            {last ? 'Finish' : 'Next →'}
          </button>
          <button type="button" data-testid="tour-close" onClick={onClose} aria-label="Close the tour">
            Close
          </button>
          <span className="muted tour-keys">
            <kbd>→</kbd> next · <kbd>←</kbd> back · <kbd>Esc</kbd> close
          </span>
        </div>
      </div>
    </>
  );
}
