// End to end: `bin/isolens record` on a private dockerd while a container starts and is removed;
// the private engine stopped; `bin/isolens serve --recording FILE` played in Chromium: the RECORDING
// badge, the timeline, and the container present exactly between the moments it was recorded
// appearing and disappearing, whichever way the scrubber moves. The machine's main engine is never touched.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright';
import { parseRecording, RecordingError } from '../../shared/recording';
import type { Recording } from '../../shared/recording';
import { FIXTURE_IMAGES, ensureFixtureImages } from '../helpers/docker';
import { PRIVATE_RUN_FLAGS, privateDockerdSkip, startPrivateDockerd } from '../helpers/private-dockerd';
import type { PrivateDockerd } from '../helpers/private-dockerd';
import { chromiumSkip, dockerSkip } from '../helpers/require';
import { waitFor } from '../helpers/wait';
import { ClassroomPage, newAuditPage } from './pages/ClassroomPage';
import { TimelinePage } from './pages/TimelinePage';
import { TreePage } from './pages/TreePage';
import { launchChromium } from './support/chromium';
import { uniqueSuffix } from './support/demo-containers';
import { eventually } from './support/eventually';
import { itWithScreenshot } from './support/failure-shot';
import { builtSkip, ROOT, startServe } from './support/serve';
import type { ServeProcess } from './support/serve';

const skip = builtSkip() || dockerSkip() || privateDockerdSkip() || chromiumSkip();

/** How long the recording runs (bin/isolens record --seconds). */
const SECONDS = 6;
/** The recorder's poll interval: a change is recorded at most this long (plus a pass) after it happened. */
const INTERVAL_MS = 500;
/** How far apart the recorded moment and the docker command that caused it may be. */
const SLACK_MS = 2500;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** When a container's life shows in the recording (recording ms), from the file itself; null: never. */
interface Life {
  /** It runs with processes: a box in the tree, a "running" card. */
  readonly added: number | null;
  /** Its box leaves the tree: its record is removed or has no process left. */
  readonly treeGone: number | null;
  /** Its card stops saying running: removed, no process, or another state (`docker rm -f` goes through "removing" and "exited" before the engine's relist drops the record). */
  readonly cardGone: number | null;
}

function lifeOf(rec: Recording, id: string): Life {
  const running = (c: { state: string; pids: readonly number[] }): boolean => c.state === 'running' && c.pids.length > 0;
  const first = rec.initial.snapshot.containers.find((c) => c.id === id);
  let added: number | null = first && running(first) ? 0 : null;
  let treeGone: number | null = null;
  let cardGone: number | null = null;
  for (const e of rec.events) {
    if (e.kind !== 'delta') continue;
    const d = e.delta;
    const now = [...d.added.containers, ...d.updated.containers].find((c) => c.id === id);
    const removed = d.removed.containers.includes(id);
    if (added === null) {
      if (now && running(now)) added = e.t;
      continue;
    }
    if (treeGone === null && (removed || (now && now.pids.length === 0))) treeGone = e.t;
    if (cardGone === null && (removed || (now && !running(now)))) cardGone = e.t;
  }
  return { added, treeGone, cardGone };
}

describe('a recording played back in Chromium, its engine stopped', { skip }, () => {
  const name = `isolens-e2e-rec-${uniqueSuffix()}`;
  let pd: PrivateDockerd | undefined;
  let dir = '';
  let file = '';
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let rec: Recording | undefined;
  /** Appeared, first sign of removal, removed from both views (recording ms). */
  let life: { added: number; gone: number; allGone: number } | undefined;
  const it = itWithScreenshot(() => page);

  before(async () => {
    ensureFixtureImages();
    pd = await startPrivateDockerd({ images: [FIXTURE_IMAGES.busybox] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-e2e-rec-'));
    file = path.join(dir, 'lesson.rec');
  });

  after(async () => {
    const errors: unknown[] = [];
    await browser?.close().catch((e: unknown) => errors.push(e));
    await serve?.stop().catch((e: unknown) => errors.push(e));
    await pd?.destroy().catch((e: unknown) => errors.push(e));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (errors.length > 0) throw new AggregateError(errors, 'cleaning up after the recording test');
  });

  it(`records ${SECONDS} s of the host on the private engine while a container is started, then removed`, async () => {
    const engine = pd as PrivateDockerd;
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'isolens'), 'record', '--seconds', String(SECONDS), '--interval', String(INTERVAL_MS), '-o', file], {
      cwd: ROOT,
      env: { ...process.env, DOCKER_HOST: engine.host },
    });
    let err = '';
    let out = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor('isolens record to start', () => {
      if (child.exitCode !== null) throw new Error(`isolens record exited: ${err}`);
      return err.includes('isolens record: recording');
    }, 60_000);
    const t0 = Date.now();
    await sleep(1000);
    const runStart = Date.now() - t0;
    const id = (await engine.docker(['run', '-d', ...PRIVATE_RUN_FLAGS, '--name', name, FIXTURE_IMAGES.busybox, 'sleep', '600'])).trim();
    const runEnd = Date.now() - t0;
    await sleep(1500);
    const rmStart = Date.now() - t0;
    await engine.docker(['rm', '-f', '-v', name]);
    const rmEnd = Date.now() - t0;
    assert.equal(await exited, 0, `isolens record failed: ${err}`);
    assert.match(out, /isolens record: wrote .*lesson\.rec/);

    const parsed = parseRecording(fs.readFileSync(file, 'utf8'));
    if (parsed instanceof RecordingError) throw parsed;
    rec = parsed;
    assert.equal(rec.truncated, false);
    const l = lifeOf(rec, id);
    assert.ok(l.added !== null, 'the container was recorded appearing');
    assert.ok(l.treeGone !== null && l.cardGone !== null, `and disappearing (${JSON.stringify(l)})`);
    assert.ok(l.added >= runStart - SLACK_MS && l.added <= runEnd + SLACK_MS, `appeared at ${l.added} ms, docker run took ${runStart}–${runEnd} ms`);
    const gone = Math.min(l.treeGone, l.cardGone);
    assert.ok(gone >= rmStart - SLACK_MS && gone <= rmEnd + SLACK_MS, `gone at ${gone} ms, docker rm took ${rmStart}–${rmEnd} ms`);
    life = { added: l.added, gone, allGone: Math.max(l.treeGone, l.cardGone) };
  });

  it('serve --recording with the engine stopped: the RECORDING badge, then the container present only between its recorded start and removal', async (t) => {
    if (!rec || !life) {
      t.skip('the recording step failed');
      return;
    }
    const engine = pd as PrivateDockerd;
    await engine.stop();
    assert.equal(engine.running, false);
    await assert.rejects(engine.docker(['info']), 'the engine that was recorded is down');

    serve = await startServe({ args: ['--recording', file, '--paused'] });
    browser = await launchChromium();
    page = (await newAuditPage(browser)).page;
    const tree = new TreePage(page);
    const timeline = new TimelinePage(page);
    await tree.load(serve.url);

    await timeline.badge.waitFor();
    const badge = await timeline.badge.innerText();
    assert.match(badge, /RECORDING/);
    assert.match(badge, /lesson\.rec/);
    assert.ok(badge.includes(rec.header.host.hostname), `the recorded host in "${badge}"`);
    assert.equal(await page.getByTestId('live-indicator').count(), 0, 'no live indicator');
    assert.equal(await timeline.durationMs(), rec.durationMs);
    await timeline.pause();

    /** Its box in the host tree, and a card saying "running" with processes in the containers view (`docker rm -f` leaves an "exited" card until the engine's relist). */
    const present = async (): Promise<{ tree: boolean; card: boolean }> => {
      await tree.open();
      await tree.search(name);
      const inTree = await tree.containerHeader(name).isVisible();
      await tree.tab('containers').click();
      await page?.locator('section.containers-view').waitFor();
      const cards = page?.getByTestId(`container-card-${name}`);
      const text = cards !== undefined && (await cards.count()) === 1 ? await cards.innerText() : '';
      // Running with processes: the collector may see its processes gone before the engine's state says so.
      const card = /· running$/m.test(text) && !/\b0 processes\b/.test(text);
      return { tree: inTree, card };
    };
    /**
     * Waits (8 s at most) until both views say `want`, then asserts it: after a seek the page keeps
     * drawing the moment before until the snapshot of the new one arrives, and here the moment before
     * always says the opposite, so waiting cannot hide a wrong answer.
     */
    const expectAt = async (ms: number, want: boolean, what: string): Promise<void> => {
      let last = { tree: !want, card: !want };
      try {
        await eventually(what, async () => {
          last = await present();
          return last.tree === want && last.card === want;
        }, 8_000, 250);
      } finally {
        assert.deepEqual(last, { tree: want, card: want }, `at ${ms} ms: ${what}`);
      }
    };
    const round = (ms: number): number => Math.max(0, Math.min(rec?.durationMs ?? 0, Math.round(ms / 100) * 100));
    const beforeMs = round(Math.max(0, life.added - 800));
    const whileMs = round((life.added + life.gone) / 2);
    const afterMs = round(Math.min(rec.durationMs, life.allGone + 800));
    assert.ok(
      beforeMs < life.added && whileMs >= life.added && whileMs < life.gone && afterMs >= life.allGone,
      `${beforeMs} < ${life.added} ≤ ${whileMs} < ${life.gone} ≤ ${life.allGone} ≤ ${afterMs}`,
    );

    await timeline.seekTo(beforeMs);
    await expectAt(beforeMs, false, 'not yet started');
    await new ClassroomPage(page).shot('recording-before');

    await timeline.seekTo(whileMs);
    await expectAt(whileMs, true, 'running');
    await new ClassroomPage(page).shot('recording-while');

    await timeline.seekTo(afterMs);
    await expectAt(afterMs, false, 'removed');

    // Backwards, with the keyboard on the scrubber (whole seconds), to a moment it ran.
    const back = Math.ceil(life.added / 1000) * 1000;
    if (back < life.gone) {
      await timeline.seekByKeyboard(back);
      await expectAt(back, true, 'running again, after seeking back');
    }
  });
});
