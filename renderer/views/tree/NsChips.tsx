// Chips naming each kind of namespace in which a process differs from the host, in that namespace's colour.
import type { ReactNode } from 'react';
import type { NamespaceKind } from '../../../shared/namespaces';
import type { ProcessNamespaces } from '../../../shared/namespaces';
import type { ViewModel } from '../../state/derive';

/** Chips for the namespace kinds a process does not share with the host (namespaces(7)). */
export function NsChips({ kinds, namespaces, unknown, model }: {
  readonly kinds: readonly NamespaceKind[];
  readonly namespaces: ProcessNamespaces;
  readonly unknown: boolean;
  readonly model: ViewModel;
}): ReactNode {
  if (unknown) {
    return (
      <span className="chip chip-unknown" title="Namespaces unreadable: run isolens as root to see them">
        ?
      </span>
    );
  }
  return kinds.map((k) => {
    const id = namespaces[k];
    const ident = id === null ? undefined : model.namespaceIdentity ? model.namespaceIdentity(id) : model.namespaceById.get(id);
    const others = ident ? ident.containers.map((c) => c.info.name) : [];
    const title = `${k} namespace ${id ?? '?'}, not the host's` + (others.length > 0 ? ` — held by ${others.join(', ')}` : '');
    return (
      <span key={k} className="chip" style={{ background: ident?.color ?? '#ffffff' }} title={title}>
        {k}
      </span>
    );
  });
}
