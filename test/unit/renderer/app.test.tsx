import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { App } from '../../../renderer/app/App';
import { parseHash, routeHash } from '../../../renderer/app/routes';
import { START_COMMAND } from '../../../renderer/views/common/EmptyState';
import { createStore } from '../../../renderer/state/store';
import { container, containerNamed, delta, fakeClient, loadSnapshot, proc, snapshotOf, tick } from './fixtures';

afterEach(() => cleanup());

/** Renders the App with frames flushed synchronously inside act(). */
async function renderApp(client: ReturnType<typeof fakeClient>, hash = '#tree') {
  const storeOptions = { schedule: (f: () => void) => void Promise.resolve().then(() => act(f)) };
  render(<App client={client} storeOptions={storeOptions} initialRoute={parseHash(hash)} treeFallbackHeight={4000} />);
  await act(async () => {
    await tick();
    await tick();
  });
}

describe('App', () => {
  it('loads the snapshot and shows the process tree', async () => {
    const s = loadSnapshot('demo');
    await renderApp(fakeClient(s));
    assert.ok(screen.getByTestId('container-isolens-demo-web'));
    assert.equal(screen.queryByTestId('empty-containers'), null);
  });

  it('uses a store started before it mounted: the snapshot was asked for once, before the first frame', async () => {
    const s = loadSnapshot('demo');
    const client = fakeClient(s);
    const schedule = (f: () => void): void => void Promise.resolve().then(() => act(f));
    const store = createStore(client, { schedule });
    store.start();
    assert.deepEqual(client.calls.map((c) => c.channel), ['snapshot:get'], 'asked before React renders anything');
    render(<App client={client} initialStore={store} initialRoute={parseHash('#tree')} treeFallbackHeight={4000} />);
    await act(async () => {
      await tick();
      await tick();
    });
    assert.ok(screen.getByTestId('container-isolens-demo-web'));
    assert.equal(client.calls.filter((c) => c.channel === 'snapshot:get').length, 1, 'not asked again by the App');
  });

  it('with no container running: says so and shows the command that starts one', async () => {
    await renderApp(fakeClient(snapshotOf([proc(1, 0)])), '#containers');
    const empty = screen.getByTestId('empty-containers');
    assert.match(empty.textContent ?? '', /No container is running/);
    assert.ok(empty.textContent?.includes(START_COMMAND));
    assert.equal(START_COMMAND, 'docker run -d --network none --memory 64m isolens/busybox:test sleep 600');
  });

  it('a container appears when a delta adds it', async () => {
    const client = fakeClient(snapshotOf([proc(1, 0)]));
    await renderApp(client);
    assert.ok(screen.getByTestId('empty-containers'));
    const id = 'd'.repeat(64);
    await act(async () => {
      client.emit('delta', delta(1, { added: { processes: [proc(7, 1, { containerId: id, nspid: [7, 1] })], namespaces: [], containers: [container(id, 'fresh', [7])] } }));
      await tick();
    });
    assert.ok(screen.getByTestId('container-fresh'));
    assert.equal(screen.queryByTestId('empty-containers'), null);
  });

  it('clicking a container opens its detail and fetches its history', async () => {
    const s = loadSnapshot('demo');
    const client = fakeClient(s);
    await renderApp(client);
    fireEvent.click(screen.getByTestId('container-isolens-demo-web').querySelector('button') as HTMLElement);
    await act(async () => {
      await tick();
    });
    assert.match(screen.getByTestId('detail-pid-sentence').textContent ?? '', /= PID 1 inside/);
    const web = containerNamed(s, 'isolens-demo-web');
    assert.ok(client.calls.some((c) => c.channel === 'history:get' && c.args[0] === web.id));
  });

  it('navigates between the views', async () => {
    await renderApp(fakeClient(loadSnapshot('demo')));
    fireEvent.click(screen.getByTestId('tab-namespaces'));
    assert.ok(screen.getByTestId('ns-matrix'));
    fireEvent.click(screen.getByTestId('tab-status'));
    assert.match(screen.getByTestId('engine-docker').textContent ?? '', /connected/);
    fireEvent.click(screen.getByTestId('tab-containers'));
    assert.ok(screen.getByTestId('container-card-isolens-demo-web'));
  });

  it('shows why the snapshot could not be had', async () => {
    const client = fakeClient(snapshotOf([]));
    client.snapshot = () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'not connected to the isolens server' } });
    await renderApp(client);
    assert.match(screen.getByTestId('load-error').textContent ?? '', /not connected to the isolens server/);
  });
});

describe('routes', () => {
  const cases = [
    { name: 'a view', hash: '#namespaces', want: { view: 'namespaces', containerId: null } },
    { name: 'a container', hash: '#container/abc%2Fd', want: { view: 'containers', containerId: 'abc/d' } },
    { name: 'unknown is the tree', hash: '#nope', want: { view: 'tree', containerId: null } },
    { name: 'empty is the tree', hash: '', want: { view: 'tree', containerId: null } },
    { name: 'bad escape', hash: '#container/%E0%A4%A', want: { view: 'containers', containerId: null } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(parseHash(c.hash), c.want);
    });
  }
  it('round-trips', () => {
    for (const r of [{ view: 'status', containerId: null }, { view: 'containers', containerId: 'x y' }] as const) assert.deepEqual(parseHash(routeHash(r)), r);
  });
});
