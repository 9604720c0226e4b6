import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DockerInspectError, mapInspect } from '../../../electron/collector/engines/docker';
import type { EngineContainer } from '../../../electron/collector/engines/types';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'engines');
const load = (name: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(FIX, name), 'utf8')) as Record<string, unknown>;
const IMAGE_ID = 'sha256:8b0f9ea21e06cae6c20dddc2d01c375bc4c008784fd96d28b228b2e745ccbc69';
const IMAGE_LABELS = { 'isolens.fixture': '1', 'isolens.fixture.source': 'c4097bc270f109b4', 'isolens.test': '1' };

describe('mapInspect on real dockerd 20.10 inspect JSON', () => {
  const cases: { name: string; file: string; want: EngineContainer }[] = [
    {
      name: 'running, restricted: cap-add/cap-drop, no-new-privileges, user, read-only rootfs',
      file: 'inspect-restricted.json',
      want: {
        id: '4c76b41cde518b5f0b65009487b85f500ab14b4f83c4198485208f11bba3c779',
        name: 'isolens-fx-engines-a',
        engine: 'docker',
        image: 'isolens/busybox:test',
        imageId: IMAGE_ID,
        state: 'running',
        pid: 17153,
        labels: { ...IMAGE_LABELS, 'org.example.role': 'fixture' },
        config: {
          privileged: false,
          capAdd: ['NET_ADMIN'],
          capDrop: ['MKNOD'],
          securityOpt: ['no-new-privileges'],
          namespaceModes: { pid: '', net: 'none', ipc: 'private', uts: '', user: '', cgroup: 'host' },
          user: '65534:65534',
          readOnlyRootfs: true,
        },
        createdAt: '2026-11-28T09:21:22.99692928Z',
        startedAt: '2026-11-28T09:21:23.417224627Z',
      },
    },
    {
      name: 'running with host pid, ipc and uts namespaces (null CapAdd/CapDrop)',
      file: 'inspect-pid-host.json',
      want: {
        id: 'e9bc202ef90a0b9d2173c7b6a06a6c3d1163f7b8a0e42e52bd61e4956a4a4ef5',
        name: 'isolens-fx-engines-d',
        engine: 'docker',
        image: 'isolens/busybox:test',
        imageId: IMAGE_ID,
        state: 'running',
        pid: 17986,
        labels: IMAGE_LABELS,
        config: {
          privileged: false,
          capAdd: [],
          capDrop: [],
          securityOpt: ['label=disable'],
          namespaceModes: { pid: 'host', net: 'none', ipc: 'host', uts: 'host', user: '', cgroup: 'host' },
          user: null,
          readOnlyRootfs: false,
        },
        createdAt: '2026-11-28T09:21:29.332729073Z',
        startedAt: '2026-11-28T09:21:29.781145625Z',
      },
    },
    {
      name: 'created, never started: pid 0 and zero StartedAt become null',
      file: 'inspect-created.json',
      want: {
        id: 'e6bbc591bc624f1c83256d485cb8b3a143e536e6d4e2a7694891fdfd1bae979f',
        name: 'isolens-fx-engines-c',
        engine: 'docker',
        image: 'isolens/busybox:test',
        imageId: IMAGE_ID,
        state: 'created',
        pid: null,
        labels: IMAGE_LABELS,
        config: {
          privileged: false,
          capAdd: [],
          capDrop: [],
          securityOpt: [],
          namespaceModes: { pid: '', net: 'none', ipc: 'private', uts: '', user: '', cgroup: 'host' },
          user: null,
          readOnlyRootfs: false,
        },
        createdAt: '2026-11-28T09:21:23.878551365Z',
        startedAt: null,
      },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(mapInspect(load(c.file)), c.want));

  it('privileged container whose start failed', () => {
    const got = mapInspect(load('inspect-privileged-start-failed.json'));
    assert.equal(got.config.privileged, true);
    assert.equal(got.state, 'created');
    assert.equal(got.pid, null);
    assert.equal(got.config.namespaceModes.pid, 'host');
  });
});

describe('mapInspect never copies Config.Env', () => {
  const files = ['inspect-restricted.json', 'inspect-pid-host.json', 'inspect-created.json', 'inspect-privileged-start-failed.json'];
  for (const file of files) {
    it(file, () => {
      const inspect = load(file);
      const env = (inspect.Config as { Env: string[] }).Env;
      assert.ok(env.some((e) => e === 'ISOLENS_FAKE_SECRET=hunter2-fixture-only'), 'fixture keeps its Env');
      const out = JSON.stringify(mapInspect(inspect));
      assert.ok(!out.includes('"Env"') && !out.includes('"env"'));
      for (const e of env) {
        const value = e.slice(e.indexOf('=') + 1);
        assert.ok(!out.includes(e), `${e} leaked`);
        assert.ok(!out.includes(value), `value of ${e} leaked`);
      }
    });
  }
});

describe('mapInspect on odd input', () => {
  const base = load('inspect-restricted.json');
  const cases: { name: string; input: unknown; check: (c: EngineContainer) => void }[] = [
    { name: 'no Config, HostConfig or State', input: { Id: 'abc', Name: '/x' }, check: (c) => {
      assert.equal(c.name, 'x');
      assert.equal(c.state, 'unknown');
      assert.equal(c.pid, null);
      assert.deepEqual(c.labels, {});
      assert.deepEqual(c.config.namespaceModes, { pid: '', net: '', ipc: '', uts: '', user: '', cgroup: '' });
      assert.equal(c.image, null);
      assert.equal(c.createdAt, null);
    } },
    { name: 'Labels null', input: { ...base, Config: { ...(base.Config as object), Labels: null } }, check: (c) => assert.deepEqual(c.labels, {}) },
    { name: 'non-string label values are dropped', input: { ...base, Config: { Labels: { a: 'b', n: 3 } } }, check: (c) => assert.deepEqual(c.labels, { a: 'b' }) },
    { name: 'capability names without the CAP_ prefix, and ALL', input: { Id: 'a', HostConfig: { CapAdd: ['net_raw', 'ALL'], CapDrop: ['CAP_CHOWN'] } }, check: (c) => {
      assert.deepEqual(c.config.capAdd, ['NET_RAW', 'ALL']);
      assert.deepEqual(c.config.capDrop, ['CHOWN']);
    } },
    { name: 'negative pid', input: { Id: 'a', State: { Status: 'exited', Pid: -1 } }, check: (c) => assert.equal(c.pid, null) },
  ];
  for (const c of cases) it(c.name, () => c.check(mapInspect(c.input)));

  const bad: { name: string; input: unknown }[] = [
    { name: 'null', input: null },
    { name: 'an array', input: [base] },
    { name: 'no Id', input: { ...base, Id: undefined } },
    { name: 'empty Id', input: { ...base, Id: '' } },
    { name: 'numeric Id', input: { ...base, Id: 42 } },
  ];
  for (const b of bad) {
    it(`throws DockerInspectError on ${b.name}`, () => {
      assert.throws(() => mapInspect(b.input), DockerInspectError);
    });
  }
});
