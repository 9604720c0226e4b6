// renderer/transport/ws-client.ts against the real server, with the `ws` package's WebSocket.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { startServer } from '../../../electron/serve/server';
import type { RunningServer } from '../../../electron/serve/server';
import type { Delta } from '../../../shared/delta';
import { packSnapshot } from '../../../shared/snapshot-packing';
import { createWsClient } from '../../../renderer/transport/ws-client';
import type { ConnectionStatus, WsClient } from '../../../renderer/transport/ws-client';
import { FakeService, makeDelta } from '../../unit/serve/fake-service';
import { connect, makeStaticDir, waitFor } from './helpers';

const TOKEN = 'client-token-0123456789abcdef';

describe('ws-client against isolens serve', () => {
  const www = makeStaticDir();
  let service = new FakeService();
  let srv: RunningServer;
  let client: WsClient;
  const statuses: ConnectionStatus[] = [];
  const deltas: Delta[] = [];

  before(async () => {
    srv = await startServer({ service, staticDir: www.dir, token: TOKEN, log: () => {} });
    client = createWsClient({
      url: `ws://127.0.0.1:${srv.port}/ws?token=${TOKEN}`,
      WebSocketImpl: WebSocket,
      onStatus: (s) => statuses.push(s),
      minBackoffMs: 50,
      maxBackoffMs: 200,
      timeoutMs: 5000,
    });
    client.on('delta', (d) => deltas.push(d));
  });
  after(async () => {
    client.close();
    await srv.close();
    www.cleanup();
  });

  it('invoke snapshot:get is ok (sent once the socket opens)', async () => {
    const r = await client.invoke('snapshot:get');
    assert.ok(r.ok);
    assert.equal(r.value.seq, 0);
    assert.equal(r.value.snapshot.host.hostname, 'testhost');
    assert.deepEqual(statuses.slice(0, 2), ['connecting', 'open']);
  });

  it('a snapshot bigger than one fragment arrives whole and unpacked, sent packed as 64 KiB fragments', async () => {
    const small = service.state;
    const first = small.snapshot.processes[1];
    assert.ok(first);
    // ~3,000 processes, some with a non-ASCII command line: well over 64 KiB of JSON.
    const processes = Array.from({ length: 3000 }, (_, i) => ({ ...first, pid: 10_000 + i, cmdline: ['sleep', i % 7 ? 'infinity' : 'grüße 🐳'] }));
    service.state = { ...small, seq: 7, snapshot: { ...small.snapshot, processes } };
    try {
      const r = await client.invoke('snapshot:get');
      assert.ok(r.ok);
      assert.deepEqual(r.value, service.state);
      // What travels: several text messages, each under 64 KiB (+ its header).
      const raw = await connect(`ws://127.0.0.1:${srv.port}/ws?token=${TOKEN}`);
      const texts: string[] = [];
      raw.on('message', (m: Buffer) => texts.push(m.toString('utf8')));
      raw.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'snapshot:get', args: [] }));
      const whole = JSON.stringify({ type: 'result', id: 1, result: { ok: true, value: packSnapshot(service.state) } }).length;
      await waitFor(() => texts.length > 0 && texts.reduce((n, t) => n + t.length, 0) >= whole, 'every fragment');
      raw.close();
      assert.ok(texts.length > 1, `${whole} characters in ${texts.length} message(s)`);
      assert.equal(texts.length, Math.ceil(whole / (64 * 1024)));
      assert.ok(texts.every((t, i) => t.startsWith(`#${i}/${texts.length}\n`) && t.length <= 64 * 1024 + 20));
    } finally {
      service.state = small;
    }
  });

  it('service errors arrive as Results', async () => {
    const r = await client.invoke('process:get', 99999);
    assert.deepEqual(r, { ok: false, error: { code: 'NOT_FOUND', message: 'no process 99999' } });
    const p = await client.invoke('process:get', 4242);
    assert.ok(p.ok);
    assert.equal(p.value.process.comm, 'sleep');
  });

  it('pushed events reach listeners; unsubscribe stops them', async () => {
    const engines: unknown[] = [];
    const off = client.on('engines', (e) => engines.push(e));
    service.emit('delta', makeDelta(1));
    service.emit('engines', []);
    await waitFor(() => deltas.length === 1 && engines.length === 1, 'the events');
    assert.equal(deltas[0]?.seq, 1);
    off();
    service.emit('engines', []);
    service.emit('delta', makeDelta(2));
    await waitFor(() => deltas.length === 2, 'the second delta');
    assert.equal(engines.length, 1);
  });

  it('reconnects after the server restarts on the same port; listeners and pending calls survive', async () => {
    const port = srv.port;
    await srv.close();
    await waitFor(() => statuses.at(-1) === 'closed' || statuses.at(-1) === 'connecting', 'the client to notice');
    // A call made while the server is down waits for the reconnect.
    const pending = client.invoke('snapshot:get');
    service = new FakeService();
    service.state = { ...service.state, seq: 41 };
    srv = await startServer({ service, staticDir: www.dir, token: TOKEN, port, log: () => {} });
    const r = await pending;
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.seq, 41);
    assert.equal(statuses.at(-1), 'open');
    await waitFor(() => service.subscribers('delta') === 1, 'the new session to subscribe');
    service.emit('delta', makeDelta(42));
    await waitFor(() => deltas.some((d) => d.seq === 42), 'a delta from the new server');
  });
});

describe('ws-client when the server cannot be had', () => {
  const www = makeStaticDir();
  after(() => www.cleanup());

  it('a call fails with UNAVAILABLE after the timeout; the client keeps retrying with back-off', async () => {
    const srv = await startServer({ service: new FakeService(), staticDir: www.dir, token: TOKEN, log: () => {} });
    const port = srv.port;
    await srv.close();
    const statuses: ConnectionStatus[] = [];
    const client = createWsClient({
      url: `ws://127.0.0.1:${port}/ws?token=${TOKEN}`,
      WebSocketImpl: WebSocket,
      onStatus: (s) => statuses.push(s),
      minBackoffMs: 20,
      maxBackoffMs: 40,
      timeoutMs: 300,
    });
    try {
      const r = await client.invoke('snapshot:get');
      assert.deepEqual(r, { ok: false, error: { code: 'UNAVAILABLE', message: 'not connected to the isolens server' } });
      assert.ok(statuses.filter((s) => s === 'connecting').length >= 3, statuses.join(','));
      assert.ok(!statuses.includes('open'));
    } finally {
      client.close();
    }
  });

  it('a wrong token never opens', async () => {
    const srv = await startServer({ service: new FakeService(), staticDir: www.dir, token: TOKEN, log: () => {} });
    const statuses: ConnectionStatus[] = [];
    const client = createWsClient({
      url: `ws://127.0.0.1:${srv.port}/ws?token=wrong-token-0123456789`,
      WebSocketImpl: WebSocket,
      onStatus: (s) => statuses.push(s),
      minBackoffMs: 20,
      timeoutMs: 200,
    });
    try {
      const r = await client.invoke('snapshot:get');
      assert.equal(r.ok, false);
      assert.ok(!statuses.includes('open'));
    } finally {
      client.close();
      await srv.close();
    }
  });

  it('close() resolves pending calls with UNAVAILABLE and stops reconnecting', async () => {
    const statuses: ConnectionStatus[] = [];
    const client = createWsClient({ url: 'ws://127.0.0.1:1/ws', WebSocketImpl: WebSocket, onStatus: (s) => statuses.push(s), minBackoffMs: 10 });
    const p = client.invoke('snapshot:get');
    client.close();
    assert.deepEqual(await p, { ok: false, error: { code: 'UNAVAILABLE', message: 'the client is closed' } });
    const n = statuses.length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(statuses.length, n, 'no reconnect after close');
    assert.deepEqual(await client.invoke('snapshot:get'), { ok: false, error: { code: 'UNAVAILABLE', message: 'the client is closed' } });
  });
});
