import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mapInspect } from '../../../electron/collector/engines/docker';
import { PodmanEngine, podmanReason, podmanSockets, rootlessPodmanSocket } from '../../../electron/collector/engines/podman';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'engines', 'podman');
const read = (f: string): string => fs.readFileSync(path.join(FIX, f), 'utf8');

describe('podman sockets', () => {
  it('root asks only the rootful socket', () => assert.deepEqual(podmanSockets({}, 0), ['/run/podman/podman.sock']));
  it('a user also asks $XDG_RUNTIME_DIR/podman/podman.sock', () => {
    assert.deepEqual(podmanSockets({ XDG_RUNTIME_DIR: '/run/user/1000' }, 1000), ['/run/podman/podman.sock', '/run/user/1000/podman/podman.sock']);
  });
  it('without XDG_RUNTIME_DIR, /run/user/UID', () => assert.equal(rootlessPodmanSocket({}, 1001), '/run/user/1001/podman/podman.sock'));
  it('a relative XDG_RUNTIME_DIR is ignored', () => assert.equal(rootlessPodmanSocket({ XDG_RUNTIME_DIR: 'tmp' }, 5), '/run/user/5/podman/podman.sock'));
});

describe('podmanReason', () => {
  const cases: { name: string; text: string; want: string }[] = [
    { name: 'missing socket', text: 'socket /run/podman/podman.sock not found (is dockerd running?)', want: 'socket /run/podman/podman.sock not found (is `podman system service` or podman.socket running?)' },
    { name: 'permissions', text: 'permission denied on /x: add the user to the docker group or run as root', want: 'permission denied on /x: run as root for the rootful socket, or use your rootless one' },
    { name: 'HTTP error', text: 'dockerd at /x answered HTTP 500: boom', want: 'podman at /x answered HTTP 500: boom' },
    { name: 'other text is kept', text: 'no answer from unix:///x within 3000 ms', want: 'no answer from unix:///x within 3000 ms' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(podmanReason(c.text), c.want));
});

describe('Podman 4.3 compat inspect JSON (real, this machine)', () => {
  it('maps through DockerEngine\'s mapper: name, pid, image, Podman\'s default cap drops and modes', () => {
    const c = mapInspect(JSON.parse(read('inspect-running.json')));
    assert.equal(c.id, '7cca94b71b524d7d8d7980631ba16e032419fb723fa978f5c44d24f8c5909d85');
    assert.equal(c.name, 'isolens-probe');
    assert.equal(c.pid, 18348);
    assert.equal(c.image, 'localhost/isolens/busybox:test');
    assert.deepEqual(c.config.capDrop, ['AUDIT_WRITE', 'MKNOD', 'NET_RAW']);
    assert.equal(c.config.namespaceModes.net, 'none');
    assert.equal(c.config.namespaceModes.pid, 'private');
  });
});

describe('PodmanEngine against a fake Podman socket', () => {
  let dir: string;
  let server: http.Server;
  let socket: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-podman-'));
    socket = path.join(dir, 'podman.sock');
    server = http.createServer((req, res) => {
      const url = req.url ?? '';
      res.setHeader('Content-Type', 'application/json');
      if (/\/version$/.test(url)) res.end(read('version.json'));
      else if (/\/containers\/json/.test(url)) res.end(read('list-running.json'));
      else if (/\/containers\/[0-9a-f]{64}\/json$/.test(url)) res.end(read('inspect-running.json'));
      else {
        res.statusCode = 404;
        res.end('{"message":"no such thing"}');
      }
    });
    await new Promise<void>((r) => server.listen(socket, r));
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('probes as podman with Podman\'s version', async () => {
    const s = await new PodmanEngine({ socket }).probe();
    assert.deepEqual(s, { name: 'podman', available: true, endpoint: `unix://${socket}`, version: '4.3.1', error: null });
  });

  it('lists containers tagged with engine podman', async () => {
    const list = await new PodmanEngine({ socket }).listContainers();
    assert.equal(list.length, 1);
    assert.equal(list[0]?.engine, 'podman');
    assert.equal(list[0]?.name, 'isolens-probe');
  });

  it('a missing socket is unavailable with a Podman reason, and listing rejects as podman', async () => {
    const e = new PodmanEngine({ socket: path.join(dir, 'nope.sock') });
    const s = await e.probe();
    assert.equal(s.name, 'podman');
    assert.equal(s.available, false);
    assert.match(s.error ?? '', /podman/);
    assert.doesNotMatch(s.error ?? '', /dockerd/);
    await assert.rejects(e.listContainers(), (err: Error & { engine?: string }) => err.name === 'EngineError' && err.engine === 'podman');
  });
});
