import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { InvokeChannel, IsolensClient, Result, WireError } from '../../../shared/contract';
import type { ContainerInfo } from '../../../shared/model';
import type { LayerAnalysis } from '../../../shared/rootfs';
import { deriveModel } from '../../../renderer/state/derive';
import { ContainerDetail } from '../../../renderer/views/containers/ContainerDetail';
import { efficiencyGrade, formatEfficiency, layerAnalysisErrorText, shortenIds } from '../../../renderer/views/inside/LayerAnalysis';
import { displayPath, laterFates, unlistedChanges } from '../../../renderer/views/inside/LayerAnalysisLayer';
import { InsidePanel } from '../../../renderer/views/inside/InsidePanel';
import { IsolensClientContext } from '../../../renderer/views/process/client';
import { containerNamed, fakeClient, loadSnapshot, tick } from './fixtures';

afterEach(() => cleanup());

// test/fixtures/renderer/layer-analysis-*.json: analyzeImageLayers (electron/collector/engines/docker-image.ts)
// run against dockerd 20.10 on the development VM. `wasteful` is isolens/busybox:test plus four
// layers made with `docker run --network none … sh -c …` + `docker commit`: unpack an app with a
// 6 MiB build tarball; remove the tarball, /bin/wget and /bin/ftpget, rewrite app.conf; rewrite
// data.bin (1 → 1.5 MiB) and add a 3 MiB cache; chmod the 2 MiB server (copied up) and remove the cache.
function analysis(name: string): LayerAnalysis {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'renderer', `layer-analysis-${name}.json`), 'utf8')) as LayerAnalysis;
}
const wasteful = analysis('wasteful');
const debian = analysis('debian');

const s = loadSnapshot('inside');
const model = deriveModel(s);
const busybox = containerNamed(s, 'inside-busybox');

/** A promise the test settles. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A client answering 'image:analyze' with `answer` (and the rest like fixtures.fakeClient); records the calls. */
function analyzeClient(answer: (id: string) => Promise<Result<LayerAnalysis>>): IsolensClient & { calls: { channel: InvokeChannel; args: readonly unknown[] }[] } {
  const base = fakeClient(s);
  const client = {
    calls: [] as { channel: InvokeChannel; args: readonly unknown[] }[],
    on: base.on,
    invoke: ((channel: InvokeChannel, ...args: unknown[]) => {
      client.calls.push({ channel, args });
      if (channel === 'image:analyze') return answer(String(args[0]));
      return (base.invoke as (c: InvokeChannel, ...a: unknown[]) => Promise<unknown>)(channel, ...args);
    }) as IsolensClient['invoke'],
  };
  return client;
}

const withClient = (client: IsolensClient, node: ReactNode): void => void render(<IsolensClientContext.Provider value={client}>{node}</IsolensClientContext.Provider>);
const ok = (a: LayerAnalysis): Promise<Result<LayerAnalysis>> => Promise.resolve({ ok: true, value: a });
const fail = (error: WireError): Promise<Result<LayerAnalysis>> => Promise.resolve({ ok: false, error });
const text = (id: string): string => screen.getByTestId(id).textContent ?? '';

async function clickAnalyse(): Promise<void> {
  await act(async () => {
    fireEvent.click(screen.getByTestId('layer-analysis-button'));
    await tick();
  });
}

describe('formatEfficiency (dive\'s image efficiency)', () => {
  const cases: readonly { name: string; e: number; want: string }[] = [
    { name: 'no waste', e: 1, want: '100 %' },
    { name: 'a little waste never reads 100 %', e: 0.99996, want: '99.9 %' },
    { name: 'the wasteful fixture', e: wasteful.efficiency, want: '35.3 %' },
    { name: 'all wasted', e: 0, want: '0.0 %' },
    { name: 'not a number', e: Number.NaN, want: '—' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(formatEfficiency(c.e), c.want));

  it('grades: good from 95 %, fair from 90 %, else poor', () => {
    assert.deepEqual([1, 0.95, 0.94, 0.9, 0.89, wasteful.efficiency].map(efficiencyGrade), ['good', 'good', 'fair', 'fair', 'poor', 'poor']);
  });
});

describe('layer analysis facts', () => {
  it('marks each listed file a later layer overwrites or removes, with that layer', () => {
    const fates = laterFates(wasteful);
    assert.deepEqual(fates.get('1\0tmp/build/app-src.tar'), { kind: 'removed', layer: 2 });
    assert.deepEqual(fates.get('1\0opt/app/bin/server'), { kind: 'overwritten', layer: 4 });
    assert.deepEqual(fates.get('1\0opt/app/share/data.bin'), { kind: 'overwritten', layer: 3 });
    assert.deepEqual(fates.get('3\0var/cache/app/index.db'), { kind: 'removed', layer: 4 });
    assert.deepEqual(fates.get('1\0etc/app/app.conf'), { kind: 'overwritten', layer: 2 });
    assert.equal(fates.get('4\0opt/app/bin/server'), undefined, 'the top layer\u2019s copy is the one visible');
    assert.equal(fates.get('3\0opt/app/share/data.bin'), undefined);
    assert.equal(fates.get('0\0bin/busybox'), undefined);
  });

  it('a removed directory removes what is under it', () => {
    const fates = laterFates({
      layers: [
        { index: 0, source: 'a/layer.tar', diffId: null, createdBy: null, added: 1, changed: 0, removed: 0, bytes: 5, changes: [{ path: 'tmp/x/f', kind: 'added', size: 5 }], changesTruncated: false },
        { index: 1, source: 'b/layer.tar', diffId: null, createdBy: null, added: 0, changed: 0, removed: 1, bytes: 0, changes: [{ path: 'tmp/x', kind: 'removed', size: 5 }], changesTruncated: false },
      ],
    });
    assert.deepEqual(fates.get('0\0tmp/x/f'), { kind: 'removed', layer: 1 });
  });

  it('counts the changes a list leaves out, and shows paths as the container sees them', () => {
    const base = wasteful.layers[0];
    assert.ok(base);
    assert.equal(base.changes.length, 100);
    assert.equal(unlistedChanges(base), 170);
    assert.equal(unlistedChanges(wasteful.layers[1] ?? base), 0);
    assert.equal(displayPath('tmp/build/app-src.tar'), '/tmp/build/app-src.tar');
    assert.equal(displayPath('./etc/'), '/etc');
  });

  it('says why it failed in plain words', () => {
    assert.match(layerAnalysisErrorText({ code: 'UNAVAILABLE', message: 'Docker is not reachable' }), /^Docker is not reachable, so its image cannot be read\./);
    const id = 'a'.repeat(64);
    assert.equal(
      layerAnalysisErrorText({ code: 'NOT_FOUND', message: `no running Docker container ${id} with an image` }),
      `Nothing to analyse: no running Docker container ${'a'.repeat(12)} with an image (it stopped, or was removed).`,
    );
    assert.equal(layerAnalysisErrorText({ code: 'NOT_FOUND', message: 'a recording holds no image layers to analyse' }), 'Nothing to analyse: a recording holds no image layers to analyse.');
    assert.match(layerAnalysisErrorText({ code: 'INTERNAL', message: 'unexpected end of archive' }), /^Reading the image failed: unexpected end of archive\.$/);
    assert.equal(shortenIds(`sha ${'b'.repeat(64)}.`), `sha ${'b'.repeat(12)}.`);
  });
});

describe('LayerAnalysisSection in the inside panel', () => {
  it('reads nothing until asked; then shows the layers bottom to top, the waste and the efficiency', async () => {
    const client = analyzeClient(() => ok(wasteful));
    withClient(client, <InsidePanel container={busybox} host={s.host} />);
    const button = screen.getByTestId('layer-analysis-button');
    assert.equal(button.textContent, 'Analyse layers');
    assert.equal(screen.queryByTestId('layer-analysis'), null);
    assert.deepEqual(client.calls, [], 'no docker save before the click');

    await clickAnalyse();
    assert.deepEqual(client.calls, [{ channel: 'image:analyze', args: [busybox.id] }]);
    const result = screen.getByTestId('layer-analysis');
    assert.equal(text('layer-analysis-efficiency'), '35.3 %');
    assert.match(result.textContent ?? '', /18\.6 MiB stored in 5 layers; 6\.6 MiB of it visible in the final tree, 12\.0 MiB wasted\./);
    const layers = [0, 1, 2, 3, 4].map((i) => screen.getByTestId(`layer-analysis-layer-${i}`));
    // Bottom to top, in document order.
    for (let i = 1; i < layers.length; i++) {
      const a = layers[i - 1];
      const b = layers[i];
      assert.ok(a && b && a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    }
    assert.match(layers[0]?.textContent ?? '', /#1bottom/);
    assert.match(layers[4]?.textContent ?? '', /#5top/);
    const unpack = screen.getByTestId('layer-analysis-layer-1');
    assert.equal(unpack.dataset.added, '15');
    assert.match(unpack.textContent ?? '', /sh -c mkdir -p \/tmp\/build/);
    assert.match(unpack.textContent ?? '', /\+15 added ~0 changed −0 removed/);
    assert.match(unpack.textContent ?? '', /\/tmp\/build\/app-src\.tar6 MiBremoved in #3: wasted/);
    assert.match(unpack.textContent ?? '', /\/opt\/app\/bin\/server2 MiBoverwritten in #5: wasted/);
    const cleanup3 = screen.getByTestId('layer-analysis-layer-2');
    assert.match(cleanup3.textContent ?? '', /\+0 added ~1 changed −4 removed/);
    assert.equal(cleanup3.querySelectorAll('[data-kind="removed"]').length, 4);

    const wasted = within(screen.getByTestId('layer-analysis-wasted'));
    const rows = wasted.getAllByRole('row').slice(1);
    assert.equal(rows.length, 5);
    assert.match(rows[0]?.textContent ?? '', /^\/tmp\/build\/app-src\.tar6 MiB#2$/);
    assert.match(rows[2]?.textContent ?? '', /^\/opt\/app\/bin\/server2 MiB#2, #5$/);
    assert.equal(screen.getByTestId('layer-analysis-button').textContent, 'Analyse again');
  });

  it('lists the largest changes, then "+N more": the listed ones on a click, then how many the collector did not list', async () => {
    withClient(analyzeClient(() => ok(wasteful)), <InsidePanel container={busybox} host={s.host} />);
    await clickAnalyse();
    const base = screen.getByTestId('layer-analysis-layer-0');
    assert.equal(base.querySelectorAll('.la-change').length, 5);
    assert.match(base.textContent ?? '', /\/bin\/busybox1\.9 MiB/);
    const more = screen.getByTestId('layer-analysis-more-0');
    assert.equal(more.textContent, '+265 more');
    fireEvent.click(more);
    assert.equal(base.querySelectorAll('.la-change').length, 100);
    assert.equal(text('layer-analysis-more-0'), '+170 more, not listed (the collector keeps the 100 largest)');
    assert.equal(text('layer-analysis-more-1'), '+10 more', '15 changes, all listed: 5 shown');
    assert.equal(screen.queryByTestId('layer-analysis-more-2'), null, '5 changes: all shown');
  });

  it('an image without waste: 100 %, nothing wasted', async () => {
    withClient(analyzeClient(() => ok(debian)), <InsidePanel container={busybox} host={s.host} />);
    await clickAnalyse();
    assert.equal(text('layer-analysis-efficiency'), '100 %');
    assert.match(text('layer-analysis-wasted'), /^Nothing wasted/);
    assert.equal(screen.getByTestId('layer-analysis-layer-0').dataset.added, '6674');
    assert.match(text('layer-analysis-layer-0'), /#1only layer/);
  });

  it('spins while it reads; Cancel drops the answer that comes later', async () => {
    const d = deferred<Result<LayerAnalysis>>();
    const client = analyzeClient(() => d.promise);
    withClient(client, <InsidePanel container={busybox} host={s.host} />);
    await clickAnalyse();
    const button = screen.getByTestId('layer-analysis-button') as HTMLButtonElement;
    assert.equal(button.disabled, true, 'no second docker save while one runs');
    assert.ok(button.querySelector('.spinner'));
    assert.equal(screen.getByTestId('layer-analysis-section').getAttribute('aria-busy'), 'true');
    fireEvent.click(screen.getByTestId('layer-analysis-cancel'));
    assert.equal(screen.getByTestId('layer-analysis-section').dataset.phase, 'idle');
    await act(async () => {
      d.resolve({ ok: true, value: wasteful });
      await tick();
    });
    assert.equal(screen.queryByTestId('layer-analysis'), null, 'the late answer is ignored');
    assert.equal((screen.getByTestId('layer-analysis-button') as HTMLButtonElement).disabled, false);
  });

  it('a late answer after unmount does not write (no act warning, no throw)', async () => {
    const d = deferred<Result<LayerAnalysis>>();
    withClient(analyzeClient(() => d.promise), <InsidePanel container={busybox} host={s.host} />);
    await clickAnalyse();
    cleanup();
    await act(async () => {
      d.resolve({ ok: true, value: wasteful });
      await tick();
    });
    assert.equal(screen.queryByTestId('layer-analysis-section'), null);
  });

  const errors: readonly { name: string; answer: () => Promise<Result<LayerAnalysis>>; code: string; want: RegExp }[] = [
    { name: 'Docker not reachable', answer: () => fail({ code: 'UNAVAILABLE', message: 'Docker is not reachable' }), code: 'UNAVAILABLE', want: /^Docker is not reachable/ },
    { name: 'container gone', answer: () => fail({ code: 'NOT_FOUND', message: `no running Docker container ${busybox.id} with an image` }), code: 'NOT_FOUND', want: /^Nothing to analyse: no running Docker container [0-9a-f]{12} with an image \(it stopped, or was removed\)\.$/ },
    { name: 'transport failure (invoke rejects)', answer: () => Promise.reject(new Error('socket closed')), code: 'INTERNAL', want: /^Reading the image failed: socket closed\.$/ },
  ];
  for (const e of errors) {
    it(`error: ${e.name}, in plain words`, async () => {
      withClient(analyzeClient(e.answer), <InsidePanel container={busybox} host={s.host} />);
      await clickAnalyse();
      const p = screen.getByTestId('layer-analysis-error');
      assert.equal(p.dataset.code, e.code);
      assert.match(p.textContent ?? '', e.want);
      assert.equal(screen.queryByTestId('layer-analysis'), null);
      assert.equal(screen.getByTestId('layer-analysis-button').textContent, 'Analyse again');
    });
  }

  it('only Docker containers offer it', () => {
    const podman: ContainerInfo = { ...busybox, engine: 'podman' };
    const none: ContainerInfo = { ...busybox, engine: 'none' };
    withClient(analyzeClient(() => ok(wasteful)), <InsidePanel container={podman} host={s.host} />);
    assert.equal(screen.queryByTestId('layer-analysis-button'), null);
    cleanup();
    withClient(analyzeClient(() => ok(wasteful)), <InsidePanel container={none} host={s.host} />);
    assert.equal(screen.queryByTestId('layer-analysis-button'), null);
  });

  it('is in the container detail, and starts over for another container', async () => {
    const client = analyzeClient(() => ok(wasteful));
    const detail = (id: string): ReactNode => (
      <IsolensClientContext.Provider value={client}>
        <ContainerDetail model={model} containerId={id} samples={[]} onLoadHistory={() => undefined} onOpenContainer={() => undefined} onBack={() => undefined} />
      </IsolensClientContext.Provider>
    );
    const { rerender } = render(detail(busybox.id));
    await clickAnalyse();
    assert.ok(screen.getByTestId('layer-analysis'));
    rerender(detail(containerNamed(s, 'inside-hello').id));
    assert.equal(screen.queryByTestId('layer-analysis'), null);
    assert.equal(screen.getByTestId('layer-analysis-button').textContent, 'Analyse layers');
  });
});
