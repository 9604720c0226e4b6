import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  isAllowedHostHeader,
  isLoopbackHost,
  isSameOrigin,
  isWellFormedToken,
  parseCookies,
  parseHostHeader,
  requestHasToken,
  tokenMatches,
} from '../../../electron/serve/auth';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz012345';

describe('tokenMatches', () => {
  const cases: { name: string; presented: string | null | undefined; want: boolean }[] = [
    { name: 'same token', presented: TOKEN, want: true },
    { name: 'other token, same length', presented: TOKEN.replace('a', 'b'), want: false },
    { name: 'prefix', presented: TOKEN.slice(0, 10), want: false },
    { name: 'longer', presented: `${TOKEN}x`, want: false },
    { name: 'empty', presented: '', want: false },
    { name: 'null', presented: null, want: false },
    { name: 'undefined', presented: undefined, want: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(tokenMatches(TOKEN, c.presented), c.want));
});

describe('isWellFormedToken', () => {
  const cases: [string, string, boolean][] = [
    ['32 base64url characters', TOKEN, true],
    ['default crypto token shape', 'Q2x-_9aZ'.repeat(4), true],
    ['too short', 'abc', false],
    ['cookie-breaking semicolon', `${TOKEN};x=1`, false],
    ['space', `${TOKEN} x`, false],
  ];
  for (const [name, t, want] of cases) it(name, () => assert.equal(isWellFormedToken(t), want));
});

describe('parseCookies', () => {
  it('several cookies, spaces, quotes', () => {
    const m = parseCookies('a=1; isolens_token="xyz" ;b = 2; junk; =nameless');
    assert.deepEqual([...m], [['a', '1'], ['isolens_token', 'xyz'], ['b', '2']]);
  });
  it('first duplicate wins', () => assert.equal(parseCookies('x=1; x=2').get('x'), '1'));
  it('no header', () => assert.equal(parseCookies(undefined).size, 0));
});

describe('requestHasToken', () => {
  const cases: { name: string; query: string | null; authorization?: string; cookie?: string; want: boolean }[] = [
    { name: 'query token', query: TOKEN, want: true },
    { name: 'bearer header', query: null, authorization: `Bearer ${TOKEN}`, want: true },
    { name: 'bearer, lower case scheme', query: null, authorization: `bearer ${TOKEN}`, want: true },
    { name: 'basic auth is not a bearer', query: null, authorization: `Basic ${TOKEN}`, want: false },
    { name: 'cookie', query: null, cookie: `other=1; isolens_token=${TOKEN}`, want: true },
    { name: 'wrong cookie name', query: null, cookie: `token=${TOKEN}`, want: false },
    { name: 'wrong query, right cookie', query: 'nope', cookie: `isolens_token=${TOKEN}`, want: true },
    { name: 'nothing', query: null, want: false },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(requestHasToken(TOKEN, { query: c.query, authorization: c.authorization, cookie: c.cookie }), c.want));
  }
});

describe('isLoopbackHost', () => {
  const cases: [string, boolean][] = [
    ['127.0.0.1', true], ['127.1.2.3', true], ['::1', true], ['[::1]', true], ['localhost', true], ['LOCALHOST', true],
    ['::ffff:127.0.0.1', true], ['0.0.0.0', false], ['::', false], ['192.168.1.10', false], ['128.0.0.1', false],
    ['localhost.evil.example', false], ['127.0.0.1.nip.io', false],
  ];
  for (const [h, want] of cases) it(h, () => assert.equal(isLoopbackHost(h), want));
});

describe('parseHostHeader', () => {
  it('name and port', () => assert.deepEqual(parseHostHeader('127.0.0.1:8080'), { hostname: '127.0.0.1', port: 8080 }));
  it('IPv6 literal', () => assert.deepEqual(parseHostHeader('[::1]:9'), { hostname: '::1', port: 9 }));
  it('no port', () => assert.deepEqual(parseHostHeader('localhost'), { hostname: 'localhost', port: null }));
  it('junk', () => assert.equal(parseHostHeader('a b:1'), null));
  it('port too large', () => assert.equal(parseHostHeader('x:70000'), null));
  it('userinfo', () => assert.equal(parseHostHeader('user@127.0.0.1:80'), null));
});

describe('isAllowedHostHeader (DNS rebinding)', () => {
  const cases: { name: string; header: string | undefined; bound: string; port: number; want: boolean }[] = [
    { name: 'bound host and port', header: '127.0.0.1:4000', bound: '127.0.0.1', port: 4000, want: true },
    { name: 'localhost', header: 'localhost:4000', bound: '127.0.0.1', port: 4000, want: true },
    { name: 'LocalHost, any case', header: 'LocalHost:4000', bound: '127.0.0.1', port: 4000, want: true },
    { name: '[::1]', header: '[::1]:4000', bound: '127.0.0.1', port: 4000, want: true },
    { name: 'wrong port', header: '127.0.0.1:4001', bound: '127.0.0.1', port: 4000, want: false },
    { name: 'port omitted, not 80', header: '127.0.0.1', bound: '127.0.0.1', port: 4000, want: false },
    { name: 'port omitted, 80', header: 'localhost', bound: '127.0.0.1', port: 80, want: true },
    { name: 'attacker name (rebinding)', header: 'evil.example:4000', bound: '127.0.0.1', port: 4000, want: false },
    { name: 'no Host header', header: undefined, bound: '127.0.0.1', port: 4000, want: false },
    { name: 'other IP while bound to loopback', header: '192.168.1.5:4000', bound: '127.0.0.1', port: 4000, want: false },
    { name: 'IP literal while bound to 0.0.0.0', header: '192.168.1.5:4000', bound: '0.0.0.0', port: 4000, want: true },
    { name: 'a name while bound to 0.0.0.0', header: 'evil.example:4000', bound: '0.0.0.0', port: 4000, want: false },
    { name: 'bound to a LAN address', header: '10.0.0.2:4000', bound: '10.0.0.2', port: 4000, want: true },
  ];
  for (const c of cases) it(c.name, () => assert.equal(isAllowedHostHeader(c.header, c.bound, c.port), c.want));
});

describe('isSameOrigin (WebSocket upgrades)', () => {
  const cases: { name: string; origin: string | undefined; host: string | undefined; want: boolean }[] = [
    { name: 'same origin', origin: 'http://127.0.0.1:4000', host: '127.0.0.1:4000', want: true },
    { name: 'no Origin (not a browser)', origin: undefined, host: '127.0.0.1:4000', want: true },
    { name: 'another site', origin: 'http://evil.example', host: '127.0.0.1:4000', want: false },
    { name: 'another port', origin: 'http://127.0.0.1:4001', host: '127.0.0.1:4000', want: false },
    { name: 'localhost vs 127.0.0.1', origin: 'http://localhost:4000', host: '127.0.0.1:4000', want: false },
    { name: 'https scheme', origin: 'https://127.0.0.1:4000', host: '127.0.0.1:4000', want: false },
    { name: 'opaque origin "null"', origin: 'null', host: '127.0.0.1:4000', want: false },
    { name: 'default port', origin: 'http://localhost', host: 'localhost:80', want: true },
  ];
  for (const c of cases) it(c.name, () => assert.equal(isSameOrigin(c.origin, c.host), c.want));
});
