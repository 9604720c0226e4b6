// What every view shares: the top bar with the four tabs and the live indicator (renderer/app/Nav.tsx).
import type { Locator, Page } from 'playwright';

/** A view of the app, reached through its tab. */
export type TabName = 'tree' | 'namespaces' | 'containers' | 'status';

/** The top bar of the app, under every page object. */
export class BasePage {
  constructor(readonly page: Page) {}

  /** The tab button of a view. */
  tab(name: TabName): Locator {
    return this.page.getByTestId(`tab-${name}`);
  }

  /** "live · 10:42:07" when the WebSocket is open. */
  get liveIndicator(): Locator {
    return this.page.getByTestId('live-indicator');
  }

  /** Loads the app at `url` and waits until a view is drawn from the first snapshot. */
  async load(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('main > section.view').first().waitFor({ timeout: 20_000 });
  }

  protected async clickTab(name: TabName): Promise<void> {
    await this.tab(name).click();
  }
}
