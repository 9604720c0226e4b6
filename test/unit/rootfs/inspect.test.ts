import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { inspectRootfs, inspectRootTree, RootfsCache } from '../../../electron/collector/rootfs/inspect';
import { withRootfs } from '../../../electron/collector/rootfs/attach';
import type { ContainerInfo } from '../../../shared/model';
import { plantHostSecret } from './host-secret';

const TREES = path.resolve(__dirname, '../../fixtures/rootfs/trees');
const tree = (name: string): string => path.join(TREES, name);

describe('inspectRootTree on fixture trees', () => {
  let secret: ReturnType<typeof plantHostSecret>;
  before(() => (secret = plantHostSecret()));
  after(() => secret.remove());

  const cases: Array<{ name: string; exe: string; argv?: string[]; verdict: string; shells?: string[]; pms?: string[]; tools?: string[]; busybox?: boolean }> = [
    { name: 'static', exe: '/hello', verdict: 'one static binary, no OS', shells: [], pms: [], tools: [] },
    { name: 'dynamic', exe: '/usr/local/bin/dynamic', verdict: 'one dynamically linked binary and its libraries, no OS (4 files)' },
    { name: 'dynamic-missing', exe: '/usr/local/bin/dynamic', verdict: 'one dynamically linked binary and its libraries, no OS (3 files, 1 missing)' },
    // busybox's dpkg applet is not a package manager
    { name: 'busybox', exe: '/bin/busybox', argv: ['sh'], verdict: 'busybox userland (1 file, shell)', shells: ['/bin/sh'], pms: [], tools: ['cat', 'ls'], busybox: true },
    { name: 'debian', exe: '/usr/bin/dash', argv: ['/bin/sh', '/usr/local/bin/entry.sh'], verdict: 'Debian GNU/Linux 12 userland (17 files, shell, apt)', shells: ['/bin/sh', '/bin/bash', '/bin/dash'], pms: ['apt', 'apt-get', 'dpkg'], tools: ['ps', 'cat', 'ls'] },
    { name: 'hostile', exe: '/usr/local/bin/entry', verdict: 'no OS release (3 files)', shells: [], pms: [], tools: [], busybox: false },
    { name: 'broken', exe: '/usr/bin/trunc', verdict: 'no OS release (5 files)' },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.verdict}`, () => {
      const r = inspectRootTree(tree(c.name), { exePath: c.exe, argv: c.argv ?? [] });
      assert.equal(r.verdict, c.verdict);
      assert.equal(r.error, null);
      if (c.shells) assert.deepEqual(r.shells, c.shells);
      if (c.pms) assert.deepEqual(r.packageManagers, c.pms);
      if (c.tools) assert.deepEqual(r.tools, c.tools);
      if (c.busybox !== undefined) assert.equal(r.busybox, c.busybox);
      assert.doesNotMatch(JSON.stringify(r), new RegExp(secret.marker), 'no host content in the result');
    });
  }

  it('debian: os, and the script the init runs', () => {
    const r = inspectRootTree(tree('debian'), { exePath: '/usr/bin/dash', argv: ['/bin/sh', '/usr/local/bin/entry.sh'] });
    assert.equal(r.os?.prettyName, 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(r.entrypoint?.script?.path, '/usr/local/bin/entry.sh');
  });
  it('hostile: os-release and shells pointing at host files give nothing', () => {
    const r = inspectRootTree(tree('hostile'), { exePath: '/usr/local/bin/entry' });
    assert.equal(r.os, null);
    assert.deepEqual(r.shells, []);
  });
  it('without an executable, no entrypoint', () => assert.equal(inspectRootTree(tree('static')).entrypoint, null));
  it('an unreadable root gives error and verdict, no throw', () => {
    const r = inspectRootTree('/nonexistent/root');
    assert.match(r.error ?? '', /ENOENT/);
    assert.match(r.verdict, /^root filesystem unreadable/);
  });
});

describe('inspectRootfs on a fixture /proc', () => {
  it('a vanished process gives an error, no throw', () => {
    const r = inspectRootfs('/nonexistent/proc', 4242);
    assert.match(r.error ?? '', /ENOENT/);
  });
});

describe('RootfsCache', () => {
  it('reuses a result for the same container and pid within the TTL, and redoes it for a new pid', () => {
    const cache = new RootfsCache({ procRoot: '/nonexistent/proc', ttlMs: 1000 });
    const a = cache.get('c1', 10, 0);
    assert.equal(cache.get('c1', 10, 500), a);
    assert.notEqual(cache.get('c1', 11, 600), a);
    const b = cache.get('c1', 11, 700);
    assert.notEqual(cache.get('c1', 11, 5000), b, 'expired');
  });
  it('keeps at most max containers and prunes the gone ones', () => {
    const cache = new RootfsCache({ procRoot: '/nonexistent/proc', max: 2 });
    const a = cache.get('a', 1, 0);
    cache.get('b', 2, 0);
    cache.get('c', 3, 0);
    assert.notEqual(cache.get('a', 1, 1), a, 'a was evicted');
    cache.prune(['a']);
    const again = cache.get('a', 1, 2);
    assert.ok(again);
  });
});

describe('withRootfs', () => {
  const c = (id: string, pid: number | null): ContainerInfo => ({
    id, name: id, engine: 'docker', image: 'x', state: 'running', pid, pids: [], sharedWithHost: [], cgroup: null, labels: {}, config: null, createdAt: null,
    limits: { memoryBytes: null, cpus: null, pidsMax: null, cpuset: null },
  });
  it('adds rootfs to containers with a pid, imageInfo by container id, and leaves the others as they were', () => {
    const cache = new RootfsCache({ procRoot: '/nonexistent/proc' });
    const image = { id: 'sha256:1', name: 'x', tags: [], layers: [], layerCount: 0, totalBytes: 0, base: null, created: null, os: null, architecture: null };
    const [a, b] = withRootfs([c('a', 10), c('b', null)], cache, new Map([['a', image]]));
    assert.match(a?.rootfs?.error ?? '', /ENOENT/);
    assert.equal(a?.imageInfo, image);
    const plain = c('b', null);
    assert.deepEqual(b, plain);
    assert.equal(withRootfs([plain], null)[0], plain);
  });
});
