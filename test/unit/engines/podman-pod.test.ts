// Podman pods and Podman's on-disk state, on real files copied from this machine (Podman 4.3.1,
// test/fixtures/engines/podman/pod/README.md) and a deliberately broken copy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attributeCgroupPath } from '../../../electron/collector/cgroupfs/attribution';
import { BoltFormatError, openBolt } from '../../../electron/collector/engines/podman-bolt';
import { readLibpodState, readPodmanDisk } from '../../../electron/collector/engines/podman-disk';
import { LibpodApiError, parseLibpodList } from '../../../electron/collector/engines/podman-libpod';
import { parseLibpodState } from '../../../electron/collector/engines/podman-state';
import {
  parseStorageConf, parseStorageContainers, podmanStorageRoots, PodmanStorageError, readStorageContainers, type StorageRoots,
} from '../../../electron/collector/engines/podman-storage';
import { PodmanEngine } from '../../../electron/collector/engines/podman';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'engines', 'podman');
const POD_DIR = path.join(FIX, 'pod');
const BROKEN = path.join(FIX, 'pod-broken');
const read = (f: string): string => fs.readFileSync(path.join(POD_DIR, f), 'utf8');

const POD = '1b3f6ec39b6af7078801007d15ae3caa10fa25b30acb009f71c64038785cd43d';
const INFRA = '765357ba770a15f156375f6157df8e50876dde14e36e9a2eb6f64f2b56329e60';
const A = 'f00a1f385c728bdfab014985ca6a30632a4ce37838d38abaae7175ef1e3e51e5';
const B = '0f196c272662937de020c76ddd588d8089716f3a2ec0887d1b2e31af81e89d34';
const PIDS: Readonly<Record<string, number>> = { [INFRA]: 22854, [A]: 22900, [B]: 22932 };
const ROOTS: StorageRoots = { graphRoot: path.join(POD_DIR, 'graphroot'), runRoot: path.join(POD_DIR, 'runroot'), driver: null };
const POD_REF = { name: 'isotest-pod', namespace: '', uid: POD, kind: 'podman' } as const;

/** A procfs stand-in holding only /proc/PID directories for the given pids. */
function fakeProc(pids: readonly number[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-podman-proc-'));
  for (const p of pids) fs.mkdirSync(path.join(dir, String(p)));
  return dir;
}

describe('bbolt reader (libpod bolt_state.db)', () => {
  it('lists the top-level buckets of the real database', () => {
    const root = openBolt(fs.readFileSync(path.join(ROOTS.graphRoot, 'libpod', 'bolt_state.db')));
    const keys = root.entries().map((e) => e.key.toString());
    for (const k of ['all-ctrs', 'allPods', 'ctr', 'id-registry', 'name-registry', 'pod', 'runtime-config']) assert.ok(keys.includes(k), k);
    assert.equal(root.bucket('runtime-config')?.get('graph-root')?.toString(), '/var/lib/containers/storage');
    assert.equal(root.bucket('name-registry')?.get('isotest-a')?.toString(), A);
    assert.equal(root.get('ctr'), null, 'a bucket is not a value');
    assert.equal(root.bucket('nope'), null);
  });
  const bad: { name: string; file: Buffer }[] = [
    { name: 'empty file', file: Buffer.alloc(0) },
    { name: 'not bbolt (JSON)', file: Buffer.from('[{"id":"x"}]') },
    { name: 'zeroes', file: Buffer.alloc(8192) },
  ];
  for (const c of bad) it(`throws BoltFormatError: ${c.name}`, () => assert.throws(() => openBolt(c.file), BoltFormatError));
  it('throws BoltFormatError when the root page is past the end (broken fixture: the meta page alone)', () => {
    const root = openBolt(fs.readFileSync(path.join(BROKEN, 'graphroot', 'libpod', 'bolt_state.db')));
    assert.throws(() => root.entries(), BoltFormatError);
  });
  it('a meta page with a wrong checksum is not used (the other one is)', () => {
    const file = Buffer.from(fs.readFileSync(path.join(ROOTS.graphRoot, 'libpod', 'bolt_state.db')));
    file[16 + 48] = (file[16 + 48] ?? 0) ^ 0xff; // page 0's txid
    assert.ok(openBolt(file).bucket('ctr'));
  });
});

describe('libpod state (parseLibpodState)', () => {
  const state = parseLibpodState(fs.readFileSync(path.join(ROOTS.graphRoot, 'libpod', 'bolt_state.db')));
  it('reads the pod: name and infra container', () => assert.deepEqual(state.pods.get(POD), { id: POD, name: 'isotest-pod', infraId: INFRA }));
  it('reads each container: name, pod, infra flag, state, pid, image, labels', () => {
    for (const [id, name, infra] of [[INFRA, '1b3f6ec39b6a-infra', true], [A, 'isotest-a', false], [B, 'isotest-b', false]] as const) {
      const c = state.containers.get(id);
      assert.ok(c, name);
      assert.deepEqual(
        { name: c.name, podId: c.podId, infra: c.infra, state: c.state, pid: c.pid, test: c.labels['isolens.test'] },
        { name, podId: POD, infra, state: 'running', pid: PIDS[id], test: '1' },
      );
    }
    assert.equal(state.containers.get(A)?.imageName, 'localhost/isolens/busybox:test');
    assert.equal(state.containers.get(INFRA)?.imageName, 'localhost/isolens/hello:test');
  });
  it('readLibpodState: null for a broken or missing database', () => {
    assert.equal(readLibpodState(path.join(BROKEN, 'graphroot')), null);
    assert.equal(readLibpodState('/nonexistent'), null);
  });
});

describe('containers-storage.conf (parseStorageConf)', () => {
  const cases: { name: string; text: string; want: Partial<ReturnType<typeof parseStorageConf>> }[] = [
    { name: 'empty file', text: '', want: { graphRoot: null, runRoot: null } },
    { name: 'Debian default keys', text: '[storage]\ndriver = "overlay"\nrunroot = "/run/containers/storage"\ngraphroot = "/var/lib/containers/storage"\n', want: { driver: 'overlay', graphRoot: '/var/lib/containers/storage', runRoot: '/run/containers/storage' } },
    { name: 'comments, single quotes, trailing comment', text: "# x\n[storage]\ngraphroot = '/srv/c' # moved\n", want: { graphRoot: '/srv/c' } },
    { name: 'keys of other tables are ignored', text: '[storage.options]\ngraphroot = "/nope"\n[storage]\nrootless_storage_path = "$HOME/.c"\n', want: { graphRoot: null, rootlessStoragePath: '$HOME/.c' } },
    { name: 'empty string = unset', text: '[storage]\ngraphroot = ""\n', want: { graphRoot: null } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual({ ...parseStorageConf(c.text), ...{} }, { graphRoot: null, runRoot: null, rootlessStoragePath: null, driver: null, ...c.want }));
  it('throws PodmanStorageError on an unquoted path', () => assert.throws(() => parseStorageConf('[storage]\ngraphroot = /x\n'), PodmanStorageError));
});

describe('podmanStorageRoots (containers-storage.conf(5) defaults)', () => {
  const files = (m: Record<string, string>) => (f: string): string | null => m[f] ?? null;
  it('root, no config file', () => assert.deepEqual(podmanStorageRoots({}, 0, files({})), { graphRoot: '/var/lib/containers/storage', runRoot: '/run/containers/storage', driver: null }));
  it('root, /etc/containers/storage.conf wins over /usr/share', () => {
    const r = podmanStorageRoots({}, 0, files({ '/etc/containers/storage.conf': '[storage]\ngraphroot = "/srv/p"\ndriver = "vfs"\n', '/usr/share/containers/storage.conf': '[storage]\ngraphroot = "/no"\n' }));
    assert.deepEqual(r, { graphRoot: '/srv/p', runRoot: '/run/containers/storage', driver: 'vfs' });
  });
  it('root, CONTAINERS_STORAGE_CONF', () => assert.equal(podmanStorageRoots({ CONTAINERS_STORAGE_CONF: '/t.conf' }, 0, files({ '/t.conf': '[storage]\ngraphroot = "/t"\n' })).graphRoot, '/t'));
  it('rootless defaults: ~/.local/share/containers/storage and $XDG_RUNTIME_DIR/containers', () => {
    assert.deepEqual(podmanStorageRoots({ HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/1000' }, 1000, files({})), { graphRoot: '/home/u/.local/share/containers/storage', runRoot: '/run/user/1000/containers', driver: null });
  });
  it('rootless: XDG_DATA_HOME', () => assert.equal(podmanStorageRoots({ HOME: '/home/u', XDG_DATA_HOME: '/d' }, 1000, files({})).graphRoot, '/d/containers/storage'));
  it('rootless: the system file\'s rootless_storage_path, $HOME expanded', () => {
    const r = podmanStorageRoots({ HOME: '/home/u' }, 1000, files({ '/etc/containers/storage.conf': '[storage]\ngraphroot = "/var/lib/x"\nrootless_storage_path = "$HOME/ctr"\n' }));
    assert.equal(r.graphRoot, '/home/u/ctr');
  });
  it('rootless: ~/.config/containers/storage.conf wins', () => {
    const r = podmanStorageRoots({ HOME: '/home/u' }, 1000, files({ '/home/u/.config/containers/storage.conf': '[storage]\ngraphroot = "/mine"\n' }));
    assert.equal(r.graphRoot, '/mine');
  });
  it('a broken file counts as absent', () => assert.equal(podmanStorageRoots({}, 0, files({ '/etc/containers/storage.conf': '[storage]\ngraphroot = /x\n' })).graphRoot, '/var/lib/containers/storage'));
});

describe('containers.json (parseStorageContainers)', () => {
  it('reads the real file: full ids, names, image ids and names', () => {
    const list = parseStorageContainers(read('graphroot/overlay-containers/containers.json'));
    assert.deepEqual(list.map((c) => [c.id, c.names[0], c.imageName]), [
      [INFRA, '1b3f6ec39b6a-infra', 'localhost/isolens/hello:test'],
      [A, 'isotest-a', 'localhost/isolens/busybox:test'],
      [B, 'isotest-b', 'localhost/isolens/busybox:test'],
    ]);
    assert.equal(list[1]?.imageId, '8b0f9ea21e06cae6c20dddc2d01c375bc4c008784fd96d28b228b2e745ccbc69');
  });
  const cases: { name: string; text: string; want: number }[] = [
    { name: 'empty array', text: '[]', want: 0 },
    { name: 'entry without an id is skipped', text: '[{"names":["x"]}]', want: 0 },
    { name: 'entry with a short id is skipped', text: '[{"id":"abc","names":["x"]}]', want: 0 },
    { name: 'bad metadata keeps the names', text: `[{"id":"${A}","names":["n"],"metadata":"{oops"}]`, want: 1 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(parseStorageContainers(c.text).length, c.want));
  it('name from metadata when names is empty', () => assert.deepEqual(parseStorageContainers(`[{"id":"${A}","metadata":"{\\"name\\":\\"m\\"}"}]`)[0]?.names, ['m']));
  it('throws PodmanStorageError: truncated file (broken fixture)', () => assert.throws(() => readStorageContainers({ ...ROOTS, graphRoot: path.join(BROKEN, 'graphroot') }), PodmanStorageError));
  it('throws PodmanStorageError: not an array', () => assert.throws(() => parseStorageContainers('{}'), PodmanStorageError));
  it('missing storage gives []', () => assert.deepEqual(readStorageContainers({ graphRoot: '/nonexistent', runRoot: '/nonexistent', driver: null }), []));
});

describe('readPodmanDisk (the service is not running)', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const proc = (pids: readonly number[]): string => {
    const d = fakeProc(pids);
    dirs.push(d);
    return d;
  };

  it('with the libpod database: names, full ids, images, the pod with its name, the infra marked', () => {
    const list = readPodmanDisk({ roots: ROOTS, procRoot: proc(Object.values(PIDS)) });
    const by = new Map(list.map((c) => [c.id, c]));
    assert.equal(list.length, 3);
    for (const id of [INFRA, A, B]) {
      const c = by.get(id);
      assert.ok(c);
      assert.deepEqual({ engine: c.engine, pid: c.pid, state: c.state, pod: c.pod }, { engine: 'podman', pid: PIDS[id], state: 'running', pod: POD_REF });
    }
    assert.equal(by.get(INFRA)?.sandbox, true);
    assert.equal(by.get(A)?.sandbox, false);
    assert.equal(by.get(A)?.name, 'isotest-a');
    assert.equal(by.get(A)?.image, 'localhost/isolens/busybox:test');
    assert.equal(by.get(A)?.imageId, 'sha256:8b0f9ea21e06cae6c20dddc2d01c375bc4c008784fd96d28b228b2e745ccbc69');
    assert.equal(by.get(A)?.labels['isolens.test'], '1');
    // The OCI bundle joins the infra container's namespaces: shown as Docker shows a joined container.
    assert.deepEqual(by.get(A)?.config.namespaceModes, { pid: '', net: `container:${INFRA}`, ipc: `container:${INFRA}`, uts: `container:${INFRA}`, user: 'host', cgroup: 'host' });
    assert.equal(by.get(INFRA)?.config.namespaceModes.net, '');
  });

  it('only containers whose pid is alive', () => {
    const list = readPodmanDisk({ roots: ROOTS, procRoot: proc([PIDS[A] ?? 0]) });
    assert.deepEqual(list.map((c) => c.id), [A]);
  });

  it('without the database (Podman 5\'s SQLite, or unreadable): pidfiles, names from containers.json, infra from the members\' annotations, pod left to the cgroup path', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-podman-nodb-'));
    dirs.push(tmp);
    fs.cpSync(POD_DIR, tmp, { recursive: true });
    fs.rmSync(path.join(tmp, 'graphroot', 'libpod'), { recursive: true });
    const list = readPodmanDisk({ roots: { graphRoot: path.join(tmp, 'graphroot'), runRoot: path.join(tmp, 'runroot'), driver: null }, procRoot: proc(Object.values(PIDS)) });
    const by = new Map(list.map((c) => [c.id, c]));
    assert.equal(list.length, 3);
    assert.equal(by.get(B)?.name, 'isotest-b');
    assert.equal(by.get(B)?.pid, PIDS[B]);
    assert.equal(by.get(B)?.image, 'localhost/isolens/busybox:test');
    assert.equal(by.get(B)?.pod, undefined);
    assert.equal(by.get(INFRA)?.sandbox, true);
    assert.equal(by.get(B)?.sandbox, false);
  });

  it('throws on a broken containers.json (PodmanEngine.listFromDisk rejects, collectEngines keeps going)', () => {
    assert.throws(() => readPodmanDisk({ roots: { ...ROOTS, graphRoot: path.join(BROKEN, 'graphroot') }, procRoot: proc([]) }), PodmanStorageError);
  });

  it('PodmanEngine.listFromDisk: [] without storage, the fixture\'s containers with it', async () => {
    assert.deepEqual(await new PodmanEngine({ socket: '/nonexistent.sock', storage: { graphRoot: '/nonexistent', runRoot: '/nonexistent', driver: null } }).listFromDisk(), []);
    const list = await new PodmanEngine({ socket: '/nonexistent.sock', storage: ROOTS, procRoot: proc(Object.values(PIDS)) }).listFromDisk();
    assert.equal(list.length, 3);
    await assert.rejects(new PodmanEngine({ socket: '/x.sock', storage: { ...ROOTS, graphRoot: path.join(BROKEN, 'graphroot') } }).listFromDisk(), /reading Podman's storage failed/);
  });
});

describe('libpod API container list (parseLibpodList)', () => {
  it('reads Pod, PodName and IsInfra of the real answer', () => {
    const m = parseLibpodList(JSON.parse(read('libpod-list.json')));
    assert.deepEqual(m.get(INFRA), { pod: POD_REF, infra: true });
    assert.deepEqual(m.get(A), { pod: POD_REF, infra: false });
  });
  it('a container in no pod', () => assert.deepEqual(parseLibpodList([{ Id: A, Pod: '', PodName: '', IsInfra: false }]).get(A), { pod: null, infra: false }));
  it('throws LibpodApiError when not an array', () => assert.throws(() => parseLibpodList({ message: 'x' }), LibpodApiError));
});

describe('PodmanEngine with the pod on a fake Podman socket (compat + libpod answers copied from this machine)', () => {
  let dir: string;
  let server: http.Server;
  let socket: string;
  let libpodStatus = 200;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-podman-pod-'));
    socket = path.join(dir, 'podman.sock');
    server = http.createServer((req, res) => {
      const url = req.url ?? '';
      res.setHeader('Content-Type', 'application/json');
      const inspect = /\/containers\/([0-9a-f]{64})\/json$/.exec(url);
      if (/\/version$/.test(url)) res.end(fs.readFileSync(path.join(FIX, 'version.json')));
      else if (url.startsWith('/v4.0.0/libpod/containers/json')) {
        res.statusCode = libpodStatus;
        res.end(libpodStatus === 200 ? read('libpod-list.json') : '{"message":"not found"}');
      } else if (/\/containers\/json/.test(url)) res.end(read('compat-list.json'));
      else if (inspect?.[1] !== undefined) res.end(read(`compat-inspect-${inspect[1].slice(0, 12)}.json`));
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

  it('each container carries the pod (id, name) and the infra container is marked', async () => {
    libpodStatus = 200;
    const list = await new PodmanEngine({ socket, storage: null }).listContainers();
    const by = new Map(list.map((c) => [c.id, c]));
    assert.equal(list.length, 3);
    assert.deepEqual([by.get(INFRA)?.pod, by.get(INFRA)?.sandbox], [POD_REF, true]);
    assert.deepEqual([by.get(A)?.pod, by.get(A)?.sandbox, by.get(A)?.name], [POD_REF, false, 'isotest-a']);
  });

  it('a libpod API that fails leaves the containers listed, without pods', async () => {
    libpodStatus = 404;
    const list = await new PodmanEngine({ socket, storage: null }).listContainers();
    assert.equal(list.length, 3);
    assert.ok(list.every((c) => c.pod === undefined && c.sandbox === undefined));
  });
});

describe('Podman pod cgroup paths (attributeCgroupPath)', () => {
  const lines = read('cgroup-lines.txt').trim().split('\n').map((l) => l.slice(l.indexOf(':', l.indexOf(':') + 1) + 1));
  const pod = { uid: POD, qos: null };
  const base = { name: null, rootless: false, userUid: null, parents: [] };
  const cases: { name: string; path: string; want: ReturnType<typeof attributeCgroupPath> }[] = [
    { name: 'cgroupfs manager, infra container (this machine: /libpod_parent/<pod>/libpod-<id>)', path: lines[0] ?? '', want: { engine: 'podman', id: INFRA, pod, ...base } },
    { name: 'cgroupfs manager, member on the unified line (this machine)', path: lines[3] ?? '', want: { engine: 'podman', id: A, pod, ...base } },
    { name: 'cgroupfs manager, the pod\'s conmons (/libpod_parent/<pod>/conmon: no container)', path: lines[4] ?? '', want: null },
    { name: 'systemd manager, rootful (machine.slice/machine-libpod_pod_<pod>.slice/libpod-<id>.scope)', path: `/machine.slice/machine-libpod_pod_${POD}.slice/libpod-${A}.scope`, want: { engine: 'podman', id: A, pod, ...base } },
    { name: 'systemd manager, crun sub-cgroup (…/libpod-<id>.scope/container)', path: `/machine.slice/machine-libpod_pod_${POD}.slice/libpod-${A}.scope/container`, want: { engine: 'podman', id: A, pod, ...base } },
    { name: 'systemd manager, rootless (user@1000.service/user.slice/user-libpod_pod_<pod>.slice)', path: `/user.slice/user-1000.slice/user@1000.service/user.slice/user-libpod_pod_${POD}.slice/libpod-${B}.scope`, want: { engine: 'podman', id: B, pod, ...base, rootless: true, userUid: 1000 } },
    { name: 'systemd manager, the pod\'s conmon scope', path: `/machine.slice/machine-libpod_pod_${POD}.slice/libpod-conmon-${A}.scope`, want: null },
    { name: 'a bare id under libpod_parent with no container below is no container', path: `/libpod_parent/${POD}`, want: null },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(attributeCgroupPath(c.path), c.want));
});
