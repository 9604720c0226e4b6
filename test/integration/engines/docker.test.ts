// DockerEngine against this machine's dockerd, with a real container started for the test.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import diagnostics_channel from 'node:diagnostics_channel';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DockerEngine } from '../../../electron/collector/engines/docker';
import { dockerSkip, isRoot, requireOrSkip } from '../../helpers/require';

const IMAGE = 'isolens/busybox:test';
const ROOT = path.resolve(__dirname, '..', '..', '..');
const SECRET = `isolens-secret-${process.pid}-${Date.now()}`;

const docker = (...args: string[]): string =>
  execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).trim();

/** Builds isolens/busybox:test from the host's busybox unless it exists (same recipe as the other test scripts). */
function ensureImage(): void {
  try {
    docker('image', 'inspect', IMAGE);
    return;
  } catch {
    // not there yet: import it
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-bb-'));
  try {
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.copyFileSync('/bin/busybox', path.join(dir, 'bin', 'busybox'));
    fs.chmodSync(path.join(dir, 'bin', 'busybox'), 0o755);
    fs.symlinkSync('busybox', path.join(dir, 'bin', 'sh'));
    fs.symlinkSync('busybox', path.join(dir, 'bin', 'sleep'));
    execFileSync('sh', ['-c', `tar -C '${dir}' -c . | docker import - ${IMAGE}`], { stdio: 'pipe', timeout: 60_000 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(name: string, ...extra: string[]): string {
  return docker('run', '-d', '--network', 'none', '--label', 'isolens.test=1', '--name', name, ...extra, IMAGE, 'sleep', '1000');
}

describe('DockerEngine against the real dockerd', { skip: dockerSkip() }, () => {
  const name = `isolens-engines-${process.pid}`;
  const gone = `isolens-engines-gone-${process.pid}`;
  const created = `isolens-engines-created-${process.pid}`;
  let id = '';
  let dir = '';

  before(() => {
    ensureImage();
    id = run(name, '--cap-add', 'NET_ADMIN', '--pid', 'host', '-e', `ISOLENS_TEST_SECRET=${SECRET}`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-engines-'));
  });
  after(() => {
    for (const n of [name, gone, created]) {
      try { docker('rm', '-f', n); } catch { /* already gone */ }
    }
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  it('probe() reports the server version', async () => {
    const st = await new DockerEngine().probe();
    assert.deepEqual(st, {
      name: 'docker', available: true, endpoint: 'unix:///var/run/docker.sock',
      version: docker('version', '-f', '{{.Server.Version}}'), error: null,
    });
  });

  it('listContainers() shows the test container as dockerd inspects it', async () => {
    const all = await new DockerEngine().listContainers();
    const c = all.find((x) => x.id === id);
    assert.ok(c, `container ${id} not listed`);
    const pid = Number(docker('inspect', '-f', '{{.State.Pid}}', id));
    assert.ok(pid > 0);
    assert.equal(c.pid, pid);
    assert.equal(c.name, name);
    assert.equal(c.engine, 'docker');
    assert.equal(c.image, IMAGE);
    assert.equal(c.imageId, docker('inspect', '-f', '{{.Image}}', id));
    assert.equal(c.state, 'running');
    assert.equal(c.labels['isolens.test'], '1');
    assert.equal(c.config.namespaceModes.pid, 'host');
    assert.equal(c.config.namespaceModes.net, 'none');
    assert.deepEqual(c.config.capAdd, ['NET_ADMIN']);
    assert.equal(c.config.privileged, false);
    assert.ok(c.startedAt !== null && c.createdAt !== null);
    assert.ok(!JSON.stringify(all).includes(SECRET), 'Config.Env leaked');
  });

  it("the container's pid is a host process running sleep", async () => {
    const c = (await new DockerEngine().listContainers()).find((x) => x.id === id);
    assert.ok(c?.pid);
    assert.equal(fs.readFileSync(`/proc/${c.pid}/comm`, 'utf8').trim(), 'sleep');
  });

  it('listContainers() leaves out a removed container and one never started', async () => {
    const goneId = run(gone);
    const createdId = docker('create', '--network', 'none', '--label', 'isolens.test=1', '--name', created, IMAGE, 'sleep', '1000');
    const engine = new DockerEngine();
    const before = await engine.listContainers();
    assert.ok(before.some((x) => x.id === goneId));
    assert.ok(!before.some((x) => x.id === createdId));
    docker('rm', '-f', gone);
    assert.ok(!(await engine.listContainers()).some((x) => x.id === goneId));
  });

  it('watch() asks for a relist on start, die and destroy, not on create, kill or stop', async () => {
    const engine = new DockerEngine();
    const seen: { action: string; id: string | null }[] = [];
    let connected: () => void = () => undefined;
    const up = new Promise<void>((resolve) => (connected = resolve));
    const unwatch = engine.watch({ changed: (action, cid) => seen.push({ action, id: cid }), state: (ok) => { if (ok) connected(); } });
    const watchedName = `isolens-engines-watched-${process.pid}`;
    try {
      await up;
      const cid = docker('create', '--network', 'none', '--label', 'isolens.test=1', '--name', watchedName, IMAGE, 'sleep', '1000');
      docker('start', cid);
      docker('stop', '-t', '0', cid);
      docker('rm', cid);
      const of = (): string[] => seen.filter((x) => x.id === cid).map((x) => x.action);
      for (let i = 0; i < 100 && !of().includes('destroy'); i++) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(of(), ['start', 'die', 'destroy']);
    } finally {
      unwatch();
      try { docker('rm', '-f', watchedName); } catch { /* removed above */ }
    }
  });

  it('a start event has the version and the running containers asked at once: the relist it causes sends no request of its own', async () => {
    // Counts the engine's connections (keepAlive off: one per request); the event stream has its own client.
    let connections = 0;
    const agent = new http.Agent({ keepAlive: false });
    const connect = agent.createConnection.bind(agent);
    agent.createConnection = (opts, cb) => {
      connections++;
      return connect(opts, cb);
    };
    const engine = new DockerEngine({ agent });
    const started = new Set<string>();
    let connected: () => void = () => undefined;
    const up = new Promise<void>((resolve) => (connected = resolve));
    const unwatch = engine.watch({ changed: (action, cid) => { if (action === 'start' && cid !== null) started.add(cid); }, state: (ok) => { if (ok) connected(); } });
    const prefetchName = `isolens-engines-prefetch-${process.pid}`;
    try {
      await up;
      const cid = run(prefetchName);
      for (let i = 0; i < 100 && !started.has(cid); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(started.has(cid), 'the start event came');
      // The prefetch has had time to finish (version, list, one inspect).
      for (let i = 0; i < 100 && connections < 3; i++) await new Promise((r) => setTimeout(r, 50));
      const asked = connections;
      assert.equal((await engine.probe()).available, true);
      assert.ok((await engine.listContainers()).some((c) => c.id === cid && c.name === prefetchName), 'the prefetched list has the new container');
      assert.equal(connections, asked, 'probe() and listContainers() took the prefetched answers');
      await engine.listContainers();
      assert.ok(connections > asked, 'each is taken once: the next list asks dockerd');
    } finally {
      unwatch();
      try { docker('rm', '-f', prefetchName); } catch { /* not started */ }
    }
  });

  it('probe() reads /version once and then only pings dockerd (which answers /version by running runc and docker-init)', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const asked: string[] = [];
    const onRequest = (message: unknown): void => {
      const req = (message as { request: http.ClientRequest & { agent?: http.Agent } }).request;
      if (req.agent === agent) asked.push(req.path.replace(/^\/v[\d.]+/, ''));
    };
    diagnostics_channel.subscribe('http.client.request.start', onRequest);
    try {
      const engine = new DockerEngine({ agent });
      for (let i = 0; i < 3; i++) assert.match((await engine.probe()).version ?? '', /^\d+\.\d+/);
      assert.deepEqual(asked, ['/version', '/_ping', '/_ping']);
    } finally {
      diagnostics_channel.unsubscribe('http.client.request.start', onRequest);
      agent.destroy();
    }
  });

  it('probe() on a socket path that does not exist', async () => {
    const sock = path.join(dir, 'nope.sock');
    const st = await new DockerEngine({ endpoint: `unix://${sock}` }).probe();
    assert.equal(st.available, false);
    assert.equal(st.error, `socket ${sock} not found (is dockerd running?)`);
  });

  it('probe() on a socket path that is a plain file', async () => {
    const file = path.join(dir, 'plain.sock');
    fs.writeFileSync(file, '');
    const st = await new DockerEngine({ endpoint: file }).probe();
    assert.equal(st.available, false);
    assert.match(st.error ?? '', /is not a socket/);
  });

  it('probe() as a user outside the docker group reports permission denied', (t) => {
    if (!requireOrSkip(t, isRoot, 'needs root to switch to the nobody user')) return;
    const script = "const {DockerEngine}=require('./electron/collector/engines/docker');"
      + 'new DockerEngine().probe().then((s)=>process.stdout.write(JSON.stringify(s)))';
    const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', '-e', script], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir(), DOCKER_HOST: '' }, timeout: 60_000,
    });
    const st = JSON.parse(out) as { available: boolean; error: string };
    assert.equal(st.available, false);
    assert.equal(st.error, 'permission denied on /var/run/docker.sock: add the user to the docker group or run as root');
  });
});
