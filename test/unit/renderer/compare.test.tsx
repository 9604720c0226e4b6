import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { App } from '../../../renderer/app/App';
import { parseHash, routeHash } from '../../../renderer/app/routes';
import type { Route } from '../../../renderer/app/routes';
import { deriveModel } from '../../../renderer/state/derive';
import { CompareView, splitVerdict } from '../../../renderer/views/compare/CompareView';
import { HOST_REF, pidRef, refLabel, refPid, subjectOf, togglePick } from '../../../renderer/views/compare/refs';
import { containerNamed, fakeClient, loadSnapshot, tick } from './fixtures';

afterEach(() => cleanup());

const s = loadSnapshot('confinement');
const model = deriveModel(s);
const def = containerNamed(s, 'cf-default');
const hostpid = containerNamed(s, 'cf-hostpid');

/** Renders the App on the recorded confinement snapshot, frames flushed inside act(). */
async function renderApp(hash: string): Promise<Route[]> {
  const routes: Route[] = [];
  const storeOptions = { schedule: (f: () => void) => void Promise.resolve().then(() => act(f)) };
  render(
    <App client={fakeClient(s)} storeOptions={storeOptions} initialRoute={parseHash(hash)} onRouteChange={(r) => routes.push(r)} treeFallbackHeight={6000} />,
  );
  await act(async () => {
    await tick();
    await tick();
  });
  return routes;
}

describe('compare routes', () => {
  const cases: { name: string; hash: string; want: Route }[] = [
    { name: 'two containers', hash: '#compare/abc/def', want: { view: 'compare', containerId: null, compare: ['abc', 'def'] } },
    { name: 'a container and a process', hash: '#compare/abc/pid%3A42', want: { view: 'compare', containerId: null, compare: ['abc', 'pid:42'] } },
    { name: 'the host', hash: '#compare/host/pid:7', want: { view: 'compare', containerId: null, compare: ['host', 'pid:7'] } },
    { name: 'none picked', hash: '#compare', want: { view: 'compare', containerId: null } },
    { name: 'one only', hash: '#compare/abc', want: { view: 'compare', containerId: null } },
    { name: 'three', hash: '#compare/a/b/c', want: { view: 'compare', containerId: null } },
    { name: 'an empty one', hash: '#compare/a/', want: { view: 'compare', containerId: null } },
    { name: 'bad escape', hash: '#compare/%E0%A4%A/b', want: { view: 'compare', containerId: null } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(parseHash(c.hash), c.want));
  it('round-trips, ids with slashes too', () => {
    const r: Route = { view: 'compare', containerId: null, compare: ['ns:mnt:1/2', 'pid:9'] };
    assert.equal(routeHash(r), '#compare/ns%3Amnt%3A1%2F2/pid%3A9');
    assert.deepEqual(parseHash(routeHash(r)), r);
  });
});

describe('compare refs', () => {
  it('pid refs', () => {
    assert.equal(pidRef(12), 'pid:12');
    assert.equal(refPid('pid:12'), 12);
    assert.equal(refPid('pid:0'), null);
    assert.equal(refPid('pid:x'), null);
    assert.equal(refPid(def.id), null);
  });
  it('picks: toggle, at most two, the newest kept', () => {
    assert.deepEqual(togglePick([], 'a'), ['a']);
    assert.deepEqual(togglePick(['a'], 'b'), ['a', 'b']);
    assert.deepEqual(togglePick(['a', 'b'], 'a'), ['b']);
    assert.deepEqual(togglePick(['a', 'b'], 'c'), ['b', 'c']);
  });
  it('labels', () => {
    assert.equal(refLabel(model, def.id), 'cf-default');
    assert.equal(refLabel(model, pidRef(def.pid ?? 0)), `pid ${def.pid} (sleep)`);
    assert.equal(refLabel(model, 'pid:999999'), 'pid 999999 (gone)');
    assert.match(refLabel(model, HOST_REF), /^the host/);
  });
  it('a container init as a process carries its container\'s security; a host process none', () => {
    const init = subjectOf(s, model, pidRef(def.pid ?? 0));
    assert.equal(init?.kind, 'process');
    assert.equal(init?.containerName, 'cf-default');
    assert.deepEqual(init?.security, def.security);
    const dockerd = s.processes.find((p) => p.comm === 'dockerd');
    assert.ok(dockerd);
    const d = subjectOf(s, model, pidRef(dockerd.pid));
    assert.equal(d?.security, null);
    assert.equal(d?.limits, null);
    assert.equal(subjectOf(s, model, 'nope'), null);
  });
  it('splits the verdict after its first sentence', () => {
    assert.deepEqual(splitVerdict('A sees B. Rest here. More.'), ['A sees B.', 'Rest here. More.']);
    assert.deepEqual(splitVerdict('One sentence.'), ['One sentence.', '']);
  });
});

describe('picking two rows and comparing them', () => {
  it('tree: container headers picked with the compare toggle; the tray opens the comparison; the verdict names the pid namespace', async () => {
    const routes = await renderApp('#tree');
    assert.equal(screen.queryByTestId('compare-tray'), null);
    fireEvent.click(screen.getByTestId('pick-container-cf-default'));
    assert.match(screen.getByTestId('compare-tray').textContent ?? '', /cf-default/);
    assert.equal(screen.queryByTestId('compare-open'), null, 'one pick: no compare button yet');
    fireEvent.click(screen.getByTestId('pick-container-cf-hostpid'));
    assert.equal(screen.getByTestId('pick-container-cf-default').dataset.slot, 'A');
    assert.equal(screen.getByTestId('pick-container-cf-hostpid').dataset.slot, 'B');
    const open = screen.getByTestId('compare-open');
    assert.equal(open.textContent, 'cf-default vs cf-hostpid — Compare');
    fireEvent.click(open);

    assert.ok(screen.getByTestId('compare-view'));
    const verdict = screen.getByTestId('compare-verdict').textContent ?? '';
    assert.match(verdict, /^cf-hostpid shares the host's pid namespace: it sees every process on the host, cf-default's included/);
    assert.equal(screen.getByTestId('compare-ns-pid').dataset.relation, 'b-host');
    assert.equal(screen.getByTestId('compare-ns-net').dataset.relation, 'separate');
    assert.equal(screen.getByTestId('compare-ns-user').dataset.relation, 'both-host');
    assert.match(screen.getByTestId('compare-ns-pid').textContent ?? '', /B's is the host's/);
    assert.equal(screen.getByTestId('compare-row-seccomp').dataset.same, 'true');
    assert.deepEqual(routes.at(-1), { view: 'compare', containerId: null, compare: [def.id, hostpid.id] });
    assert.equal(routeHash(routes.at(-1) as Route), `#compare/${def.id}/${hostpid.id}`);
    assert.equal(screen.queryByTestId('compare-tray'), null, 'no tray over the comparison');

    fireEvent.click(screen.getByTestId('compare-swap'));
    assert.match(screen.getByTestId('compare-verdict').textContent ?? '', /^cf-hostpid shares the host's pid namespace/);
    assert.equal(screen.getByTestId('compare-ns-pid').dataset.relation, 'a-host');
  });

  it('keyboard: c on the focused row picks it, c again unpicks it', async () => {
    await renderApp('#tree');
    const row = screen.getByTestId(`proc-${def.pid}`);
    row.focus();
    fireEvent.keyDown(row, { key: 'c' });
    assert.match(screen.getByTestId('compare-tray').textContent ?? '', new RegExp(`pid ${def.pid} \\(sleep\\)`));
    assert.equal(screen.getByTestId(`pick-proc-${def.pid}`).getAttribute('aria-pressed'), 'true');
    fireEvent.keyDown(row, { key: 'c', ctrlKey: true });
    assert.ok(screen.getByTestId('compare-tray'), 'ctrl+c is not the shortcut');
    fireEvent.keyDown(row, { key: 'c' });
    assert.equal(screen.queryByTestId('compare-tray'), null);
  });

  it('a process and a container header: the process side carries its container init\'s security', async () => {
    await renderApp('#tree');
    fireEvent.keyDown(screen.getByTestId(`proc-${def.pid}`), { key: 'c' });
    fireEvent.keyDown(screen.getByTestId('container-cf-hostpid'), { key: 'c' });
    fireEvent.click(screen.getByTestId('compare-open'));
    assert.match(screen.getByTestId('compare-verdict').textContent ?? '', new RegExp(`^cf-hostpid shares the host's pid namespace: it sees every process on the host, pid ${def.pid} \\(sleep\\)'s included`));
    assert.match(screen.getByTestId('compare-row-capabilities-effective').textContent ?? '', /14.*14.*same/);
  });

  it('namespace matrix rows, the host\'s included', async () => {
    await renderApp('#namespaces');
    fireEvent.click(screen.getByTestId('pick-ns-host'));
    fireEvent.keyDown(screen.getByTestId('ns-row-cf-hostpid'), { key: 'c' });
    fireEvent.click(screen.getByTestId('compare-open'));
    assert.equal(screen.getByTestId('compare-ns-pid').dataset.relation, 'both-host');
    assert.equal(screen.getByTestId('compare-ns-net').dataset.relation, 'a-host');
    assert.match(screen.getByTestId('compare-verdict').textContent ?? '', /are both in the host's pid namespace: each sees every process on the host/);
  });

  it('opened from the URL, and when a subject is gone', async () => {
    await renderApp(`#compare/${def.id}/${containerNamed(s, 'cf-capadd').id}`);
    assert.match(screen.getByTestId('compare-verdict').textContent ?? '', /separate pid namespaces: neither sees the other's processes/);
    assert.match(screen.getByTestId('compare-caps-eff-onlyB').textContent ?? '', /NET_ADMIN.*SYS_PTRACE|SYS_PTRACE.*NET_ADMIN/);
    cleanup();
    render(<CompareView snapshot={s} model={model} refs={[def.id, 'pid:999999']} onOpenContainer={() => undefined} onSwap={() => undefined} onBack={() => undefined} />);
    assert.match(screen.getByTestId('compare-gone').textContent ?? '', /pid 999999 \(gone\)/);
    cleanup();
    render(<CompareView snapshot={s} model={model} refs={undefined} onOpenContainer={() => undefined} onSwap={() => undefined} onBack={() => undefined} />);
    assert.match(screen.getByTestId('compare-empty').textContent ?? '', /Pick two rows to compare/);
  });
});
