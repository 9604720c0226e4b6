// The "?" next to a concept: one click opens a popover with a plain explanation and the commands
// that show the same fact, filled in with the selected process's values.
import { createContext, useCallback, useContext, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { conceptCommands, conceptOf } from './concepts';
import type { ConceptId, ExplainSubject } from './concepts';

/** The subject explanations fill their commands with (App provides it from the selection and the route). */
export const ExplainContext = createContext<ExplainSubject | null>(null);

/** Props of Explain. */
export interface ExplainProps {
  readonly concept: ConceptId;
  /** Overrides the context's subject. */
  readonly subject?: ExplainSubject | null;
  /** 'icon': a small "?"; 'chip': "? Title" (for a row of explanations). */
  readonly variant?: 'icon' | 'chip';
}

const POP_WIDTH = 520;
const MARGIN = 8;

interface Place {
  readonly top: number;
  readonly left: number;
}

/** Where the popover goes: under the button (above it when there is no room), inside the viewport. */
function placeFor(button: DOMRect, popHeight: number, vw: number, vh: number): Place {
  const width = Math.min(POP_WIDTH, vw - 2 * MARGIN);
  const left = Math.max(MARGIN, Math.min(button.left, vw - width - MARGIN));
  const below = button.bottom + 6;
  const above = button.top - 6 - popHeight;
  // Below when it fits, else above when that fits, else as low as it can go without leaving the window.
  const top = below + popHeight <= vh - MARGIN ? below : above >= MARGIN ? above : vh - MARGIN - popHeight;
  return { top: Math.max(MARGIN, top), left };
}

function CopyButton({ text }: { readonly text: string }): ReactNode {
  const [done, setDone] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="explain-copy"
      onClick={() => {
        const clip = (navigator as { clipboard?: { writeText(t: string): Promise<void> } }).clipboard;
        if (!clip) {
          setDone('failed');
          return;
        }
        clip.writeText(text).then(
          () => setDone('copied'),
          () => setDone('failed'),
        );
      }}
    >
      {done === 'copied' ? 'copied' : done === 'failed' ? 'select it to copy' : 'copy'}
    </button>
  );
}

/** The popover's content (also used by the tour and tests). */
export function ExplainCard({ concept, subject, titleId }: { readonly concept: ConceptId; readonly subject: ExplainSubject | null; readonly titleId?: string }): ReactNode {
  const c = conceptOf(concept);
  const commands = conceptCommands(c, subject, subject?.cgroupVersion ?? 2);
  const missing = [...new Set(commands.flatMap((x) => x.missing))];
  return (
    <>
      <h2 className="explain-title" id={titleId}>
        {c.title}
      </h2>
      <p className="explain-text">{c.text}</p>
      <p className="explain-try">
        See it yourself{subject ? (
          <>
            {' '}
            for <b>{subject.label}</b>
          </>
        ) : null}
        {subject && subject.cgroupVersion === 1 && (c.commandsV1 ? ' (cgroup v1 host)' : '')}:
      </p>
      <ul className="explain-commands">
        {commands.map((cmd) => (
          <li key={cmd.text}>
            <pre className="command" data-testid="explain-command">
              <code>{cmd.text}</code>
            </pre>
            <CopyButton text={cmd.text} />
          </li>
        ))}
      </ul>
      {missing.length > 0 && (
        <p className="muted explain-missing" data-testid="explain-missing">
          Values in angle brackets are not known for this selection ({missing.join(', ')}): select a container to fill them in.
        </p>
      )}
      <p className="muted explain-ref">As root on the host. Documented in {c.ref}.</p>
    </>
  );
}

/** A "?" button opening the explanation of `concept` (data-testid explain-<concept>; the popover is explain-popover). */
export function Explain({ concept, subject, variant = 'icon' }: ExplainProps): ReactNode {
  const fromContext = useContext(ExplainContext);
  const who = subject === undefined ? fromContext : subject;
  const c = conceptOf(concept);
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<Place | null>(null);
  const button = useRef<HTMLButtonElement | null>(null);
  const pop = useRef<HTMLDivElement | null>(null);
  const titleId = useId();

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    setPlace(null);
    if (refocus) button.current?.focus();
  }, []);

  const reposition = useCallback(() => {
    const b = button.current;
    const p = pop.current;
    if (!b || !p) return;
    setPlace(placeFor(b.getBoundingClientRect(), p.offsetHeight, window.innerWidth, window.innerHeight));
  }, []);

  useLayoutEffect(() => {
    if (!open) return;
    reposition();
    pop.current?.focus();
  }, [open, reposition]);

  useEffect(() => {
    if (!open) return undefined;
    const onDown = (e: MouseEvent): void => {
      const t = e.target as Node | null;
      if (t && (pop.current?.contains(t) || button.current?.contains(t))) return;
      close(false);
    };
    const onMove = (): void => reposition();
    document.addEventListener('mousedown', onDown);
    window.addEventListener('resize', onMove);
    window.addEventListener('scroll', onMove, true);
    return () => {
      document.removeEventListener('mousedown', onDown);
      window.removeEventListener('resize', onMove);
      window.removeEventListener('scroll', onMove, true);
    };
  }, [open, close, reposition]);

  return (
    <>
      <button
        ref={button}
        type="button"
        className={variant === 'chip' ? 'explain-btn explain-chip' : 'explain-btn'}
        aria-label={`Explain: ${c.title}`}
        aria-expanded={open}
        aria-haspopup="dialog"
        title={`What is this? ${c.title}`}
        data-testid={`explain-${concept}`}
        onClick={(e) => {
          e.stopPropagation();
          if (open) close(false);
          else setOpen(true);
        }}
      >
        <span aria-hidden="true">?</span>
        {variant === 'chip' && <span className="explain-chip-label">{c.title}</span>}
      </button>
      {open &&
        createPortal(
          <div
            ref={pop}
            className="explain-popover"
            role="dialog"
            aria-labelledby={titleId}
            tabIndex={-1}
            data-testid="explain-popover"
            data-concept={concept}
            style={{ top: place?.top ?? -9999, left: place?.left ?? 0, width: Math.min(POP_WIDTH, window.innerWidth - 2 * MARGIN) }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                close(true);
              }
            }}
            onBlur={(e) => {
              const next = e.relatedTarget as Node | null;
              if (next && !pop.current?.contains(next) && !button.current?.contains(next)) close(false);
            }}
          >
            <button type="button" className="explain-close" aria-label="Close the explanation" onClick={() => close(true)}>
              ✕
            </button>
            <ExplainCard concept={concept} subject={who} titleId={titleId} />
          </div>,
          document.body,
        )}
    </>
  );
}

/** A row of explanations ("? Memory limit  ? CPU quota…") placed under what they explain (data-testid explain-strip). */
export function ExplainStrip({ concepts, label = 'What is…', subject }: {
  readonly concepts: readonly ConceptId[];
  readonly label?: string;
  readonly subject?: ExplainSubject | null;
}): ReactNode {
  return (
    <div className="explain-strip" data-testid="explain-strip">
      <span className="explain-strip-label">{label}</span>
      {concepts.map((c) => (
        <Explain key={c} concept={c} variant="chip" subject={subject} />
      ))}
    </div>
  );
}
