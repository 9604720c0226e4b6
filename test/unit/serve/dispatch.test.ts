import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { answerInvocation } from '../../../electron/serve/dispatch';
import { PayloadCache } from '../../../electron/serve/ws-session';
import { CONTAINER, FakeService } from './fake-service';

describe('answerInvocation', () => {
  const cases: { name: string; channel: unknown; args: unknown; want: { ok: boolean; code?: string } }[] = [
    { name: 'snapshot:get', channel: 'snapshot:get', args: [], want: { ok: true } },
    { name: 'process:get of a known pid', channel: 'process:get', args: [4242], want: { ok: true } },
    { name: 'history:get of the container', channel: 'history:get', args: [CONTAINER], want: { ok: true } },
    { name: 'ServiceError keeps its code', channel: 'process:get', args: [99999], want: { ok: false, code: 'NOT_FOUND' } },
    { name: 'a plain throw is INTERNAL', channel: 'history:get', args: ['boom'], want: { ok: false, code: 'INTERNAL' } },
    { name: 'unknown channel', channel: 'shell:exec', args: ['rm'], want: { ok: false, code: 'BAD_REQUEST' } },
    { name: 'wrong arg type', channel: 'process:get', args: ['1'], want: { ok: false, code: 'BAD_REQUEST' } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const service = new FakeService();
      const r = await answerInvocation(service, c.channel, c.args);
      assert.equal(r.ok, c.want.ok, JSON.stringify(r));
      if (!r.ok) assert.equal(r.error.code, c.want.code);
      if (c.want.code === 'BAD_REQUEST') assert.equal(service.calls.length, 0, 'the service is not called');
    });
  }
});

describe('PayloadCache', () => {
  it('serializes once per fan-out, afresh after it', async () => {
    const cache = new PayloadCache();
    const engines = [{ name: 'docker', available: true, endpoint: 'x', version: null, error: null }];
    const a = cache.eventText('engines', engines);
    assert.equal(cache.eventText('engines', engines), a);
    assert.deepEqual(JSON.parse(a), { type: 'event', event: 'engines', payload: engines });
    assert.notEqual(cache.eventText('delta', engines), a, 'keyed by event too');
    await Promise.resolve();
    engines[0] = { ...engines[0]!, available: false };
    assert.match(cache.eventText('engines', engines), /"available":false/);
  });
});
