// Status: engines (reachable or not, and why), privileges and warnings, last update, connection.
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { Snapshot } from '../../../shared/model';
import type { StoreState } from '../../state/store';
import { formatAgo, formatClock } from '../../state/format';
import type { ConnectionStatus } from '../../transport/ws-client';

const CONNECTION_TEXT: Readonly<Record<ConnectionStatus, string>> = {
  open: 'connected',
  connecting: 'connecting…',
  closed: 'disconnected: reconnecting…',
};

/** The current time, refreshed every `everyMs` (for "3 s ago"). */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/** The status page. */
export function StatusView({ state, snapshot, connection }: {
  readonly state: StoreState;
  readonly snapshot: Snapshot;
  readonly connection: ConnectionStatus;
}): ReactNode {
  const now = useNow(1000);
  const h = snapshot.host;
  const root = h.collectorUid === 0;
  return (
    <section className="view status-view" aria-label="Status">
      <div className="status-grid">
        <div className="panel">
          <h3>Connection</h3>
          <p data-testid="status-connection" className={connection === 'open' ? 'ok' : 'bad'}>
            {CONNECTION_TEXT[connection]}
          </p>
          <p>
            Last update: <b data-testid="status-updated">{formatClock(snapshot.takenAt)}</b> ({formatAgo(state.updatedAt, now)}) · delta #{state.data?.seq ?? 0}
            {state.resyncs > 0 && ` · ${state.resyncs} resync${state.resyncs === 1 ? '' : 's'}`}
          </p>
          {state.error && <p className="bad">Last error: {state.error}</p>}
        </div>

        <div className="panel">
          <h3>Host</h3>
          <p>
            <b>{h.hostname}</b> · Linux {h.kernel} · cgroup v{h.cgroupVersion}
          </p>
          <p className="muted">
            Host namespaces taken from {h.namespacesFrom === 1 ? 'PID 1' : h.namespacesFrom === 2 ? 'kthreadd (PID 2): PID 1 was unreadable' : 'nowhere: unreadable'}.
          </p>
        </div>

        <div className="panel">
          <h3>Engines</h3>
          {snapshot.engines.length === 0 ? (
            <p className="muted">No container engine found. Containers are still found from their cgroup paths, without names or images.</p>
          ) : (
            <ul className="engines">
              {snapshot.engines.map((e) => (
                <li key={`${e.name}:${e.endpoint}`} data-testid={`engine-${e.name}`}>
                  <span className={e.available ? 'ok' : 'bad'}>{e.available ? '● connected' : '● down'}</span> <b>{e.name}</b>{' '}
                  {e.version && <span className="muted">{e.version}</span>} <code>{e.endpoint}</code>
                  {e.error && <div className="bad">{e.error}</div>}
                </li>
              ))}
            </ul>
          )}
        </div>

        <div className="panel">
          <h3>Privileges</h3>
          <p data-testid="status-privileges">
            {root ? (
              'Running as root: every process and namespace is readable.'
            ) : (
              <>
                Running as uid {h.collectorUid}: other users&apos; namespace links (<code>/proc/PID/ns/*</code>) are unreadable, so their
                namespaces show as “?”. To see everything, run <code>sudo bin/isolens serve</code> (or start the app as root).
              </>
            )}
          </p>
          {snapshot.warnings.length > 0 && (
            <ul className="warnings" data-testid="status-warnings">
              {snapshot.warnings.map((w) => (
                <li key={w}>⚠ {w}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
