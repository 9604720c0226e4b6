// The host process tree (renderer/views/tree): rows `proc-<pid>`, container box headers `container-<name>`.
import type { Locator } from 'playwright';
import { BasePage } from './BasePage';

/** The process tree view. */
export class TreePage extends BasePage {
  /** The scrolling list of rows (only the rows in view are in the DOM). */
  get list(): Locator {
    return this.page.getByTestId('process-tree');
  }

  get searchBox(): Locator {
    return this.page.getByRole('searchbox', { name: 'Search processes' });
  }

  /** "123 processes · 4 containers". */
  get count(): Locator {
    return this.page.getByTestId('tree-count');
  }

  async open(): Promise<void> {
    await this.clickTab('tree');
    await this.searchBox.waitFor();
  }

  /** Filters the tree (pid, command, container name or image): matching rows and their ancestors stay. */
  async search(text: string): Promise<void> {
    await this.searchBox.fill(text);
  }

  async clearSearch(): Promise<void> {
    await this.searchBox.fill('');
  }

  /** The header row that opens a container's box. */
  containerHeader(name: string): Locator {
    return this.page.getByTestId(`container-${name}`);
  }

  /** The row of a host process. */
  row(pid: number): Locator {
    return this.page.getByTestId(`proc-${pid}`);
  }

  /** The "PID inside" cell of a process row: its pid in its own pid namespace, empty when it is the host pid. */
  async insidePid(pid: number): Promise<string> {
    return (await this.row(pid).locator('.c-inside').innerText()).trim();
  }

  /** Whether a process row is drawn inside a container's box. */
  async isBoxed(pid: number): Promise<boolean> {
    return (await this.row(pid).getAttribute('class'))?.split(/\s+/).includes('in-container') ?? false;
  }

  /** Whether the init tag is shown on a process row. */
  async isInit(pid: number): Promise<boolean> {
    return (await this.row(pid).locator('.init-tag').count()) === 1;
  }

  /** The top offset (px) of a row in the list, to check that a header sits right above its first process. */
  async rowTop(row: Locator): Promise<number> {
    const top = await row.evaluate((el) => (el as unknown as { style: { top: string } }).style.top);
    return Number.parseFloat(top);
  }

  /** Opens a container's detail from its box header. */
  async openContainer(name: string): Promise<void> {
    await this.containerHeader(name).locator('button.header-button').click();
  }

  /** Shows only a container's box (searching its name) and returns its header. */
  async showContainer(name: string): Promise<Locator> {
    await this.search(name);
    const header = this.containerHeader(name);
    await header.waitFor({ timeout: 10_000 });
    return header;
  }

  /** Scrolls the tree to a container's box with the "Jump to" link. */
  async jumpTo(name: string): Promise<void> {
    await this.page.getByTestId('tree-jump').getByRole('button', { name, exact: true }).click();
    await this.containerHeader(name).waitFor();
  }
}
