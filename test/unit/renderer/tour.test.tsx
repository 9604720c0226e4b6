import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { App } from '../../../renderer/app/App';
import { parseHash } from '../../../renderer/app/routes';
import type { Route } from '../../../renderer/app/routes';
import { deriveModel } from '../../../renderer/state/derive';
import { START_COMMAND } from '../../../renderer/views/common/EmptyState';
import { isDistro, isScratch, SCRATCH_COMMAND, tourContainer, tourSteps } from '../../../renderer/views/tour/steps';
import { containerNamed, fakeClient, loadSnapshot, proc, snapshotOf, tick } from './fixtures';
import type { Snapshot } from '../../../shared/model';

afterEach(() => cleanup());

describe('tour steps', () => {
  it('five steps in the order of the lesson', () => {
    const steps = tourSteps(deriveModel(loadSnapshot('inside')));
    assert.deepEqual(steps.map((s) => s.id), ['process', 'namespaces', 'limits', 'confinement', 'no-os']);
  });

  it('no container running: every step says so and gives the command that starts one', () => {
    const steps = tourSteps(deriveModel(snapshotOf([proc(1, 0)])));
    for (const s of steps) {
      assert.equal(s.target, null, s.id);
      assert.equal(s.route, null, s.id);
      assert.ok(s.missing, s.id);
    }
    for (const s of steps.slice(0, 4)) assert.equal(s.missing?.command, START_COMMAND);
    assert.equal(START_COMMAND, 'docker run -d --network none --memory 64m isolens/busybox:test sleep 600');
    assert.equal(steps[4]?.missing?.command, SCRATCH_COMMAND);
  });

  it('points at the real objects: the init row, the matrix row, the charts, the confinement panel, hello beside debian', () => {
    const s = loadSnapshot('inside');
    const model = deriveModel(s);
    const c = tourContainer(model);
    assert.ok(c);
    const steps = tourSteps(model);
    const [p, ns, limits, conf, noOs] = steps;
    assert.equal(p?.target, `proc-${c.info.pid}`);
    assert.deepEqual(p?.route, { view: 'tree', containerId: null });
    assert.equal(p?.jumpTo, c.info.name);
    assert.match(p?.text ?? '', new RegExp(`host PID ${c.info.pid}`));
    assert.equal(ns?.target, `ns-row-${c.info.name}`);
    assert.deepEqual(limits?.route, { view: 'containers', containerId: c.info.id });
    assert.equal(limits?.target, 'detail-memory-chart');
    assert.equal(conf?.target, 'confinement-panel');
    // A static scratch container (demo-hello comes first by name, inside-hello would do as well) beside Debian.
    const hello = containerNamed(s, 'demo-hello');
    const debian = containerNamed(s, 'inside-debian');
    assert.deepEqual(noOs?.route, { view: 'compare', containerId: null, compare: [hello.id, debian.id] });
    assert.equal(noOs?.target, 'compare-inside');
    assert.equal(noOs?.missing, null);
  });

  it('follows the container the user selected, when it runs; it takes its side in step 5', () => {
    const s = loadSnapshot('inside');
    const model = deriveModel(s);
    const busybox = containerNamed(s, 'inside-busybox');
    const steps = tourSteps(model, busybox.id);
    assert.equal(steps[0]?.target, `proc-${busybox.pid}`);
    assert.equal(steps[1]?.target, 'ns-row-inside-busybox');
    assert.deepEqual(steps[4]?.route?.compare?.[1], busybox.id);
    assert.equal(tourContainer(model, 'gone')?.info.id, tourContainer(model)?.info.id, 'an unknown id: the usual choice');
  });

  it('scratch and distro are told apart by what the root filesystem holds', () => {
    const model = deriveModel(loadSnapshot('inside'));
    const by = (n: string) => model.containers.find((c) => c.info.name === n);
    for (const n of ['inside-hello', 'inside-dynamic', 'demo-hello']) assert.equal(isScratch(by(n) as NonNullable<ReturnType<typeof by>>), true, n);
    for (const n of ['inside-busybox', 'inside-debian']) {
      assert.equal(isScratch(by(n) as NonNullable<ReturnType<typeof by>>), false, n);
      assert.equal(isDistro(by(n) as NonNullable<ReturnType<typeof by>>), true, n);
    }
  });

  it('a busybox but no scratch container: step 5 gives the command that starts one', () => {
    const s = loadSnapshot('demo');
    const steps = tourSteps(deriveModel(s));
    assert.equal(steps[0]?.missing, null);
    assert.equal(steps[4]?.missing?.command, SCRATCH_COMMAND);
    assert.equal(steps[4]?.route, null);
  });

  it('a scratch container but no distro one: step 5 gives the busybox command', () => {
    const s = loadSnapshot('inside');
    const only: Snapshot = { ...s, containers: s.containers.filter((c) => c.name === 'inside-hello') };
    const steps = tourSteps(deriveModel(only));
    assert.equal(steps[4]?.missing?.command, START_COMMAND);
  });
});

describe('the tour in the App, by keyboard', () => {
  async function renderApp(s: Snapshot): Promise<Route[]> {
    const routes: Route[] = [];
    const storeOptions = { schedule: (f: () => void) => void Promise.resolve().then(() => act(f)) };
    render(<App client={fakeClient(s)} storeOptions={storeOptions} initialRoute={parseHash('#tree')} onRouteChange={(r) => routes.push(r)} treeFallbackHeight={6000} />);
    await act(async () => {
      await tick();
      await tick();
    });
    return routes;
  }
  const key = async (k: string): Promise<void> => {
    await act(async () => {
      fireEvent.keyDown(document.activeElement ?? document.body, { key: k });
      await tick();
    });
  };

  it('t starts it; → walks through the five steps, each taking the UI to its object; ← goes back; Esc closes', async () => {
    const s = loadSnapshot('inside');
    const routes = await renderApp(s);
    await key('t');
    const panel = screen.getByTestId('tour-panel');
    assert.equal(panel.dataset.step, 'process');
    assert.match(screen.getByTestId('tour-step').textContent ?? '', /Step 1 of 5/);
    assert.equal(document.activeElement, screen.getByTestId('tour-next'), 'the focus is on Next');
    await key('ArrowRight');
    assert.equal(screen.getByTestId('tour-panel').dataset.step, 'namespaces');
    assert.equal(routes.at(-1)?.view, 'namespaces');
    await key('ArrowRight');
    assert.equal(routes.at(-1)?.view, 'containers');
    assert.ok(screen.getByTestId('detail-memory-chart'));
    await key('ArrowRight');
    assert.equal(screen.getByTestId('tour-panel').dataset.step, 'confinement');
    await key('ArrowRight');
    assert.equal(screen.getByTestId('tour-panel').dataset.step, 'no-os');
    assert.equal(routes.at(-1)?.view, 'compare');
    assert.ok(screen.getByTestId('compare-inside'));
    await key('ArrowLeft');
    assert.equal(screen.getByTestId('tour-panel').dataset.step, 'confinement');
    await key('Escape');
    assert.equal(screen.queryByTestId('tour-panel'), null);
  });

  it('with nothing running, the first step shows the command to run', async () => {
    await renderApp(snapshotOf([proc(1, 0)]));
    fireEvent.click(screen.getByTestId('tour-start'));
    assert.equal(screen.getByTestId('tour-missing-command').textContent, START_COMMAND);
    fireEvent.click(screen.getByTestId('tour-close'));
    assert.equal(screen.queryByTestId('tour-panel'), null);
  });
});
