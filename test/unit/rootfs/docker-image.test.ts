import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { analyzeImageLayers, cleanCreatedBy, DockerImageError, ImageInfoCache, imageInfosFor, mapImage, type ImageApi } from '../../../electron/collector/engines/docker-image';
import { dockerClientFor } from '../../../electron/collector/engines/dockerode';

const DOCKER = path.resolve(__dirname, '../../fixtures/rootfs/docker');
const TAR = path.resolve(__dirname, '../../fixtures/rootfs/tar');
const json = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(DOCKER, name), 'utf8'));
const recorded = (name: string): ReturnType<typeof mapImage> => mapImage(json(`${name}.inspect.json`), json(`${name}.history.json`));

describe('cleanCreatedBy', () => {
  const cases: Array<[string, string]> = [
    ['/bin/sh -c #(nop)  CMD ["/bin/sh"]', 'CMD ["/bin/sh"]'],
    ['/bin/sh -c #(nop) COPY file:6f65 in /hello ', 'COPY file:6f65 in /hello'],
    ['/bin/sh -c #(nop) ADD file:abc in / ', 'ADD file:abc in /'],
    ['/bin/sh -c apt-get update && apt-get install -y curl', 'RUN apt-get update && apt-get install -y curl'],
    ['RUN /bin/sh -c apk add curl # buildkit', 'RUN /bin/sh -c apk add curl # buildkit'],
    ['', ''],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => assert.equal(cleanCreatedBy(input), want));
});

describe('mapImage (recorded Engine API ImageInspect + ImageHistory, dockerd 20.10)', () => {
  it('FROM scratch + COPY: one filesystem layer, metadata rows of 0 bytes, oldest first', () => {
    const i = recorded('hello');
    assert.equal(i.name, 'isolens/hello:test');
    assert.equal(i.layerCount, 1);
    assert.equal(i.layers[0]?.createdBy.startsWith('COPY file:'), true);
    assert.equal(i.layers[0]?.size, 686792);
    assert.ok(i.layers[0]?.diffId?.startsWith('sha256:'));
    assert.deepEqual(i.layers.slice(1).map((l) => [l.size, l.diffId]), [[0, null], [0, null], [0, null]]);
    assert.equal(i.totalBytes, 686792);
    assert.equal(i.base, null);
    assert.equal(i.layers[0]?.created, '2026-11-28T09:20:58.000Z');
  });
  it('docker import: one layer, empty CreatedBy, the import message as comment, no base', () => {
    const i = recorded('debian');
    assert.equal(i.layers.length, 1);
    assert.deepEqual([i.layers[0]?.createdBy, i.layers[0]?.comment, i.layers[0]?.size], ['', 'debootstrap --variant=minbase bookworm', 116667887]);
    assert.ok(i.layers[0]?.diffId);
    assert.equal(i.base, null);
  });
  it('FROM isolens/busybox:test + COPY + RUN: the base from the tagged history row, RUN rows cleaned, diff ids matched', () => {
    const i = recorded('layered');
    assert.equal(i.base, 'isolens/busybox:test');
    assert.equal(i.layerCount, 5);
    assert.deepEqual(i.layers.filter((l) => l.diffId !== null).map((l) => l.size), [1984132, 300000, 6, 8, 2]);
    assert.ok(i.layers.some((l) => l.createdBy.startsWith('RUN rm /data/big.bin')));
    assert.equal(i.totalBytes, i.layers.reduce((a, l) => a + l.size, 0));
  });
  it('the OCI base-name label wins', () => {
    const inspect = { ...(json('hello.inspect.json') as Record<string, unknown>), Config: { Labels: { 'org.opencontainers.image.base.name': 'docker.io/library/alpine:3.20' } } };
    assert.equal(mapImage(inspect, json('hello.history.json')).base, 'docker.io/library/alpine:3.20');
  });
  it('"<missing>" ids (pulled layers) become null', () => {
    const history = [{ Id: '<missing>', Created: 1, CreatedBy: '/bin/sh -c #(nop) ADD file:x in /', Size: 10, Tags: null, Comment: '' }];
    const i = mapImage({ Id: 'sha256:x', RootFS: { Layers: ['sha256:d'] } }, history);
    assert.equal(i.layers[0]?.id, null);
    assert.equal(i.layers[0]?.diffId, 'sha256:d');
  });
  it('rows that cannot be matched to layers keep diffId null', () => {
    const history = [{ Id: 'a', CreatedBy: 'CMD x', Size: 0 }, { Id: 'b', CreatedBy: 'ENV y', Size: 0 }];
    const i = mapImage({ Id: 'sha256:x', RootFS: { Layers: ['sha256:1', 'sha256:2', 'sha256:3'] } }, history);
    assert.deepEqual(i.layers.map((l) => l.diffId), [null, null]);
  });
  const bad: Array<[string, unknown, unknown]> = [
    ['no Id', {}, []],
    ['history not an array', { Id: 'sha256:x' }, {}],
    ['null', null, null],
  ];
  for (const [name, inspect, history] of bad) {
    it(`malformed: ${name} -> DockerImageError`, () => assert.throws(() => mapImage(inspect, history), DockerImageError));
  }
});

/** A fake ImageApi: recorded JSON for inspect/history, a fixture tar for `docker save`. */
function fakeApi(opts: { fail?: boolean; save?: string; delayMs?: number } = {}): ImageApi & { calls: number } {
  const api = {
    calls: 0,
    getImage: (_id: string) => ({
      inspect: async () => {
        api.calls++;
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        if (opts.fail) throw Object.assign(new Error('(HTTP code 404) no such image'), { statusCode: 404 });
        return { ...(json('layered.inspect.json') as Record<string, unknown>), Id: 'sha256:c0ffee' };
      },
      history: async () => json('layered.history.json'),
      get: async () => Readable.from([fs.readFileSync(path.join(TAR, opts.save ?? 'save-legacy.tar'))]) as NodeJS.ReadableStream,
    }),
  };
  return api;
}

describe('ImageInfoCache', () => {
  it('asks the engine once per image id, also for concurrent asks', async () => {
    const api = fakeApi({ delayMs: 20 });
    const cache = new ImageInfoCache();
    const [a, b] = await Promise.all([cache.get(api, 'sha256:c0ffee'), cache.get(api, 'sha256:c0ffee')]);
    assert.equal(a, b);
    await cache.get(api, 'sha256:c0ffee');
    assert.equal(api.calls, 1);
    assert.equal(cache.peek('sha256:c0ffee'), a);
  });
  it('does not cache failures, and records why', async () => {
    const api = fakeApi({ fail: true });
    const cache = new ImageInfoCache();
    assert.equal(await cache.get(api, 'sha256:gone'), null);
    assert.equal(await cache.get(api, 'sha256:gone'), null);
    assert.equal(api.calls, 2);
    assert.match(cache.errors.get('sha256:gone') ?? '', /404/);
  });
  it('keeps at most max images (least recently used dropped)', async () => {
    const api = fakeApi();
    const cache = new ImageInfoCache(2);
    await cache.get(api, 'a');
    await cache.get(api, 'b');
    await cache.get(api, 'a');
    await cache.get(api, 'c');
    assert.ok(cache.peek('a'));
    assert.equal(cache.peek('b'), null);
  });
});

describe('analyzeImageLayers (fake engine, fixture archives)', () => {
  for (const save of ['save-legacy.tar', 'save-oci.tar']) {
    it(`${save}: per-layer diffs, wasted bytes and efficiency; instructions from the config`, async () => {
      const a = await analyzeImageLayers(fakeApi({ save }), 'sha256:c0ffee');
      assert.equal(a.partial, false, a.warnings.join('; '));
      assert.deepEqual(a.layers.map((l) => [l.added, l.changed, l.removed]), [[7, 0, 0], [2, 1, 2]]);
      assert.deepEqual(a.layers.map((l) => l.createdBy), ['ADD file:abc in /', 'RUN rm /etc/a && echo new > /new']);
      assert.deepEqual(a.layers.map((l) => l.diffId), ['sha256:1111', 'sha256:2222']);
      assert.deepEqual([a.totalBytes, a.finalBytes, a.wastedBytes], [3014, 2007, 1007]);
      assert.equal(a.wasted[0]?.path, 'bin/big');
    });
  }
  it('rejects when the engine cannot inspect the image', async () => {
    await assert.rejects(analyzeImageLayers(fakeApi({ fail: true }), 'sha256:gone'), /404/);
  });
});

describe('dockerClientFor', () => {
  it('a refused endpoint gives no client', () => assert.equal(dockerClientFor({ kind: 'refused', url: 'ssh://x', reason: 'no' }), null));
  it('a unix socket gives a client', () => assert.ok(dockerClientFor({ kind: 'unix', url: 'unix:///nonexistent.sock', path: '/nonexistent.sock' })));
});

describe('imageInfosFor', () => {
  it('maps Docker containers to their image info by container id; other engines and failures left out', async () => {
    const base = { name: 'x', image: 'x', state: 'running', pid: 1, labels: {}, createdAt: null, startedAt: null,
      config: { privileged: false, capAdd: [], capDrop: [], securityOpt: [], namespaceModes: {}, user: null, readOnlyRootfs: false } };
    const api = fakeApi();
    const m = await imageInfosFor([
      { ...base, id: 'c1', engine: 'docker', imageId: 'sha256:c0ffee' },
      { ...base, id: 'c2', engine: 'docker', imageId: null },
      { ...base, id: 'c3', engine: 'podman', imageId: 'sha256:c0ffee' },
    ], api, new ImageInfoCache());
    assert.deepEqual([...m.keys()], ['c1']);
    assert.equal(m.get('c1')?.id, 'sha256:c0ffee');
    const failing = await imageInfosFor([{ ...base, id: 'c1', engine: 'docker', imageId: 'sha256:gone' }], fakeApi({ fail: true }), new ImageInfoCache());
    assert.equal(failing.size, 0);
  });
});
