// Debian's Chromium through Playwright, for the end-to-end tests, the README screenshots and the render bench.
import { chromium } from 'playwright';
import type { Browser, BrowserContext, Page } from 'playwright';
import { CHROMIUM_PATH } from '../../helpers/require';

/** Flags for a headless Chromium in a container or VM: no sandbox, no GPU, no calls home. */
export const CHROMIUM_ARGS: readonly string[] = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/** The window size of the tests and of the README screenshots. */
export const VIEWPORT = { width: 1400, height: 900 } as const;

/** Launches headless Chromium (chromium(1) from Debian, not Playwright's download). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/**
 * tsx compiles functions with esbuild's keepNames, which wraps inner functions in `__name(...)`;
 * Playwright sends a function's source to the page, where `__name` does not exist. This defines it.
 */
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

/** A fresh context (own cookies and cache) and its page, at the given viewport, with the __name shim installed. */
export async function newPage(browser: Browser, viewport: { width: number; height: number } = VIEWPORT): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.addInitScript({ content: NAME_SHIM });
  const page = await context.newPage();
  return { context, page };
}
