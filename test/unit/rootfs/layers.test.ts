import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { diffLayers, layerInstructions, manifestFor, normaliseTarPath, readSaveArchive, type LayerEntry, type LayerListing } from '../../../electron/collector/rootfs/layers';

const TAR = path.resolve(__dirname, '../../fixtures/rootfs/tar');
const stream = (name: string, chunk = 4096): Readable => {
  const buf = fs.readFileSync(path.join(TAR, name));
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  return Readable.from(parts);
};
const L = (source: string, entries: Array<[string, LayerEntry['type'], number?]>): LayerListing => ({
  source, partial: false, entries: entries.map(([p, type, size]) => ({ path: p, type, size: size ?? 0 })),
});

describe('normaliseTarPath', () => {
  for (const [input, want] of [['./etc/a', 'etc/a'], ['etc/', 'etc'], ['/abs/x', 'abs/x'], ['./', ''], ['a/./b', 'a/b']]) {
    it(`${input} -> ${want}`, () => assert.equal(normaliseTarPath(input as string), want));
  }
});

describe('diffLayers (OCI whiteouts, dive-like totals)', () => {
  const l1 = L('l1', [['etc', 'dir'], ['etc/a', 'file', 5], ['bin', 'dir'], ['bin/big', 'file', 1000], ['opt', 'dir'], ['opt/x', 'dir'], ['opt/x/y', 'file', 2]]);
  const l2 = L('l2', [['etc', 'dir'], ['etc/.wh.a', 'file'], ['bin', 'dir'], ['bin/big', 'file', 2000], ['opt/x', 'dir'], ['opt/x/.wh..wh..opq', 'file'], ['opt/x/z', 'file', 3], ['new', 'file', 4]]);
  const d = diffLayers([l1, l2], [{ diffId: 'sha256:1', createdBy: 'ADD' }, { diffId: 'sha256:2', createdBy: 'RUN' }]);

  it('layer 1 adds everything', () => assert.deepEqual([d.layers[0]?.added, d.layers[0]?.changed, d.layers[0]?.removed, d.layers[0]?.bytes], [7, 0, 0, 1007]));
  it('layer 2: a whiteout removes, a file replaces, an opaque directory hides the lower contents', () => {
    const l = d.layers[1];
    assert.ok(l);
    assert.deepEqual([l.added, l.changed, l.removed, l.bytes], [2, 1, 2, 2007]);
    const byPath = new Map(l.changes.map((c) => [c.path, c]));
    assert.deepEqual(byPath.get('etc/a'), { path: 'etc/a', kind: 'removed', size: 5 });
    assert.deepEqual(byPath.get('opt/x/y'), { path: 'opt/x/y', kind: 'removed', size: 2 });
    assert.equal(byPath.get('bin/big')?.kind, 'changed');
    assert.equal(byPath.get('opt/x')?.kind, undefined, 'a directory listed again is not a change');
    assert.equal(l.createdBy, 'RUN');
    assert.equal(l.diffId, 'sha256:2');
  });
  it('totals: stored 3014, visible 2007, wasted 1007, efficiency final/total', () => {
    assert.deepEqual([d.totalBytes, d.finalBytes, d.wastedBytes], [3014, 2007, 1007]);
    assert.equal(d.efficiency, 2007 / 3014);
    assert.deepEqual(d.wasted.map((w) => [w.path, w.bytes]), [['bin/big', 1000], ['etc/a', 5], ['opt/x/y', 2]]);
  });
  it('a whiteout of a directory removes its subtree', () => {
    const r = diffLayers([L('a', [['d', 'dir'], ['d/e', 'dir'], ['d/e/f', 'file', 10]]), L('b', [['.wh.d', 'file']])]);
    assert.equal(r.layers[1]?.removed, 3);
    assert.equal(r.finalBytes, 0);
    assert.equal(r.wastedBytes, 10);
  });
  it('a file replacing a directory hides the directory\'s contents', () => {
    const r = diffLayers([L('a', [['d', 'dir'], ['d/f', 'file', 10]]), L('b', [['d', 'file', 1]])]);
    assert.deepEqual([r.layers[1]?.removed, r.layers[1]?.changed, r.finalBytes], [1, 1, 1]);
  });
  it('an opaque whiteout keeps what its own layer adds, whatever the order in the tar', () => {
    const r = diffLayers([L('a', [['o', 'dir'], ['o/old', 'file', 5]]), L('b', [['o/new', 'file', 1], ['o/.wh..wh..opq', 'file']])]);
    assert.deepEqual([r.layers[1]?.added, r.layers[1]?.removed, r.finalBytes], [1, 1, 1]);
  });
  it('an empty image is 100% efficient', () => assert.equal(diffLayers([]).efficiency, 1));
  it('changes are capped per layer, largest first', () => {
    const many = L('m', Array.from({ length: 30 }, (_, i): [string, LayerEntry['type'], number] => [`f${i}`, 'file', i]));
    const r = diffLayers([many], [], { changesLimit: 5 });
    assert.deepEqual(r.layers[0]?.changes.map((c) => c.size), [29, 28, 27, 26, 25]);
    assert.equal(r.layers[0]?.changesTruncated, true);
  });
});

describe('readSaveArchive (docker save streams)', () => {
  for (const [name, layer2] of [['save-legacy.tar', 'bbb2/layer.tar'], ['save-oci.tar', 'blobs/sha256/2222']] as const) {
    it(`${name}: lists both layers (the OCI one gzip'd), keeps manifest.json and the config`, async () => {
      const a = await readSaveArchive(stream(name));
      assert.equal(a.partial, false, a.warnings.join('; '));
      const m = manifestFor(a, 'sha256:c0ffee');
      assert.ok(m);
      assert.equal(m.layers[1], layer2);
      const l2 = a.layers.get(layer2);
      assert.deepEqual(l2?.entries.map((e) => e.path).sort(), ['', 'bin', 'bin/big', 'etc', 'etc/.wh.a', 'new', 'opt', 'opt/x', 'opt/x/.wh..wh..opq', 'opt/x/z']);
      const config = m.config === null ? null : a.json.get(m.config);
      assert.deepEqual(layerInstructions(config), ['/bin/sh -c #(nop) ADD file:abc in / ', '/bin/sh -c rm /etc/a && echo new > /new']);
      const d = diffLayers(m.layers.map((s) => a.layers.get(s) as LayerListing));
      assert.deepEqual([d.totalBytes, d.finalBytes], [3014, 2007]);
    });
  }
  it('same result with 1-byte chunks', async () => {
    const a = await readSaveArchive(stream('save-oci.tar', 1));
    assert.equal(a.layers.get('blobs/sha256/2222')?.entries.length, 10);
  });
  it('a layer cut short: partial with a warning, the other layer intact', async () => {
    const a = await readSaveArchive(stream('save-cut-layer.tar'));
    assert.equal(a.partial, true);
    assert.match(a.warnings.join('; '), /bbb2\/layer.tar: /);
    assert.equal(a.layers.get('aaa1/layer.tar')?.entries.length, 8);
  });
  it('a broken outer archive: partial, never a rejection', async () => {
    const a = await readSaveArchive(stream('bad-checksum.tar'));
    assert.equal(a.partial, true);
  });
  it('a corrupt gzip layer: partial with a gzip warning', async () => {
    const bad = Buffer.concat([zlib.gzipSync(fs.readFileSync(path.join(TAR, 'layer1.tar'))).subarray(0, 200), Buffer.alloc(300, 0x55)]);
    // Wrap it as one member of an outer tar built with the fixture's own header layout.
    const header = Buffer.from(fs.readFileSync(path.join(TAR, 'ustar.tar')).subarray(0, 512));
    header.fill(0, 0, 100);
    header.write('blobs/sha256/bad', 0, 'latin1');
    header[156] = 0x30;
    header.write(bad.length.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
    header.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    const pad = Buffer.alloc((512 - (bad.length % 512)) % 512);
    const a = await readSaveArchive(Readable.from([Buffer.concat([header, bad, pad, Buffer.alloc(1024)])]));
    assert.equal(a.partial, true);
    assert.match(a.warnings.join('; '), /gzip|truncated/);
  });
  it('a failing stream: partial with the error', async () => {
    const failing = new Readable({ read() { this.destroy(new Error('socket hang up')); } });
    const a = await readSaveArchive(failing);
    assert.equal(a.partial, true);
    assert.match(a.warnings.join('; '), /socket hang up/);
  });
  it('gives up after the time limit and aborts the stream', async () => {
    let aborted = false;
    const never = new Readable({ read() { /* never pushes */ } });
    const a = await readSaveArchive(never, { maxEntries: 10, maxJsonBytes: 10, timeoutMs: 50 }, () => {
      aborted = true;
      never.destroy();
    });
    assert.equal(aborted, true);
    assert.equal(a.partial, true);
  });
});
