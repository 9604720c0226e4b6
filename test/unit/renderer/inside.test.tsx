import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { ContainerInfo } from '../../../shared/model';
import type { EntrypointInfo, ImageInfo, RootfsInfo } from '../../../shared/rootfs';
import { App } from '../../../renderer/app/App';
import { parseHash } from '../../../renderer/app/routes';
import { deriveModel } from '../../../renderer/state/derive';
import { CompareView } from '../../../renderer/views/compare/CompareView';
import { ContainerDetail } from '../../../renderer/views/containers/ContainerDetail';
import { insideRows } from '../../../renderer/views/inside/CompareInside';
import { elfText, kernelSentence, layerSegments, linkingText, surfaceSentence, toolGroups } from '../../../renderer/views/inside/inside-facts';
import { InsidePanel, noRootfsReason } from '../../../renderer/views/inside/InsidePanel';
import { containerNamed, fakeClient, loadSnapshot, tick } from './fixtures';

afterEach(() => cleanup());

// test/fixtures/snapshots/inside.json: inside-hello (FROM scratch, one static binary),
// inside-busybox (static busybox and its applet symlinks), inside-dynamic (one dynamic binary, its
// loader and libraries), inside-debian (a debootstrap'ed Debian 12), recorded as root with Docker.
const s = loadSnapshot('inside');
const model = deriveModel(s);
const hello = containerNamed(s, 'inside-hello');
const busybox = containerNamed(s, 'inside-busybox');
const dynamic = containerNamed(s, 'inside-dynamic');
const debian = containerNamed(s, 'inside-debian');

const rootfsOf = (c: ContainerInfo): RootfsInfo => {
  assert.ok(c.rootfs, `${c.name} has a rootfs record`);
  return c.rootfs;
};
const imageOf = (c: ContainerInfo): ImageInfo => {
  assert.ok(c.imageInfo, `${c.name} has an imageInfo record`);
  return c.imageInfo;
};
const entrypointOf = (c: ContainerInfo): EntrypointInfo => {
  const e = rootfsOf(c).entrypoint;
  assert.ok(e, `${c.name} has an entrypoint`);
  return e;
};
const text = (id: string): string => screen.getByTestId(id).textContent ?? '';
const present = (tool: string): string | undefined => screen.getByTestId(`inside-tool-${tool}`).dataset.present;
const panel = (c: ContainerInfo): void => void render(<InsidePanel container={c} host={s.host} />);

describe('InsidePanel (recorded fixture)', () => {
  it('hello (FROM scratch): one static binary, no OS, on the host kernel, nothing else to run', () => {
    panel(hello);
    assert.equal(text('inside-verdict'), 'one static binary, no OS');
    assert.equal(text('inside-kernel'), kernelSentence(s.host));
    assert.match(text('inside-kernel'), new RegExp(`host's kernel: Linux ${s.host.kernel.replace(/\./g, '\\.')}`));
    const ep = screen.getByTestId('inside-entrypoint');
    assert.equal(ep.dataset.static, 'true');
    assert.match(ep.textContent ?? '', /\/hello/);
    assert.equal(text('inside-linking'), 'static');
    assert.match(ep.textContent ?? '', /ELF64 · x86-64 · little-endian/);
    for (const t of ['sh', 'bash', 'apt', 'ps', 'curl']) assert.equal(present(t), 'false', t);
    assert.match(text('inside-surface'), /^Nothing to run but its own program/);
    assert.match(text('inside-size'), /2 regular files/);
    assert.equal(screen.queryByTestId('inside-partial'), null);
  });

  it('busybox: a shell and tools through one binary, no package manager', () => {
    panel(busybox);
    assert.match(text('inside-verdict'), /^busybox userland \(\d+ files?, shell\)$/);
    assert.equal(present('sh'), 'true');
    assert.equal(present('ash'), 'true');
    assert.equal(present('bash'), 'false');
    assert.equal(present('ps'), 'true');
    assert.equal(present('apt'), 'false');
    assert.match(text('inside-surface'), /no package manager/);
    assert.equal(screen.getByTestId('inside-tool-sh').title, '/bin/sh');
  });

  it('dynamic: its loader and the libraries it needs, none missing', () => {
    panel(dynamic);
    const e = entrypointOf(dynamic);
    assert.equal(text('inside-linking'), 'dynamic');
    assert.equal(screen.getByTestId('inside-entrypoint').dataset.static, 'false');
    assert.match(text('inside-entrypoint'), new RegExp(`${(e.interpreter ?? '').replace(/\./g, '\\.')}`));
    assert.deepEqual(e.needed, ['libm.so.6', 'libc.so.6']);
    for (const lib of e.needed) assert.equal(screen.getByTestId(`inside-lib-${lib}`).dataset.missing, 'false');
    assert.match(text('inside-verdict'), /^one dynamically linked binary and its libraries, no OS/);
  });

  it('debian: an OS userland with shells and apt (the attack surface)', () => {
    panel(debian);
    const r = rootfsOf(debian);
    assert.match(text('inside-verdict'), /^Debian GNU\/Linux 12 userland \([\d,]+ files, shell, apt\)$/);
    assert.equal(text('inside-verdict'), r.verdict);
    assert.equal(present('bash'), 'true');
    assert.equal(present('apt'), 'true');
    assert.equal(present('apk'), 'false');
    assert.ok(screen.getByTestId('inside-tool-apt').classList.contains('tool-risky'));
    assert.match(text('inside-surface'), /package manager \(apt\): whoever gets in can install/);
    assert.match(text('inside-size'), new RegExp(`${r.files.toLocaleString('en-US')} regular files`));
  });

  it('layers: one row per history step with its bytes (0 B for metadata steps), a bar segment per layer with bytes', () => {
    for (const c of [hello, debian]) {
      cleanup();
      panel(c);
      const info = imageOf(c);
      const box = screen.getByTestId('inside-layers');
      info.layers.forEach((l, i) => {
        const row = within(box).getByTestId(`inside-layer-${i}`);
        assert.equal(row.dataset.bytes, String(l.size));
        if (l.size === 0) assert.match(row.textContent ?? '', /0 B$/);
      });
      assert.equal(within(box).queryByTestId(`inside-layer-${info.layers.length}`), null);
      assert.equal(box.querySelectorAll('.layer-seg').length, info.layers.filter((l) => l.size > 0).length);
    }
    assert.ok(imageOf(hello).layers.some((l) => l.size === 0), 'hello has metadata-only steps (ENTRYPOINT, LABEL)');
    // docker import leaves no instruction, only its comment (-m): shown instead.
    assert.match(screen.getByTestId('inside-layer-0').textContent ?? '', /imported: debootstrap/);
  });

  it('hovering a layer names the instruction that made it', () => {
    panel(hello);
    const info = imageOf(hello);
    const i = info.layers.findIndex((l) => l.size > 0);
    fireEvent.mouseEnter(screen.getByTestId(`inside-layer-bar-${i}`));
    assert.match(text('inside-layer-caption'), new RegExp(`#${i + 1}`));
    assert.ok(text('inside-layer-caption').includes(info.layers[i]?.createdBy ?? '\0'));
    assert.equal(screen.getByTestId(`inside-layer-bar-${i}`).title.includes(info.layers[i]?.createdBy ?? '\0'), true);
  });

  it('is part of the container detail', () => {
    render(<ContainerDetail model={model} containerId={debian.id} samples={[]} onLoadHistory={() => undefined} onOpenContainer={() => undefined} onBack={() => undefined} />);
    const p = screen.getByTestId('inside-panel');
    assert.match(within(p).getByTestId('inside-verdict').textContent ?? '', /Debian/);
    assert.ok(within(p).getByTestId('inside-layers'));
  });
});

describe('InsidePanel (synthetic)', () => {
  const base = rootfsOf(dynamic);
  const ep = entrypointOf(dynamic);
  const cases: { name: string; c: ContainerInfo; check: () => void }[] = [
    {
      name: 'a missing library is flagged',
      c: { ...dynamic, rootfs: { ...base, entrypoint: { ...ep, missing: ['libm.so.6'] } } },
      check: () => {
        assert.equal(screen.getByTestId('inside-lib-libm.so.6').dataset.missing, 'true');
        assert.match(text('inside-lib-libm.so.6'), /missing/);
        assert.equal(screen.getByTestId('inside-lib-libc.so.6').dataset.missing, 'false');
      },
    },
    {
      name: 'a missing loader is flagged',
      c: { ...dynamic, rootfs: { ...base, entrypoint: { ...ep, missing: [ep.interpreter ?? ''] } } },
      check: () => assert.match(text('inside-entrypoint'), /missing from the image: it cannot start/),
    },
    {
      name: 'a partial walk says its counts are lower bounds',
      c: { ...debian, rootfs: { ...rootfsOf(debian), partial: true } },
      check: () => {
        assert.match(text('inside-partial'), /lower bounds/);
        assert.match(text('inside-size'), /at least/);
        assert.equal(screen.getByTestId('inside-size').dataset.partial, 'true');
      },
    },
    {
      name: 'a script: its #! interpreter',
      c: {
        ...busybox,
        rootfs: {
          ...rootfsOf(busybox),
          entrypoint: { ...entrypointOf(busybox), path: '/entry.sh', executable: '/bin/busybox', script: { path: '/entry.sh', interpreter: '/bin/sh', argument: '-e' } },
        },
      },
      check: () => {
        assert.match(text('inside-script'), /#!\/bin\/sh -e/);
        assert.match(text('inside-script'), /runs its interpreter, \/bin\/busybox/);
      },
    },
    {
      name: 'an engine-less group has no root of its own',
      c: { ...hello, engine: 'none', rootfs: undefined, imageInfo: undefined },
      check: () => {
        assert.match(text('inside-verdict'), /engine-less group/);
        assert.equal(screen.queryByTestId('inside-entrypoint'), null);
        assert.match(text('inside-layers'), /Only Docker images/);
      },
    },
    {
      name: 'an unreadable root: the verdict says why, no facts',
      c: { ...hello, rootfs: { ...rootfsOf(hello), error: 'EACCES', verdict: 'root filesystem unreadable (EACCES)' } },
      check: () => {
        assert.equal(text('inside-verdict'), 'root filesystem unreadable (EACCES)');
        assert.equal(screen.queryByTestId('inside-userland'), null);
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      panel(c.c);
      c.check();
    });
  }
  it('why there is no record', () => {
    assert.match(noRootfsReason({ ...hello, pid: null }), /Not running/);
    assert.match(noRootfsReason({ ...hello }), /not inspected/);
  });
});

describe('inside facts', () => {
  const ep = entrypointOf(dynamic);
  const linking: { name: string; e: EntrypointInfo; want: RegExp }[] = [
    { name: 'static', e: entrypointOf(hello), want: /^statically linked/ },
    { name: 'dynamic', e: ep, want: /^dynamically linked: the kernel first starts \/lib64\/ld-linux-x86-64\.so\.2, which loads 2 libraries/ },
    { name: 'not ELF', e: { ...ep, static: null, elfClass: null }, want: /^not an ELF executable$/ },
    { name: 'unreadable', e: { ...ep, error: 'ENOENT' }, want: /^could not be read: ENOENT$/ },
  ];
  for (const c of linking) it(`linkingText: ${c.name}`, () => assert.match(linkingText(c.e), c.want));
  it('elfText', () => {
    assert.equal(elfText(ep), 'ELF64 · x86-64 · little-endian');
    assert.equal(elfText({ ...ep, elfClass: null }), null);
  });
  it('toolGroups: candidates shown absent, unlisted finds added', () => {
    const r = { ...rootfsOf(debian), packageManagers: ['apt', 'apt-get', 'dpkg'], shells: ['/bin/sh', '/usr/bin/fish'] };
    const g = toolGroups(r);
    const pms = g.find((x) => x.id === 'package-managers')?.chips ?? [];
    assert.deepEqual(pms.filter((c) => c.present).map((c) => c.name), ['apt', 'dpkg', 'apt-get']);
    const shells = g.find((x) => x.id === 'shells')?.chips ?? [];
    assert.deepEqual(shells.filter((c) => c.present).map((c) => c.name), ['sh', 'fish']);
    assert.equal(shells.find((c) => c.name === 'fish')?.title, '/usr/bin/fish');
  });
  it('surfaceSentence: shells without tools', () => {
    assert.match(surfaceSentence({ ...rootfsOf(busybox), tools: [] }), /^A shell \(sh and ash\) and none of the usual tools, but no package manager/);
  });
  it('layerSegments: shares add up to 1; rows up to the one its base tag names come from the base', () => {
    const info = imageOf(debian);
    const { segments, sum } = layerSegments(info);
    assert.equal(sum, info.layers.reduce((a, l) => a + l.size, 0));
    assert.ok(Math.abs(segments.reduce((a, x) => a + x.share, 0) - 1) < 1e-9);
    const layers = [
      { ...info.layers[0], id: 'sha256:base', size: 100, tags: ['debian:12'] },
      { ...info.layers[0], id: 'sha256:mine', size: 300, tags: [] },
    ] as ImageInfo['layers'];
    const based = layerSegments({ ...info, id: 'sha256:mine', base: 'debian:12', layers });
    assert.equal(based.baseIndex, 0);
    assert.deepEqual(based.segments.map((x) => [x.fromBase, x.share]), [[true, 0.25], [false, 0.75]]);
    assert.equal(layerSegments({ ...info, base: null, layers }).baseIndex, null);
  });
});

describe('Inside, compared', () => {
  it('insideRows: hello against Debian', () => {
    const rows = insideRows(hello, debian);
    const row = (a: string): { a: string; b: string; same: boolean | null } | undefined => rows.find((r) => r.aspect === a);
    assert.equal(row('root filesystem')?.a, 'one static binary, no OS');
    assert.match(row('root filesystem')?.b ?? '', /^Debian GNU\/Linux 12 userland/);
    assert.equal(row('shells')?.a, 'none');
    assert.equal(row('shells')?.b, 'sh, bash, dash');
    assert.equal(row('package managers')?.b, 'apt, apt-get, dpkg');
    assert.equal(row('entrypoint')?.a, '/hello (static)');
    assert.match(row('entrypoint')?.b ?? '', /\(dynamic, 1 library\)$/);
    assert.equal(row('files')?.same, false);
    assert.match(row('layers')?.a ?? '', /^\d+ layers?, /);
    assert.equal(insideRows(hello, null).find((r) => r.aspect === 'files')?.same, null);
  });

  it('the comparison view shows both side by side', () => {
    render(<CompareView snapshot={s} model={model} refs={[hello.id, debian.id]} onOpenContainer={() => undefined} onSwap={() => undefined} onBack={() => undefined} />);
    const box = screen.getByTestId('compare-inside');
    assert.equal(within(box).getByTestId('compare-inside-verdict-A').textContent, 'A one static binary, no OS');
    assert.match(within(box).getByTestId('compare-inside-verdict-B').textContent ?? '', /Debian GNU\/Linux 12 userland/);
    assert.equal(within(box).getByTestId('compare-inside-files').dataset.same, 'false');
    assert.equal(within(box).getByTestId('compare-inside-package-managers').dataset.same, 'false');
    assert.match(box.textContent ?? '', new RegExp(`Linux ${s.host.kernel.replace(/\./g, '\\.')}`));
  });

  it('a process of a container compares that container\'s root; the host has none', () => {
    render(<CompareView snapshot={s} model={model} refs={['host', `pid:${debian.pid}`]} onOpenContainer={() => undefined} onSwap={() => undefined} onBack={() => undefined} />);
    const box = screen.getByTestId('compare-inside');
    assert.match(within(box).getByTestId('compare-inside-verdict-A').textContent ?? '', /the host.s own files/);
    assert.match(box.textContent ?? '', /its container inside-debian/);
  });

  it('no section when neither side was inspected (the confinement fixture has no rootfs)', () => {
    const c = loadSnapshot('confinement');
    const m = deriveModel(c);
    const a = containerNamed(c, 'cf-default');
    const b = containerNamed(c, 'cf-hostpid');
    render(<CompareView snapshot={c} model={m} refs={[a.id, b.id]} onOpenContainer={() => undefined} onSwap={() => undefined} onBack={() => undefined} />);
    assert.equal(screen.queryByTestId('compare-inside'), null);
  });

  it('through the app: #compare/<hello>/<debian>', async () => {
    const storeOptions = { schedule: (f: () => void) => void Promise.resolve().then(() => act(f)) };
    render(<App client={fakeClient(s)} storeOptions={storeOptions} initialRoute={parseHash(`#compare/${hello.id}/${debian.id}`)} treeFallbackHeight={600} />);
    await act(async () => {
      await tick();
      await tick();
    });
    assert.ok(screen.getByTestId('compare-inside'));
  });
});
