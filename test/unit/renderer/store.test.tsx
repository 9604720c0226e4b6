import './dom';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, mergeSamples } from '../../../renderer/state/store';
import { container, delta, fakeClient, manualFrames, proc, sample, snapshotOf, tick } from './fixtures';

const base = snapshotOf([proc(1, 0), proc(2, 1)]);

async function started(seq = 0) {
  const client = fakeClient(base, seq);
  const frames = manualFrames();
  const store = createStore(client, { schedule: frames.schedule, now: () => 1000, retryMs: 5 });
  let publishes = 0;
  store.subscribe(() => publishes++);
  store.start();
  await tick();
  frames.run();
  return { client, frames, store, publishes: () => publishes };
}

describe('store', () => {
  it('fetches the first snapshot and publishes it in a frame', async () => {
    const { store, client, publishes } = await started(5);
    assert.equal(store.getState().phase, 'ready');
    assert.equal(store.getState().data?.seq, 5);
    assert.equal(client.calls.filter((c) => c.channel === 'snapshot:get').length, 1);
    assert.equal(publishes(), 1);
  });

  it('folds the deltas of one frame into one update', async () => {
    const { store, client, frames, publishes } = await started(0);
    client.emit('delta', delta(1, { added: { processes: [proc(3, 1)], namespaces: [], containers: [] }, updated: { processes: [], namespaces: [], containers: [] } }));
    client.emit('delta', delta(2, { added: { processes: [proc(4, 1)], namespaces: [], containers: [] } }));
    client.emit('delta', delta(3, { removed: { processes: ['2:102'], namespaces: [], containers: [] } }));
    assert.equal(store.getState().data?.seq, 0, 'nothing is published before the frame');
    assert.equal(frames.pending(), 1, 'one frame requested for three deltas');
    frames.run();
    assert.equal(publishes(), 2);
    const s = store.getState();
    assert.equal(s.data?.seq, 3);
    assert.deepEqual(s.data?.snapshot.processes.map((p) => p.pid).sort((a, b) => a - b), [1, 3, 4]);
    assert.equal(s.updatedAt, 1000);
  });

  it('skips a stale delta', async () => {
    const { store, client, frames, publishes } = await started(4);
    client.emit('delta', delta(3, { added: { processes: [proc(9, 1)], namespaces: [], containers: [] } }));
    frames.run();
    assert.equal(store.getState().data?.seq, 4);
    assert.equal(publishes(), 1, 'no update for a stale delta');
  });

  it('fetches a snapshot again on a gap, then folds the deltas that follow it', async () => {
    const { store, client, frames } = await started(0);
    client.emit('delta', delta(1));
    client.emit('delta', delta(3)); // 2 was lost
    client.snapshot = () => ({ ok: true, value: { seq: 3, snapshot: snapshotOf([proc(1, 0), proc(7, 1)]), usage: {} } });
    frames.run();
    assert.equal(store.getState().data?.seq, 1);
    assert.equal(store.getState().resyncs, 1);
    assert.equal(client.calls.filter((c) => c.channel === 'snapshot:get').length, 2);
    client.emit('delta', delta(4, { added: { processes: [proc(8, 1)], namespaces: [], containers: [] } }));
    await tick();
    frames.run();
    const s = store.getState();
    assert.equal(s.data?.seq, 4, 'delta 3 is stale against the fresh snapshot; 4 follows it');
    assert.deepEqual(s.data?.snapshot.processes.map((p) => p.pid).sort((a, b) => a - b), [1, 7, 8]);
    assert.equal(s.resyncs, 1);
  });

  it('asks for one snapshot while a resync is in flight, however many gaps arrive', async () => {
    const { client, frames } = await started(0);
    client.emit('delta', delta(5));
    frames.run();
    client.emit('delta', delta(6));
    frames.run();
    assert.equal(client.calls.filter((c) => c.channel === 'snapshot:get').length, 2);
  });

  it('keeps a usage history per container from the deltas, and forgets removed containers', async () => {
    const c = container('a'.repeat(64), 'web', [1]);
    const { store, client, frames } = await started(0);
    client.emit('delta', delta(1, { usage: { [c.id]: sample(1000) } }));
    client.emit('delta', delta(2, { usage: { [c.id]: sample(2000) } }));
    frames.run();
    assert.deepEqual(store.getState().history[c.id]?.map((x) => x.t), [1000, 2000]);
    client.emit('delta', delta(3, { removed: { processes: [], namespaces: [], containers: [c.id] } }));
    frames.run();
    assert.equal(store.getState().history[c.id], undefined);
  });

  it('keeps the newest samples up to the limit, in time order, whatever order they come in', async () => {
    const id = 'c'.repeat(64);
    const client = fakeClient(base, 0);
    const frames = manualFrames();
    const store = createStore(client, { schedule: frames.schedule, now: () => 1000, historyLimit: 3 });
    store.start();
    await tick();
    frames.run();
    const ts = [1000, 2000, 3000, 2500, 4000, 4000, 5000];
    ts.forEach((t, i) => client.emit('delta', delta(i + 1, { usage: { [id]: sample(t) } })));
    frames.run();
    assert.deepEqual(store.getState().history[id]?.map((x) => x.t), [3000, 4000, 5000]);
    store.stop();
  });

  it('tops the history up from history:get', async () => {
    const id = 'b'.repeat(64);
    const { store, client, frames } = await started(0);
    client.emit('delta', delta(1, { usage: { [id]: sample(5000) } }));
    frames.run();
    client.history = () => ({ ok: true, value: [sample(3000), sample(4000), sample(5000)] });
    await store.loadHistory(id);
    frames.run();
    assert.deepEqual(store.getState().history[id]?.map((x) => x.t), [3000, 4000, 5000]);
    assert.deepEqual(client.calls.at(-1), { channel: 'history:get', args: [id] });
  });

  it('replaces the engines on an engines event', async () => {
    const { store, client, frames } = await started(0);
    client.emit('engines', [{ name: 'docker', available: false, endpoint: 'unix:///var/run/docker.sock', version: null, error: 'connect ENOENT' }]);
    frames.run();
    assert.equal(store.getState().data?.snapshot.engines[0]?.error, 'connect ENOENT');
  });

  it('reports a failed snapshot:get and retries', async () => {
    const client = fakeClient(base);
    client.snapshot = () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'not connected' } });
    const frames = manualFrames();
    const store = createStore(client, { schedule: frames.schedule, retryMs: 5 });
    store.start();
    await tick();
    frames.run();
    assert.equal(store.getState().phase, 'error');
    assert.equal(store.getState().error, 'not connected');
    client.snapshot = () => ({ ok: true, value: { seq: 0, snapshot: base, usage: {} } });
    await new Promise((r) => setTimeout(r, 20));
    frames.run();
    assert.equal(store.getState().phase, 'ready');
    assert.equal(store.getState().error, null);
    store.stop();
  });

  it('stop() unsubscribes from the client', async () => {
    const { store, client } = await started(0);
    assert.equal(client.listenerCount('delta'), 1);
    store.stop();
    assert.equal(client.listenerCount('delta'), 0);
  });
});

describe('mergeSamples', () => {
  const cases = [
    { name: 'appends newer samples', into: [1, 2], more: [3], limit: 10, want: [1, 2, 3] },
    { name: 'sorts older ones in', into: [3, 4], more: [1, 2], limit: 10, want: [1, 2, 3, 4] },
    { name: 'one sample per timestamp', into: [1, 2], more: [2, 3], limit: 10, want: [1, 2, 3] },
    { name: 'keeps the newest up to the limit', into: [1, 2, 3], more: [4, 5], limit: 3, want: [3, 4, 5] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(mergeSamples(c.into.map((t) => sample(t)), c.more.map((t) => sample(t)), c.limit).map((s) => s.t), c.want);
    });
  }
});
