// The namespace matrix (renderer/views/namespaces): cells `ns-cell-<container>-<kind>` with data-shared and data-ns.
import type { Locator } from 'playwright';
import type { NamespaceKind } from '../../../shared/namespaces';
import { BasePage } from './BasePage';

/** How a cell relates to the others: the host's, its own, shared with another container, or unreadable. */
export type CellSharing = 'host' | 'own' | 'shared' | 'unknown';

/** The namespaces view. */
export class NamespacesPage extends BasePage {
  get matrix(): Locator {
    return this.page.getByTestId('ns-matrix');
  }

  /** The panel describing the namespace under the pointer. */
  get info(): Locator {
    return this.page.getByTestId('ns-info');
  }

  async open(): Promise<void> {
    await this.clickTab('namespaces');
    await this.matrix.waitFor();
  }

  /** The cell of a container's (or, with name 'host', the host's) namespace of one kind. */
  cell(name: string, kind: NamespaceKind): Locator {
    return this.page.getByTestId(`ns-cell-${name}-${kind}`);
  }

  /** data-shared of a cell. */
  async sharing(name: string, kind: NamespaceKind): Promise<CellSharing> {
    const v = await this.cell(name, kind).getAttribute('data-shared');
    if (v !== 'host' && v !== 'own' && v !== 'shared' && v !== 'unknown') throw new Error(`cell ${name}/${kind} has data-shared=${String(v)}`);
    return v;
  }

  /** The namespace's inode (data-ns), or null when unreadable. */
  async inode(name: string, kind: NamespaceKind): Promise<number | null> {
    const v = await this.cell(name, kind).getAttribute('data-ns');
    return v ? Number(v) : null;
  }

  /** The cell's label: "host", "own", "⇄ shared" or "?". */
  async label(name: string, kind: NamespaceKind): Promise<string> {
    return (await this.cell(name, kind).locator('.ns-label').innerText()).trim();
  }

  /** Clicks a cell, pinning its namespace in the info panel. */
  async pick(name: string, kind: NamespaceKind): Promise<void> {
    await this.cell(name, kind).getByRole('button').click();
  }
}
