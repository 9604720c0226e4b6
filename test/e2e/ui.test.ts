// End to end: the real `bin/isolens serve` against the real dockerd, driven in Debian's Chromium.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright';
import { FIXTURE_IMAGES, dockerAsync, ensureFixtureImages, runContainer } from '../helpers/docker';
import type { TestContainer } from '../helpers/docker';
import { chromiumSkip, dockerSkip } from '../helpers/require';
import { ContainerDetailPage } from './pages/ContainerDetailPage';
import { NamespacesPage } from './pages/NamespacesPage';
import { StatusPage } from './pages/StatusPage';
import { TreePage } from './pages/TreePage';
import { launchChromium, newPage } from './support/chromium';
import { demoNames, removeByName, startDemoContainers, uniqueSuffix } from './support/demo-containers';
import type { DemoContainers } from './support/demo-containers';
import { eventually } from './support/eventually';
import { itWithScreenshot } from './support/failure-shot';
import { builtSkip, startServe } from './support/serve';
import type { ServeProcess } from './support/serve';

/** Height of a tree row (renderer/views/tree/ProcessTree.tsx ROW_HEIGHT). */
const ROW_HEIGHT = 32;
/** "Within a few seconds": Docker's /events stream makes it much faster; the tick is 500 ms. */
const LIVE_MS = 5_000;

const skip = builtSkip() || dockerSkip() || chromiumSkip();

describe('the UI in Chromium against isolens serve and dockerd', { skip }, () => {
  const suffix = uniqueSuffix();
  const names = demoNames('isolens-e2e', suffix);
  const lateName = `isolens-e2e-late-${suffix}`;
  /** Every name we may have started, removed in after() whatever happened. */
  const toRemove = [names.hello, names.busybox, names.hostpid, names.sidecar, lateName];
  let demo: DemoContainers;
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let late: TestContainer | undefined;
  const it = itWithScreenshot(() => page);

  before(async () => {
    ensureFixtureImages();
    demo = startDemoContainers(names);
    serve = await startServe({ intervalMs: 500 });
    browser = await launchChromium();
    page = (await newPage(browser)).page;
    await new TreePage(page).load(serve.url);
  });

  after(async () => {
    const errors: unknown[] = [];
    await browser?.close().catch((e: unknown) => errors.push(e));
    await serve?.stop().catch((e: unknown) => errors.push(e));
    errors.push(...removeByName(toRemove));
    if (errors.length > 0) throw new AggregateError(errors, 'cleaning up after the end-to-end tests');
  });

  it('boxes each container in the host tree under its name, its init PID 1 inside', async () => {
    const tree = new TreePage(page as Page);
    for (const c of [demo.hello, demo.busybox, demo.sidecar]) {
      const header = await tree.showContainer(c.name);
      assert.equal((await header.locator('.header-name').innerText()).trim(), c.name);
      assert.match(await header.innerText(), new RegExp(`host PID ${c.pid} = PID 1 inside`));
      const init = tree.row(c.pid);
      await init.waitFor();
      assert.equal(await tree.insidePid(c.pid), '1', `${c.name}: its init is PID 1 in its own pid namespace`);
      assert.ok(await tree.isBoxed(c.pid), `${c.name}: its init is drawn in the box`);
      assert.ok(await tree.isInit(c.pid), `${c.name}: its init is tagged init`);
      assert.equal(await tree.rowTop(init), (await tree.rowTop(header)) + ROW_HEIGHT, `${c.name}: the box header sits right above its init`);
    }
    // --pid host: the same number inside and out, so the "PID inside" cell stays empty.
    await tree.showContainer(demo.hostpid.name);
    await tree.row(demo.hostpid.pid).waitFor();
    assert.ok(await tree.isBoxed(demo.hostpid.pid));
    assert.equal(await tree.insidePid(demo.hostpid.pid), '');
  });

  it('shows own pid/net/mnt namespaces, the host user namespace, --pid host and a shared net in the matrix', async () => {
    const ns = new NamespacesPage(page as Page);
    await ns.open();
    for (const c of [demo.hello, demo.busybox, demo.hostpid, demo.sidecar]) {
      assert.equal(await ns.sharing(c.name, 'user'), 'host', `${c.name}: no user namespace of its own`);
      assert.equal(await ns.sharing(c.name, 'mnt'), 'own', `${c.name}: its own mount namespace`);
    }
    for (const c of [demo.hello, demo.busybox, demo.sidecar]) assert.equal(await ns.sharing(c.name, 'pid'), 'own', `${c.name}: pid`);
    assert.equal(await ns.sharing(demo.hello.name, 'net'), 'own');
    assert.equal(await ns.sharing(demo.hostpid.name, 'net'), 'own');

    assert.equal(await ns.sharing(demo.hostpid.name, 'pid'), 'host');
    assert.equal(await ns.label(demo.hostpid.name, 'pid'), 'host');
    assert.equal(await ns.inode(demo.hostpid.name, 'pid'), await ns.inode('host', 'pid'));

    assert.equal(await ns.sharing(demo.busybox.name, 'net'), 'shared');
    assert.equal(await ns.sharing(demo.sidecar.name, 'net'), 'shared');
    assert.equal(await ns.inode(demo.sidecar.name, 'net'), await ns.inode(demo.busybox.name, 'net'), 'one net namespace, two containers');
    assert.notEqual(await ns.inode(demo.sidecar.name, 'pid'), await ns.inode(demo.busybox.name, 'pid'), 'but two pid namespaces');
  });

  it('draws the memory chart of a container with a line at its 64 MiB limit', async () => {
    const tree = new TreePage(page as Page);
    const detail = new ContainerDetailPage(page as Page);
    await tree.open();
    await tree.showContainer(demo.busybox.name);
    await tree.openContainer(demo.busybox.name);
    await detail.waitForOpen(demo.busybox.name);
    assert.equal((await detail.pidSentence.innerText()).trim(), `host PID ${demo.busybox.pid} = PID 1 inside`);
    assert.equal((await detail.memoryLimit.innerText()).trim(), 'limit 64 MiB');
    await detail.waitForCharts();
    await detail.memoryLimitLabel.waitFor();
    assert.equal((await detail.memoryLimitLabel.textContent())?.trim(), 'limit 64 MiB');
    const at = await detail.memoryLimitLineMiB();
    assert.ok(at !== null && Math.abs(at - 64) < 0.5, `the limit line is drawn at ${String(at)} MiB, not 64`);
    assert.match(await detail.cpuChart.locator('figcaption').innerText(), /quota 0\.5 cores/);
    assert.match(await detail.pidsChart.locator('figcaption').innerText(), /pids\.max 50/);
  });

  it('shows a container started with docker run in the tree, without a reload', async () => {
    const p = page as Page;
    const tree = new TreePage(p);
    await p.evaluate(() => {
      (globalThis as { e2eSamePage?: boolean }).e2eSamePage = true;
    });
    await tree.open();
    await tree.search(lateName);
    const started = Date.now();
    late = runContainer({ image: FIXTURE_IMAGES.busybox, name: lateName, cmd: ['sleep', '600'] });
    const lateContainer = late;
    await tree.containerHeader(lateName).waitFor({ timeout: LIVE_MS });
    await tree.row(lateContainer.pid).waitFor({ timeout: LIVE_MS });
    assert.equal(await tree.insidePid(lateContainer.pid), '1');
    const seen = Date.now() - started;
    assert.ok(seen < LIVE_MS, `shown after ${seen} ms`);
    assert.equal(await p.evaluate(() => (globalThis as { e2eSamePage?: boolean }).e2eSamePage === true), true, 'the page was not reloaded');
  });

  it('marks a container removed with docker rm -f as gone, then drops it from the tree', async (t) => {
    if (!late) {
      t.skip('the previous test did not start the container');
      return;
    }
    const p = page as Page;
    const tree = new TreePage(p);
    const detail = new ContainerDetailPage(p);
    await tree.openContainer(lateName);
    await detail.waitForOpen(lateName);
    assert.equal((await detail.state.innerText()).trim(), 'running');
    await dockerAsync(['rm', '-f', '-v', lateName]);
    // Marked first: the collector keeps a stopped container listed as "exited" for a few seconds…
    await eventually('the container marked exited', async () => (await detail.state.innerText()).trim() === 'exited', LIVE_MS);
    // …then removes it.
    await detail.goneMessage.waitFor({ timeout: LIVE_MS + 8_000 });
    await tree.open();
    await tree.search(lateName);
    await p.getByText(`No process matches “${lateName}”.`).waitFor({ timeout: LIVE_MS });
    assert.equal(await tree.containerHeader(lateName).count(), 0);
    await tree.search(String(late.pid));
    await p.getByText(`No process matches “${late.pid}”.`).waitFor({ timeout: LIVE_MS });
  });

  it('reports a live connection and the Docker engine on the status page', async () => {
    const status = new StatusPage(page as Page);
    await status.open();
    assert.equal((await status.connection.innerText()).trim(), 'connected');
    await eventually('the docker engine connected', async () => /connected/.test(await status.engine('docker').innerText()));
    assert.match(await status.liveIndicator.innerText(), /^live · \d\d:\d\d:\d\d$/);
  });
});
