// A recording's badge and timeline (renderer/views/playback): position, play/pause, speed, the scrubber.
import type { Locator } from 'playwright';
import { BasePage } from './BasePage';

/** The RECORDING badge and the timeline of `serve --recording`. */
export class TimelinePage extends BasePage {
  get badge(): Locator {
    return this.page.getByTestId('recording-badge');
  }

  get timeline(): Locator {
    return this.page.getByTestId('timeline');
  }

  get scrubber(): Locator {
    return this.page.getByTestId('timeline-seek');
  }

  get playButton(): Locator {
    return this.page.getByTestId('timeline-play');
  }

  get speed(): Locator {
    return this.page.getByTestId('timeline-speed');
  }

  /** The position shown, ms (data-position). */
  async positionMs(): Promise<number> {
    return Number(await this.timeline.getAttribute('data-position'));
  }

  /** How many seeks the server has made (data-epoch). */
  async epoch(): Promise<number> {
    return Number(await this.timeline.getAttribute('data-epoch'));
  }

  /** The recording's length, ms (the scrubber's max). */
  async durationMs(): Promise<number> {
    return Number(await this.scrubber.getAttribute('max'));
  }

  /** Pauses when playing. */
  async pause(): Promise<void> {
    if ((await this.playButton.getAttribute('aria-label')) === 'Pause') await this.playButton.click();
    await this.page.getByRole('button', { name: /^Play/ }).waitFor();
  }

  /** Moves the scrubber to `ms` with the keyboard (Home, then → one second at a time) and waits until playback stands there. */
  async seekByKeyboard(ms: number): Promise<void> {
    await this.scrubber.focus();
    await this.page.keyboard.press('Home');
    for (let i = 0; i < Math.round(ms / 1000); i++) await this.page.keyboard.press('ArrowRight');
    await this.settle(Math.round(ms / 1000) * 1000);
  }

  /** Drags the scrubber to `ms` (sets the range input's value, then releases it) and waits until playback stands there. */
  async seekTo(ms: number): Promise<void> {
    await this.scrubber.fill(String(Math.round(ms)));
    await this.scrubber.dispatchEvent('pointerup');
    await this.settle(Math.round(ms));
  }

  /** Waits until the server's position (paused) is `ms` and stays there: every seek sent has been answered. */
  private async settle(ms: number): Promise<void> {
    await this.page.waitForFunction(
      (want) => {
        const g = globalThis as unknown as { settleSince?: number; document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } };
        const at = Number(g.document.querySelector('[data-testid="timeline"]')?.getAttribute('data-position'));
        if (Math.abs(at - want) > 150) {
          g.settleSince = undefined;
          return false;
        }
        g.settleSince ??= Date.now();
        return Date.now() - g.settleSince > 600;
      },
      ms,
      { timeout: 15_000, polling: 100 },
    );
    await this.page.evaluate(() => {
      (globalThis as { settleSince?: number }).settleSince = undefined;
    });
  }
}
