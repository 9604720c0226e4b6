import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError, toWireError, validateInvocation } from '../../../shared/contract';

describe('validateInvocation', () => {
  const cases: { name: string; channel: unknown; args: unknown; ok: boolean }[] = [
    { name: 'snapshot:get with no args', channel: 'snapshot:get', args: [], ok: true },
    { name: 'snapshot:get with an arg', channel: 'snapshot:get', args: [1], ok: false },
    { name: 'history:get with an id', channel: 'history:get', args: ['abc'], ok: true },
    { name: 'history:get with a number', channel: 'history:get', args: [5], ok: false },
    { name: 'process:get with a pid', channel: 'process:get', args: [42], ok: true },
    { name: 'process:get with a negative pid', channel: 'process:get', args: [-1], ok: false },
    { name: 'process:get with a float', channel: 'process:get', args: [1.5], ok: false },
    { name: 'unknown channel', channel: 'container:kill', args: [], ok: false },
    { name: 'channel not a string', channel: { toString: 1 }, args: [], ok: false },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal('channel' in validateInvocation(c.channel, c.args), c.ok));
  }
});

describe('toWireError', () => {
  it('keeps a ServiceError\'s code', () => assert.deepEqual(toWireError(new ServiceError('NOT_FOUND', 'no pid 5')), { code: 'NOT_FOUND', message: 'no pid 5' }));
  it('turns anything else into INTERNAL', () => assert.equal(toWireError('boom').code, 'INTERNAL'));
});
