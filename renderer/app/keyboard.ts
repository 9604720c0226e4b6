// The one keyboard map of the app: which key does what, decided from the key and where the focus
// is (pure), so that every view is usable without a mouse. App applies the result.
import type { ViewName } from './routes';

/** Where the key was pressed ('search': the tree's search box, a text field whose ↓ and Enter lead to the rows). */
export type FocusKind = 'search' | 'text' | 'button' | 'control' | 'row' | 'other';

/** The part of a keydown the map reads. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey?: boolean;
  /** A handler closer to the target already acted (a popover's Esc, a row's `c`). */
  readonly defaultPrevented: boolean;
  readonly focus: FocusKind;
}

/** What the app is showing, as far as keys care. */
export interface KeyContext {
  readonly tourOpen: boolean;
  readonly helpOpen: boolean;
  readonly recording: boolean;
  readonly view: ViewName;
}

/** What a key asks for. */
export type Shortcut =
  | { readonly kind: 'row-move'; readonly to: 'next' | 'prev' | 'first' | 'last' }
  | { readonly kind: 'row-open' }
  | { readonly kind: 'row-expand' }
  | { readonly kind: 'row-collapse' }
  | { readonly kind: 'back' }
  | { readonly kind: 'blur' }
  | { readonly kind: 'search' }
  | { readonly kind: 'compare' }
  | { readonly kind: 'view'; readonly view: ViewName }
  | { readonly kind: 'tour' }
  | { readonly kind: 'tour-next' }
  | { readonly kind: 'tour-back' }
  | { readonly kind: 'tour-close' }
  | { readonly kind: 'help' }
  | { readonly kind: 'help-close' }
  | { readonly kind: 'play-pause' }
  | { readonly kind: 'seek-by'; readonly ms: number };

/** The number keys of the four views. */
const VIEW_KEYS: Readonly<Record<string, ViewName>> = { '1': 'tree', '2': 'namespaces', '3': 'containers', '4': 'status' };

/** Seek step of `[` and `]` in a recording, ms. */
export const SEEK_STEP_MS = 5000;

/** The shortcut a key press means here, or null (leave the key to the browser). */
export function shortcutFor(e: KeyPress, ctx: KeyContext): Shortcut | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.defaultPrevented) return null;
  const k = e.key;
  if (ctx.helpOpen && (k === 'Escape' || k === '?')) return { kind: 'help-close' };
  if (ctx.tourOpen) {
    if (k === 'Escape') return { kind: 'tour-close' };
    if (e.focus !== 'text' && e.focus !== 'search' && e.focus !== 'control') {
      if (k === 'ArrowRight') return { kind: 'tour-next' };
      if (k === 'ArrowLeft') return { kind: 'tour-back' };
    }
  }
  if (k === 'Escape') return e.focus === 'text' || e.focus === 'search' ? { kind: 'blur' } : { kind: 'back' };
  // From the search box, ↓ or Enter go to the rows it left.
  if (e.focus === 'search' && (k === 'ArrowDown' || k === 'Enter')) return { kind: 'row-move', to: 'first' };
  // Typing in a field, or working a slider or a select: those keys are theirs.
  if (e.focus === 'text' || e.focus === 'search' || e.focus === 'control') return null;

  switch (k) {
    case 'ArrowDown':
      return { kind: 'row-move', to: 'next' };
    case 'ArrowUp':
      return { kind: 'row-move', to: 'prev' };
    case 'Home':
      return e.focus === 'row' ? { kind: 'row-move', to: 'first' } : null;
    case 'End':
      return e.focus === 'row' ? { kind: 'row-move', to: 'last' } : null;
    case 'ArrowRight':
      return e.focus === 'row' ? { kind: 'row-expand' } : null;
    case 'ArrowLeft':
      return e.focus === 'row' ? { kind: 'row-collapse' } : null;
    case 'Enter':
      return e.focus === 'row' ? { kind: 'row-open' } : null;
    case '/':
      return { kind: 'search' };
    case 'c':
    case 'C':
      return { kind: 'compare' };
    case 't':
    case 'T':
      return { kind: 'tour' };
    case '?':
      return { kind: 'help' };
    case ' ':
      return ctx.recording && e.focus !== 'button' ? { kind: 'play-pause' } : null;
    case '[':
      return ctx.recording ? { kind: 'seek-by', ms: -SEEK_STEP_MS } : null;
    case ']':
      return ctx.recording ? { kind: 'seek-by', ms: SEEK_STEP_MS } : null;
    default: {
      const view = VIEW_KEYS[k];
      return view ? { kind: 'view', view } : null;
    }
  }
}

/** Every shortcut, for the help overlay. */
export const SHORTCUTS: readonly { readonly keys: string; readonly does: string }[] = [
  { keys: '↑ ↓', does: 'move between rows (processes, matrix rows, container cards)' },
  { keys: '→ ←', does: 'expand or fold a process; in the tour, next and back' },
  { keys: 'Enter', does: 'open the focused row (its container)' },
  { keys: 'Esc', does: 'go back; close a popover, the tour or this help' },
  { keys: '/', does: 'search the process tree (then ↓ or Enter to the rows)' },
  { keys: 'c', does: 'pick the focused row for a comparison; with two picked, compare them' },
  { keys: '1 2 3 4', does: 'process tree, namespaces, containers, status' },
  { keys: 't', does: 'start the guided tour' },
  { keys: 'Space', does: 'play or pause a recording' },
  { keys: '[ ]', does: 'five seconds back or forward in a recording' },
  { keys: '?', does: 'this list' },
];
