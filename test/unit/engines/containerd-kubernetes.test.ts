import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProcessInfo } from '../../../shared/model';
import { discoverContainers } from '../../../electron/collector/discover/containers';
import { findHostNamespaces } from '../../../electron/collector/discover/host';
import { ContainerdEngine } from '../../../electron/collector/engines/containerd';
import { groupPods, isSandbox, podOfLabels } from '../../../electron/collector/engines/kubernetes';
import type { EngineContainer } from '../../../electron/collector/engines/types';
import { parseCgroupFile, pickCgroupPath } from '../../../electron/collector/procfs/cgroup';
import { record } from '../../helpers/records';

const K8S = path.join(__dirname, '..', '..', 'fixtures', 'engines', 'kubernetes');
const SB = '8f3c1d6e2b7a4f90c5e1d2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7';
const APP = '3e9a7c1b5d2f4a6e8c0b1d3f5a7e9c2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c';
const UID = '5d330bda-1008-44fa-a4cf-2944fdfd5852';

/** A stand-in for ctr(8): answers from the kubernetes fixtures, and records the namespaces asked. */
const FAKE_CTR = `#!/bin/sh
F='${K8S}'
while [ "$1" = "--address" ] || [ "$1" = "--namespace" ]; do
  [ "$1" = "--namespace" ] && echo "$2" >> "$LOG"
  shift 2
done
case "$1 $2" in
  "version ") printf 'Client:\\n  Version:  1.6.20~ds1\\n\\nServer:\\n  Version:  1.7.13\\n' ;;
  "namespaces ls") cat "$F/namespaces.txt" ;;
  "tasks ls") cat "$F/tasks-ls.txt" ;;
  "containers info")
    case "$3" in ${SB}) cat "$F/info-sandbox.json" ;; ${APP}) cat "$F/info-nginx.json" ;; *) echo "ctr: container \\"$3\\" in namespace: not found" >&2; exit 1 ;; esac ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`;

describe('ContainerdEngine with a fake ctr on a Kubernetes node (CRI containers in k8s.io)', () => {
  let dir: string;
  let server: net.Server;
  let engine: ContainerdEngine;
  let list: EngineContainer[];
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-ctr-'));
    const ctr = path.join(dir, 'ctr');
    fs.writeFileSync(ctr, FAKE_CTR, { mode: 0o755 });
    process.env.LOG = path.join(dir, 'log');
    const socket = path.join(dir, 'containerd.sock');
    server = net.createServer((c) => c.end());
    await new Promise<void>((r) => server.listen(socket, r));
    engine = new ContainerdEngine({ socket, ctr });
    list = await engine.listContainers();
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
    delete process.env.LOG;
  });

  it('probes the server version', async () => {
    const s = await engine.probe();
    assert.equal(s.available, true, s.error ?? '');
    assert.equal(s.version, '1.7.13');
  });

  it('skips Docker\'s moby namespace', () => {
    const asked = fs.readFileSync(path.join(dir, 'log'), 'utf8').split('\n').filter((s) => s !== '');
    assert.ok(asked.includes('k8s.io'));
    assert.ok(!asked.includes('moby'));
  });

  it('lists the sandbox and the app container, with their pods', () => {
    assert.deepEqual(list.map((c) => [c.id, c.name, c.pid]), [
      [SB, 'default/web-7d9c8b6f5-x2k4q/POD', 41207],
      [APP, 'default/web-7d9c8b6f5-x2k4q/nginx', 41262],
    ]);
    assert.deepEqual(podOfLabels(list[1]?.labels ?? {}), { name: 'web-7d9c8b6f5-x2k4q', namespace: 'default', uid: UID });
    assert.equal(isSandbox(list[0]?.labels ?? {}), true);
    assert.equal(isSandbox(list[1]?.labels ?? {}), false);
  });

  for (const layout of ['v2-systemd', 'v1-cgroupfs']) {
    it(`joins them with processes in kubepods cgroups (${layout}) and groups the pod`, () => {
      const cg = (pid: number) => {
        const cgroups = parseCgroupFile(fs.readFileSync(path.join(K8S, layout, 'proc', String(pid), 'cgroup'), 'utf8'));
        return { cgroups, cgroup: pickCgroupPath(cgroups) };
      };
      const podNs = { net: 4026532600, ipc: 4026532601, uts: 4026532602 };
      const procs = [
        record(2, 0),
        record(41207, 41180, { comm: 'pause', ...cg(41207), ns: { ...podNs, mnt: 4026532603, pid: 4026532604, pid_for_children: 4026532604 }, nspid: [41207, 1] }),
        record(41262, 41180, { comm: 'nginx', ...cg(41262), ns: { ...podNs, mnt: 4026532610, pid: 4026532611, pid_for_children: 4026532611 }, nspid: [41262, 1] }),
        record(41290, 41262, { comm: 'nginx', ...cg(41290), ns: { ...podNs, mnt: 4026532610, pid: 4026532611, pid_for_children: 4026532611 }, nspid: [41290, 29] }),
      ];
      const host = findHostNamespaces(new Map([[2, procs[0]!]]));
      const { containers } = discoverContainers(procs, list, host, () => ({ memoryBytes: null, cpus: null, pidsMax: null, cpuset: null }));
      const app = containers.find((c) => c.id === APP);
      assert.ok(app);
      assert.deepEqual(app.pids, [41262, 41290]);
      assert.equal(app.engine, 'containerd');
      assert.equal(containers.find((c) => c.id === SB)?.pid, 41207);
      const processes: ProcessInfo[] = procs.map((p) => ({ ...p, containerId: null }));
      const pods = groupPods(containers, processes, host.namespaces);
      assert.equal(pods.length, 1);
      assert.deepEqual(pods[0], {
        pod: { name: 'web-7d9c8b6f5-x2k4q', namespace: 'default', uid: UID },
        sandboxId: SB,
        containerIds: [APP],
        shared: podNs,
      });
    });
  }

  it('without the engine, the cgroup path still names the containers and their pod uid (join TODO: pod on ContainerInfo)', () => {
    const cgroups = parseCgroupFile(fs.readFileSync(path.join(K8S, 'v2-systemd', 'proc', '41262', 'cgroup'), 'utf8'));
    const procs = [record(2, 0), record(41262, 1, { cgroups, cgroup: pickCgroupPath(cgroups), ns: { pid: 4026532611 } })];
    const host = findHostNamespaces(new Map([[2, procs[0]!]]));
    const { containers } = discoverContainers(procs, [], host, () => ({ memoryBytes: null, cpus: null, pidsMax: null, cpuset: null }));
    assert.equal(containers.find((c) => c.id === APP)?.engine, 'containerd');
  });
});
