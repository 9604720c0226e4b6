import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { PlaybackState, SessionInfo } from '../../../shared/contract';
import type { Delta, SequencedSnapshot } from '../../../shared/delta';
import { RecordingError } from '../../../shared/recording';
import type { Recording } from '../../../shared/recording';
import type { ServerMessage } from '../../../shared/wire';
import { DockerEngine } from '../../../electron/collector/engines/docker';
import { loadRecording, openRecordingFile } from '../../../electron/collector/recording/file';
import { RecordingService } from '../../../electron/collector/recording/player-service';
import { Recorder } from '../../../electron/collector/recording/recorder';
import { CollectorService } from '../../../electron/collector/service/collector-service';
import { FIXTURE_IMAGES, ensureFixtureImages, removeContainer, runContainer, type TestContainer } from '../../helpers/docker';
import { dockerSkip, inCI, requireOrSkip } from '../../helpers/require';
import { waitFor } from '../../helpers/wait';
import { createFragmentJoiner } from '../../../shared/wire-fragments';

const root = path.resolve(__dirname, '..', '..', '..');
const bin = path.join(root, 'bin', 'isolens');
const built = fs.existsSync(path.join(root, 'dist', 'electron', 'cli', 'main.js')) && fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'));
const NOT_BUILT = 'dist/ not built: run npm run build (npm test builds first)';
const builtSkip = (): string | false => (built ? false : inCI ? (() => { throw new Error(`CI=true but ${NOT_BUILT}`); })() : NOT_BUILT);

/** How late a change may be recorded after the docker command that made it returned: one tick. */
const SLACK_MS = 3000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const hasContainer = (s: SequencedSnapshot, id: string): boolean => s.snapshot.containers.some((c) => c.id === id);

let dir = '';
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-rec-it-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A paused player showing `positionMs`. */
function stateAt(rec: Recording, positionMs: number): SequencedSnapshot {
  const p = new RecordingService(rec, { source: 'x' });
  p.control({ action: 'seek', value: positionMs });
  return p.current();
}

/** `bin/isolens ARGS` to its end. */
function isolens(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000, cwd: dir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('recording the live host and playing it back', { skip: dockerSkip() }, () => {
  const started: TestContainer[] = [];
  const file = (): string => path.join(dir, 'live.ndjson.gz');
  let rec: Recording | null = null;
  /** Recording times (ms) around `docker run` and `docker rm`. */
  const marks = { runStart: 0, runEnd: 0, rmStart: 0, rmEnd: 0 };
  let container: TestContainer | null = null;

  before(() => ensureFixtureImages());
  after(() => {
    for (const c of started) removeContainer(c.id);
  });

  it('records ~3 s while a container is started then removed', async () => {
    // departedMs 0: the removal is recorded at once, not after the few seconds a viewer sees it marked.
    const service = new CollectorService({ engines: [new DockerEngine()], lsns: null, intervalMs: 300, figuresMs: 0, departedMs: 0, log: () => undefined });
    await service.start();
    const recorder = new Recorder(openRecordingFile(file()), { intervalMs: 300, log: () => undefined });
    try {
      await recorder.start(service);
      await sleep(400);
      marks.runStart = recorder.elapsed();
      container = runContainer({ image: FIXTURE_IMAGES.busybox, name: `isolens-rec-${process.pid}`, cmd: ['sleep', '600'] });
      started.push(container);
      marks.runEnd = recorder.elapsed();
      await sleep(1000);
      marks.rmStart = recorder.elapsed();
      removeContainer(container.id);
      marks.rmEnd = recorder.elapsed();
      await sleep(700);
    } finally {
      const summary = await recorder.stop();
      await service.stop();
      assert.equal(summary.error, null);
      assert.ok(summary.deltas >= 2, `${summary.deltas} deltas`);
    }
    const r = loadRecording(file());
    assert.ok(!(r instanceof RecordingError), String(r));
    assert.equal(r.truncated, false);
    assert.equal(r.header.host.hostname, os.hostname());
    assert.equal(r.header.redacted, false);
    assert.ok(r.durationMs >= 2000 && r.durationMs < 8000, `duration ${r.durationMs} ms`);
    rec = r;
  });

  it('the player shows the container from when it started until it was removed', () => {
    assert.ok(rec && container, 'the recording exists');
    const id = container.id;
    const addedAt = rec.events.find((e) => e.kind === 'delta' && e.delta.added.containers.some((c) => c.id === id))?.t;
    const removedAt = rec.events.find((e) => e.kind === 'delta' && e.delta.removed.containers.includes(id))?.t;
    assert.ok(addedAt !== undefined && removedAt !== undefined, `added at ${addedAt}, removed at ${removedAt}`);
    // Docker's start event triggers a tick: the container arrives while or shortly after `docker run` returns
    // (shortly: one tick, which takes longer on a host with thousands of processes).
    assert.ok(addedAt >= marks.runStart && addedAt <= marks.runEnd + SLACK_MS, `added at ${addedAt} ms, docker run ${marks.runStart}–${marks.runEnd} ms`);
    assert.ok(removedAt >= marks.rmStart && removedAt <= marks.rmEnd + SLACK_MS, `removed at ${removedAt} ms, docker rm ${marks.rmStart}–${marks.rmEnd} ms`);

    assert.equal(hasContainer(stateAt(rec, 0), id), false, 'not there at 0');
    assert.equal(hasContainer(stateAt(rec, addedAt - 1), id), false, 'not there just before');
    const during = stateAt(rec, addedAt);
    assert.equal(hasContainer(during, id), true, 'there from its delta on');
    assert.equal(hasContainer(stateAt(rec, removedAt - 1), id), true, 'still there just before its removal');
    // Just before `docker rm`, after a second of running: the engine's view (its first record may come
    // from the cgroup before `docker inspect` answered) and its init in the process table. (By
    // removedAt - 1 its init may already be gone: rm -f kills it before the engine forgets it.)
    const running = stateAt(rec, marks.rmStart);
    const c = running.snapshot.containers.find((x) => x.id === id);
    assert.equal(c?.labels['isolens.test'], '1', JSON.stringify(c?.labels));
    assert.equal(c?.image, FIXTURE_IMAGES.busybox);
    assert.ok(running.snapshot.processes.some((p) => p.pid === container?.pid && p.containerId === id), 'its init is in the process table');
    assert.equal(hasContainer(stateAt(rec, removedAt), id), false, 'gone from its removal on');
    assert.equal(hasContainer(stateAt(rec, rec.durationMs), id), false, 'gone at the end');
  });

  it('bin/isolens serve --recording serves it over the WebSocket: recording mode, snapshots, seeks', async (t) => {
    if (!requireOrSkip(t, built, NOT_BUILT)) return;
    assert.ok(rec && container, 'the recording exists');
    const id = container.id;
    const addedAt = rec.events.find((e) => e.kind === 'delta' && e.delta.added.containers.some((c) => c.id === id))?.t ?? 0;
    // No engine reachable: a recording needs none.
    const child = spawn(process.execPath, [bin, 'serve', '--recording', file(), '--paused'], {
      cwd: dir, env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    try {
      const url = new URL(await waitFor(`the URL on stdout (stderr: ${err})`, () => /open (http:\/\/\S+)/.exec(out)?.[1], 15_000));
      assert.match(out, /playing .*live\.ndjson\.gz \(recorded on /);
      const ws = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`);
      const messages: ServerMessage[] = [];
      const joiner = createFragmentJoiner();
      ws.on('message', (m: Buffer) => {
        const text = joiner.push(m.toString());
        if (typeof text === 'string') messages.push(JSON.parse(text) as ServerMessage);
      });
      await new Promise<void>((resolve, reject) => {
        ws.on('open', () => resolve());
        ws.on('error', reject);
      });
      let nextId = 1;
      const call = async (channel: string, args: unknown[] = []): Promise<unknown> => {
        const rid = nextId++;
        ws.send(JSON.stringify({ type: 'invoke', id: rid, channel, args }));
        const m = await waitFor(`${channel} answer`, () => messages.find((x) => x.type === 'result' && x.id === rid), 5_000);
        assert.ok(m.type === 'result' && m.result.ok, JSON.stringify(m));
        return m.result.value;
      };

      const session = (await call('session:get')) as SessionInfo;
      assert.equal(session.mode, 'recording');
      assert.equal(session.recording?.file, 'live.ndjson.gz');
      assert.equal(session.recording?.schema, 1);
      assert.equal(session.recording?.deltas, rec.deltaCount);
      assert.equal(session.recording?.durationMs, rec.durationMs);
      assert.equal(session.playback?.playing, false);

      const first = (await call('snapshot:get')) as SequencedSnapshot;
      assert.equal(first.seq, rec.initial.seq);
      assert.equal(hasContainer(first, id), false);
      assert.ok(first.snapshot.engines.some((e) => e.name === 'docker' && e.available), 'the recorded engine, not this process\'s view of Docker');

      const state = (await call('playback:control', [{ action: 'seek', value: addedAt }])) as PlaybackState;
      assert.equal(state.positionMs, addedAt);
      assert.equal(state.epoch, 1);
      const jump: Delta = await waitFor('the jump delta', () => messages.flatMap((m) => (m.type === 'event' && m.event === 'delta' ? [m.payload] : []))[0], 5_000);
      assert.equal(jump.seq, first.seq + 2, 'seq skips one: the client resyncs');
      const moved = (await call('snapshot:get')) as SequencedSnapshot;
      assert.equal(moved.seq, jump.seq);
      assert.equal(hasContainer(moved, id), true);
      assert.ok(messages.some((m) => m.type === 'event' && m.event === 'playback'), 'a playback event');

      await call('playback:control', [{ action: 'speed', value: 8 }]);
      await call('playback:control', [{ action: 'play' }]);
      const ended = await waitFor('playback to end', () => messages.flatMap((m) => (m.type === 'event' && m.event === 'playback' && m.payload.ended ? [m.payload] : []))[0], 5_000);
      assert.equal(ended.positionMs, rec.durationMs);
      const end = (await call('snapshot:get')) as SequencedSnapshot;
      assert.equal(hasContainer(end, id), false);
      ws.close();
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(err.includes('tick failed'), false, err);
  });

  it('bin/isolens record --seconds 1.5 --redact writes a recording and says what', (t) => {
    if (!requireOrSkip(t, built, NOT_BUILT)) return;
    const r = isolens(['record', '--seconds', '1.5', '-o', 'cli.ndjson', '--interval', '300', '--redact']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^isolens record: wrote cli\.ndjson \(\d+(\.\d)? [kM]?B, \d+ deltas?, \d+ engine changes?, \d+\.\d s, redacted\)\n$/);
    const rec2 = loadRecording(path.join(dir, 'cli.ndjson'));
    assert.ok(!(rec2 instanceof RecordingError), String(rec2));
    assert.equal(rec2.header.redacted, true);
    assert.equal(rec2.initial.snapshot.host.hostname, 'host');
    assert.equal(rec2.initial.snapshot.processes.some((p) => p.cmdline.length > 2), false, 'no arguments survive');
  });
});

describe('bin/isolens record and serve --recording refuse bad files', { skip: builtSkip() }, () => {
  it('record into a missing directory: a clear error, exit 2', () => {
    const r = isolens(['record', '--seconds', '1', '-o', path.join(dir, 'no', 'such', 'dir', 'x.ndjson')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^isolens record: cannot create .*x\.ndjson: the directory .*dir does not exist\n$/);
  });

  it('record into a directory: a clear error, exit 2', () => {
    const r = isolens(['record', '--seconds', '1', '-o', dir]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /it is a directory/);
  });

  const cases: { name: string; content: string | null; message: RegExp }[] = [
    { name: 'a missing file', content: null, message: /cannot play .*: no such file/ },
    { name: 'not a recording', content: '{"schema":1,"processes":[]}\n', message: /not an isolens recording/ },
    { name: 'a newer schema', content: '{"format":"isolens-recording","schema":2}\n', message: /made by a newer isolens \(schema 2\); this one reads schema 1/ },
    { name: 'corrupt JSON on line 2', content: '{"format":"isolens-recording","schema":1,"recordedAt":"2026-01-01T00:00:00Z","host":{"hostname":"h","kernel":"6"},"intervalMs":1000,"redacted":false}\n{"t":0,"initial":\n{}\n', message: /line 2 is not valid JSON/ },
  ];
  for (const c of cases) {
    it(`serve --recording with ${c.name}: message and exit 2 before binding`, () => {
      const f = path.join(dir, `bad-${c.name.replace(/\W+/g, '-')}.ndjson`);
      if (c.content !== null) fs.writeFileSync(f, c.content);
      const r = isolens(['serve', '--recording', f]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, c.message);
      assert.equal(r.stdout.includes('open http'), false, 'never bound');
    });
  }
});
