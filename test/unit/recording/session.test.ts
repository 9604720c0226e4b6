import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_CHANNELS, INVOKE_CHANNELS, validateInvocation } from '../../../shared/contract';
import { parseServerMessage } from '../../../shared/wire';
import { CollectorService } from '../../../electron/collector/service/collector-service';
import { answerInvocation } from '../../../electron/serve/dispatch';

describe('the contract carries the session and playback channels', () => {
  it('lists them', () => {
    assert.ok(INVOKE_CHANNELS.includes('session:get'));
    assert.ok(INVOKE_CHANNELS.includes('playback:control'));
    assert.ok(EVENT_CHANNELS.includes('playback'));
  });

  const cases: { name: string; channel: string; args: unknown; ok: boolean }[] = [
    { name: 'session:get with no args', channel: 'session:get', args: [], ok: true },
    { name: 'session:get with an arg', channel: 'session:get', args: ['x'], ok: false },
    { name: 'playback:control seek', channel: 'playback:control', args: [{ action: 'seek', value: 0 }], ok: true },
    { name: 'playback:control with an array', channel: 'playback:control', args: [['play']], ok: false },
    { name: 'playback:control with null', channel: 'playback:control', args: [null], ok: false },
    { name: 'playback:control speed NaN (JSON cannot carry it, a caller might)', channel: 'playback:control', args: [{ action: 'speed', value: Number.NaN }], ok: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal('channel' in validateInvocation(c.channel, c.args), c.ok));

  it('a playback event passes the client\'s envelope check', () => {
    const m = parseServerMessage(JSON.stringify({ type: 'event', event: 'playback', payload: { mode: 'recording' } }));
    assert.ok('type' in m && m.type === 'event' && m.event === 'playback');
  });
});

describe('the live service answers the new channels', () => {
  // Never started: these answers need neither /proc nor an engine.
  const live = new CollectorService({ engines: [], lsns: null });

  it('session:get → live mode', async () => {
    assert.deepEqual(await answerInvocation(live, 'session:get', []), { ok: true, value: { mode: 'live' } });
  });

  it('playback:control → BAD_REQUEST, live mode has no playback', async () => {
    const r = await answerInvocation(live, 'playback:control', [{ action: 'play' }]);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.error.code === 'BAD_REQUEST' && /live mode has no playback/.test(r.error.message), JSON.stringify(r));
  });
});
