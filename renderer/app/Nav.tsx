// The top bar: title, the four views as tabs (and the comparison's while it is open), the tour,
// exports and classroom mode, and a live indicator, or the RECORDING badge when a recording plays.
import type { ReactNode } from 'react';
import type { Snapshot } from '../../shared/model';
import { formatClock } from '../state/format';
import type { ConnectionStatus } from '../transport/ws-client';
import { ExportMenu } from '../views/export/ExportMenu';
import { RecordingBadge } from '../views/playback/RecordingBadge';
import type { SessionView } from '../views/playback/use-session';
import { VIEWS } from './routes';
import type { Route } from './routes';

/** Props of Nav. */
export interface NavProps {
  readonly route: Route;
  readonly onGo: (r: Route) => void;
  readonly connection: ConnectionStatus;
  readonly updatedAt: string | null;
  readonly containerCount: number;
  readonly warnings: number;
  readonly classroom?: boolean;
  readonly onToggleClassroom?: () => void;
  readonly onStartTour?: () => void;
  readonly tourOpen?: boolean;
  readonly session?: SessionView;
  readonly snapshot?: Snapshot | null;
  /** The element "Export view (PNG)" draws. */
  readonly getView?: () => HTMLElement | null;
}

/** The navigation bar (data-testid tab-<view>, live-indicator, tour-start, classroom-toggle, export-button, recording-badge). */
export function Nav({ route, onGo, connection, updatedAt, containerCount, warnings, classroom = false, onToggleClassroom, onStartTour, tourOpen, session, snapshot, getView }: NavProps): ReactNode {
  const recording = session?.mode === 'recording';
  return (
    <header className="topbar">
      <h1 className="brand">
        <span className="logo" aria-hidden="true">◎</span> Isolens <span className="tagline">a container is just a process</span>
      </h1>
      <nav className="tabs" role="tablist" aria-label="Views">
        {VIEWS.map((v, i) => (
          <button
            key={v.name}
            type="button"
            role="tab"
            aria-selected={route.view === v.name}
            className={route.view === v.name ? 'tab active' : 'tab'}
            data-testid={`tab-${v.name}`}
            title={`${v.label} (key ${i + 1})`}
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
      <div className="tools">
        {onStartTour && (
          <button type="button" className="tool-button" data-testid="tour-start" aria-pressed={tourOpen ?? false} onClick={onStartTour} title="Guided tour (key t)">
            Tour
          </button>
        )}
        {getView && <ExportMenu snapshot={snapshot ?? null} getView={getView} />}
        {onToggleClassroom && (
          <button
            type="button"
            className={classroom ? 'tool-button classroom-toggle on' : 'tool-button classroom-toggle'}
            data-testid="classroom-toggle"
            aria-pressed={classroom}
            onClick={onToggleClassroom}
            title="Classroom mode: large type, high contrast, fewer columns, a pointer highlight"
          >
            Classroom
          </button>
        )}
      </div>
      {recording ? (
        <RecordingBadge recording={session?.recording ?? null} />
      ) : (
        <div className={`live live-${connection}`} data-testid="live-indicator">
          <span className="dot" aria-hidden="true" />
          {connection === 'open' ? `live · ${formatClock(updatedAt)}` : connection === 'connecting' ? 'connecting…' : 'reconnecting…'}
        </div>
      )}
    </header>
  );
}
