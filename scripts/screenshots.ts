// `npm run screenshots`: the README's pictures of the UI, taken from the real `isolens serve` with a
// few demo containers running; writes docs/images/{tree,namespaces,container,status}.png (1400×900).
// Needs root (or the docker group), a running dockerd, the fixture images and /usr/bin/chromium.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright';
import { ensureFixtureImages } from '../test/helpers/docker';
import { chromiumSkip, dockerSkip } from '../test/helpers/require';
import { ContainerDetailPage } from '../test/e2e/pages/ContainerDetailPage';
import { NamespacesPage } from '../test/e2e/pages/NamespacesPage';
import { StatusPage } from '../test/e2e/pages/StatusPage';
import { TreePage } from '../test/e2e/pages/TreePage';
import { launchChromium, newPage, VIEWPORT } from '../test/e2e/support/chromium';
import { removeByName, startDemoContainers } from '../test/e2e/support/demo-containers';
import type { DemoNames } from '../test/e2e/support/demo-containers';
import { eventually } from '../test/e2e/support/eventually';
import { builtSkip, ROOT, startServe } from '../test/e2e/support/serve';
import type { ServeProcess } from '../test/e2e/support/serve';

const OUT_DIR = path.join(ROOT, 'docs', 'images');
/** The names the README talks about (the same as test/fixtures/snapshots/demo.json). */
const NAMES: DemoNames = {
  hello: 'isolens-demo-hello',
  busybox: 'isolens-demo-web',
  hostpid: 'isolens-demo-hostpid',
  sidecar: 'isolens-demo-sidecar',
};
/**
 * web: an idle sleep, `yes` held at its 0.5-core quota, and 40 MiB written to /dev/shm over ~12 s
 * (tmpfs: charged to its memory cgroup). /bin/yes, not yes: busybox sh would run the applet in a
 * fork without exec, and the process would show the shell's command line.
 */
const WEB_CMD = ['sh', '-c', 'sleep 600 & /bin/yes >/dev/null & for i in $(seq 40); do head -c 1m /dev/zero >/dev/shm/$i; usleep 300000; done; wait'];
/** Samples the detail's charts should hold before the picture (one per second). */
const CHART_SECONDS = 12;

function log(line: string): void {
  process.stdout.write(`screenshots: ${line}\n`);
}

/** Waits two animation frames, so what was just rendered is painted. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const g = globalThis as unknown as { requestAnimationFrame(cb: () => void): number };
        g.requestAnimationFrame(() => g.requestAnimationFrame(() => resolve()));
      }),
  );
}

async function shoot(page: Page, name: string): Promise<void> {
  // The pointer away from the content (no hover highlight, no chart tooltip), and no focused control.
  await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5);
  await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document;
    d.activeElement?.blur?.();
  });
  await settle(page);
  const file = path.join(OUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  log(`wrote ${path.relative(ROOT, file)} (${Math.round(fs.statSync(file).size / 1024)} KiB)`);
}

async function main(): Promise<number> {
  const skip = builtSkip() || dockerSkip() || chromiumSkip();
  if (skip) {
    process.stderr.write(`screenshots: cannot run: ${skip}\n`);
    return 1;
  }
  ensureFixtureImages();
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const all = Object.values(NAMES);
  removeByName(all); // leftovers of an interrupted run
  let serve: ServeProcess | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;
  try {
    log('starting the demo containers');
    const demo = startDemoContainers(NAMES, { busybox: WEB_CMD });
    serve = await startServe({ intervalMs: 1000 });
    const started = Date.now();
    const browser = await launchChromium();
    closeBrowser = () => browser.close();
    const { page } = await newPage(browser);

    const tree = new TreePage(page);
    await tree.load(serve.url);
    await eventually('the four demo containers in the tree', async () => {
      const jump = await tree.page.getByTestId('tree-jump').innerText();
      return all.every((n) => jump.includes(n));
    });

    // The detail first: its charts need samples, and once web has filled its memory no short-lived
    // process (head, usleep) is left to show up in the tree.
    const wait = CHART_SECONDS * 1000 - (Date.now() - started);
    if (wait > 0) {
      log(`waiting ${Math.ceil(wait / 1000)} s for the charts to fill`);
      await new Promise((r) => setTimeout(r, wait));
    }
    await tree.showContainer(NAMES.busybox);
    await tree.openContainer(NAMES.busybox);
    const detail = new ContainerDetailPage(page);
    await detail.waitForOpen(NAMES.busybox);
    await detail.waitForCharts();
    await eventually(`${CHART_SECONDS - 2} samples in the memory chart`, async () => (await detail.memoryPoints()) >= CHART_SECONDS - 2, 15_000);
    await detail.memoryLimitLabel.waitFor();
    await shoot(page, 'container');

    await tree.open();
    await tree.jumpTo(NAMES.hello);
    await tree.row(demo.hello.pid).waitFor();
    await shoot(page, 'tree');

    const ns = new NamespacesPage(page);
    await ns.open();
    await ns.cell(NAMES.sidecar, 'net').waitFor();
    await ns.pick(NAMES.sidecar, 'net');
    await ns.info.waitFor();
    await shoot(page, 'namespaces');

    const status = new StatusPage(page);
    await status.open();
    await eventually('docker connected', async () => /connected/.test(await status.engine('docker').innerText()));
    await shoot(page, 'status');
    return 0;
  } finally {
    await closeBrowser?.().catch(() => undefined);
    await serve?.stop();
    const errors = removeByName(all);
    for (const e of errors) process.stderr.write(`screenshots: ${e.message}\n`);
    log('removed the demo containers');
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`screenshots: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
