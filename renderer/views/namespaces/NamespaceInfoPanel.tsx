// What one namespace is: inode, member pids, parent, owner, bind mount, and who holds it.
import type { ReactNode } from 'react';
import type { ViewModel } from '../../state/derive';
import { ContainerLink } from '../common/ContainerLink';
import type { PickedCell } from './NamespaceMatrix';
import { NamespaceHolders } from './NamespaceHolders';

const MAX_PIDS = 40;

/** Details of the namespace under the pointer (or clicked) in the matrix. */
export function NamespaceInfoPanel({ picked, model, onOpen }: {
  readonly picked: PickedCell | null;
  readonly model: ViewModel;
  readonly onOpen: (id: string) => void;
}): ReactNode {
  if (!picked) return <p className="ns-info muted">Point at a cell to see that namespace: its inode, its processes, its parent and owner.</p>;
  const { cell, rowName } = picked;
  if (cell.id === null) {
    return (
      <div className="ns-info" data-testid="ns-info">
        <b>{rowName}</b>: its {cell.kind} namespace could not be read. A normal user cannot read other users&apos; <code>/proc/PID/ns</code>{' '}
        links; run isolens as root to see it.
      </div>
    );
  }
  const info = cell.identity?.info ?? null;
  const pids = info?.pids ?? [];
  const name = (id: number | null): string => {
    if (id === null) return '—';
    const n = model.namespaceById.get(id);
    return n ? `${n.kind} ${id}${n.host ? " (the host's)" : ''}` : String(id);
  };
  return (
    <div className="ns-info" data-testid="ns-info">
      <h3>
        {cell.kind} namespace <code>{cell.id}</code>{' '}
        <span className={`pill pill-${cell.sharing}`}>{cell.sharing === 'host' ? "the host's" : cell.sharing}</span>
      </h3>
      <dl>
        <dt>Held by</dt>
        <dd>
          {cell.sharing === 'host'
            ? 'the host (every process that was not given its own)'
            : (cell.identity?.containers ?? []).map((c) => <ContainerLink key={c.info.id} container={c} onOpen={onOpen} />)}
        </dd>
        <dt>Processes</dt>
        <dd>
          {pids.length} {pids.length === 1 ? 'process' : 'processes'}
          {pids.length > 0 && `: ${pids.slice(0, MAX_PIDS).join(', ')}${pids.length > MAX_PIDS ? ', …' : ''}`}
        </dd>
        <dt>Parent</dt>
        <dd>{info && info.parent !== null ? name(info.parent) : cell.kind === 'pid' || cell.kind === 'user' ? 'none (a root)' : 'only pid and user namespaces nest'}</dd>
        <dt>Owner</dt>
        <dd>{name(info?.owner ?? null)}</dd>
        {info && (info.holders ?? []).length > 0 && (
          <>
            <dt>{pids.length > 0 ? 'Also kept by' : 'Kept alive by'}</dt>
            <dd>
              <NamespaceHolders ns={info} model={model} />
            </dd>
          </>
        )}
        {info?.path && !(info.holders ?? []).some((h) => h.via === 'bind-mount') && (
          <>
            <dt>Bind mount</dt>
            <dd>
              <code>{info.path}</code>
            </dd>
          </>
        )}
      </dl>
      <p className="muted">
        Seen as <code>
          {cell.kind}:[{cell.id}]
        </code>{' '}
        by <code>readlink /proc/PID/ns/{cell.kind}</code> in {rowName === 'host' ? "the host's processes" : rowName}.
      </p>
    </div>
  );
}
