// A screenshot of the page when an end-to-end test fails: test-results/<test name>.png.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import type { TestContext } from 'node:test';
import type { Page } from 'playwright';
import { ROOT } from './serve';

/** Where failure screenshots go (ignored by git). */
export const RESULTS_DIR = path.join(ROOT, 'test-results');

/** A file name for a test name: anything but letters, digits, space and `._,()-` becomes `_`. */
export function screenshotName(testName: string): string {
  return `${testName.replace(/[^\w .,()-]+/g, '_').slice(0, 180)}.png`;
}

/** Saves a full-page screenshot for a failed test; never throws (the test's own error matters more). */
export async function saveFailureScreenshot(page: Page | undefined, testName: string): Promise<string | null> {
  if (!page || page.isClosed()) return null;
  const file = path.join(RESULTS_DIR, screenshotName(testName));
  try {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
    return file;
  } catch {
    return null;
  }
}

/** `it` whose failure saves a screenshot of the page `getPage` returns (the page may be created in before()). */
export function itWithScreenshot(getPage: () => Page | undefined): (name: string, fn: (t: TestContext) => Promise<void>) => void {
  return (name, fn) => {
    it(name, async (t) => {
      try {
        await fn(t);
      } catch (err) {
        const file = await saveFailureScreenshot(getPage(), name);
        if (file) t.diagnostic(`screenshot: ${path.relative(ROOT, file)}`);
        throw err;
      }
    });
  };
}
