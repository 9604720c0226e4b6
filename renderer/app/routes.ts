// Where the user is: a view, for the containers view an open container, for the comparison the two subjects.

/** The views: the four of the navigation, and the comparison (opened from the compare tray). */
export type ViewName = 'tree' | 'namespaces' | 'containers' | 'status' | 'compare';

/** The views in navigation order, with their labels (the comparison has no tab of its own). */
export const VIEWS: readonly { readonly name: ViewName; readonly label: string }[] = [
  { name: 'tree', label: 'Process tree' },
  { name: 'namespaces', label: 'Namespaces' },
  { name: 'containers', label: 'Containers' },
  { name: 'status', label: 'Status' },
];

/** A place in the UI (kept in location.hash by main.tsx: #tree, #container/<id>, #compare/<a>/<b>). */
export interface Route {
  readonly view: ViewName;
  /** Open container (its detail), for the containers view. */
  readonly containerId: string | null;
  /** The two subjects of the comparison view: container ids, "pid:<n>" or "host" (views/compare/refs.ts). */
  readonly compare?: readonly [string, string];
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** Parses a location hash (RFC 3986 fragment) into a route; anything unknown is the tree. */
export function parseHash(hash: string): Route {
  const h = hash.replace(/^#/, '');
  if (h.startsWith('container/')) {
    const id = decode(h.slice('container/'.length));
    return { view: 'containers', containerId: id || null };
  }
  if (h === 'compare' || h.startsWith('compare/')) {
    const parts = h.split('/').slice(1);
    const a = parts.length === 2 ? decode(parts[0] ?? '') : null;
    const b = parts.length === 2 ? decode(parts[1] ?? '') : null;
    return a && b ? { view: 'compare', containerId: null, compare: [a, b] } : { view: 'compare', containerId: null };
  }
  const v = VIEWS.find((x) => x.name === h);
  return { view: v ? v.name : 'tree', containerId: null };
}

/** The hash of a route (inverse of parseHash). */
export function routeHash(r: Route): string {
  if (r.view === 'compare' && r.compare) return `#compare/${encodeURIComponent(r.compare[0])}/${encodeURIComponent(r.compare[1])}`;
  return r.view === 'containers' && r.containerId ? `#container/${encodeURIComponent(r.containerId)}` : `#${r.view}`;
}
