// The guided tour (renderer/views/tour), driven with the keyboard only: t starts it, → next, ← back, Esc closes.
import type { Locator } from 'playwright';
import { BasePage } from './BasePage';

/** The tour's steps, in order (views/tour/steps.ts TourStepId). */
export const TOUR_STEPS = ['process', 'namespaces', 'limits', 'confinement', 'no-os'] as const;

/** The tour panel and the ring pointing at each step's object. */
export class TourPage extends BasePage {
  get panel(): Locator {
    return this.page.getByTestId('tour-panel');
  }

  get ring(): Locator {
    return this.page.getByTestId('tour-ring');
  }

  /** The element the ring points at (marked data-tour-target while pointed at). */
  get target(): Locator {
    return this.page.locator('[data-tour-target="true"]');
  }

  get missingCommand(): Locator {
    return this.page.getByTestId('tour-missing-command');
  }

  /** The id of the step shown (data-step). */
  async step(): Promise<string | null> {
    return this.panel.getAttribute('data-step');
  }

  /** data-testid of the object the ring points at, once it is on screen. */
  async ringTarget(): Promise<string | null> {
    await this.ring.waitFor({ timeout: 10_000 });
    return this.ring.getAttribute('data-target');
  }

  async start(): Promise<void> {
    await this.page.keyboard.press('t');
    await this.panel.waitFor();
  }

  async next(): Promise<void> {
    await this.page.keyboard.press('ArrowRight');
  }

  async back(): Promise<void> {
    await this.page.keyboard.press('ArrowLeft');
  }

  async close(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.panel.waitFor({ state: 'detached' });
  }
}
