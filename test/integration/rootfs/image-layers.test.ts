// Image layers against the real engine: readImageInfo equals `docker history`, FROM scratch is
// one small layer, the base image is found, and analyzeImageLayers reads a real `docker save`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeImageLayers, cleanCreatedBy, readImageInfo, type ImageApi } from '../../../electron/collector/engines/docker-image';
import { dockerClientFor } from '../../../electron/collector/engines/dockerode';
import { resolveDockerEndpoint } from '../../../electron/collector/engines/docker';
import { docker, ensureFixtureImages, FIXTURE_IMAGES, imageExists } from '../../helpers/docker';
import { dockerSkip } from '../../helpers/require';
import { ensureRootfsImages, ROOTFS_IMAGES } from './images';

interface HistoryRow {
  CreatedBy: string;
  Size: string;
}

/** `docker history --format '{{json .}}' --human=false --no-trunc`, oldest first. */
function history(image: string): HistoryRow[] {
  return docker(['history', '--format', '{{json .}}', '--human=false', '--no-trunc', image])
    .split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as HistoryRow).reverse();
}

describe('image layers from the real engine', { skip: dockerSkip() }, () => {
  let api: ImageApi;
  const layered = `isolens/layered-${process.pid}:test`;
  let ctx: string;
  before(() => {
    ensureFixtureImages();
    ensureRootfsImages();
    const client = dockerClientFor(resolveDockerEndpoint());
    assert.ok(client, 'a Docker endpoint');
    api = client;
    // FROM the busybox fixture: a 300 kB file added, then removed, a file changed, a directory replaced.
    ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-layered-'));
    fs.writeFileSync(path.join(ctx, 'big.bin'), Buffer.alloc(300_000, 0x5a));
    fs.writeFileSync(path.join(ctx, 'small.txt'), 'small\n');
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), [
      `FROM ${FIXTURE_IMAGES.busybox}`,
      'COPY big.bin /data/big.bin',
      'COPY small.txt /data/small.txt',
      'RUN rm /data/big.bin && echo changed > /data/small.txt && mkdir -p /opq && touch /opq/a',
      'RUN rm -rf /opq && mkdir /opq && echo b > /opq/b',
      '',
    ].join('\n'));
    execFileSync('docker', ['build', '-q', '--network', 'none', '--label', 'isolens.test=1', '-t', layered, ctx], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  });
  after(() => {
    if (imageExists(layered)) docker(['rmi', '-f', layered]);
    fs.rmSync(ctx, { recursive: true, force: true });
  });

  const images = (): string[] => [FIXTURE_IMAGES.hello, FIXTURE_IMAGES.busybox, ROOTFS_IMAGES.dynamic, ROOTFS_IMAGES.hostile, layered, ...(imageExists(ROOTFS_IMAGES.debian) ? [ROOTFS_IMAGES.debian] : [])];

  it('layer sizes and instructions equal `docker history --human=false --no-trunc`', async () => {
    for (const image of images()) {
      const info = await readImageInfo(api, image);
      const rows = history(image);
      assert.deepEqual(info.layers.map((l) => l.size), rows.map((r) => Number(r.Size)), `${image} sizes`);
      assert.deepEqual(info.layers.map((l) => l.createdBy), rows.map((r) => cleanCreatedBy(r.CreatedBy)), `${image} instructions`);
      assert.equal(info.totalBytes, rows.reduce((a, r) => a + Number(r.Size), 0), `${image} total`);
      assert.ok(info.layers.filter((l) => l.diffId !== null).length === info.layerCount, `${image}: every layer matched to a history row`);
    }
  });

  it('FROM scratch: one small layer (COPY), the rest metadata; no base', async () => {
    const info = await readImageInfo(api, FIXTURE_IMAGES.hello);
    const withBytes = info.layers.filter((l) => l.size > 0);
    assert.equal(withBytes.length, 1);
    assert.match(withBytes[0]?.createdBy ?? '', /^COPY file:[0-9a-f]+ in \/hello$/);
    assert.ok((withBytes[0]?.size ?? 0) < 1_000_000);
    assert.equal(info.layerCount, 1);
    assert.equal(info.base, null);
  });

  it('an image built FROM a local tag names it as base', async () => {
    const info = await readImageInfo(api, layered);
    assert.equal(info.base, FIXTURE_IMAGES.busybox);
    assert.equal(info.layerCount, 5);
  });

  it('analyzeImageLayers on a real `docker save`: removals, changes, wasted bytes', async () => {
    const a = await analyzeImageLayers(api, layered);
    assert.equal(a.partial, false, a.warnings.join('; '));
    assert.equal(a.layers.length, 5);
    const rm = a.layers[3];
    assert.ok(rm);
    assert.match(rm.createdBy ?? '', /^RUN rm \/data\/big.bin/);
    assert.deepEqual(rm.changes.filter((c) => c.kind === 'removed').map((c) => c.path), ['data/big.bin']);
    assert.ok(rm.changes.some((c) => c.kind === 'changed' && c.path === 'data/small.txt'));
    assert.deepEqual(a.layers[4]?.changes.filter((c) => c.kind === 'removed').map((c) => c.path), ['opq/a']);
    assert.ok(a.wastedBytes >= 300_000 && a.wastedBytes < 300_100, `wasted ${a.wastedBytes}`);
    assert.ok(a.efficiency > 0.8 && a.efficiency < 0.9, `efficiency ${a.efficiency}`);
    assert.equal(a.wasted[0]?.path, 'data/big.bin');
  });

  it('analyzeImageLayers on FROM scratch: one file, all bytes used, the layer size as in history', async () => {
    const a = await analyzeImageLayers(api, FIXTURE_IMAGES.hello);
    const info = await readImageInfo(api, FIXTURE_IMAGES.hello);
    assert.equal(a.layers.length, 1);
    assert.deepEqual(a.layers[0]?.changes.map((c) => [c.path, c.kind]), [['hello', 'added']]);
    assert.equal(a.totalBytes, info.layers.find((l) => l.size > 0)?.size);
    assert.equal(a.efficiency, 1);
  });

  it('an unknown image rejects with the engine\'s 404', async () => {
    await assert.rejects(readImageInfo(api, 'sha256:' + '0'.repeat(64)), /404|No such image/i);
  });
});
