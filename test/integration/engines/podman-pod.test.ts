// A real Podman pod (an infra container and two members sharing its namespaces) appears grouped
// under its pod: through the API service (libpod list: Pod, PodName, IsInfra), without it (names,
// full ids, images and the pod's name from Podman's storage and libpod database), and with
// neither (the pod id from the cgroup path /libpod_parent/<pod id>/libpod-<id>).
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ContainerInfo, Snapshot } from '../../../shared/model';
import { PODMAN_ROOT_SOCKET, PodmanEngine } from '../../../electron/collector/engines/podman';
import { liveSources, takeSnapshot } from '../../../electron/collector/snapshot';
import { FIXTURE_IMAGES } from '../../helpers/docker';
import { engineSkip, rmdirCgroup, sh, waitFor } from './side-by-side';

const POD = `isolens-pod-${process.pid}`;
const IMAGE = `localhost/${FIXTURE_IMAGES.busybox}`;
const INFRA_IMAGE = `localhost/${FIXTURE_IMAGES.hello}`; // pause(2)s forever: a pause container
// Podman's default rlimits (nofile 1048576) are refused here, for the infra container too, which
// takes no --ulimit: a containers.conf(5) of our own gives every container small ones.
const CONF_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-podman-conf-'));
const CONF = path.join(CONF_DIR, 'containers.conf');
const ENV = { ...process.env, CONTAINERS_CONF: CONF };
const TIMEOUTS = { probeTimeoutMs: 20_000, listTimeoutMs: 30_000 }; // the host may be busy (benches with 10,000 processes)

/** Runs `podman ARGS` with our containers.conf; throws with its stderr. */
function podman(args: readonly string[], timeout = 120_000): string {
  try {
    return execFileSync('podman', [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout, env: ENV });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`podman ${args.join(' ')} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

/** Loads a fixture image into podman from dockerd (docker save | podman load) unless it is there. */
function ensureImage(dockerTag: string, podmanName: string): void {
  try {
    podman(['image', 'exists', podmanName]);
  } catch {
    sh('sh', ['-c', `docker save ${dockerTag} | podman load -q`], 120_000);
  }
}

interface Started {
  podId: string;
  infraId: string;
  ids: Record<string, string>;
  pids: Record<string, number>;
}

function podmanContainers(s: Snapshot): ContainerInfo[] {
  return s.containers.filter((c) => c.engine === 'podman');
}

/** The three containers of the pod in a snapshot: infra first, then -a, -b. */
function assertGrouped(s: Snapshot, st: Started, podName: string, names: boolean): void {
  const inPod = podmanContainers(s).filter((c) => c.pod?.uid === st.podId);
  assert.equal(inPod.length, 3, `infra + 2 members under pod ${st.podId}: ${JSON.stringify(podmanContainers(s).map((c) => [c.name, c.pod]))}`);
  for (const c of inPod) assert.deepEqual(c.pod, { name: podName, namespace: '', uid: st.podId, kind: 'podman' });
  const infra = inPod.find((c) => c.id === st.infraId);
  assert.ok(infra, 'the infra container, by its full id');
  assert.equal(infra.pid, st.pids.infra);
  for (const m of ['a', 'b']) {
    const c = inPod.find((x) => x.id === st.ids[m]);
    assert.ok(c, `${POD}-${m} by its full id`);
    assert.equal(c.pid, st.pids[m]);
    if (names) {
      assert.equal(c.name, `${POD}-${m}`);
      assert.equal(c.image, IMAGE);
      assert.equal(c.sandbox, undefined, 'a member is not the sandbox');
    }
  }
  if (names) {
    assert.equal(infra.sandbox, true, 'the infra container is marked as the pod\'s sandbox');
    assert.equal(infra.image, INFRA_IMAGE);
  }
}

describe('Podman pods', { skip: engineSkip(['podman']) }, () => {
  const st: Started = { podId: '', infraId: '', ids: {}, pids: {} };
  let service: ChildProcess | undefined;
  let withService: Snapshot;
  let fromDisk: Snapshot;
  let fromCgroups: Snapshot;

  before(async () => {
    fs.writeFileSync(CONF, '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n');
    ensureImage(FIXTURE_IMAGES.busybox, IMAGE);
    ensureImage(FIXTURE_IMAGES.hello, INFRA_IMAGE);
    st.podId = podman(['pod', 'create', '--name', POD, '--label', 'isolens.test=1', '--network', 'none', '--infra-image', INFRA_IMAGE]).trim();
    for (const m of ['a', 'b']) {
      st.ids[m] = podman(['run', '-d', '--pod', POD, '--name', `${POD}-${m}`, '--label', 'isolens.test=1',
        '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', IMAGE, 'sleep', '600']).trim();
      st.pids[m] = Number(podman(['inspect', '--format', '{{.State.Pid}}', st.ids[m] ?? '']).trim());
    }
    st.infraId = podman(['pod', 'inspect', '--format', '{{.InfraContainerID}}', POD]).trim();
    st.pids.infra = Number(podman(['inspect', '--format', '{{.State.Pid}}', st.infraId]).trim());

    // No service: a socket that does not exist; Podman's own files (root's storage) name everything.
    fromDisk = await takeSnapshot(liveSources([new PodmanEngine({ socket: '/nonexistent/podman.sock', ...TIMEOUTS })]));
    // Neither service nor storage: only the cgroup paths.
    fromCgroups = await takeSnapshot(liveSources([new PodmanEngine({ socket: '/nonexistent/podman.sock', storage: null, ...TIMEOUTS })]));
    if (!fs.existsSync(PODMAN_ROOT_SOCKET)) {
      fs.mkdirSync('/run/podman', { recursive: true });
      service = spawn('podman', ['system', 'service', '--time=0', `unix://${PODMAN_ROOT_SOCKET}`], { stdio: 'ignore', env: ENV });
      await waitFor('the podman API socket', () => (fs.existsSync(PODMAN_ROOT_SOCKET) ? true : undefined));
    }
    withService = await takeSnapshot(liveSources([new PodmanEngine({ socket: PODMAN_ROOT_SOCKET, storage: null, ...TIMEOUTS })]));
  });

  after(async () => {
    try {
      podman(['pod', 'rm', '-f', '-t', '0', POD]);
    } catch {
      // never created
    }
    if (st.podId !== '') {
      rmdirCgroup(`libpod_parent/${st.podId}/conmon`);
      rmdirCgroup(`libpod_parent/${st.podId}`);
    }
    rmdirCgroup('libpod_parent/conmon');
    rmdirCgroup('libpod_parent');
    if (service) {
      const exited = new Promise<void>((r) => service?.once('exit', () => r()));
      service.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      fs.rmSync(PODMAN_ROOT_SOCKET, { force: true });
    }
    fs.rmSync(CONF_DIR, { recursive: true, force: true });
  });

  it('API service: the infra container and both members under the pod, with its id and name; the infra is the sandbox', () => {
    const s = withService.engines.find((e) => e.name === 'podman');
    assert.equal(s?.available, true, s?.error ?? '');
    assertGrouped(withService, st, POD, true);
  });

  it('API service: the members join the infra container\'s net, ipc and uts namespaces', () => {
    const c = podmanContainers(withService).find((x) => x.id === st.ids.a);
    assert.equal(c?.config?.namespaceModes.net, `container:${st.infraId}`);
    assert.ok(!c?.sharedWithHost.includes('net'));
  });

  it('no service: names, full ids, images and the pod\'s name from Podman\'s storage and libpod database', () => {
    const s = fromDisk.engines.find((e) => e.name === 'podman');
    assert.equal(s?.available, false);
    assert.ok(fromDisk.warnings.some((w) => /podman .*on-disk state/.test(w)), JSON.stringify(fromDisk.warnings));
    assertGrouped(fromDisk, st, POD, true);
    const a = podmanContainers(fromDisk).find((x) => x.id === st.ids.a);
    assert.equal(a?.labels['isolens.test'], '1');
    assert.equal(a?.config?.namespaceModes.net, `container:${st.infraId}`);
  });

  it('neither service nor storage: still grouped, by the pod id in the cgroup path (/libpod_parent/<pod id>/libpod-<id>)', () => {
    assertGrouped(fromCgroups, st, st.podId.slice(0, 12), false);
    const a = podmanContainers(fromCgroups).find((x) => x.id === st.ids.a);
    assert.equal(a?.name, st.ids.a?.slice(0, 12));
    assert.match(a?.cgroup ?? '', new RegExp(`/libpod_parent/${st.podId}/libpod-${st.ids.a ?? ''}`));
  });
});
