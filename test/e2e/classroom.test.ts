// End to end: classroom mode on `bin/isolens serve --classroom` against the real dockerd, in
// Debian's Chromium at a projector's 1280×720: axe-core finds no serious or critical violation
// (contrast included) in any view; the keyboard alone drives the views and the guided tour;
// explanations give commands that, run on this host, print the same facts; exports download.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Snapshot } from '../../shared/model';
import { ensureFixtureImages } from '../helpers/docker';
import { chromiumSkip, dockerSkip, isRoot } from '../helpers/require';
import { ClassroomPage, newAuditPage } from './pages/ClassroomPage';
import type { AxeViolation } from './pages/ClassroomPage';
import { ContainerDetailPage } from './pages/ContainerDetailPage';
import { TourPage } from './pages/TourPage';
import { TreePage } from './pages/TreePage';
import { launchChromium } from './support/chromium';
import { demoNames, removeByName, startDemoContainers, uniqueSuffix } from './support/demo-containers';
import type { DemoContainers } from './support/demo-containers';
import { eventually } from './support/eventually';
import { itWithScreenshot } from './support/failure-shot';
import { builtSkip, startServe } from './support/serve';
import type { ServeProcess } from './support/serve';

const skip = builtSkip() || dockerSkip() || chromiumSkip();

/** Violations a class cannot work around: axe-core's serious and critical ones. */
function blocking(v: readonly AxeViolation[]): string[] {
  return v
    .filter((x) => x.impact === 'serious' || x.impact === 'critical')
    .map((x) => `${x.impact} ${x.id} (${x.help}): ${x.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`).join(' | ')}`);
}

/** The data-testid of the focused element. */
async function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(a: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid') ?? null);
}

/** The tag name and type of the focused element ("INPUT search"). */
async function focusedKind(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { tagName: string; getAttribute(a: string): string | null } | null } }).document.activeElement;
    return el ? `${el.tagName} ${el.getAttribute('type') ?? el.getAttribute('role') ?? ''}`.trim() : '';
  });
}

describe('classroom mode in Chromium (serve --classroom)', { skip }, () => {
  const suffix = uniqueSuffix();
  const names = demoNames('isolens-e2e-cls', suffix);
  let demo: DemoContainers;
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const it = itWithScreenshot(() => page);
  const p = (): Page => page as Page;

  before(async () => {
    ensureFixtureImages();
    demo = startDemoContainers(names);
    serve = await startServe({ intervalMs: 500, args: ['--classroom'] });
    browser = await launchChromium();
    page = (await newAuditPage(browser)).page;
    await new TreePage(page).load(serve.url);
  });

  after(async () => {
    const errors: unknown[] = [];
    await browser?.close().catch((e: unknown) => errors.push(e));
    await serve?.stop().catch((e: unknown) => errors.push(e));
    errors.push(...removeByName([names.hello, names.busybox, names.hostpid, names.sidecar]));
    if (errors.length > 0) throw new AggregateError(errors, 'cleaning up after the classroom tests');
  });

  it('serve --classroom prints a URL that opens in classroom mode; the pointer is highlighted', async () => {
    assert.match(serve?.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/\?token=[^&]+&classroom=1$/);
    const cls = new ClassroomPage(p());
    assert.equal(await cls.isOn(), true);
    assert.equal(await cls.toggle.getAttribute('aria-pressed'), 'true');
    await p().mouse.move(400, 300);
    await eventually('the circle under the pointer', async () => /translate\(358px, 258px\)/.test((await cls.pointerHighlight.getAttribute('style')) ?? ''));
    await cls.toggle.click();
    assert.equal(await cls.isOn(), false);
    assert.equal(await cls.pointerHighlight.count(), 0);
    await cls.toggle.click();
    assert.equal(await cls.isOn(), true);
  });

  it('axe-core: no serious or critical violation (colour contrast included) in the tree, namespaces, containers, a container detail and status', async () => {
    const cls = new ClassroomPage(p());
    const detail = new ContainerDetailPage(p());
    const views: { name: string; open: () => Promise<void> }[] = [
      { name: 'tree', open: async () => { await p().keyboard.press('1'); await p().getByTestId('process-tree').waitFor(); } },
      { name: 'namespaces', open: async () => { await p().keyboard.press('2'); await p().getByTestId('ns-matrix').waitFor(); } },
      { name: 'containers', open: async () => { await p().keyboard.press('3'); await p().getByTestId(`container-card-${demo.busybox.name}`).waitFor(); } },
      {
        name: 'detail',
        open: async () => {
          await p().getByTestId(`container-card-${demo.busybox.name}`).click();
          await detail.waitForOpen(demo.busybox.name);
          await detail.waitForCharts();
        },
      },
      { name: 'status', open: async () => { await p().keyboard.press('4'); await p().getByTestId('status-privileges').waitFor(); } },
    ];
    const problems: string[] = [];
    for (const v of views) {
      await v.open();
      await p().mouse.move(2, 700);
      await cls.shot(`classroom-${v.name}`);
      const found = blocking(await cls.audit());
      if (found.length > 0) problems.push(`${v.name}:\n  ${found.join('\n  ')}`);
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('the keyboard alone: views by number, rows by arrows, / to search, Enter opens, Esc comes back', async () => {
    const kb = p().keyboard;
    await kb.press('Escape');
    await kb.press('1');
    await p().getByTestId('process-tree').waitFor();
    await kb.press('/');
    assert.equal(await focusedKind(p()), 'INPUT search');
    await kb.type(demo.busybox.name);
    await p().getByTestId(`container-${demo.busybox.name}`).waitFor();
    await kb.press('Escape');
    assert.notEqual(await focusedKind(p()), 'INPUT search', 'Esc leaves the search box');
    assert.equal(await p().getByRole('searchbox', { name: 'Search processes' }).inputValue(), demo.busybox.name, 'and keeps the search');
    await kb.press('/');
    await kb.press('Enter');
    assert.equal(await focusedTestId(p()), 'proc-1', 'Enter in the search box goes to the first row it left');
    // Down through the rows the search left (the container's ancestors, then its box) to its header.
    let at: string | null = null;
    for (let i = 0; i < 12 && at !== `container-${demo.busybox.name}`; i++) {
      await kb.press('ArrowDown');
      at = await focusedTestId(p());
    }
    assert.equal(at, `container-${demo.busybox.name}`);
    await kb.press('ArrowDown');
    assert.equal(await focusedTestId(p()), `proc-${demo.busybox.pid}`, 'the next row is its init');
    await kb.press('Enter');
    await new ContainerDetailPage(p()).waitForOpen(demo.busybox.name);
    await kb.press('Escape');
    await p().getByTestId('process-tree').waitFor();
    await kb.press('3');
    await kb.press('ArrowDown');
    assert.match((await focusedTestId(p())) ?? '', /^container-card-/);
    await kb.press('Enter');
    await p().getByTestId('container-detail').waitFor();
    await kb.press('Escape');
    await p().getByTestId(`container-card-${demo.busybox.name}`).waitFor();
    await kb.press('?');
    await p().getByTestId('shortcuts-help').waitFor();
    await kb.press('Escape');
    await p().getByTestId('shortcuts-help').waitFor({ state: 'detached' });
  });

  it('the guided tour, driven with the keyboard only, points at the real objects of the selected container', async () => {
    const kb = p().keyboard;
    const tour = new TourPage(p());
    // Select the busybox container (its row), so that the tour follows it.
    await kb.press('1');
    await kb.press('/');
    await kb.press('Control+A');
    await kb.type(demo.busybox.name);
    await kb.press('ArrowDown');
    for (let i = 0; i < 14 && (await focusedTestId(p())) !== `proc-${demo.busybox.pid}`; i++) await kb.press('ArrowDown');
    assert.equal(await focusedTestId(p()), `proc-${demo.busybox.pid}`);
    await tour.start();
    assert.equal(await tour.step(), 'process');
    assert.equal(await tour.ringTarget(), `proc-${demo.busybox.pid}`);
    assert.match(await tour.panel.innerText(), new RegExp(`host PID ${demo.busybox.pid}, which calls itself PID 1 inside`));
    await new ClassroomPage(p()).shot('classroom-tour-1');

    await tour.next();
    await eventually('step 2', async () => (await tour.step()) === 'namespaces');
    assert.equal(await tour.ringTarget(), `ns-row-${demo.busybox.name}`);
    await tour.target.waitFor();
    await new ClassroomPage(p()).shot('classroom-tour-2');

    await tour.next();
    await eventually('step 3', async () => (await tour.step()) === 'limits');
    assert.equal(await tour.ringTarget(), 'detail-memory-chart');
    await new ContainerDetailPage(p()).waitForOpen(demo.busybox.name);
    assert.ok(await tour.target.isVisible(), 'the chart is scrolled into view');
    await new ClassroomPage(p()).shot('classroom-tour-3');

    await tour.next();
    await eventually('step 4', async () => (await tour.step()) === 'confinement');
    assert.equal(await tour.ringTarget(), 'confinement-panel');

    await tour.next();
    await eventually('step 5', async () => (await tour.step()) === 'no-os');
    assert.equal(await tour.ringTarget(), 'compare-inside');
    assert.match(await p().getByTestId('compare-inside-verdict-B').innerText(), /busybox/);
    await new ClassroomPage(p()).shot('classroom-tour-5');

    await tour.back();
    await eventually('back to step 4', async () => (await tour.step()) === 'confinement');
    await tour.close();
  });

  it('explanations give the commands for the open container; run here, they print the same facts', async (t) => {
    if (!isRoot) {
      t.skip("reading another user's /proc/PID/ns needs root");
      return;
    }
    const cls = new ClassroomPage(p());
    const detail = new ContainerDetailPage(p());
    await p().keyboard.press('3');
    await p().getByTestId(`container-card-${demo.busybox.name}`).click();
    await detail.waitForOpen(demo.busybox.name);
    const ns = await cls.explain('ns-pid');
    assert.equal(ns[0], `readlink /proc/${demo.busybox.pid}/ns/pid`);
    const shown = (await p().getByTestId('detail-ns-pid').locator('code').innerText()).trim();
    assert.equal(execFileSync('sh', ['-c', ns[0] as string], { encoding: 'utf8' }).trim(), `pid:[${shown}]`);
    await p().keyboard.press('Escape');
    await cls.explainPopover.waitFor({ state: 'detached' });

    const mem = await cls.explain('memory-limit');
    assert.ok(mem[0]?.includes(demo.busybox.id) && /memory\.(limit_in_bytes|max)$/.test(mem[0]), mem[0]);
    assert.equal(execFileSync('sh', ['-c', mem[0] as string], { encoding: 'utf8' }).trim(), String(64 * 1024 * 1024), '--memory 64m');
    await p().keyboard.press('Escape');

    const nspid = await cls.explain('nspid');
    assert.match(execFileSync('sh', ['-c', nspid[0] as string], { encoding: 'utf8' }), new RegExp(`^NSpid:\\s+${demo.busybox.pid}\\s+1\\s*$`));
    await p().keyboard.press('Escape');
  });

  it('exports the snapshot as JSON (redacted when asked) and the view as PNG', async () => {
    const cls = new ClassroomPage(p());
    await p().keyboard.press('1');
    await p().getByTestId('process-tree').waitFor();
    const plain = await cls.exportJson(false);
    const s = JSON.parse(fs.readFileSync((await plain.path()) as string, 'utf8')) as Snapshot;
    assert.equal(s.schema, 1);
    assert.equal(s.host.hostname, os.hostname());
    assert.ok(s.containers.some((c) => c.name === demo.busybox.name));
    assert.ok(s.processes.some((x) => x.pid === demo.busybox.pid && x.cmdline.join(' ') === 'sleep 600'));

    const redacted = await cls.exportJson(true);
    assert.match(redacted.suggestedFilename(), /^isolens-snapshot-host-.*-redacted\.json$/);
    const r = JSON.parse(fs.readFileSync((await redacted.path()) as string, 'utf8')) as Snapshot;
    assert.equal(r.host.hostname, 'host');
    assert.deepEqual(r.processes.find((x) => x.pid === demo.busybox.pid)?.cmdline, ['sleep', '…']);

    const png = await cls.exportPng();
    const bytes = fs.readFileSync((await png.path()) as string);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    assert.equal(bytes.readUInt32BE(16), 1280, 'as wide as the window');
    assert.ok(bytes.length > 20_000, `a drawn view, not an empty image (${bytes.length} bytes)`);
    assert.match(await cls.exportStatus.innerText(), /^Saved isolens-view-.*\.png\.$/);
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync('test-results/classroom-export-view.png', bytes);
  });
});
