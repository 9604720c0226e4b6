import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getClient, resetClientForTests, wsUrlFromLocation } from '../../../renderer/transport/client';
import type { IsolensClient } from '../../../shared/contract';

describe('wsUrlFromLocation', () => {
  const cases: { name: string; loc: { protocol: string; host: string; search: string }; want: string }[] = [
    { name: 'token in the query', loc: { protocol: 'http:', host: '127.0.0.1:4000', search: '?token=abc_-123' }, want: 'ws://127.0.0.1:4000/ws?token=abc_-123' },
    { name: 'https page uses wss', loc: { protocol: 'https:', host: 'box:443', search: '?token=t' }, want: 'wss://box:443/ws?token=t' },
    { name: 'no token: the cookie authenticates', loc: { protocol: 'http:', host: 'localhost:9', search: '' }, want: 'ws://localhost:9/ws' },
    { name: 'token is re-encoded', loc: { protocol: 'http:', host: 'h:1', search: '?x=1&token=a%26b' }, want: 'ws://h:1/ws?token=a%26b' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(wsUrlFromLocation(c.loc), c.want));
});

describe('getClient', () => {
  const g = globalThis as { window?: unknown };
  afterEach(() => {
    delete g.window;
    resetClientForTests();
  });

  it('returns window.isolens when the Electron preload exposed it, once', () => {
    const bridged: IsolensClient = { invoke: () => Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'x' } }), on: () => () => {} };
    g.window = { isolens: bridged };
    assert.equal(getClient(), bridged);
    delete g.window;
    assert.equal(getClient(), bridged, 'memoized');
  });

  it('without a bridge and without a location it says why', () => {
    assert.throws(() => getClient(), /no window\.isolens/);
  });
});
