// Classroom mode and what goes with it (renderer/app, renderer/views/{classroom,explain,export}):
// the header toggle, the pointer highlight, explanations, exports, and an axe-core audit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright';
import { ROOT } from '../support/serve';
import { BasePage } from './BasePage';

/** A classroom projector's screen. */
export const CLASSROOM_VIEWPORT = { width: 1280, height: 720 } as const;

/** axe-core's browser build (devDependency), injected into the page. */
export const AXE_PATH = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** One axe-core violation, as axe.run reports it. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[]; readonly html: string; readonly failureSummary?: string }[];
}

/**
 * A context and page that accept downloads and let a test inject axe-core: the app's CSP forbids
 * inline scripts (a page cannot add one), so the context bypasses CSP for the audit script only.
 */
export async function newAuditPage(browser: Browser, viewport: { width: number; height: number } = CLASSROOM_VIEWPORT): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, bypassCSP: true, acceptDownloads: true });
  // tsx's keepNames wraps functions in __name(); Playwright sends their source to the page (see support/chromium.ts).
  await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  return { context, page: await context.newPage() };
}

/** Classroom mode, explanations and exports, on any view. */
export class ClassroomPage extends BasePage {
  get toggle(): Locator {
    return this.page.getByTestId('classroom-toggle');
  }

  get pointerHighlight(): Locator {
    return this.page.getByTestId('pointer-highlight');
  }

  /** Whether the root element carries the classroom class. */
  async isOn(): Promise<boolean> {
    return ((await this.page.locator('html').getAttribute('class')) ?? '').split(/\s+/).includes('classroom');
  }

  /** Runs axe-core (injected once per document) on the whole page; returns the violations. */
  async audit(): Promise<AxeViolation[]> {
    const loaded = await this.page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
    if (!loaded) await this.page.addScriptTag({ path: AXE_PATH });
    return this.page.evaluate(async () => {
      const g = globalThis as unknown as { document: unknown; axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } };
      const r = await g.axe.run(g.document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) }));
    });
  }

  /** A "?" button of a concept (views/explain/concepts.ts ConceptId). */
  explainButton(concept: string): Locator {
    return this.page.getByTestId(`explain-${concept}`).first();
  }

  get explainPopover(): Locator {
    return this.page.getByTestId('explain-popover');
  }

  /** Opens a concept's explanation and returns the commands it shows, filled in. */
  async explain(concept: string): Promise<string[]> {
    await this.explainButton(concept).click();
    await this.explainPopover.waitFor();
    return (await this.explainPopover.getByTestId('explain-command').allInnerTexts()).map((t) => t.trim());
  }

  /** Opens the Export menu, sets the redaction box, exports the snapshot; returns the download. */
  async exportJson(redact: boolean): Promise<Download> {
    await this.openExportMenu();
    const box = this.page.getByTestId('export-redact');
    if ((await box.isChecked()) !== redact) await box.click();
    const [download] = await Promise.all([this.page.waitForEvent('download', { timeout: 20_000 }), this.page.getByTestId('export-json').click()]);
    return download;
  }

  /** Exports the current view as PNG; returns the download. */
  async exportPng(): Promise<Download> {
    await this.openExportMenu();
    const [download] = await Promise.all([this.page.waitForEvent('download', { timeout: 30_000 }), this.page.getByTestId('export-png').click()]);
    return download;
  }

  get exportStatus(): Locator {
    return this.page.getByTestId('export-status');
  }

  private async openExportMenu(): Promise<void> {
    if (!(await this.page.getByTestId('export-menu').isVisible())) await this.page.getByTestId('export-button').click();
    await this.page.getByTestId('export-menu').waitFor();
  }

  /** Saves a screenshot of the window under test-results/ (for people to look at). */
  async shot(name: string): Promise<string> {
    const dir = path.join(ROOT, 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
