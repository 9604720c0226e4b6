// The list of containers (engine-managed first, then namespace-only groups); a click opens one.
// A Kubernetes or Podman pod's containers sit under their pod (sandbox first, with the namespaces they
// share); a container running inside another (docker-in-docker) sits under its parent.
import type { ReactNode } from 'react';
import type { DerivedContainer, ViewModel } from '../../state/derive';
import { formatBytes, formatCores, shortId } from '../../state/format';
import { NoContainers } from '../common/EmptyState';
import { FindingsBadge } from '../confinement/FindingsList';
import { groupContainers } from './container-groups';
import type { ContainerEntry, ListEntry, PodEntry } from './container-groups';
import { pidSentence } from './pid-sentence';

function Card({ c, onOpen, sandbox = false, missingParent = null }: {
  readonly c: DerivedContainer;
  readonly onOpen: (id: string) => void;
  readonly sandbox?: boolean;
  readonly missingParent?: string | null;
}): ReactNode {
  const i = c.info;
  const sentence = pidSentence(c);
  return (
    <button
      type="button"
      className={`card${sandbox ? ' card-sandbox' : ''}`}
      data-testid={`container-card-${i.name}`}
      style={{ borderLeftColor: c.color.solid, background: c.color.tint }}
      onClick={() => onOpen(i.id)}
    >
      <span className="card-name">
        {i.name}{' '}
        {sandbox && (
          <span className="tag tag-sandbox" data-testid={`sandbox-tag-${i.name}`} title="The pod's sandbox: it holds the namespaces the pod's containers join">
            {i.engine === 'podman' ? 'infra' : 'sandbox (pause)'}
          </span>
        )}{' '}
        <FindingsBadge findings={i.findings} testId={`findings-badge-${i.name}`} />
      </span>
      <span className="card-meta">
        {i.engine === 'none' ? 'no engine: namespaces only' : `${i.engine} · ${i.image ?? 'image unknown'}`} · {i.state}
      </span>
      {sentence && <span className="card-pid">{sentence}</span>}
      <span className="card-meta">
        memory {formatBytes(i.limits.memoryBytes)} · CPU {formatCores(i.limits.cpus)} · {i.pids.length} {i.pids.length === 1 ? 'process' : 'processes'}
      </span>
      {i.sharedWithHost.length > 0 && <span className="card-meta muted">shares with the host: {i.sharedWithHost.join(', ')}</span>}
      {missingParent !== null && <span className="card-meta muted">runs inside container {shortId(missingParent)} (not in the snapshot)</span>}
    </button>
  );
}

function PodGroup({ e, model, onOpen }: { readonly e: PodEntry; readonly model: ViewModel; readonly onOpen: (id: string) => void }): ReactNode {
  const podman = e.pod.kind === 'podman';
  const key = podman ? `podman-${e.pod.name}` : `${e.pod.namespace}-${e.pod.name}`;
  const init = e.containers[0]?.container.init ?? null;
  const apps = e.containers.filter((m) => !m.sandbox).length;
  return (
    <div className="pod-group" data-testid={`pod-${key}`} data-uid={e.pod.uid}>
      <div className="pod-head">
        <span className="pod-kind">{podman ? 'podman pod' : 'pod'}</span> <b className="pod-name">{e.pod.name}</b>{' '}
        <span className="muted">
          {podman ? <>id <code>{shortId(e.pod.uid)}</code></> : <>namespace <code>{e.pod.namespace}</code></>} · {apps} {apps === 1 ? 'container' : 'containers'}
          {apps !== e.containers.length ? ' and its sandbox' : ''}
        </span>
        <span className="pod-shared" data-testid={`pod-shared-${key}`}>
          {e.shared.length === 0 ? (
            <span className="muted">no namespace shared by all of them</span>
          ) : (
            <>
              share{' '}
              {e.shared.map((k) => {
                const id = init?.namespaces[k] ?? null;
                const color = id !== null ? model.namespaceById.get(id)?.color : undefined;
                return (
                  <span key={k} className="chip" style={{ background: color ?? '#ffffff' }} title={`${k} namespace ${id ?? '?'}`}>
                    {k}
                  </span>
                );
              })}{' '}
              {e.containers.some((m) => m.sandbox) ? "namespaces, made by the sandbox and joined by the others" : 'namespaces'}
            </>
          )}
        </span>
      </div>
      <div className="cards">
        {e.containers.map((m) => (
          <Entry key={m.container.info.id} e={m} model={model} onOpen={onOpen} />
        ))}
      </div>
    </div>
  );
}

function Entry({ e, model, onOpen }: { readonly e: ListEntry; readonly model: ViewModel; readonly onOpen: (id: string) => void }): ReactNode {
  if (e.kind === 'pod') return <PodGroup e={e} model={model} onOpen={onOpen} />;
  const card = <Card c={e.container} onOpen={onOpen} sandbox={e.sandbox} missingParent={e.missingParent} />;
  if (e.children.length === 0) return card;
  const name = e.container.info.name;
  return (
    <div className="card-family">
      {card}
      <div className="nested" data-testid={`nested-in-${name}`} style={{ borderLeftColor: e.container.color.solid }}>
        <p className="nested-label">
          ↳ started inside <b>{name}</b> (an engine in a container), yet still processes of this host, on its one kernel
        </p>
        <div className="cards">
          {e.children.map((x) => (
            <Entry key={x.kind === 'pod' ? `pod:${x.pod.uid}` : x.container.info.id} e={x} model={model} onOpen={onOpen} />
          ))}
        </div>
      </div>
    </div>
  );
}

const keyOf = (e: ListEntry): string => (e.kind === 'pod' ? `pod:${e.pod.uid}` : e.container.info.id);
const isEngineless = (e: ListEntry): e is ContainerEntry => e.kind === 'container' && e.container.info.engine === 'none';

/** All containers as cards, pods and nesting shown (data-testid container-card-<name>, pod-<namespace>-<name> or pod-podman-<name>, nested-in-<name>). */
export function ContainersView({ model, onOpenContainer }: { readonly model: ViewModel; readonly onOpenContainer: (id: string) => void }): ReactNode {
  const entries = groupContainers(model.containers, model.host);
  const engine = entries.filter((e) => !isEngineless(e));
  const groups = entries.filter(isEngineless);
  return (
    <section className="view containers-view" aria-label="Containers">
      {engine.length === 0 ? (
        <NoContainers />
      ) : (
        <div className="cards">
          {engine.map((e) => (
            <Entry key={keyOf(e)} e={e} model={model} onOpen={onOpenContainer} />
          ))}
        </div>
      )}
      {groups.length > 0 && (
        <>
          <h3>Isolated without an engine</h3>
          <p className="muted">Processes in namespaces of their own that no container engine started (unshare, a browser sandbox, a kernel thread).</p>
          <div className="cards">
            {groups.map((e) => (
              <Entry key={keyOf(e)} e={e} model={model} onOpen={onOpenContainer} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
