import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createWsClient } from '../../../renderer/transport/ws-client';
import type { ConnectionStatus, MessageEventLike, WebSocketLike } from '../../../renderer/transport/ws-client';

type Kind = 'open' | 'close' | 'error' | 'message';

/** A scripted WebSocket: the test opens, closes and feeds it. */
class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  readonly sent: string[] = [];
  private readonly handlers = new Map<Kind, ((ev: MessageEventLike) => void)[]>();
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError');
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  addEventListener(type: Kind, listener: (ev: MessageEventLike) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  fire(type: Kind, data?: unknown): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const h of this.handlers.get(type) ?? []) h({ data });
  }
  /** Answers the invoke with this id. */
  answer(id: number, result: unknown): void {
    this.fire('message', JSON.stringify({ type: 'result', id, result }));
  }
}

const last = (): FakeSocket => {
  const s = FakeSocket.all.at(-1);
  assert.ok(s, 'a socket was made');
  return s;
};

describe('createWsClient (scripted socket, mocked timers)', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    mock.timers.enable({ apis: ['setTimeout'] });
  });
  afterEach(() => mock.timers.reset());

  it('connects at once to the given URL and reports its status', () => {
    const statuses: ConnectionStatus[] = [];
    const c = createWsClient({ url: 'ws://h/ws?token=t', WebSocketImpl: FakeSocket, onStatus: (s) => statuses.push(s) });
    assert.equal(last().url, 'ws://h/ws?token=t');
    last().fire('open');
    assert.deepEqual(statuses, ['connecting', 'open']);
    c.close();
    assert.deepEqual(statuses, ['connecting', 'open', 'closed']);
  });

  it('reconnects with back-off: 0.5 s doubling to 10 s, reset after a successful open', () => {
    const c = createWsClient({ url: 'ws://h/ws', WebSocketImpl: FakeSocket });
    const delays = [500, 1000, 2000, 4000, 8000, 10000, 10000];
    for (const d of delays) {
      const n = FakeSocket.all.length;
      last().fire('close');
      mock.timers.tick(d - 1);
      assert.equal(FakeSocket.all.length, n, `not before ${d} ms`);
      mock.timers.tick(1);
      assert.equal(FakeSocket.all.length, n + 1, `after ${d} ms`);
    }
    last().fire('open');
    last().fire('close');
    mock.timers.tick(500);
    assert.equal(FakeSocket.all.length, delays.length + 2, 'back to 0.5 s after an open');
    c.close();
  });

  it('an invoke made while connecting is sent on open and resolved by its result', async () => {
    const c = createWsClient({ url: 'ws://h/ws', WebSocketImpl: FakeSocket });
    const p = c.invoke('process:get', 42);
    assert.deepEqual(last().sent, []);
    last().fire('open');
    assert.deepEqual(JSON.parse(last().sent[0] ?? ''), { type: 'invoke', id: 1, channel: 'process:get', args: [42] });
    last().answer(1, { ok: false, error: { code: 'NOT_FOUND', message: 'no process 42' } });
    assert.deepEqual(await p, { ok: false, error: { code: 'NOT_FOUND', message: 'no process 42' } });
    c.close();
  });

  it('a call in flight when the socket drops is sent again after the reconnect', async () => {
    const c = createWsClient({ url: 'ws://h/ws', WebSocketImpl: FakeSocket });
    last().fire('open');
    const p = c.invoke('snapshot:get');
    const first = last();
    assert.equal(first.sent.length, 1);
    first.fire('close');
    mock.timers.tick(500);
    const second = last();
    assert.notEqual(second, first);
    second.fire('open');
    assert.equal(second.sent.length, 1);
    second.answer(1, { ok: true, value: { seq: 3 } });
    assert.deepEqual(await p, { ok: true, value: { seq: 3 } });
    c.close();
  });

  it('calls fail with UNAVAILABLE after the timeout, saying why', async () => {
    const c = createWsClient({ url: 'ws://h/ws', WebSocketImpl: FakeSocket, timeoutMs: 10_000 });
    const offline = c.invoke('snapshot:get');
    mock.timers.tick(10_000);
    assert.deepEqual(await offline, { ok: false, error: { code: 'UNAVAILABLE', message: 'not connected to the isolens server' } });
    last().fire('open');
    const silent = c.invoke('snapshot:get');
    mock.timers.tick(10_000);
    assert.deepEqual(await silent, { ok: false, error: { code: 'UNAVAILABLE', message: 'no answer from the isolens server within 10000 ms' } });
    // A late answer is ignored.
    last().answer(2, { ok: true, value: 1 });
    c.close();
  });

  it('listeners survive reconnects and only hear their event; junk is ignored', () => {
    const c = createWsClient({ url: 'ws://h/ws', WebSocketImpl: FakeSocket });
    const seqs: number[] = [];
    const engines: unknown[] = [];
    c.on('delta', (d) => seqs.push(d.seq));
    c.on('engines', (e) => engines.push(e));
    last().fire('open');
    last().fire('message', JSON.stringify({ type: 'event', event: 'delta', payload: { seq: 1 } }));
    last().fire('close');
    mock.timers.tick(500);
    last().fire('open');
    last().fire('message', JSON.stringify({ type: 'event', event: 'delta', payload: { seq: 2 } }));
    last().fire('message', '{junk');
    last().fire('message', JSON.stringify({ type: 'event', event: 'exec', payload: {} }));
    last().fire('message', new Uint8Array([1, 2]));
    last().fire('message', JSON.stringify({ type: 'result', id: 99, result: { ok: true, value: 0 } }));
    assert.deepEqual(seqs, [1, 2]);
    assert.deepEqual(engines, []);
    c.close();
  });

  it('a stale socket (replaced after a close) is not listened to', () => {
    const c = createWsClient({ url: 'ws://h/ws', WebSocketImpl: FakeSocket });
    const seqs: number[] = [];
    c.on('delta', (d) => seqs.push(d.seq));
    const old = last();
    old.fire('open');
    old.fire('close');
    mock.timers.tick(500);
    old.fire('message', JSON.stringify({ type: 'event', event: 'delta', payload: { seq: 9 } }));
    assert.deepEqual(seqs, []);
    c.close();
  });

  it('a constructor that throws (bad URL) is retried, not thrown', () => {
    let n = 0;
    class Throwing extends FakeSocket {
      constructor(url: string) {
        super(url);
        if (n++ === 0) throw new SyntaxError('bad url');
      }
    }
    const c = createWsClient({ url: 'ws://h/ws', WebSocketImpl: Throwing });
    mock.timers.tick(500);
    assert.equal(n, 2);
    c.close();
  });

  it('without a WebSocket implementation it says so', () => {
    assert.throws(() => createWsClient({ url: 'ws://h/ws' }), /no WebSocket implementation/);
  });
});
