import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { InvokeChannel, InvokeChannels, IsolensClient, PlaybackControl, PlaybackState, RecordingInfo, Result } from '../../../shared/contract';
import type { Snapshot } from '../../../shared/model';
import { App } from '../../../renderer/app/App';
import { parseHash } from '../../../renderer/app/routes';
import { formatDuration, scrubKey, SEEK_DEBOUNCE_MS, Timeline } from '../../../renderer/views/playback/Timeline';
import { positionAt } from '../../../renderer/views/playback/use-session';
import { containerNamed, fakeClient, loadSnapshot, sample, tick } from './fixtures';
import type { FakeClient } from './fixtures';

afterEach(() => cleanup());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const RECORDING: RecordingInfo = {
  file: 'lesson.rec', schema: 1, startedAt: '2026-03-02T09:00:00.000Z', durationMs: 60_000, host: { hostname: 'lab-7', kernel: '6.18.0' },
  intervalMs: 1000, redacted: false, truncated: false, deltas: 60,
};
const STATE: PlaybackState = {
  mode: 'recording', playing: true, speed: 1, positionMs: 12_000, durationMs: 60_000, startedAt: RECORDING.startedAt, source: 'lesson.rec', ended: false, epoch: 0,
};

/** A fake client that plays a recording: 'session:get' and 'playback:control' answered, every control kept. */
function recordingClient(s: Snapshot, opts: { readonly session?: 'recording' | 'live' | 'error' } = {}): {
  client: IsolensClient;
  fake: FakeClient;
  controls: PlaybackControl[];
  /** Moves the fake player and emits the 'playback' event, as the server does. */
  push: (p: PlaybackState) => void;
} {
  const fake = fakeClient(s);
  const controls: PlaybackControl[] = [];
  let state = STATE;
  const invoke = (<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<Result<InvokeChannels[C]['result']>> => {
    type R = Result<InvokeChannels[C]['result']>;
    if (channel === 'session:get') {
      fake.calls.push({ channel, args });
      if (opts.session === 'error') return Promise.resolve({ ok: false, error: { code: 'BAD_REQUEST', message: 'unknown channel "session:get"' } } as R);
      if (opts.session === 'live') return Promise.resolve({ ok: true, value: { mode: 'live' } } as R);
      return Promise.resolve({ ok: true, value: { mode: 'recording', recording: RECORDING, playback: state } } as R);
    }
    if (channel === 'playback:control') {
      fake.calls.push({ channel, args });
      const c = args[0] as PlaybackControl;
      controls.push(c);
      if (c.action === 'pause') state = { ...state, playing: false };
      if (c.action === 'play') state = { ...state, playing: true };
      if (c.action === 'speed') state = { ...state, speed: c.value ?? 1 };
      if (c.action === 'seek') state = { ...state, positionMs: c.value ?? 0, epoch: state.epoch + 1 };
      return Promise.resolve({ ok: true, value: state } as R);
    }
    return fake.invoke(channel, ...args);
  }) as IsolensClient['invoke'];
  const push = (p: PlaybackState): void => {
    state = p;
    fake.emit('playback', p);
  };
  return { client: { invoke, on: fake.on.bind(fake) }, fake, controls, push };
}

async function renderApp(client: IsolensClient, hash = '#tree'): Promise<void> {
  const storeOptions = { schedule: (f: () => void) => void Promise.resolve().then(() => act(f)) };
  render(<App client={client} storeOptions={storeOptions} initialRoute={parseHash(hash)} treeFallbackHeight={4000} />);
  await act(async () => {
    await tick();
    await tick();
    await tick();
  });
}

describe('timeline helpers', () => {
  it('formats durations', () => {
    assert.equal(formatDuration(0), '0:00');
    assert.equal(formatDuration(75_300), '1:15');
    assert.equal(formatDuration(3_725_000), '1:02:05');
  });
  it('keys move the scrubber by 1 s, 10 s, or to the ends, within the recording', () => {
    assert.equal(scrubKey('ArrowRight', 5000, 60_000), 6000);
    assert.equal(scrubKey('ArrowLeft', 500, 60_000), 0);
    assert.equal(scrubKey('PageUp', 55_000, 60_000), 60_000);
    assert.equal(scrubKey('Home', 30_000, 60_000), 0);
    assert.equal(scrubKey('End', 30_000, 60_000), 60_000);
    assert.equal(scrubKey('x', 30_000, 60_000), null);
  });
  it('the position advances between events while playing, at the speed, up to the end', () => {
    assert.equal(positionAt({ ...STATE, playing: false }, 0, 5000), 12_000);
    assert.equal(positionAt({ ...STATE, speed: 2 }, 1000, 2000), 14_000);
    assert.equal(positionAt(STATE, 0, 1e9), 60_000);
  });
});

describe('Timeline', () => {
  it('play/pause, speed and the scrubber call playback:control', async () => {
    const sent: PlaybackControl[] = [];
    render(<Timeline recording={RECORDING} playback={{ ...STATE, playing: false }} playbackAt={0} onControl={(c) => sent.push(c)} now={() => 0} />);
    assert.equal(screen.getByTestId('timeline-position').textContent, '0:12 / 1:00');
    fireEvent.click(screen.getByTestId('timeline-play'));
    assert.deepEqual(sent.at(-1), { action: 'play' });
    fireEvent.change(screen.getByTestId('timeline-speed'), { target: { value: '8' } });
    assert.deepEqual(sent.at(-1), { action: 'speed', value: 8 });
    const seek = screen.getByTestId('timeline-seek');
    fireEvent.keyDown(seek, { key: 'ArrowRight' });
    fireEvent.keyDown(seek, { key: 'ArrowRight' });
    assert.equal(screen.getByTestId('timeline-position').textContent, '0:14 / 1:00', 'shown at once');
    assert.equal(sent.length, 2, 'the seek waits for the scrubber to rest');
    await act(async () => {
      await sleep(SEEK_DEBOUNCE_MS + 50);
    });
    assert.deepEqual(sent.at(-1), { action: 'seek', value: 14_000 });
    fireEvent.change(seek, { target: { value: '30000' } });
    fireEvent.pointerUp(seek);
    assert.deepEqual(sent.at(-1), { action: 'seek', value: 30_000 }, 'releasing the drag seeks at once');
  });

  it('offers the speed the server plays at even when it is not one of the usual ones', () => {
    render(<Timeline recording={RECORDING} playback={{ ...STATE, speed: 3 }} playbackAt={0} onControl={() => undefined} now={() => 0} />);
    const options = [...(screen.getByTestId('timeline-speed') as HTMLSelectElement).options].map((o) => o.value);
    assert.deepEqual(options, ['0.5', '1', '2', '3', '4', '8']);
    assert.equal(screen.getByTestId('timeline-play').textContent, '❚❚ Pause');
  });
});

describe('recordings in the App', () => {
  const s = loadSnapshot('demo');

  it('live (session:get says so): no badge, no timeline', async () => {
    await renderApp(recordingClient(s, { session: 'live' }).client);
    assert.ok(screen.getByTestId('live-indicator'));
    assert.equal(screen.queryByTestId('recording-badge'), null);
    assert.equal(screen.queryByTestId('timeline'), null);
  });

  it('an older server without session:get is live', async () => {
    await renderApp(recordingClient(s, { session: 'error' }).client);
    assert.ok(screen.getByTestId('live-indicator'));
    assert.equal(screen.queryByTestId('timeline'), null);
    cleanup();
    await renderApp(fakeClient(s));
    assert.ok(screen.getByTestId('live-indicator'));
  });

  it('a recording: the RECORDING badge with file, host and time, and the timeline driving playback:control', async () => {
    const { client, controls } = recordingClient(s);
    await renderApp(client);
    const badge = screen.getByTestId('recording-badge');
    assert.match(badge.textContent ?? '', /RECORDING/);
    assert.match(badge.textContent ?? '', /lesson\.rec · lab-7 · 2026-03-0\d \d\d:\d\d/);
    assert.equal(screen.queryByTestId('live-indicator'), null);
    assert.ok(screen.getByTestId('timeline'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('timeline-play'));
      await tick();
    });
    assert.deepEqual(controls.at(-1), { action: 'pause' });
    assert.equal(screen.getByTestId('timeline-play').textContent, '▶ Play');
  });

  it('a playback event moves the position; space plays and pauses; ] seeks 5 s on', async () => {
    const { client, controls, push } = recordingClient(s);
    await renderApp(client);
    act(() => push({ ...STATE, playing: false, positionMs: 42_000 }));
    assert.equal(screen.getByTestId('timeline-position').textContent, '0:42 / 1:00');
    await act(async () => {
      fireEvent.keyDown(document.body, { key: ' ' });
      await tick();
    });
    assert.deepEqual(controls.at(-1), { action: 'play' });
    await act(async () => {
      fireEvent.keyDown(document.body, { key: ']' });
      await tick();
    });
    assert.equal(controls.at(-1)?.action, 'seek');
    assert.ok(Math.abs((controls.at(-1)?.value ?? 0) - 47_000) < 200);
  });

  it('after a seek (a new epoch) the usage history is dropped and fetched again, with the snapshot', async () => {
    const web = containerNamed(s, 'isolens-demo-web');
    const { client, fake } = recordingClient(s);
    fake.history = () => ({ ok: true, value: [sample(1000), sample(2000)] });
    await renderApp(client, `#container/${web.id}`);
    const count = (ch: InvokeChannel): number => fake.calls.filter((c) => c.channel === ch).length;
    const snaps = count('snapshot:get');
    const hist = count('history:get');
    assert.ok(hist >= 1, 'the detail asked for the history');
    await act(async () => {
      fake.emit('playback', { ...STATE, epoch: 1, positionMs: 3000 });
      await tick();
      await tick();
      await tick();
    });
    assert.equal(count('snapshot:get'), snaps + 1, 'a fresh snapshot');
    assert.equal(count('history:get'), hist + 1, 'the history again, from the new position');
    assert.ok(screen.getByTestId('container-detail'), 'the view stayed');
    await act(async () => {
      fake.emit('playback', { ...STATE, epoch: 1, positionMs: 3500 });
      await tick();
    });
    assert.equal(count('snapshot:get'), snaps + 1, 'the same epoch: no new store');
  });
});
