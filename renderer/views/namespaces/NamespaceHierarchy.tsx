// pid and user namespaces nest: a parent → child tree (ioctl_ns(2) NS_GET_PARENT).
import type { ReactNode } from 'react';
import type { NamespaceTreeNode } from '../../state/derive';
import { ContainerLink } from '../common/ContainerLink';

/** An indented tree of pid or user namespaces, each with its process count and containers. */
export function NamespaceHierarchy({ title, nodes, onOpen }: {
  readonly title: string;
  readonly nodes: readonly NamespaceTreeNode[];
  readonly onOpen: (id: string) => void;
}): ReactNode {
  return (
    <div className="ns-tree">
      <h3>{title}</h3>
      {nodes.length === 0 ? (
        <p className="muted">None listed.</p>
      ) : (
        <ul>
          {nodes.map((n) => (
            <li key={n.ns.id} style={{ paddingLeft: n.depth * 28 }} data-testid={`ns-tree-${n.ns.id}`}>
              <div>
                {n.depth > 0 && <span className="branch">└─ </span>}
                <code>
                  {n.ns.type}:[{n.ns.id}]
                </code>{' '}
                {n.ns.host && <span className="pill pill-host">host</span>}{' '}
                <span className="muted">
                  {n.ns.pids.length} {n.ns.pids.length === 1 ? 'process' : 'processes'}
                </span>
              </div>
              {n.containers.length > 0 && (
                <div className="ns-node-users">
                  <span className="muted">{n.ns.host ? 'also in it:' : 'in it:'}</span>{' '}
                  {n.containers.map((c) => (
                    <ContainerLink key={c.info.id} container={c} onOpen={onOpen} />
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
