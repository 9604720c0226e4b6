// Which rows of the process tree are shown: collapsed subtrees, the search box, "containers only".
import type { ProcessInfo } from '../../shared/model';
import type { DerivedContainer, TreeRow, ViewModel } from './derive';

/** What the user chose in the tree's toolbar. */
export interface TreeFilter {
  /** Host pids whose subtree is folded. */
  readonly collapsed: ReadonlySet<number>;
  /** Matches a pid or PID inside exactly (digits), else a substring of command, container name or image. */
  readonly query: string;
  readonly containersOnly: boolean;
}

/** A shown row: `match` when the search (or the toggle) selected it, false for an ancestor shown for context. */
export interface VisibleRow {
  readonly row: TreeRow;
  readonly index: number;
  readonly match: boolean;
}

/** The rows of a process tree read one field at a time (FlatTree, or an array of TreeRow). */
export interface RowSource {
  readonly length: number;
  row(i: number): TreeRow;
  depth(i: number): number;
  parentIndex(i: number): number;
  isHeader(i: number): boolean;
  hasChildren(i: number): boolean;
  /** The process of a process row, or the one a header heads. */
  process(i: number): ProcessInfo;
  container(i: number): DerivedContainer | null;
  insidePid(i: number): number | null;
  command(i: number): string;
}

/** A RowSource over rows already made. */
export function arraySource(rows: readonly TreeRow[]): RowSource {
  const at = (i: number): TreeRow => rows[i] as TreeRow;
  const next = (i: number): TreeRow => {
    // A header is followed by the process it heads.
    const r = at(i);
    return r.kind === 'process' ? r : at(i + 1);
  };
  return {
    length: rows.length,
    row: at,
    depth: (i) => at(i).depth,
    parentIndex: (i) => at(i).parentIndex,
    isHeader: (i) => at(i).kind === 'container',
    hasChildren: (i) => {
      const r = at(i);
      return r.kind === 'process' && r.hasChildren;
    },
    process: (i) => {
      const r = next(i);
      return r.kind === 'process' ? r.process : (undefined as never);
    },
    container: (i) => at(i).container,
    insidePid: (i) => {
      const r = at(i);
      return r.kind === 'process' ? r.insidePid : null;
    },
    command: (i) => {
      const r = at(i);
      return r.kind === 'process' ? r.command : '';
    },
  };
}

/** The model's rows as a RowSource: its flat tree, else its row array. */
export function rowSource(model: ViewModel): RowSource {
  return model.tree ?? arraySource(model.rows);
}

/** A search query prepared once for many rows. */
interface Query {
  readonly text: string;
  readonly digits: boolean;
}

function prepare(query: string): Query {
  const text = query.trim().toLowerCase();
  return { text, digits: /^\d+$/.test(text) };
}

function containerMatches(c: DerivedContainer | null, q: Query): boolean {
  const i = c?.info;
  return i !== undefined && (i.name.toLowerCase().includes(q.text) || (i.image ?? '').toLowerCase().includes(q.text) || i.id.startsWith(q.text));
}

function matchesAt(src: RowSource, i: number, q: Query): boolean {
  if (q.text === '') return true;
  const inContainer = containerMatches(src.container(i), q);
  if (src.isHeader(i)) return inContainer;
  const p = src.process(i);
  if (q.digits) return String(p.pid) === q.text || String(src.insidePid(i) ?? '') === q.text;
  return inContainer || src.command(i).toLowerCase().includes(q.text) || p.comm.toLowerCase().includes(q.text);
}

/** True when a row answers the search query (case-insensitive). */
export function rowMatches(row: TreeRow, query: string): boolean {
  return matchesAt(arraySource([row]), 0, prepare(query));
}

/** The shown rows as indexes into the source: `index[0..count)`; with a filter, `match[i]` is 1 for a matching row. */
export interface ShownRows {
  readonly count: number;
  readonly index: Int32Array;
  readonly match: Uint8Array | null;
  /** Matching process rows (0 without a filter). */
  readonly matching: number;
}

/**
 * The rows to draw. Without a search or the toggle: every row except those under a collapsed
 * process. With one: the matching rows and their ancestors (so a container still shows under
 * its shim and init), whatever is collapsed.
 */
export function shownRows(src: RowSource, f: TreeFilter): ShownRows {
  const n = src.length;
  const filtering = f.query.trim() !== '' || f.containersOnly;
  const index = new Int32Array(n);
  let count = 0;
  if (!filtering) {
    const anyCollapsed = f.collapsed.size > 0;
    let skipDeeperThan = Infinity;
    for (let i = 0; i < n; i++) {
      const depth = src.depth(i);
      if (depth > skipDeeperThan) continue;
      skipDeeperThan = Infinity;
      index[count++] = i;
      if (anyCollapsed && src.hasChildren(i) && f.collapsed.has(src.process(i).pid)) skipDeeperThan = depth;
    }
    return { count, index, match: null, matching: 0 };
  }
  const q = prepare(f.query);
  const shown = new Uint8Array(n); // 0 hidden, 1 ancestor, 2 match
  let matching = 0;
  for (let i = 0; i < n; i++) {
    if (src.isHeader(i)) continue;
    if (f.containersOnly && src.container(i) === null) continue;
    if (!matchesAt(src, i, q)) continue;
    shown[i] = 2;
    matching++;
    for (let p = src.parentIndex(i); p >= 0 && shown[p] === 0; p = src.parentIndex(p)) shown[p] = 1;
  }
  // A container's header shows when the process it heads does.
  for (let i = 0; i < n; i++) if (src.isHeader(i) && (shown[i + 1] ?? 0) > 0) shown[i] = 2;
  const match = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = shown[i] ?? 0;
    if (s === 0) continue;
    match[count] = s === 2 ? 1 : 0;
    index[count++] = i;
  }
  return { count, index, match, matching };
}

/** shownRows as objects (the rows made for every shown index). */
export function visibleRows(rows: readonly TreeRow[], f: TreeFilter): VisibleRow[] {
  const src = arraySource(rows);
  const s = shownRows(src, f);
  const out: VisibleRow[] = [];
  for (let k = 0; k < s.count; k++) {
    const index = s.index[k] as number;
    out.push({ row: src.row(index), index, match: s.match !== null && s.match[k] === 1 });
  }
  return out;
}
