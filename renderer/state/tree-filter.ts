// Which rows of the process tree are shown: collapsed subtrees, the search box, "containers only".
import type { TreeRow } from './derive';

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

/** True when a row answers the search query (case-insensitive). */
export function rowMatches(row: TreeRow, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  const c = row.container?.info;
  const inContainer = c !== undefined && (c.name.toLowerCase().includes(q) || (c.image ?? '').toLowerCase().includes(q) || c.id.startsWith(q));
  if (row.kind === 'container') return inContainer;
  if (/^\d+$/.test(q)) return String(row.process.pid) === q || String(row.insidePid ?? '') === q;
  return inContainer || row.command.toLowerCase().includes(q) || row.process.comm.toLowerCase().includes(q);
}

/**
 * The rows to draw. Without a search or the toggle: every row except those under a collapsed
 * process. With one: the matching rows and their ancestors (so a container still shows under
 * its shim and init), whatever is collapsed.
 */
export function visibleRows(rows: readonly TreeRow[], f: TreeFilter): VisibleRow[] {
  const filtering = f.query.trim() !== '' || f.containersOnly;
  const out: VisibleRow[] = [];
  if (!filtering) {
    let skipDeeperThan = Infinity;
    rows.forEach((row, index) => {
      if (row.depth > skipDeeperThan) return;
      skipDeeperThan = Infinity;
      out.push({ row, index, match: false });
      if (row.kind === 'process' && row.hasChildren && f.collapsed.has(row.process.pid)) skipDeeperThan = row.depth;
    });
    return out;
  }
  const shown = new Uint8Array(rows.length); // 0 hidden, 1 ancestor, 2 match
  rows.forEach((row, index) => {
    if (row.kind !== 'process') return;
    if (f.containersOnly && row.container === null) return;
    if (!rowMatches(row, f.query)) return;
    shown[index] = 2;
    for (let p = row.parentIndex; p >= 0 && shown[p] === 0; p = rows[p]?.parentIndex ?? -1) shown[p] = 1;
  });
  // A container's header shows when the process it heads does.
  rows.forEach((row, index) => {
    if (row.kind === 'container' && (shown[index + 1] ?? 0) > 0) shown[index] = 2;
  });
  rows.forEach((row, index) => {
    const s = shown[index] ?? 0;
    if (s > 0) out.push({ row, index, match: s === 2 });
  });
  return out;
}
