// A container's name with its colour swatch; clicking opens its detail.
import type { ReactNode } from 'react';
import type { DerivedContainer } from '../../state/derive';

/** A clickable container name with its colour. */
export function ContainerLink({ container, onOpen }: { readonly container: DerivedContainer; readonly onOpen: (id: string) => void }): ReactNode {
  return (
    <button type="button" className="container-link" onClick={() => onOpen(container.info.id)} title={`Open ${container.info.name}`}>
      <span className="swatch" style={{ background: container.color.solid }} aria-hidden="true" />
      {container.info.name}
    </button>
  );
}
