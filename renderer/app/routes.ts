// Where the user is: a view, and for the containers view an open container.

/** The four views of the navigation. */
export type ViewName = 'tree' | 'namespaces' | 'containers' | 'status';

/** The views in navigation order, with their labels. */
export const VIEWS: readonly { readonly name: ViewName; readonly label: string }[] = [
  { name: 'tree', label: 'Process tree' },
  { name: 'namespaces', label: 'Namespaces' },
  { name: 'containers', label: 'Containers' },
  { name: 'status', label: 'Status' },
];

/** A place in the UI (kept in location.hash by main.tsx: #tree, #container/<id>). */
export interface Route {
  readonly view: ViewName;
  /** Open container (its detail), for the containers view. */
  readonly containerId: string | null;
}

/** Parses a location hash (RFC 3986 fragment) into a route; anything unknown is the tree. */
export function parseHash(hash: string): Route {
  const h = hash.replace(/^#/, '');
  if (h.startsWith('container/')) {
    let id = h.slice('container/'.length);
    try {
      id = decodeURIComponent(id);
    } catch {
      return { view: 'containers', containerId: null };
    }
    return { view: 'containers', containerId: id || null };
  }
  const v = VIEWS.find((x) => x.name === h);
  return { view: v ? v.name : 'tree', containerId: null };
}

/** The hash of a route (inverse of parseHash). */
export function routeHash(r: Route): string {
  return r.view === 'containers' && r.containerId ? `#container/${encodeURIComponent(r.containerId)}` : `#${r.view}`;
}
