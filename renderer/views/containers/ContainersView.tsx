// The list of containers (engine-managed first, then namespace-only groups); a click opens one.
import type { ReactNode } from 'react';
import type { DerivedContainer, ViewModel } from '../../state/derive';
import { formatBytes, formatCores } from '../../state/format';
import { NoContainers } from '../common/EmptyState';
import { FindingsBadge } from '../confinement/FindingsList';
import { pidSentence } from './pid-sentence';

function Card({ c, onOpen }: { readonly c: DerivedContainer; readonly onOpen: (id: string) => void }): ReactNode {
  const i = c.info;
  const sentence = pidSentence(c);
  return (
    <button
      type="button"
      className="card"
      data-testid={`container-card-${i.name}`}
      style={{ borderLeftColor: c.color.solid, background: c.color.tint }}
      onClick={() => onOpen(i.id)}
    >
      <span className="card-name">
        {i.name} <FindingsBadge findings={i.findings} testId={`findings-badge-${i.name}`} />
      </span>
      <span className="card-meta">
        {i.engine === 'none' ? 'no engine: namespaces only' : `${i.engine} · ${i.image ?? 'image unknown'}`} · {i.state}
      </span>
      {sentence && <span className="card-pid">{sentence}</span>}
      <span className="card-meta">
        memory {formatBytes(i.limits.memoryBytes)} · CPU {formatCores(i.limits.cpus)} · {i.pids.length} {i.pids.length === 1 ? 'process' : 'processes'}
      </span>
      {i.sharedWithHost.length > 0 && <span className="card-meta muted">shares with the host: {i.sharedWithHost.join(', ')}</span>}
    </button>
  );
}

/** All containers as cards. */
export function ContainersView({ model, onOpenContainer }: { readonly model: ViewModel; readonly onOpenContainer: (id: string) => void }): ReactNode {
  const engine = model.containers.filter((c) => c.info.engine !== 'none');
  const groups = model.containers.filter((c) => c.info.engine === 'none');
  return (
    <section className="view containers-view" aria-label="Containers">
      {engine.length === 0 ? (
        <NoContainers />
      ) : (
        <div className="cards">
          {engine.map((c) => (
            <Card key={c.info.id} c={c} onOpen={onOpenContainer} />
          ))}
        </div>
      )}
      {groups.length > 0 && (
        <>
          <h3>Isolated without an engine</h3>
          <p className="muted">Processes in namespaces of their own that no container engine started (unshare, a browser sandbox, a kernel thread).</p>
          <div className="cards">
            {groups.map((c) => (
              <Card key={c.info.id} c={c} onOpen={onOpenContainer} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
