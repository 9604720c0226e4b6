import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { IsolensClient, PlaybackState, Result } from '../../../shared/contract';
import type { Delta } from '../../../shared/delta';
import type { EngineStatus } from '../../../shared/model';
import { RecordingError, parseRecording } from '../../../shared/recording';
import type { Recording } from '../../../shared/recording';
import { memorySink } from '../../../electron/collector/recording/file';
import { RecordingService } from '../../../electron/collector/recording/player-service';
import { answerInvocation } from '../../../electron/serve/dispatch';
import { createStore } from '../../../renderer/state/store';
import { FakeClock, MOVER, T0, normalized, recordDemo } from './helpers';

let rec: Recording;

before(async () => {
  const sink = memorySink();
  await recordDemo(sink);
  const r = parseRecording(sink.text());
  if (r instanceof RecordingError) throw r;
  rec = r;
});

function player(opts: { autoplay?: boolean } = {}): { p: RecordingService; clock: FakeClock; deltas: Delta[]; engines: (readonly EngineStatus[])[]; playback: PlaybackState[] } {
  const clock = new FakeClock();
  const p = new RecordingService(rec, { source: 'demo.ndjson', clock, checkpointEvery: 2, ...opts });
  const deltas: Delta[] = [];
  const engines: (readonly EngineStatus[])[] = [];
  const playback: PlaybackState[] = [];
  p.on('delta', (d) => deltas.push(d));
  p.on('engines', (e) => engines.push(e));
  p.on('playback', (s) => playback.push(s));
  return { p, clock, deltas, engines, playback };
}

/** An IsolensClient straight onto a service (what the WebSocket does, minus the socket). */
function clientOf(p: RecordingService): IsolensClient {
  return {
    invoke: async (channel, ...args) => (await answerInvocation(p, channel, args)) as Result<never>,
    on: (event, listener) => p.on(event, listener),
  };
}

const hasMover = (p: RecordingService): boolean => p.current().snapshot.containers.some((c) => c.id === MOVER.id);

describe('RecordingService: the recording as an IsolensService', () => {
  it('says it is a recording (session:get), paused at 0 until told to play', async () => {
    const { p } = player();
    const s = await p.invoke('session:get');
    assert.equal(s.mode, 'recording');
    assert.deepEqual(s.recording, {
      file: 'demo.ndjson', schema: 1, startedAt: new Date(T0).toISOString(), durationMs: 3500, host: { hostname: 'vm', kernel: rec.header.host.kernel },
      intervalMs: 1000, redacted: false, truncated: false, deltas: 3,
    });
    assert.deepEqual(s.playback, {
      mode: 'recording', playing: false, speed: 1, positionMs: 0, durationMs: 3500, startedAt: new Date(T0).toISOString(), source: 'demo.ndjson', ended: false, epoch: 0,
    });
    assert.equal((await p.invoke('snapshot:get')).seq, rec.initial.seq);
  });

  it('plays deltas and engine events at their times, × speed, and pauses at the end', () => {
    const { p, clock, deltas, engines, playback } = player({ autoplay: true });
    p.start();
    clock.advance(999);
    assert.equal(deltas.length, 0);
    clock.advance(1);
    assert.deepEqual(deltas.map((d) => d.seq), [11]);
    assert.equal(hasMover(p), true);
    clock.advance(1500);
    assert.deepEqual(deltas.map((d) => d.seq), [11, 12]);
    assert.equal(engines.length, 1);
    assert.equal(engines[0]?.[0]?.available, false);
    p.control({ action: 'speed', value: 2 });
    clock.advance(249);
    assert.equal(deltas.length, 2, 'at 2× the delta at 3000 ms comes 250 ms later');
    clock.advance(1);
    assert.deepEqual(deltas.map((d) => d.seq), [11, 12, 13]);
    assert.equal(hasMover(p), false);
    clock.advance(250);
    const last = playback[playback.length - 1];
    assert.ok(last);
    assert.equal(last.ended, true);
    assert.equal(last.playing, false);
    assert.equal(last.positionMs, 3500);
    assert.equal(clock.pending, 0, 'no timer left at the end (no loop)');
    clock.advance(5000);
    assert.equal(deltas.length, 3);
  });

  it('pushes a playback event about every 500 ms while playing, none while paused', () => {
    const { p, clock, playback } = player();
    p.control({ action: 'play' });
    clock.advance(2000);
    const whilePlaying = playback.length;
    assert.ok(whilePlaying >= 4 && whilePlaying <= 6, `${whilePlaying} events in 2 s`);
    assert.ok(playback.every((s, i) => i === 0 || s.positionMs >= playback[i - 1]!.positionMs));
    p.control({ action: 'pause' });
    const paused = playback.length;
    clock.advance(2000);
    assert.equal(playback.length, paused);
    assert.equal(playback[paused - 1]?.positionMs, 2000);
  });

  it('a seek that changes the state emits one delta whose seq skips, then answers snapshot:get with that seq', () => {
    const { p, deltas, playback } = player();
    p.control({ action: 'seek', value: 1500 });
    assert.equal(deltas.length, 1);
    const jump = deltas[0]!;
    assert.equal(jump.seq, rec.initial.seq + 2, 'the seq skips one: a client resyncs');
    assert.equal(p.current().seq, jump.seq);
    assert.equal(hasMover(p), true);
    assert.equal(playback[playback.length - 1]?.epoch, 1);
    p.control({ action: 'seek', value: 500 });
    assert.equal(deltas[1]?.seq, jump.seq + 2, 'seeking back never sends seqs back');
    assert.equal(hasMover(p), false);
    p.control({ action: 'seek', value: 600 });
    assert.equal(deltas.length, 2, 'no state change, no jump');
    assert.equal(playback[playback.length - 1]?.epoch, 2);
  });

  it('the renderer store follows a seek back and a replay through its resync', async () => {
    const { p, clock } = player();
    const store = createStore(clientOf(p), { schedule: (f) => void Promise.resolve().then(f) });
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    };
    store.start();
    await settle();
    p.control({ action: 'play' });
    clock.advance(3200);
    await settle();
    assert.equal(store.getState().data?.seq, p.current().seq);
    p.control({ action: 'seek', value: 1200 });
    await settle();
    assert.equal(store.getState().resyncs, 1);
    assert.deepEqual(normalized(store.getState().data!.snapshot), normalized(p.current().snapshot));
    assert.ok(store.getState().data?.snapshot.containers.some((c) => c.id === MOVER.id));
    clock.advance(2300);
    await settle();
    assert.equal(store.getState().data?.seq, p.current().seq);
    assert.equal(store.getState().data?.snapshot.containers.some((c) => c.id === MOVER.id), false);
    store.stop();
  });

  it('play at the end starts again from 0', () => {
    const { p, clock } = player();
    p.control({ action: 'seek', value: 3500 });
    p.control({ action: 'play' });
    assert.equal(p.playback().positionMs, 0);
    assert.equal(hasMover(p), false);
    clock.advance(1000);
    assert.equal(hasMover(p), true);
  });

  it('history:get gives the usage samples up to the position', async () => {
    const { p } = player();
    p.control({ action: 'seek', value: 1500 });
    assert.deepEqual((await p.invoke('history:get', MOVER.id)).map((s) => s.memoryBytes), [1 << 20]);
    p.control({ action: 'seek', value: 2999 });
    assert.deepEqual((await p.invoke('history:get', MOVER.id)).map((s) => s.memoryBytes), [1 << 20, 2 << 20]);
    p.control({ action: 'seek', value: 3000 });
    await assert.rejects(p.invoke('history:get', MOVER.id), /no container .* at this point of the recording/);
  });

  it('process:get builds the detail from the recorded process (state unknown)', async () => {
    const { p } = player();
    const pid = rec.events.flatMap((e) => (e.kind === 'delta' ? e.delta.added.processes : []))[0]!.pid;
    await assert.rejects(p.invoke('process:get', pid), /no process/);
    p.control({ action: 'seek', value: 1000 });
    const d = await p.invoke('process:get', pid);
    assert.equal(d.process.pid, pid);
    assert.equal(d.state, '?');
    assert.equal(d.rssBytes, null);
  });

  it("autoplay 'first-viewer' (serve --recording): waits at 0 until a page subscribes, then plays", async () => {
    const clock = new FakeClock();
    const p = new RecordingService(rec, { source: 'x', clock, autoplay: 'first-viewer' });
    p.start();
    clock.advance(2000);
    assert.equal(p.playback().playing, false);
    assert.equal(p.playback().positionMs, 0);
    const seen: Delta[] = [];
    p.on('delta', (d) => seen.push(d));
    await Promise.resolve();
    assert.equal(p.playback().playing, true);
    clock.advance(1000);
    assert.deepEqual(seen.map((d) => d.seq), [11]);
    p.stop();
  });

  it('a recording without events ends as soon as it plays', () => {
    const empty: Recording = { ...rec, events: [], deltaCount: 0, durationMs: 0 };
    const clock = new FakeClock();
    const p = new RecordingService(empty, { source: 'empty', clock });
    p.control({ action: 'play' });
    clock.advance(1);
    assert.equal(p.playback().ended, true);
    assert.equal(clock.pending, 0);
  });
});

describe('playback:control over a transport (validateInvocation + dispatch)', () => {
  const cases: { name: string; args: unknown[]; ok: boolean }[] = [
    { name: 'play', args: [{ action: 'play' }], ok: true },
    { name: 'pause', args: [{ action: 'pause' }], ok: true },
    { name: 'seek to 1000 ms', args: [{ action: 'seek', value: 1000 }], ok: true },
    { name: 'seek past the end (clamped)', args: [{ action: 'seek', value: 1e9 }], ok: true },
    { name: 'speed 4', args: [{ action: 'speed', value: 4 }], ok: true },
    { name: 'no argument', args: [], ok: false },
    { name: 'two arguments', args: [{ action: 'play' }, 1], ok: false },
    { name: 'a string', args: ['play'], ok: false },
    { name: 'unknown action', args: [{ action: 'rewind' }], ok: false },
    { name: 'play with a value', args: [{ action: 'play', value: 1 }], ok: false },
    { name: 'seek without a value', args: [{ action: 'seek' }], ok: false },
    { name: 'seek to a negative time', args: [{ action: 'seek', value: -1 }], ok: false },
    { name: 'seek to a string', args: [{ action: 'seek', value: '100' }], ok: false },
    { name: 'speed 0', args: [{ action: 'speed', value: 0 }], ok: false },
    { name: 'speed 1000', args: [{ action: 'speed', value: 1000 }], ok: false },
    { name: 'an extra key', args: [{ action: 'pause', by: 'me' }], ok: false },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { p } = player();
      const r = await answerInvocation(p, 'playback:control', c.args);
      assert.equal(r.ok, c.ok, JSON.stringify(r));
      if (!r.ok) assert.equal(r.error.code, 'BAD_REQUEST');
      p.stop();
    });
  }

  it('session:get takes no arguments', async () => {
    const { p } = player();
    assert.equal((await answerInvocation(p, 'session:get', [])).ok, true);
    assert.equal((await answerInvocation(p, 'session:get', [1])).ok, false);
  });
});
