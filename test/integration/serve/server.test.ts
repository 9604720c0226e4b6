// `isolens serve` end to end on 127.0.0.1: HTTP auth and headers, the WebSocket protocol, the limits.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { WebSocket } from 'ws';
import type { ClientOptions } from 'ws';
import { ServeConfigError, startServer } from '../../../electron/serve/server';
import type { RunningServer } from '../../../electron/serve/server';
import { packSnapshot } from '../../../shared/snapshot-packing';
import { FakeService, SNAPSHOT, makeDelta } from '../../unit/serve/fake-service';
import { Inbox, closed, connect, makeStaticDir, request, waitFor } from './helpers';

const TOKEN = 'test-token-0123456789abcdef';

describe('isolens serve over HTTP', () => {
  const www = makeStaticDir();
  const service = new FakeService();
  let srv: RunningServer;
  before(async () => {
    srv = await startServer({ service, staticDir: www.dir, token: TOKEN, log: () => {} });
  });
  after(async () => {
    await srv.close();
    www.cleanup();
  });

  it('prints a loopback URL that carries the token', () => {
    assert.equal(srv.url, `http://127.0.0.1:${srv.port}/?token=${TOKEN}`);
    assert.equal(srv.token, TOKEN);
  });

  it('GET / without the token: 401, with the security headers', async () => {
    const r = await request(srv.port, '/');
    assert.equal(r.status, 401);
    assert.equal(r.headers['set-cookie'], undefined);
    assert.match(String(r.headers['content-security-policy']), /default-src 'self'; connect-src 'self' ws: ; img-src 'self' data:; style-src 'self' 'unsafe-inline'/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.equal(r.headers['cache-control'], 'no-store');
  });

  it('GET / with a wrong token: 401', async () => {
    assert.equal((await request(srv.port, '/?token=wrong-token-0123456789abcdef')).status, 401);
  });

  it('GET /?token=: 200, index.html, and the HttpOnly SameSite=Strict cookie', async () => {
    const r = await request(srv.port, `/?token=${TOKEN}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(r.body, /<title>isolens<\/title>/);
    const cookie = r.headers['set-cookie']?.[0] ?? '';
    assert.match(cookie, new RegExp(`^isolens_token=${TOKEN};`));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.equal(r.headers['content-security-policy'] !== undefined, true);
  });

  it('GET /app.js with the cookie: 200, JavaScript', async () => {
    const r = await request(srv.port, '/app.js', { headers: { Cookie: `isolens_token=${TOKEN}` } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(r.body, 'console.log("isolens");');
    assert.equal(r.headers['set-cookie'], undefined, 'the cookie is set only from ?token=');
  });

  it('GET /app.js with a Bearer header: 200', async () => {
    assert.equal((await request(srv.port, '/app.js', { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200);
  });

  it('GET /app.js with nothing: 401', async () => {
    assert.equal((await request(srv.port, '/app.js')).status, 401);
  });

  it('HEAD / with the token: 200 and no body', async () => {
    const r = await request(srv.port, `/?token=${TOKEN}`, { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.ok(Number(r.headers['content-length']) > 0);
  });

  const hosts: [string, string][] = [
    ['a rebinding attacker name', `evil.example:PORT`],
    ['the right name on another port', `127.0.0.1:1`],
    ['a LAN address', `192.168.1.10:PORT`],
  ];
  for (const [name, host] of hosts) {
    it(`wrong Host header (${name}): 403 even with the token`, async () => {
      const r = await request(srv.port, `/?token=${TOKEN}`, { headers: { Host: host.replace('PORT', String(srv.port)) } });
      assert.equal(r.status, 403);
    });
  }

  it('localhost as the Host: 200', async () => {
    assert.equal((await request(srv.port, `/?token=${TOKEN}`, { headers: { Host: `localhost:${srv.port}` } })).status, 200);
  });

  for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
    it(`${method}: 405, read-only`, async () => {
      const r = await request(srv.port, `/?token=${TOKEN}`, { method });
      assert.equal(r.status, 405);
      assert.equal(r.headers.allow, 'GET, HEAD');
    });
  }

  const escapes = ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2E%2E%2Fsecret.txt', '/index.html%00.js', '/..%5csecret.txt'];
  for (const p of escapes) {
    it(`no way out of staticDir: ${p} → 404`, async () => {
      const r = await request(srv.port, p, { headers: { Authorization: `Bearer ${TOKEN}` } });
      assert.equal(r.status, 404);
      assert.doesNotMatch(r.body, /do not serve/);
    });
  }

  it('a missing file: 404', async () => {
    assert.equal((await request(srv.port, '/nope.js', { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 404);
  });

  it('/ws without an upgrade: 426', async () => {
    assert.equal((await request(srv.port, '/ws', { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 426);
  });
});

describe('isolens serve over WebSocket', () => {
  const www = makeStaticDir();
  const service = new FakeService();
  const logs: string[] = [];
  let srv: RunningServer;
  let wsUrl: string;
  before(async () => {
    srv = await startServer({ service, staticDir: www.dir, token: TOKEN, log: (l) => logs.push(l) });
    wsUrl = `ws://127.0.0.1:${srv.port}/ws`;
  });
  after(async () => {
    await srv.close();
    www.cleanup();
  });

  const refusals: { name: string; url: () => string; options?: () => Record<string, unknown>; status: number }[] = [
    { name: 'no token', url: () => wsUrl, status: 401 },
    { name: 'a wrong token', url: () => `${wsUrl}?token=nope-nope-nope-nope-nope`, status: 401 },
    { name: 'a foreign Origin', url: () => `${wsUrl}?token=${TOKEN}`, options: () => ({ origin: 'http://evil.example' }), status: 403 },
    { name: 'a wrong Host', url: () => `${wsUrl}?token=${TOKEN}`, options: () => ({ headers: { Host: 'evil.example' } }), status: 403 },
    { name: 'another path', url: () => `ws://127.0.0.1:${srv.port}/other?token=${TOKEN}`, status: 404 },
  ];
  for (const c of refusals) {
    it(`upgrade refused with ${c.name}: ${c.status}`, async () => {
      await assert.rejects(connect(c.url(), c.options?.() ?? {}), (err: { status?: number }) => err.status === c.status);
    });
  }

  it('the same origin, a Bearer header or the cookie are accepted', async () => {
    const variants: ClientOptions[] = [
      { origin: `http://127.0.0.1:${srv.port}` },
      { headers: { Authorization: `Bearer ${TOKEN}` } },
      { headers: { Cookie: `isolens_token=${TOKEN}` } },
    ];
    for (const options of variants) {
      const ws = await connect(options.origin ? `${wsUrl}?token=${TOKEN}` : wsUrl, options);
      ws.close();
      await closed(ws);
    }
  });

  it('invoke snapshot:get returns ok (the snapshot packed), then pushed deltas and engines arrive', async () => {
    const ws = await connect(`${wsUrl}?token=${TOKEN}`);
    const inbox = new Inbox(ws);
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'snapshot:get', args: [] }));
    const r = await inbox.next((m) => m.type === 'result');
    assert.deepEqual(r, { type: 'result', id: 1, result: { ok: true, value: packSnapshot({ seq: 0, snapshot: SNAPSHOT, usage: {} }) } });

    await waitFor(() => service.subscribers('delta') === 1, 'the session to subscribe');
    service.emit('delta', makeDelta(1));
    service.emit('delta', makeDelta(2));
    service.emit('engines', SNAPSHOT.engines);
    const d1 = await inbox.next((m) => m.type === 'event');
    const d2 = await inbox.next((m) => m.type === 'event');
    const e = await inbox.next((m) => m.type === 'event');
    assert.deepEqual(d1, { type: 'event', event: 'delta', payload: makeDelta(1) });
    assert.equal((d2.payload as { seq: number }).seq, 2);
    assert.deepEqual(e, { type: 'event', event: 'engines', payload: SNAPSHOT.engines });

    ws.close();
    await closed(ws);
    await waitFor(() => service.subscribers('delta') === 0 && service.subscribers('engines') === 0, 'unsubscribe on close');
  });

  it('bad messages get BAD_REQUEST results and the connection stays open', async () => {
    const ws = await connect(`${wsUrl}?token=${TOKEN}`);
    const inbox = new Inbox(ws);
    ws.send('{not json');
    assert.deepEqual(await inbox.next(), { type: 'result', id: null, result: { ok: false, error: { code: 'BAD_REQUEST', message: 'message is not valid JSON' } } });
    ws.send(JSON.stringify({ type: 'invoke', id: 7, channel: 'docker:exec', args: ['sh'] }));
    const unknown = await inbox.next();
    assert.equal(unknown.id, 7);
    assert.equal((unknown.result as { error: { code: string } }).error.code, 'BAD_REQUEST');
    ws.send(JSON.stringify({ type: 'invoke', id: 8, channel: 'process:get', args: ['1'] }));
    assert.equal(((await inbox.next()).result as { error: { code: string } }).error.code, 'BAD_REQUEST');
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.match(JSON.stringify(await inbox.next()), /binary messages are not accepted/);
    ws.send(JSON.stringify({ type: 'invoke', id: 9, channel: 'history:get', args: ['x'.repeat(200_000)] }));
    assert.match(JSON.stringify(await inbox.next()), /too large/);

    assert.equal(ws.readyState, WebSocket.OPEN);
    ws.send(JSON.stringify({ type: 'invoke', id: 10, channel: 'process:get', args: [4242] }));
    const ok = await inbox.next();
    assert.equal(ok.id, 10);
    assert.equal((ok.result as { ok: boolean }).ok, true);
    ws.close();
    await closed(ws);
  });

  it('service errors come back as Results: NOT_FOUND, INTERNAL', async () => {
    const ws = await connect(`${wsUrl}?token=${TOKEN}`);
    const inbox = new Inbox(ws);
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'process:get', args: [99999] }));
    ws.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'history:get', args: ['boom'] }));
    const byId = new Map<unknown, Record<string, unknown>>();
    for (let i = 0; i < 2; i++) {
      const m = await inbox.next();
      byId.set(m.id, m);
    }
    assert.deepEqual(byId.get(1)?.result, { ok: false, error: { code: 'NOT_FOUND', message: 'no process 99999' } });
    assert.deepEqual(byId.get(2)?.result, { ok: false, error: { code: 'INTERNAL', message: 'disk on fire' } });
    ws.close();
    await closed(ws);
  });

  it('a frame over 1 MiB closes the connection (1009)', async () => {
    const ws = await connect(`${wsUrl}?token=${TOKEN}`);
    ws.send('x'.repeat(2 * 1024 * 1024));
    assert.equal(await closed(ws), 1009);
  });

  it('close() ends every connection and frees the port', async () => {
    const local = await startServer({ service: new FakeService(), staticDir: www.dir, token: TOKEN, log: () => {} });
    const ws = await connect(`ws://127.0.0.1:${local.port}/ws?token=${TOKEN}`);
    const code = closed(ws);
    await local.close();
    assert.equal(await code, 1001);
    await assert.rejects(connect(`ws://127.0.0.1:${local.port}/ws?token=${TOKEN}`), /ECONNREFUSED/);
  });
});

/** Opens /ws by hand and then never reads: a client that cannot keep up (or answer pings). */
function rawUpgrade(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(
        `GET /ws?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    s.once('data', (d: Buffer) => {
      if (!d.toString('latin1').startsWith('HTTP/1.1 101')) return reject(new Error(d.toString('latin1')));
      s.pause();
      resolve(s);
    });
    s.on('error', () => {});
  });
}

describe('isolens serve drops clients that cannot keep up', () => {
  const www = makeStaticDir();
  after(() => www.cleanup());

  it('a client that stops reading is dropped once its backlog passes the limit', async () => {
    const service = new FakeService();
    const logs: string[] = [];
    const srv = await startServer({ service, staticDir: www.dir, token: TOKEN, log: (l) => logs.push(l), limits: { maxBufferedBytes: 256 * 1024 } });
    try {
      const s = await rawUpgrade(srv.port);
      await waitFor(() => service.subscribers('delta') === 1, 'the session to subscribe');
      for (let seq = 1; seq <= 64 && service.subscribers('delta') > 0; seq++) {
        service.emit('delta', makeDelta(seq, 1024 * 1024));
        await new Promise((r) => setImmediate(r));
      }
      await waitFor(() => logs.some((l) => /dropping a slow client/.test(l)), 'the slow client to be dropped');
      await waitFor(() => service.subscribers('delta') === 0, 'its subscription to end');
      s.destroy();
    } finally {
      await srv.close();
    }
  });

  it('a client that does not answer pings is dropped after a missed heartbeat', async () => {
    const service = new FakeService();
    const logs: string[] = [];
    const srv = await startServer({ service, staticDir: www.dir, token: TOKEN, log: (l) => logs.push(l), heartbeatMs: 100 });
    try {
      const s = await rawUpgrade(srv.port);
      const gone = new Promise<void>((resolve) => s.once('close', () => resolve()));
      s.resume();
      await gone;
      assert.ok(logs.some((l) => /missed a heartbeat/.test(l)), logs.join('\n'));
      await waitFor(() => service.subscribers('delta') === 0, 'its subscription to end');
    } finally {
      await srv.close();
    }
  });

  it('a `ws` client, which answers pings, stays', async () => {
    const srv = await startServer({ service: new FakeService(), staticDir: www.dir, token: TOKEN, log: () => {}, heartbeatMs: 50 });
    try {
      const ws = await connect(`ws://127.0.0.1:${srv.port}/ws?token=${TOKEN}`);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(ws.readyState, WebSocket.OPEN);
      ws.close();
      await closed(ws);
    } finally {
      await srv.close();
    }
  });
});

describe('startServer configuration', () => {
  const www = makeStaticDir();
  after(() => www.cleanup());

  for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
    it(`refuses the non-loopback host ${host} without allowNonLoopback`, async () => {
      await assert.rejects(startServer({ service: new FakeService(), staticDir: www.dir, host }), ServeConfigError);
    });
  }

  it('serves on 0.0.0.0 with allowNonLoopback, and warns loudly', async () => {
    const logs: string[] = [];
    const srv = await startServer({ service: new FakeService(), staticDir: www.dir, host: '0.0.0.0', allowNonLoopback: true, log: (l) => logs.push(l) });
    try {
      assert.match(logs.join('\n'), /WARNING: listening on 0\.0\.0\.0:\d+, which is NOT loopback.*processes/);
      assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    } finally {
      await srv.close();
    }
  });

  it('makes a fresh 32-character token by default', async () => {
    const a = await startServer({ service: new FakeService(), staticDir: www.dir, log: () => {} });
    const b = await startServer({ service: new FakeService(), staticDir: www.dir, log: () => {} });
    try {
      assert.match(a.token, /^[A-Za-z0-9_-]{32}$/);
      assert.notEqual(a.token, b.token);
      assert.notEqual(a.port, b.port);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('refuses a malformed token and a missing staticDir', async () => {
    await assert.rejects(startServer({ service: new FakeService(), staticDir: www.dir, token: 'short' }), ServeConfigError);
    await assert.rejects(startServer({ service: new FakeService(), staticDir: `${www.dir}/missing` }), ServeConfigError);
  });

  it('binds localhost and ::1 too', async () => {
    for (const host of ['localhost', '::1']) {
      const srv = await startServer({ service: new FakeService(), staticDir: www.dir, host, token: TOKEN, log: () => {} });
      try {
        assert.ok(srv.port > 0);
      } finally {
        await srv.close();
      }
    }
  });
});
