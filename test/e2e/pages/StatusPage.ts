// The status view (renderer/views/status): connection, host, engines, privileges.
import type { Locator } from 'playwright';
import { BasePage } from './BasePage';

/** The status view. */
export class StatusPage extends BasePage {
  /** "connected", "connecting…" or "disconnected: reconnecting…". */
  get connection(): Locator {
    return this.page.getByTestId('status-connection');
  }

  get privileges(): Locator {
    return this.page.getByTestId('status-privileges');
  }

  get updated(): Locator {
    return this.page.getByTestId('status-updated');
  }

  /** An engine's line: "● connected docker 20.10.24 unix:///var/run/docker.sock". */
  engine(name: string): Locator {
    return this.page.getByTestId(`engine-${name}`);
  }

  async open(): Promise<void> {
    await this.clickTab('status');
    await this.connection.waitFor();
  }
}
