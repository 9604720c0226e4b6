import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyDelta } from '../../../shared/delta';
import type { Snapshot } from '../../../shared/model';
import {
  REDACT_ALL, redactCmdline, redactDelta, redactEndpoint, redactHomePaths, redactImage, redactSequenced, redactSnapshot,
} from '../../../shared/redact';
import { diffSnapshots } from '../../../electron/collector/service/diff';
import { DEMO, normalized, withoutMover } from './helpers';

/** A real snapshot with confinement facts (mounts, findings): test/fixtures/snapshots/confinement.json. */
const CONFINEMENT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'snapshots', 'confinement.json'), 'utf8')) as Snapshot;

describe('redactCmdline', () => {
  const cases: { name: string; cmdline: string[]; want: string[] }[] = [
    { name: 'kernel thread (empty)', cmdline: [], want: [] },
    { name: 'bare binary', cmdline: ['sleep'], want: ['sleep'] },
    { name: 'binary with arguments', cmdline: ['sleep', '600'], want: ['sleep', '…'] },
    { name: 'full path keeps the base name', cmdline: ['/usr/bin/python3', '/home/alice/secret.py', '--token=abc'], want: ['python3', '…'] },
    { name: 'argv[0] rewritten with spaces', cmdline: ['sshd: alice@pts/0'], want: ['sshd:', '…'] },
    { name: 'argv[0] with a trailing slash', cmdline: ['/opt/tool/', 'x'], want: ['tool', '…'] },
    { name: 'one long argv[0] holding arguments (postgres)', cmdline: ['postgres: checkpointer   '], want: ['postgres:', '…'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(redactCmdline(c.cmdline), c.want));
});

describe('redactHomePaths', () => {
  const cases: { name: string; text: string; want: string }[] = [
    { name: 'a home directory', text: '/home/alice', want: '/home/…' },
    { name: 'a path under it', text: '/home/alice/src/project', want: '/home/…' },
    { name: 'inside a sentence', text: 'bind mount /home/bob/.ssh (writable): host path', want: 'bind mount /home/… (writable): host path' },
    { name: 'a docker -v spec', text: '/home/carol/data:/data:ro', want: '/home/…:/data:ro' },
    { name: 'two of them', text: '"/home/a/x" and \'/home/b/y\'', want: '"/home/…" and \'/home/…\'' },
    { name: '/home itself is kept', text: '/home', want: '/home' },
    { name: 'other paths are kept', text: '/var/lib/docker/volumes/x/_data', want: '/var/lib/docker/volumes/x/_data' },
    { name: 'a path merely containing home', text: '/srv/home/alice', want: '/srv/home/…' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(redactHomePaths(c.text), c.want));
});

describe('redactImage and redactEndpoint (hostnames)', () => {
  const images: { name: string; image: string; want: string }[] = [
    { name: 'Docker Hub short name', image: 'busybox:latest', want: 'busybox:latest' },
    { name: 'Docker Hub user image', image: 'isolens/busybox:test', want: 'isolens/busybox:test' },
    { name: 'public registry', image: 'ghcr.io/org/app:1', want: 'ghcr.io/org/app:1' },
    { name: 'private registry', image: 'git.corp.example/team/app:2', want: 'registry/team/app:2' },
    { name: 'registry with a port', image: 'build-7:5000/app@sha256:abcd', want: 'registry/app@sha256:abcd' },
    { name: 'localhost registry', image: 'localhost/app', want: 'registry/app' },
  ];
  for (const c of images) it(`image: ${c.name}`, () => assert.equal(redactImage(c.image), c.want));
  const endpoints: { name: string; endpoint: string; want: string }[] = [
    { name: 'unix socket', endpoint: 'unix:///var/run/docker.sock', want: 'unix:///var/run/docker.sock' },
    { name: 'remote tcp', endpoint: 'tcp://build-7.corp.example:2376', want: 'tcp://host:2376' },
    { name: 'ssh with a user', endpoint: 'ssh://alice@build-7', want: 'ssh://host' },
    { name: 'loopback tcp', endpoint: 'tcp://127.0.0.1:2375', want: 'tcp://127.0.0.1:2375' },
  ];
  for (const c of endpoints) it(`endpoint: ${c.name}`, () => assert.equal(redactEndpoint(c.endpoint), c.want));
});

describe('redactSnapshot', () => {
  const cases: { name: string; opts: Parameters<typeof redactSnapshot>[1]; hostname: string; cmdlineKept: boolean; labelsKept: boolean }[] = [
    { name: 'everything', opts: REDACT_ALL, hostname: 'host', cmdlineKept: false, labelsKept: false },
    { name: 'command lines only', opts: { commandLines: true, hostnames: false, labels: false }, hostname: 'vm', cmdlineKept: false, labelsKept: true },
    { name: 'host names only', opts: { commandLines: false, hostnames: true, labels: false }, hostname: 'host', cmdlineKept: true, labelsKept: true },
    { name: 'labels by default', opts: { commandLines: false, hostnames: false }, hostname: 'vm', cmdlineKept: true, labelsKept: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = redactSnapshot(DEMO, c.opts);
      assert.equal(r.host.hostname, c.hostname);
      const withArgs = DEMO.processes.findIndex((p) => p.cmdline.length > 1);
      assert.equal(r.processes[withArgs]!.comm, DEMO.processes[withArgs]!.comm, 'comm is kept');
      assert.equal(sameJson(r.processes.map((p) => p.cmdline), DEMO.processes.map((p) => p.cmdline)), c.cmdlineKept);
      assert.equal(sameJson(r.containers.map((c2) => c2.labels), DEMO.containers.map((c2) => c2.labels)), c.labelsKept);
      assert.deepEqual(r.containers.map((x) => Object.keys(x.labels)), DEMO.containers.map((x) => Object.keys(x.labels)), 'label keys are kept');
      assert.equal(r.processes.length, DEMO.processes.length);
    });
  }

  it('leaves the input untouched (pure)', () => {
    const before = JSON.stringify(DEMO);
    redactSnapshot(DEMO, REDACT_ALL);
    assert.equal(JSON.stringify(DEMO), before);
  });

  it('hides /home paths under security.mounts and in findings', () => {
    const c = CONFINEMENT.containers.find((x) => x.security && x.security.mounts.length > 0)!;
    const planted: Snapshot = {
      ...CONFINEMENT,
      containers: [{
        ...c,
        security: { ...c.security!, mounts: [...c.security!.mounts, { ...c.security!.mounts[0]!, target: '/src', root: '/home/alice/src', hostPath: '/home/alice/src', kind: 'host', flags: ['host-path'] }] },
        findings: [{ id: 'host-path', severity: 'medium', message: 'host path /home/alice/src is mounted', evidence: 'security.mounts[/src].hostPath = /home/alice/src' }],
      }],
    };
    const text = JSON.stringify(redactSnapshot(planted, REDACT_ALL));
    assert.equal(text.includes('alice'), false);
    assert.ok(text.includes('/home/…'));
  });

  it('a redacted delta folds into a redacted snapshot as the unredacted one would (commutes with applyDelta)', () => {
    const from = { seq: 1, snapshot: withoutMover(), usage: {} };
    const d = diffSnapshots(from.snapshot, DEMO, 2, {});
    const a = applyDelta(redactSequenced(from, REDACT_ALL), redactDelta(d, REDACT_ALL));
    const b = applyDelta(from, d);
    assert.equal(a.kind, 'applied');
    assert.deepEqual(normalized(a.state.snapshot), normalized(redactSnapshot(b.state.snapshot, REDACT_ALL)));
  });
});

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
