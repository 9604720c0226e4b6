// The top bar: title, the four views as tabs (and the comparison's while it is open), and a live indicator.
import type { ReactNode } from 'react';
import { formatClock } from '../state/format';
import type { ConnectionStatus } from '../transport/ws-client';
import { VIEWS } from './routes';
import type { Route } from './routes';

/** The navigation bar. */
export function Nav({ route, onGo, connection, updatedAt, containerCount, warnings }: {
  readonly route: Route;
  readonly onGo: (r: Route) => void;
  readonly connection: ConnectionStatus;
  readonly updatedAt: string | null;
  readonly containerCount: number;
  readonly warnings: number;
}): ReactNode {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden="true">◎</span> Isolens <span className="tagline">a container is just a process</span>
      </div>
      <nav className="tabs" role="tablist" aria-label="Views">
        {VIEWS.map((v) => (
          <button
            key={v.name}
            type="button"
            role="tab"
            aria-selected={route.view === v.name}
            className={route.view === v.name ? 'tab active' : 'tab'}
            data-testid={`tab-${v.name}`}
            onClick={() => onGo({ view: v.name, containerId: null })}
          >
            {v.label}
            {v.name === 'containers' && <span className="badge">{containerCount}</span>}
            {v.name === 'status' && warnings > 0 && <span className="badge badge-warn">{warnings}</span>}
          </button>
        ))}
        {route.view === 'compare' && (
          <button type="button" role="tab" aria-selected={true} className="tab active" data-testid="tab-compare">
            Compare
          </button>
        )}
      </nav>
      <div className={`live live-${connection}`} data-testid="live-indicator">
        <span className="dot" aria-hidden="true" />
        {connection === 'open' ? `live · ${formatClock(updatedAt)}` : connection === 'connecting' ? 'connecting…' : 'reconnecting…'}
      </div>
    </header>
  );
}
