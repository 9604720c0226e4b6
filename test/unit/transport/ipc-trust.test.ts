import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isTrustedUrl, makeSenderCheck } from '../../../electron/main/ipc-trust';

const APP = 'file:///opt/isolens/resources/app/renderer/dist/index.html';

describe('isTrustedUrl', () => {
  const cases: { name: string; url: string; expected: string; want: boolean }[] = [
    { name: 'the app page', url: APP, expected: APP, want: true },
    { name: 'the app page with a hash route', url: `${APP}#/containers`, expected: APP, want: true },
    { name: 'the app page with a query', url: `${APP}?x=1`, expected: APP, want: true },
    { name: 'another local file', url: 'file:///tmp/evil.html', expected: APP, want: false },
    { name: 'a remote page', url: 'https://evil.example/', expected: APP, want: false },
    { name: 'about:blank', url: 'about:blank', expected: APP, want: false },
    { name: 'malformed', url: 'not a url', expected: APP, want: false },
    { name: 'path traversal normalizes to another file', url: 'file:///opt/isolens/resources/app/renderer/dist/../evil.html', expected: APP, want: false },
    { name: 'dev server, same origin', url: 'http://localhost:5173/src/index.html', expected: 'http://localhost:5173/', want: true },
    { name: 'dev server, other port', url: 'http://localhost:5174/', expected: 'http://localhost:5173/', want: false },
    { name: 'expected URL of an odd scheme', url: 'data:text/html,hi', expected: 'data:text/html,hi', want: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(isTrustedUrl(c.url, c.expected), c.want));
});

describe('makeSenderCheck', () => {
  const check = makeSenderCheck(APP);
  it('top frame of the app', () => assert.equal(check({ url: APP, parent: null }), true));
  it('an iframe, even on the app page', () => assert.equal(check({ url: APP, parent: { url: APP } }), false));
  it('no frame (navigated away or destroyed)', () => assert.equal(check(null), false));
  it('top frame elsewhere', () => assert.equal(check({ url: 'https://evil.example/', parent: null }), false));
});
