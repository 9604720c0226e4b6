import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configFromSpec, ContainerdEngine, CtrOutputError, mapContainerInfo, parseCtrTasks, parseCtrVersion } from '../../../electron/collector/engines/containerd';
import type { EngineContainer } from '../../../electron/collector/engines/types';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'engines');
const read = (f: string): string => fs.readFileSync(path.join(FIX, f), 'utf8');

describe('parseCtrTasks', () => {
  it('real `ctr tasks ls` of containerd 1.6', () => {
    assert.deepEqual(parseCtrTasks(read('containerd/tasks-ls.txt')), [{ id: 'isolens-ctr-probe', pid: 20638, status: 'RUNNING' }]);
  });
  it('64-hex CRI ids', () => assert.equal(parseCtrTasks(read('kubernetes/tasks-ls.txt')).length, 2));
  it('no output: no tasks', () => assert.deepEqual(parseCtrTasks(''), []));
  it('a header only', () => assert.deepEqual(parseCtrTasks('TASK    PID    STATUS    \n'), []));
  it('an unexpected header throws', () => assert.throws(() => parseCtrTasks('ID PID\n'), CtrOutputError));
  it('a malformed row throws', () => assert.throws(() => parseCtrTasks('TASK PID STATUS\nx notapid RUNNING\n'), CtrOutputError));
});

describe('parseCtrVersion', () => {
  it('the server version of real `ctr version`', () => assert.equal(parseCtrVersion(read('containerd/version.txt')), '1.6.20~ds1'));
  it('a client only (server unreachable)', () => assert.equal(parseCtrVersion('Client:\n  Version:  1.6.20~ds1\n'), null));
});

describe('mapContainerInfo', () => {
  it('a `ctr run` container (real): namespaced id, no seccomp, private namespaces', () => {
    const c = mapContainerInfo(JSON.parse(read('containerd/info-ctr-run.json')), 'isolens-probe', { id: 'isolens-ctr-probe', pid: 20638, status: 'RUNNING' });
    assert.equal(c.id, 'containerd:isolens-probe/isolens-ctr-probe');
    assert.equal(c.name, 'isolens-ctr-probe');
    assert.equal(c.engine, 'containerd');
    assert.equal(c.image, 'docker.io/isolens/busybox:test');
    assert.equal(c.pid, 20638);
    assert.equal(c.state, 'running');
    assert.equal(c.labels['containerd.namespace'], 'isolens-probe');
    assert.equal(c.labels['isolens.test'], '1');
    assert.deepEqual(c.config.capAdd, []);
    assert.deepEqual(c.config.capDrop, []);
    assert.deepEqual(c.config.securityOpt, ['seccomp=unconfined', 'no-new-privileges']);
    assert.deepEqual(c.config.namespaceModes, { pid: '', net: '', ipc: '', uts: '', user: 'host', cgroup: 'host' });
    assert.equal(c.createdAt, '2026-11-28T09:36:12.838430665Z');
  });

  it('a CRI sandbox: named NS/POD/POD, CRI labels kept', () => {
    const c = mapContainerInfo(JSON.parse(read('kubernetes/info-sandbox.json')), 'k8s.io', { id: 'x', pid: 41207, status: 'RUNNING' });
    assert.equal(c.id, '8f3c1d6e2b7a4f90c5e1d2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7');
    assert.equal(c.name, 'default/web-7d9c8b6f5-x2k4q/POD');
    assert.equal(c.labels['io.kubernetes.pod.uid'], '5d330bda-1008-44fa-a4cf-2944fdfd5852');
    assert.equal(c.config.namespaceModes.net, 'path:/var/run/netns/cni-4b1e2f7c-9a0d-3e5f-8c6b-1d2e3f4a5b6c');
    assert.equal(c.config.readOnlyRootfs, true);
  });

  it('a CRI app container joins its sandbox\'s net, ipc and uts', () => {
    const c = mapContainerInfo(JSON.parse(read('kubernetes/info-nginx.json')), 'k8s.io', { id: 'x', pid: 41262, status: 'RUNNING' });
    assert.equal(c.name, 'default/web-7d9c8b6f5-x2k4q/nginx');
    const sb = 'container:8f3c1d6e2b7a4f90c5e1d2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7';
    assert.deepEqual(c.config.namespaceModes, { pid: '', net: sb, ipc: sb, uts: sb, user: 'host', cgroup: 'host' });
    assert.deepEqual(c.config.securityOpt, ['apparmor=cri-containerd.apparmor.d', 'no-new-privileges']);
  });

  it('a stopped task has no pid', () => {
    const c = mapContainerInfo(JSON.parse(read('containerd/info-ctr-run.json')), 'ns', { id: 'x', pid: 0, status: 'STOPPED' });
    assert.equal(c.pid, null);
    assert.equal(c.state, 'stopped');
  });

  it('JSON without an ID throws CtrOutputError', () => assert.throws(() => mapContainerInfo({ Labels: {} }, 'ns', null), CtrOutputError));
});

describe('configFromSpec', () => {
  it('all capabilities and no seccomp read as privileged', () => {
    const caps = Array.from({ length: 41 }, (_, i) => `CAP_${i}`);
    assert.equal(configFromSpec({ process: { capabilities: { bounding: caps } } }, null).privileged, true);
  });
  it('an empty spec: every namespace is the host\'s', () => {
    assert.deepEqual(configFromSpec({}, null).namespaceModes, { pid: 'host', net: 'host', ipc: 'host', uts: 'host', user: 'host', cgroup: 'host' });
  });
  it('a non-root user', () => assert.equal(configFromSpec({ process: { user: { uid: 1000, gid: 100 } } }, null).user, '1000:100'));
});

describe('ContainerdEngine without a daemon', () => {
  it('a missing socket is unavailable with the reason', async () => {
    const e = new ContainerdEngine({ socket: '/nonexistent/containerd.sock' });
    const s = await e.probe();
    assert.equal(s.available, false);
    assert.match(s.error ?? '', /not found \(is containerd running\?\)/);
    await assert.rejects(e.listContainers(), /not found/);
  });
});

describe('ContainerdEngine with a fake ctr: what does not change is not asked again', () => {
  let dir = '';
  let server: net.Server | null = null;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-ctr-'));
    server = net.createServer((c) => c.end());
    await new Promise<void>((resolve) => server?.listen(path.join(dir, 'containerd.sock'), resolve));
  });
  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A ctr that logs each call (less --address) and answers from the fixtures: namespace isolens-probe, its one task running with the pid setTask gave (none: null). */
  function fakeCtr(): { ctr: string; calls: () => string[]; setTask: (pid: number | null) => void } {
    const log = path.join(dir, 'calls.log');
    const task = path.join(dir, 'task');
    const fx = path.join(FIX, 'containerd');
    const ctr = path.join(dir, 'ctr');
    fs.writeFileSync(log, '');
    fs.writeFileSync(ctr, `#!/bin/sh
shift 2
echo "$*" >> ${log}
case "$*" in
  version) cat ${fx}/version.txt ;;
  "namespaces ls -q") printf 'isolens-probe\\nmoby\\n' ;;
  "--namespace isolens-probe tasks ls") printf 'TASK PID STATUS\\n'; if [ -s ${task} ]; then printf 'isolens-ctr-probe %s RUNNING\\n' "$(cat ${task})"; fi ;;
  "--namespace isolens-probe containers info isolens-ctr-probe") cat ${fx}/info-ctr-run.json ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
`, { mode: 0o755 });
    return {
      ctr,
      calls: () => fs.readFileSync(log, 'utf8').split('\n').filter((l) => l !== ''),
      setTask: (pid) => fs.writeFileSync(task, pid === null ? '' : String(pid)),
    };
  }

  it('a running task\'s container info is asked once while its pid stays; again when it restarts; the version once a minute', async () => {
    const fake = fakeCtr();
    const engine = new ContainerdEngine({ socket: path.join(dir, 'containerd.sock'), ctr: fake.ctr });
    const relist = async (): Promise<EngineContainer[]> => {
      assert.equal((await engine.probe()).version, '1.6.20~ds1');
      return engine.listContainers();
    };
    fake.setTask(20638);
    for (let i = 0; i < 3; i++) assert.deepEqual((await relist()).map((c) => [c.id, c.pid]), [['containerd:isolens-probe/isolens-ctr-probe', 20638]]);
    assert.deepEqual(fake.calls(), [
      'version', 'namespaces ls -q', '--namespace isolens-probe tasks ls', '--namespace isolens-probe containers info isolens-ctr-probe',
      'namespaces ls -q', '--namespace isolens-probe tasks ls',
      'namespaces ls -q', '--namespace isolens-probe tasks ls',
    ]);
    fake.setTask(20999); // restarted: a new task, maybe a new spec
    assert.equal((await relist())[0]?.pid, 20999);
    assert.ok(fake.calls().slice(-1)[0]?.endsWith('containers info isolens-ctr-probe'), 'asked again');
    fake.setTask(null);
    assert.deepEqual(await relist(), []);
    fake.setTask(20999); // gone from tasks ls in between: asked again even with the same pid
    await relist();
    assert.equal(fake.calls().filter((c) => c.includes('containers info')).length, 3);
    assert.equal(fake.calls().filter((c) => c === 'version').length, 1);
  });

  it('a failing call drops the version: the next probe asks containerd again', async () => {
    const fake = fakeCtr();
    const engine = new ContainerdEngine({ socket: path.join(dir, 'containerd.sock'), ctr: fake.ctr });
    fake.setTask(20638);
    await engine.probe();
    fs.writeFileSync(path.join(dir, 'task'), 'not-a-pid');
    await assert.rejects(engine.listContainers(), /malformed row/);
    fake.setTask(20638);
    await engine.probe();
    assert.equal(fake.calls().filter((c) => c === 'version').length, 1, 'a malformed answer is not a failing containerd');
    fs.writeFileSync(fake.ctr, '#!/bin/sh\necho "connection refused" >&2; exit 1\n', { mode: 0o755 });
    await assert.rejects(engine.listContainers(), /connection refused/);
    const down = await engine.probe();
    assert.equal(down.available, false);
    assert.match(down.error ?? '', /connection refused/);
  });
});
