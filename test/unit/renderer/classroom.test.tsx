import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { App } from '../../../renderer/app/App';
import { shortcutFor } from '../../../renderer/app/keyboard';
import type { KeyContext, KeyPress } from '../../../renderer/app/keyboard';
import { parseHash } from '../../../renderer/app/routes';
import type { Route } from '../../../renderer/app/routes';
import { PALETTE } from '../../../renderer/state/colors';
import {
  CLASSROOM_COLOURS, deltaE76, MIN_DISTINGUISHABLE_DELTA_E, MACHADO_PROTANOPIA, pairDistances, parseHex, simulate, toLab,
} from '../../../renderer/views/classroom/colour-vision';
import { containerNamed, fakeClient, loadSnapshot, tick } from './fixtures';

afterEach(() => cleanup());

describe('deuteranopia simulation (Machado et al. 2009)', () => {
  it('keeps white white and black black', () => {
    assert.deepEqual(simulate([255, 255, 255]).map(Math.round), [255, 255, 255]);
    assert.deepEqual(simulate([0, 0, 0]).map(Math.round), [0, 0, 0]);
  });
  it('turns pure red into a dark yellow-brown', () => {
    const [r, g, b] = simulate(parseHex('#FF0000')).map(Math.round);
    assert.ok(Math.abs((r ?? 0) - 163) <= 2 && Math.abs((g ?? 0) - 144) <= 2 && (b ?? 99) <= 2, `got ${r} ${g} ${b}`);
  });
  it('ΔE: identical colours are 0 apart, black and white 100', () => {
    assert.equal(deltaE76(toLab([10, 20, 30]), toLab([10, 20, 30])), 0);
    assert.ok(Math.abs(deltaE76(toLab([0, 0, 0]), toLab([255, 255, 255])) - 100) < 0.01);
  });
  it('a red and an olive far apart for most viewers collapse under deuteranopia (the check can fail)', () => {
    const normal = deltaE76(toLab(parseHex('#C00000')), toLab(parseHex('#707000')));
    const [d] = pairDistances(['#C00000', '#707000']);
    assert.ok(normal > 50, `normal vision: ${normal}`);
    assert.ok(d && d.deltaE < MIN_DISTINGUISHABLE_DELTA_E, `deuteranopia: ${d?.deltaE}`);
  });
  it('every pair of container colours (and the host grey) stays distinguishable under deuteranopia', () => {
    assert.ok(CLASSROOM_COLOURS.length >= PALETTE.length);
    for (const p of pairDistances(CLASSROOM_COLOURS)) {
      assert.ok(p.deltaE > MIN_DISTINGUISHABLE_DELTA_E, `${p.a} and ${p.b}: ΔE ${p.deltaE.toFixed(1)} after simulation`);
    }
  });
  it('and under protanopia', () => {
    for (const p of pairDistances(CLASSROOM_COLOURS, MACHADO_PROTANOPIA)) assert.ok(p.deltaE > MIN_DISTINGUISHABLE_DELTA_E, `${p.a} ${p.b} ${p.deltaE}`);
  });
  it('refuses what is not a colour', () => {
    assert.throws(() => parseHex('red'), /not a #RRGGBB/);
    assert.deepEqual(parseHex('#fff'), [255, 255, 255]);
  });
});

describe('the key map', () => {
  const ctx: KeyContext = { tourOpen: false, helpOpen: false, recording: false, view: 'tree' };
  const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, defaultPrevented: false, focus: 'other', ...over });
  const cases: { name: string; p: KeyPress; c?: Partial<KeyContext>; want: ReturnType<typeof shortcutFor> }[] = [
    { name: '↓ moves to the next row', p: press('ArrowDown'), want: { kind: 'row-move', to: 'next' } },
    { name: 'Enter on a row opens it', p: press('Enter', { focus: 'row' }), want: { kind: 'row-open' } },
    { name: 'Enter on a button is the button\'s', p: press('Enter', { focus: 'button' }), want: null },
    { name: 'Esc goes back', p: press('Escape'), want: { kind: 'back' } },
    { name: 'Esc in the search box leaves it', p: press('Escape', { focus: 'text' }), want: { kind: 'blur' } },
    { name: '/ focuses the search', p: press('/'), want: { kind: 'search' } },
    { name: 'typing / in a field is typing', p: press('/', { focus: 'text' }), want: null },
    { name: '↓ in the search box goes to the rows', p: press('ArrowDown', { focus: 'search' }), want: { kind: 'row-move', to: 'first' } },
    { name: 'Enter in the search box too', p: press('Enter', { focus: 'search' }), want: { kind: 'row-move', to: 'first' } },
    { name: 'Esc in the search box leaves it', p: press('Escape', { focus: 'search' }), want: { kind: 'blur' } },
    { name: 'typing t in the search box is typing', p: press('t', { focus: 'search' }), want: null },
    { name: 'c compares', p: press('c'), want: { kind: 'compare' } },
    { name: 'c already handled by the row', p: press('c', { defaultPrevented: true }), want: null },
    { name: 'ctrl+c is copy', p: press('c', { ctrlKey: true }), want: null },
    { name: '2 is the namespaces', p: press('2'), want: { kind: 'view', view: 'namespaces' } },
    { name: 't starts the tour', p: press('t'), want: { kind: 'tour' } },
    { name: '→ in the tour is next', p: press('ArrowRight', { focus: 'button' }), c: { tourOpen: true }, want: { kind: 'tour-next' } },
    { name: '← in the tour is back', p: press('ArrowLeft'), c: { tourOpen: true }, want: { kind: 'tour-back' } },
    { name: 'Esc in the tour closes it', p: press('Escape'), c: { tourOpen: true }, want: { kind: 'tour-close' } },
    { name: '→ on a slider is the slider\'s', p: press('ArrowRight', { focus: 'control' }), c: { tourOpen: true }, want: null },
    { name: 'space plays a recording', p: press(' '), c: { recording: true }, want: { kind: 'play-pause' } },
    { name: 'space live does nothing', p: press(' '), want: null },
    { name: '] seeks forward', p: press(']'), c: { recording: true }, want: { kind: 'seek-by', ms: 5000 } },
    { name: '? opens the help', p: press('?', { shiftKey: true }), want: { kind: 'help' } },
    { name: 'Esc closes the help first', p: press('Escape'), c: { helpOpen: true, tourOpen: true }, want: { kind: 'help-close' } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(shortcutFor(c.p, { ...ctx, ...c.c }), c.want));
});

describe('classroom mode and the keyboard in the App', () => {
  const s = loadSnapshot('confinement');

  async function renderApp(hash: string, over: { initialClassroom?: boolean } = {}): Promise<Route[]> {
    const routes: Route[] = [];
    const storeOptions = { schedule: (f: () => void) => void Promise.resolve().then(() => act(f)) };
    render(
      <App
        client={fakeClient(s)}
        storeOptions={storeOptions}
        initialRoute={parseHash(hash)}
        onRouteChange={(r) => routes.push(r)}
        treeFallbackHeight={6000}
        initialClassroom={over.initialClassroom}
      />,
    );
    await act(async () => {
      await tick();
      await tick();
    });
    return routes;
  }
  const key = (k: string, target: Element = document.activeElement ?? document.body): void => {
    act(() => {
      fireEvent.keyDown(target, { key: k });
    });
  };

  it('the header toggle turns classroom mode on and off (a root class and the pointer highlight)', async () => {
    await renderApp('#tree');
    const toggle = screen.getByTestId('classroom-toggle');
    assert.equal(toggle.getAttribute('aria-pressed'), 'false');
    assert.equal(document.documentElement.classList.contains('classroom'), false);
    assert.equal(screen.queryByTestId('pointer-highlight'), null);
    fireEvent.click(toggle);
    assert.equal(toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(document.documentElement.classList.contains('classroom'), true);
    assert.ok(screen.getByTestId('pointer-highlight'));
    fireEvent.click(toggle);
    assert.equal(document.documentElement.classList.contains('classroom'), false);
  });

  it('?classroom=1 starts in classroom mode', async () => {
    await renderApp('#tree', { initialClassroom: true });
    assert.equal(document.documentElement.classList.contains('classroom'), true);
    cleanup();
    assert.equal(document.documentElement.classList.contains('classroom'), false, 'unmounting takes the class away');
  });

  it('↓ focuses the first row, ↓ again the next; Enter on a container\'s process opens the container; Esc comes back', async () => {
    const routes = await renderApp('#tree');
    key('ArrowDown', document.body);
    const first = document.activeElement as HTMLElement;
    assert.equal(first.getAttribute('role'), 'treeitem');
    key('ArrowDown');
    const second = document.activeElement as HTMLElement;
    assert.notEqual(second, first);
    assert.equal(second.getAttribute('role'), 'treeitem');
    key('ArrowUp');
    assert.equal(document.activeElement, first);

    const c = containerNamed(s, 'cf-capadd');
    act(() => screen.getByTestId(`proc-${c.pid}`).focus());
    key('Enter');
    assert.deepEqual(routes.at(-1), { view: 'containers', containerId: c.id });
    assert.ok(screen.getByTestId('container-detail'));
    key('Escape', document.body);
    assert.deepEqual(routes.at(-1), { view: 'tree', containerId: null });
  });

  it('Enter on a container header opens it; → and ← fold a process', async () => {
    const routes = await renderApp('#tree');
    const header = screen.getByTestId('container-cf-user');
    act(() => header.focus());
    key('Enter');
    assert.equal(routes.at(-1)?.containerId, containerNamed(s, 'cf-user').id);
    key('1', document.body);
    const parent = document.querySelector<HTMLElement>('[role="treeitem"][aria-expanded="true"]');
    assert.ok(parent);
    act(() => parent.focus());
    key('ArrowLeft');
    assert.equal(parent.getAttribute('aria-expanded'), 'false');
    key('ArrowRight');
    assert.equal(parent.getAttribute('aria-expanded'), 'true');
  });

  it('/ focuses the search box, from any view', async () => {
    await renderApp('#status');
    key('/', document.body);
    await act(async () => {
      await tick();
    });
    assert.equal((document.activeElement as HTMLInputElement).type, 'search');
    key('Escape');
    assert.notEqual((document.activeElement as HTMLElement).tagName, 'INPUT');
  });

  it('number keys switch views; c with two rows picked opens the comparison; ? lists the keys', async () => {
    const routes = await renderApp('#tree');
    key('2', document.body);
    assert.ok(screen.getByTestId('ns-matrix'));
    key('3', document.body);
    assert.ok(screen.getByTestId(`container-card-cf-default`));
    key('2', document.body);
    act(() => screen.getByTestId('ns-row-cf-default').focus());
    key('c');
    act(() => screen.getByTestId('ns-row-cf-hostpid').focus());
    key('c');
    act(() => (document.activeElement as HTMLElement).blur());
    key('c', document.body);
    assert.equal(routes.at(-1)?.view, 'compare');
    key('?', document.body);
    assert.ok(screen.getByTestId('shortcuts-help'));
    key('Escape');
    assert.equal(screen.queryByTestId('shortcuts-help'), null);
  });

  it('arrows move between the matrix rows and the container cards too', async () => {
    await renderApp('#namespaces');
    key('ArrowDown', document.body);
    assert.equal(document.activeElement?.getAttribute('data-testid'), 'ns-row-host');
    key('ArrowDown');
    assert.match(document.activeElement?.getAttribute('data-testid') ?? '', /^ns-row-/);
    key('3', document.body);
    key('ArrowDown', document.body);
    assert.match(document.activeElement?.getAttribute('data-testid') ?? '', /^container-card-/);
  });
});
