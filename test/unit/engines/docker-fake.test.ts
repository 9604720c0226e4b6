// DockerEngine against fake Docker APIs on a temporary unix socket and on 127.0.0.1, answering
// with JSON recorded from this machine's dockerd (test/fixtures/engines).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DockerEngine } from '../../../electron/collector/engines/docker';
import { EngineError } from '../../../electron/collector/engines/types';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'engines');
const fixture = (name: string): string => fs.readFileSync(path.join(FIX, name), 'utf8');
const RUNNING = JSON.parse(fixture('list-running.json')) as { Id: string }[];
const INSPECT_A = fixture('inspect-restricted.json');
const GONE_ID = 'f'.repeat(64);
const BROKEN_ID = 'e'.repeat(64);

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const json = (res: http.ServerResponse, status: number, body: string): void => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body);
};

/** A Docker API with containers A (running, inspectable) and GONE (listed, then 404 on inspect). */
function dockerLike(listIds: string[]): Handler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname.replace(/^\/v[\d.]+/, '');
    if (p === '/version') return json(res, 200, fixture('version.json'));
    if (p === '/_ping') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Api-Version': '1.41', Server: 'Docker/20.10.24+dfsg1 (linux)' });
      return void res.end('OK');
    }
    if (p === '/containers/json') {
      assert.equal(url.searchParams.get('all'), 'false');
      return json(res, 200, JSON.stringify(listIds.map((id) => (id === RUNNING[0]?.Id ? RUNNING[0] : { ...RUNNING[0], Id: id }))));
    }
    const m = /^\/containers\/([0-9a-f]+)\/json$/.exec(p);
    if (m?.[1] === RUNNING[0]?.Id) return json(res, 200, INSPECT_A);
    if (m?.[1] === BROKEN_ID) return json(res, 500, '{"message":"inspect exploded"}');
    return json(res, 404, `{"message":"No such container: ${m?.[1] ?? p}"}`);
  };
}

describe('DockerEngine on fake APIs', () => {
  let dir = '';
  const servers: http.Server[] = [];
  const listenUnix = async (name: string, handler: Handler): Promise<string> => {
    const sock = path.join(dir, name);
    const srv = http.createServer(handler);
    servers.push(srv);
    await new Promise<void>((resolve) => srv.listen(sock, resolve));
    return sock;
  };
  const listenTcp = async (handler: Handler): Promise<number> => {
    const srv = http.createServer(handler);
    servers.push(srv);
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    return (srv.address() as AddressInfo).port;
  };

  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-docker-')); });
  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('probe() reads the version over a unix socket', async () => {
    const sock = await listenUnix('ok.sock', dockerLike([]));
    const st = await new DockerEngine({ endpoint: sock }).probe();
    assert.deepEqual(st, { name: 'docker', available: true, endpoint: `unix://${sock}`, version: '20.10.24+dfsg1', error: null });
  });

  it('probe() reads the version over tcp on 127.0.0.1 (DOCKER_HOST)', async () => {
    const port = await listenTcp(dockerLike([]));
    const st = await new DockerEngine({ env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` } }).probe();
    assert.equal(st.available, true);
    assert.equal(st.endpoint, `tcp://127.0.0.1:${port}`);
    assert.equal(st.version, '20.10.24+dfsg1');
  });

  it('probe() on a missing socket says so', async () => {
    const sock = path.join(dir, 'missing.sock');
    const st = await new DockerEngine({ endpoint: sock }).probe();
    assert.equal(st.available, false);
    assert.equal(st.error, `socket ${sock} not found (is dockerd running?)`);
  });

  it('probe() on a plain file says it is not a socket', async () => {
    const file = path.join(dir, 'plain');
    fs.writeFileSync(file, 'not a socket');
    const st = await new DockerEngine({ endpoint: file }).probe();
    assert.equal(st.available, false);
    assert.equal(st.error, `${file} is not a socket (is dockerd running?)`);
  });

  it('probe() on a socket that never answers times out', async () => {
    const sock = await listenUnix('hang.sock', () => { /* never answers */ });
    const started = Date.now();
    const st = await new DockerEngine({ endpoint: sock, probeTimeoutMs: 300 }).probe();
    assert.equal(st.available, false);
    assert.equal(st.error, `no answer from unix://${sock} within 300 ms`);
    assert.ok(Date.now() - started < 2000);
  });

  it('probe() on an HTTP server that is not Docker', async () => {
    const sock = await listenUnix('other.sock', (_req, res) => json(res, 200, '{"hello":"world"}'));
    const st = await new DockerEngine({ endpoint: sock }).probe();
    assert.equal(st.available, false);
    assert.match(st.error ?? '', /without a Version/);
  });

  it('probe() on a server answering 500', async () => {
    const sock = await listenUnix('500.sock', (_req, res) => json(res, 500, '{"message":"daemon is sick"}'));
    const st = await new DockerEngine({ endpoint: sock }).probe();
    assert.equal(st.available, false);
    assert.equal(st.error, `dockerd at ${sock} answered HTTP 500: daemon is sick`);
  });

  it('probe() on a server that drops the connection', async () => {
    const sock = await listenUnix('drop.sock', (req) => req.socket.destroy());
    const st = await new DockerEngine({ endpoint: sock }).probe();
    assert.equal(st.available, false);
    assert.match(st.error ?? '', /closed the connection|socket hang up/);
  });

  it('listContainers() maps inspected containers and silently drops one removed after the list', async () => {
    const id = RUNNING[0]?.Id ?? '';
    const sock = await listenUnix('list.sock', dockerLike([id, GONE_ID]));
    const got = await new DockerEngine({ endpoint: sock }).listContainers();
    assert.equal(got.length, 1);
    assert.equal(got[0]?.id, id);
    assert.equal(got[0]?.name, 'isolens-fx-engines-a');
    assert.equal(got[0]?.pid, 17153);
    assert.ok(!JSON.stringify(got).includes('hunter2'));
  });

  it('listContainers() with no containers', async () => {
    const sock = await listenUnix('empty.sock', dockerLike([]));
    assert.deepEqual(await new DockerEngine({ endpoint: sock }).listContainers(), []);
  });

  it('listContainers() rejects with EngineError when inspect fails otherwise', async () => {
    const sock = await listenUnix('broken.sock', dockerLike([RUNNING[0]?.Id ?? '', BROKEN_ID]));
    await assert.rejects(new DockerEngine({ endpoint: sock }).listContainers(), (e: unknown) =>
      e instanceof EngineError && e.engine === 'docker' && /answered HTTP 500: inspect exploded/.test(e.message));
  });

  it('probe() reads /version once, then only pings while the version stands; a failure or the time limit asks again', async () => {
    const asked: string[] = [];
    let sick = false;
    const api = dockerLike([]);
    const sock = await listenUnix('ping.sock', (req, res) => {
      const p = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/v[\d.]+/, '');
      asked.push(p);
      if (sick) return json(res, 500, '{"message":"daemon is sick"}');
      api(req, res);
    });
    const engine = new DockerEngine({ endpoint: sock });
    for (let i = 0; i < 3; i++) assert.equal((await engine.probe()).version, '20.10.24+dfsg1');
    assert.deepEqual(asked, ['/version', '/_ping', '/_ping']);
    sick = true;
    const down = await engine.probe();
    assert.equal(down.available, false);
    assert.equal(down.error, `dockerd at ${sock} answered HTTP 500: daemon is sick`);
    sick = false;
    asked.length = 0;
    assert.equal((await engine.probe()).version, '20.10.24+dfsg1');
    assert.deepEqual(asked, ['/version'], 'a dockerd that failed may have been restarted as another version');
    asked.length = 0;
    const always = new DockerEngine({ endpoint: sock, versionTtlMs: 0 });
    await always.probe();
    await always.probe();
    assert.deepEqual(asked, ['/version', '/version']);
  });

  it('listContainers() rejects with EngineError on a missing socket', async () => {
    const sock = path.join(dir, 'missing2.sock');
    await assert.rejects(new DockerEngine({ endpoint: sock }).listContainers(), (e: unknown) =>
      e instanceof EngineError && e.message === `socket ${sock} not found (is dockerd running?)` && e.endpoint === `unix://${sock}`);
  });

  it('listContainers() times out as a whole', async () => {
    const sock = await listenUnix('hang2.sock', () => { /* never answers */ });
    await assert.rejects(new DockerEngine({ endpoint: sock, listTimeoutMs: 300 }).listContainers(), { name: 'EngineError', message: /within 300 ms/ });
  });
});
