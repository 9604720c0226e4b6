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
    { name: 'view:set with visible pids', channel: 'view:set', args: ['tab-1', { pids: [1, 2], containerId: null }], ok: true },
    { name: 'view:set with a selected container', channel: 'view:set', args: ['tab-1', { pids: [], containerId: 'abc' }], ok: true },
    { name: 'view:set with an extra key', channel: 'view:set', args: ['tab-1', { pids: [], containerId: null, all: true }], ok: false },
    { name: 'view:set with too many pids', channel: 'view:set', args: ['tab-1', { pids: Array.from({ length: 5001 }, (_, i) => i + 1), containerId: null }], ok: false },
    { name: 'view:set without a viewer id', channel: 'view:set', args: ['', { pids: [], containerId: null }], ok: false },
    { name: 'cgroup:get with a pid', channel: 'cgroup:get', args: [7], ok: true },
    { name: 'cgroup:get with a path (not allowed: pids only)', channel: 'cgroup:get', args: ['/docker/x'], ok: false },
    { name: 'image:analyze with a container id', channel: 'image:analyze', args: ['abc'], ok: true },
    { name: 'image:analyze with nothing', channel: 'image:analyze', args: [], ok: false },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal('channel' in validateInvocation(c.channel, c.args), c.ok));
  }
});

describe('toWireError', () => {
  it('keeps a ServiceError\'s code', () => assert.deepEqual(toWireError(new ServiceError('NOT_FOUND', 'no pid 5')), { code: 'NOT_FOUND', message: 'no pid 5' }));
  it('turns anything else into INTERNAL', () => assert.equal(toWireError('boom').code, 'INTERNAL'));
});
