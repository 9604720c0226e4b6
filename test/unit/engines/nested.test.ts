// Engines inside containers (engines/nested.ts) on a /proc tree recorded from a real
// docker-in-docker on this machine (test/fixtures/engines/nested/README.md), a deliberately
// broken tree, and a fake inner Docker API on a unix socket in a temporary copy of the tree.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CgroupLimits } from '../../../shared/model';
import { discoverContainers } from '../../../electron/collector/discover/containers';
import { findHostNamespaces } from '../../../electron/collector/discover/host';
import {
  daemonKind, daemonSockets, findNestedDaemons, holdSocketInRoot, hostNamespace, NestedEngines, nestedEngineName, pidTranslator,
  readPidEntries, readPidSubtree, type NestedDaemon, type PidEntry,
} from '../../../electron/collector/engines/nested';
import type { EngineContainer } from '../../../electron/collector/engines/types';
import { record } from '../../helpers/records';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'engines', 'nested');
const PROC = path.join(FIX, 'proc');
const BROKEN = path.join(FIX, 'proc-broken');
const api = (name: string): string => fs.readFileSync(path.join(FIX, 'api', name), 'utf8');

/** The recorded docker-in-docker: the outer container, its dockerd (pid 1 inside), and the inner container's init. */
const OUTER = '6c519d41063f285c61796f4477a5619be7179129dd3a8b8865f9fbd7ba747603';
const INNER = 'babcb040130b005b579da38ce3b1663e99f5347cde3c9970faf051f660988b99';
const DAEMON = 23680;
const INNER_INIT = 23899;
const HOST_PID_NS = 4026531836;
const DAEMON_PID_NS = 4026533717;

describe('daemonKind', () => {
  const cases: [string, string, string[], ReturnType<typeof daemonKind>][] = [
    ['dockerd', 'dockerd', ['dockerd', '--iptables=false'], 'docker'],
    ['containerd', 'containerd', ['containerd', '--config', '/var/run/docker/containerd/containerd.toml'], 'containerd'],
    ['the shim is not containerd (comm is cut at 15 bytes)', 'containerd-shim', ['/usr/bin/containerd-shim-runc-v2'], null],
    ['podman system service', 'podman', ['podman', '--log-level=info', 'system', 'service', '--time=0'], 'podman'],
    ['another podman command', 'podman', ['podman', 'ps'], null],
    ['a shell', 'sh', ['sh', '-c', 'dockerd'], null],
  ];
  for (const [name, comm, argv, want] of cases) it(name, () => assert.equal(daemonKind(comm, argv), want));
});

describe('daemonSockets', () => {
  const cases: [string, Parameters<typeof daemonSockets>[0], string[], string[]][] = [
    ['dockerd defaults', 'docker', ['dockerd'], ['/run/docker.sock', '/var/run/docker.sock']],
    ['dockerd -H unix:// first, tcp and fd:// ignored', 'docker', ['dockerd', '-H', 'tcp://127.0.0.1:2375', '-H', 'unix:///srv/d.sock', '--host=fd://'],
      ['/srv/d.sock', '/run/docker.sock', '/var/run/docker.sock']],
    ['dockerd --host=unix:// and a relative path ignored', 'docker', ['dockerd', '--host=unix:///a.sock', '--host', 'unix://rel.sock'], ['/a.sock', '/run/docker.sock', '/var/run/docker.sock']],
    ['containerd --address', 'containerd', ['containerd', '--address', '/run/k3s/containerd/containerd.sock'], ['/run/k3s/containerd/containerd.sock', '/run/containerd/containerd.sock']],
    ['podman service URI', 'podman', ['podman', 'system', 'service', '--time=0', 'unix:///run/p.sock'], ['/run/p.sock', '/run/podman/podman.sock']],
  ];
  for (const [name, kind, argv, want] of cases) it(name, () => assert.deepEqual(daemonSockets(kind, argv), want));
});

describe('findNestedDaemons on the recorded tree', () => {
  it('takes the host mount namespace from kthreadd when PID 1 is unreadable', () => {
    assert.equal(hostNamespace(PROC, 'mnt'), 4026531832);
    assert.equal(hostNamespace(PROC, 'pid'), HOST_PID_NS);
  });

  it('finds the dockerd inside the outer container, not the host\'s dockerd/containerd, nor its own containerd', () => {
    const found = findNestedDaemons(PROC);
    assert.equal(found.length, 1, JSON.stringify(found.map((d) => [d.pid, d.kind])));
    const d = found[0];
    assert.ok(d);
    assert.equal(d.pid, DAEMON);
    assert.equal(d.kind, 'docker');
    assert.equal(d.mntNs, 4026533714);
    assert.equal(d.pidNs, DAEMON_PID_NS);
    assert.deepEqual(d.nspid, [DAEMON, 1]);
    assert.equal(d.outer?.id, OUTER);
    assert.equal(nestedEngineName(d), 'docker (inside 6c519d41063f)');
  });

  it('on the broken tree: skips a malformed status, missing ns links and other podman commands; a bad cgroup gives no outer container', () => {
    const found = findNestedDaemons(BROKEN);
    assert.deepEqual(found.map((d) => d.pid), [503]);
    const d = found[0];
    assert.ok(d);
    assert.equal(d.outer, null);
    assert.equal(nestedEngineName(d), 'docker (inside pid 503)');
    assert.deepEqual(daemonSockets(d.kind, d.cmdline), ['/custom/api.sock', '/run/docker.sock', '/var/run/docker.sock']);
  });

  it('finds nothing where /proc cannot be read', () => {
    assert.deepEqual(findNestedDaemons(path.join(FIX, 'no-such-proc')), []);
  });
});

describe('pid translation (NSpid)', () => {
  const daemon = { nspid: [DAEMON, 1], pidNs: DAEMON_PID_NS };

  it('reads every process outside the host pid namespace', () => {
    const table = readPidEntries(PROC, HOST_PID_NS);
    assert.deepEqual([...table.keys()].sort((a, b) => a - b), [11003, DAEMON, 23731, 23879, INNER_INIT]);
    assert.deepEqual(table.get(INNER_INIT), { pid: INNER_INIT, ppid: 23879, nspid: [INNER_INIT, 93, 1], pidNs: 4026533791 });
  });

  it('reads the daemon\'s pid namespace subtree through the children files', () => {
    const sub = readPidSubtree(PROC, DAEMON);
    assert.ok(sub);
    assert.deepEqual([...sub.keys()].sort((a, b) => a - b), [DAEMON, 23731, 23879, INNER_INIT]);
    assert.equal(readPidSubtree(BROKEN, 503), null, 'no children files: the caller falls back to the whole table');
  });

  const table = readPidEntries(PROC, HOST_PID_NS);
  const translate = pidTranslator(daemon, table);
  const cases: [string, number, number | null][] = [
    ['the inner container\'s init (State.Pid 93)', 93, INNER_INIT],
    ['the daemon itself is pid 1 of its namespace, not the other container\'s init whose NSpid is also [x, 1]', 1, DAEMON],
    ['its containerd', 26, 23731],
    ['a pid no process has (exited)', 999, null],
  ];
  for (const [name, nsPid, want] of cases) it(name, () => assert.equal(translate(nsPid), want));

  it('refuses a same-numbered process of another pid namespace at the same depth', () => {
    const decoy: PidEntry[] = [
      { pid: 7000, ppid: 1, nspid: [7000, 1], pidNs: 555 },
      { pid: 7001, ppid: 7000, nspid: [7001, 93], pidNs: 555 },
    ];
    const t = pidTranslator(daemon, new Map([...table, ...decoy.map((e): [number, PidEntry] => [e.pid, e])]));
    assert.equal(t(93), INNER_INIT);
    assert.equal(pidTranslator(daemon, new Map(decoy.map((e): [number, PidEntry] => [e.pid, e])))(93), null);
  });

  it('a daemon in the host pid namespace reports host pids; an unknown pid namespace translates nothing', () => {
    assert.equal(pidTranslator({ nspid: [10663], pidNs: HOST_PID_NS }, new Map())(4242), 4242);
    assert.equal(pidTranslator({ nspid: [DAEMON, 1], pidNs: null }, table)(93), null);
  });
});

/** A fake Docker API answering with what the inner dockerd answered (test/fixtures/engines/nested/api). */
function innerApi(req: http.IncomingMessage, res: http.ServerResponse): void {
  const p = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/v[\d.]+/, '');
  const body = p === '/version' ? api('version.json') : p === '/containers/json' ? api('list-running.json') : p === `/containers/${INNER}/json` ? api('inspect-inner.json') : null;
  res.writeHead(body === null ? 404 : 200, { 'Content-Type': 'application/json' });
  res.end(body ?? '{"message":"not found"}');
}

const listen = (srv: http.Server, sock: string): Promise<void> => new Promise((resolve) => srv.listen(sock, resolve));

describe('holdSocketInRoot', () => {
  let dir = '';
  const servers: http.Server[] = [];
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-nested-'));
    fs.mkdirSync(path.join(dir, 'root', 'run'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'root', 'var'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'hostrun'));
    fs.symlinkSync('/run', path.join(dir, 'root', 'var', 'run')); // as in Debian images: absolute
    for (const s of [path.join(dir, 'root', 'run', 'docker.sock'), path.join(dir, 'hostrun', 'docker.sock')]) {
      const srv = http.createServer(innerApi);
      servers.push(srv);
      await listen(srv, s);
    }
    fs.writeFileSync(path.join(dir, 'root', 'run', 'plain'), 'not a socket');
    fs.symlinkSync(path.join(dir, 'hostrun'), path.join(dir, 'root', 'escape')); // absolute host path
    fs.symlinkSync('../../../../../../../../hostrun', path.join(dir, 'root', 'dots'));
    fs.symlinkSync('loop-b', path.join(dir, 'root', 'loop-a'));
    fs.symlinkSync('loop-a', path.join(dir, 'root', 'loop-b'));
  });
  after(() => {
    for (const s of servers) s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, string, string | RegExp][] = [
    ['a socket in a directory', '/run/docker.sock', '/run/docker.sock'],
    ['an absolute symlink restarts at the container\'s root (/var/run -> /run)', '/var/run/docker.sock', '/run/docker.sock'],
    ['an absolute symlink never reaches the host\'s path of the same name', '/escape/docker.sock', /ENOENT/],
    ['`..` stops at the container\'s root', '/dots/docker.sock', /ENOENT/],
    ['a regular file', '/run/plain', /not a socket/],
    ['a symlink loop', '/loop-a/docker.sock', /ELOOP/],
    ['a missing socket', '/run/containerd/containerd.sock', /ENOENT/],
  ];
  for (const [name, sock, want] of cases) {
    it(name, () => {
      const h = holdSocketInRoot(path.join(dir, 'root'), sock);
      if (typeof want === 'string') {
        assert.ok(typeof h !== 'string', String(h));
        assert.equal(h.path, want);
        assert.ok(fs.statSync(`/proc/self/fd/${h.dirFd}/${h.name}`).isSocket());
        h.close();
      } else {
        assert.equal(typeof h, 'string');
        assert.match(h as string, want);
      }
    });
  }

  it('a root that cannot be opened', () => {
    assert.match(holdSocketInRoot(path.join(dir, 'nope'), '/run/docker.sock') as string, /ENOENT/);
  });
});

describe('NestedEngines on a copy of the recorded tree with the inner API on a socket', () => {
  let dir = '';
  let proc = '';
  let sock = '';
  const srv = http.createServer(innerApi);
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-nested-'));
    proc = path.join(dir, 'proc');
    fs.cpSync(PROC, proc, { recursive: true, verbatimSymlinks: true });
    // The scratch image of the outer container has a real /var/run directory (no /run symlink).
    fs.mkdirSync(path.join(proc, String(DAEMON), 'root', 'var', 'run'), { recursive: true });
    sock = path.join(proc, String(DAEMON), 'root', 'var', 'run', 'docker.sock');
    await listen(srv, sock);
  });
  after(() => {
    srv.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports the inner engine and its container with its inner name and image, a host pid and where it runs', async () => {
    const reports = await new NestedEngines({ procRoot: proc, hostSockets: [] }).collectAll();
    assert.equal(reports.length, 1);
    const r = reports[0];
    assert.ok(r);
    assert.deepEqual(r.status, { name: 'docker (inside 6c519d41063f)', available: true, endpoint: `unix://${sock}`, version: '20.10.24+dfsg1', error: null });
    assert.equal(r.containers.length, 1);
    const c = r.containers[0];
    assert.ok(c);
    assert.equal(c.id, INNER);
    assert.equal(c.name, 'inner1');
    assert.equal(c.image, 'isolens/hello:test');
    assert.equal(c.engine, 'docker');
    assert.equal(c.pid, INNER_INIT, 'State.Pid 93 translated to the host pid');
    assert.deepEqual(c.nestedIn, { enginePid: DAEMON, containerId: OUTER, engineName: 'docker (inside 6c519d41063f)' });
  });

  it('leaves out a daemon whose socket is one of the host\'s (the host engine seen from another mount namespace)', async () => {
    assert.deepEqual(await new NestedEngines({ procRoot: proc, hostSockets: [sock] }).collectAll(), []);
  });

  it('one daemon without a socket does not hide another', async () => {
    const found = findNestedDaemons(proc);
    const ghost: NestedDaemon = { ...(found[0] as NestedDaemon), pid: 23731, outer: null };
    const reports = await new NestedEngines({ procRoot: proc, hostSockets: [], findDaemons: () => [...found, ghost] }).collectAll();
    assert.equal(reports.length, 2);
    assert.equal(reports[0]?.status.available, true);
    assert.equal(reports[0]?.containers.length, 1);
    assert.equal(reports[1]?.status.name, 'docker (inside pid 23731)');
    assert.equal(reports[1]?.status.available, false);
    assert.equal(reports[1]?.status.error, `no API socket found in its root (${proc}/23731/root: ENOENT)`);
  });

  it('two daemons asked again and again each answer for themselves (keep-alive pools by socket path; fd numbers are reused)', async () => {
    const other = http.createServer((req, res) => {
      const p = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/v[\d.]+/, '');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(p === '/version' ? api('version.json') : '[]');
    });
    const root = path.join(proc, '23731', 'root', 'run');
    fs.mkdirSync(root, { recursive: true });
    await listen(other, path.join(root, 'docker.sock'));
    try {
      const found = findNestedDaemons(proc);
      const second: NestedDaemon = { ...(found[0] as NestedDaemon), pid: 23731 };
      for (let i = 0; i < 4; i++) {
        const reports = await new NestedEngines({ procRoot: proc, hostSockets: [], findDaemons: () => (i % 2 === 0 ? [...found, second] : [second, ...found]) }).collectAll();
        const byPid = new Map(reports.map((r) => [r.status.endpoint, r.containers.map((c) => c.name)]));
        assert.deepEqual(byPid.get(`unix://${sock}`), ['inner1'], `round ${i}`);
        assert.deepEqual(byPid.get(`unix://${path.join(root, 'docker.sock')}`), [], `round ${i}`);
      }
    } finally {
      other.close();
    }
  });

  it('reuses a scan for rescanMs, dropping a daemon that no longer runs', async () => {
    let scans = 0;
    let now = 0;
    const engines = new NestedEngines({ procRoot: proc, hostSockets: [], now: () => now, findDaemons: () => (scans++, findNestedDaemons(proc)) });
    assert.equal((await engines.collectAll()).length, 1);
    now = 5000;
    fs.writeFileSync(path.join(proc, String(DAEMON), 'comm'), 'sh\n');
    try {
      assert.deepEqual(await engines.collectAll(), []);
      assert.equal(scans, 1);
    } finally {
      fs.writeFileSync(path.join(proc, String(DAEMON), 'comm'), 'dockerd\n');
    }
    now = 20_000;
    assert.equal((await engines.collectAll()).length, 1);
    assert.equal(scans, 2);
  });
});

describe('discoverContainers with a nested engine', () => {
  const LIMITS: CgroupLimits = { memoryBytes: null, cpus: null, pidsMax: null, cpuset: null };
  const host = findHostNamespaces(new Map([[2, record(2, 0)]]));
  const cg = (p: string) => ({ cgroup: p, cgroups: [{ hierarchyId: 4, controllers: ['memory'], path: p }] });
  const inner = (over: Partial<EngineContainer> = {}): EngineContainer => ({
    id: INNER, name: 'inner1', engine: 'docker', image: 'isolens/hello:test', imageId: null, state: 'running', pid: 400, labels: {},
    config: { privileged: false, capAdd: [], capDrop: [], securityOpt: [], namespaceModes: {}, user: null, readOnlyRootfs: false },
    createdAt: null, startedAt: null, nestedIn: { enginePid: 300, containerId: OUTER, engineName: 'docker (inside 6c519d41063f)' }, ...over,
  });

  it('nests under the container the daemon runs in when the inner cgroup path does not say so', () => {
    // The outer container shares the host cgroup namespace: the inner engine made /docker/<inner> at the top.
    const procs = [record(2, 0), record(300, 1, { ...cg(`/docker/${OUTER}`), nspid: [300, 1] }), record(400, 300, { ...cg(`/docker/${INNER}`), nspid: [400, 5, 1] })];
    const { containers } = discoverContainers(procs, [inner()], host, () => LIMITS);
    const c = containers.find((x) => x.id === INNER);
    assert.equal(c?.name, 'inner1');
    assert.equal(c?.pid, 400);
    assert.equal(c?.parentId, OUTER);
  });

  it('keeps the parent the inner cgroup path names (docker-in-docker: /docker/<outer>/docker/<inner>)', () => {
    const procs = [record(2, 0), record(300, 1, { ...cg(`/docker/${OUTER}`) }), record(400, 300, { ...cg(`/docker/${OUTER}/docker/${INNER}`) })];
    const { containers } = discoverContainers(procs, [inner({ nestedIn: { enginePid: 300, containerId: 'elsewhere', engineName: 'x' } })], host, () => LIMITS);
    assert.equal(containers.find((x) => x.id === INNER)?.parentId, OUTER);
  });

  it('takes its processes back from the outer container when its cgroup path names only that one (plain containerd: /docker/<outer>/<ns>/<id>)', () => {
    const innerNs = { pid: 960, pid_for_children: 960, mnt: 961 };
    const procs = [record(2, 0), record(300, 1, { ...cg(`/docker/${OUTER}`), ns: { pid: 950, pid_for_children: 950 }, nspid: [300, 1] }),
      record(400, 300, { ...cg(`/docker/${OUTER}/isotest/inner-ctr`), ns: innerNs, nspid: [400, 66, 1] }),
      record(401, 400, { ...cg(`/docker/${OUTER}/isotest/inner-ctr`), ns: innerNs, nspid: [401, 67, 2] })];
    const ctr = inner({ id: 'containerd:isotest/inner-ctr', name: 'inner-ctr', engine: 'containerd', pid: 400 });
    const { containers, containerIdByPid } = discoverContainers(procs, [ctr], host, () => LIMITS);
    const c = containers.find((x) => x.id === ctr.id);
    assert.deepEqual(c?.pids, [400, 401]);
    assert.equal(c?.parentId, OUTER);
    assert.deepEqual(containers.find((x) => x.id === OUTER)?.pids, [300]);
    assert.equal(containerIdByPid.get(401), ctr.id);
  });

  it('falls back to the daemon\'s cgroup container when its process is not in the table', () => {
    const procs = [record(2, 0), record(400, 1, { ...cg(`/docker/${INNER}`) })];
    const { containers } = discoverContainers(procs, [inner()], host, () => LIMITS);
    assert.equal(containers.find((x) => x.id === INNER)?.parentId, OUTER);
  });
});
