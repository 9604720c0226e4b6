// The namespaces view: the matrix, the pid/user hierarchy, and namespaces no process is in (with what keeps them alive).
import { useState } from 'react';
import type { ReactNode } from 'react';
import { HOST_GREY } from '../../state/colors';
import type { ViewModel } from '../../state/derive';
import { NoContainers } from '../common/EmptyState';
import { NamespaceHierarchy } from './NamespaceHierarchy';
import { NamespaceHolders } from './NamespaceHolders';
import { NamespaceInfoPanel } from './NamespaceInfoPanel';
import { NamespaceMatrix } from './NamespaceMatrix';
import type { PickedCell } from './NamespaceMatrix';

/** Containers × namespace kinds, then the hierarchy and the namespaces without a process; matrix rows can be picked for a comparison. */
export function NamespacesView({ model, onOpenContainer, picks, onTogglePick }: {
  readonly model: ViewModel;
  readonly onOpenContainer: (id: string) => void;
  readonly picks?: readonly string[];
  readonly onTogglePick?: (ref: string) => void;
}): ReactNode {
  const [hovered, setHovered] = useState<PickedCell | null>(null);
  const [pinned, setPinned] = useState<PickedCell | null>(null);
  const onPick = (p: PickedCell | null, pin: boolean): void => {
    if (pin) setPinned(p);
    else setHovered(p);
  };
  const shown = hovered ?? pinned;
  const engineContainers = model.containers.filter((c) => c.info.engine !== 'none').length;
  return (
    <section className="view ns-view" aria-label="Namespaces">
      <p className="lede">
        A container is a process given its own <b>namespaces</b>: what it can see. Same colour = the same namespace.{' '}
        <span className="legend-chip" style={{ background: HOST_GREY }}>
          host
        </span>{' '}
        is the host&apos;s own: a container with <code>--pid host</code> or <code>--network host</code> shows grey there.
      </p>
      {engineContainers === 0 && <NoContainers compact />}
      <div className="ns-layout">
        <NamespaceMatrix rows={model.matrix} onOpen={onOpenContainer} onPick={onPick} picked={shown} comparePicks={picks} onToggleComparePick={onTogglePick} />
        <NamespaceInfoPanel picked={shown} model={model} onOpen={onOpenContainer} />
      </div>
      <div className="ns-trees">
        <NamespaceHierarchy title="pid namespaces (parent → child)" nodes={model.pidTree} onOpen={onOpenContainer} />
        <NamespaceHierarchy title="user namespaces (parent → child)" nodes={model.userTree} onOpen={onOpenContainer} />
        <div className="ns-tree" data-testid="ns-unheld">
          <h3>Namespaces with no process</h3>
          {model.unheld.length === 0 ? (
            <p className="muted">None: every namespace has a process in it.</p>
          ) : (
            <ul>
              {model.unheld.map((n) => (
                <li key={n.id}>
                  <code>
                    {n.type}:[{n.id}]
                  </code>{' '}
                  {(n.holders ?? []).length > 0 ? (
                    <NamespaceHolders ns={n} model={model} />
                  ) : n.path ? (
                    <>
                      kept alive by the bind mount <code>{n.path}</code>
                    </>
                  ) : (
                    <span className="muted">
                      {n.holders ? 'no fd, thread or bind mount found holding it: a child namespace, or a process this user cannot read' : 'kept alive by an open file descriptor or a child namespace'}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
