import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Snapshot } from '../../shared/model';
import { FIXTURE_IMAGES, ensureFixtureImages, removeContainer, runContainer, type TestContainer } from '../helpers/docker';
import { dockerSkip, inCI, isRoot } from '../helpers/require';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'isolens');
const built = fs.existsSync(path.join(root, 'dist', 'electron', 'cli', 'main.js'));
const builtSkip = (): string | false => {
  if (built) return false;
  if (inCI) throw new Error('CI=true but dist/ is not built (npm test builds first)');
  return 'dist/ not built: run npm run build';
};

function run(args: string[], asUser?: number): { stdout: string; stderr: string; status: number | null } {
  const cmd = asUser === undefined ? process.execPath : 'setpriv';
  const full = asUser === undefined ? [bin, ...args] : [`--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', process.execPath, bin, ...args];
  // A host with thousands of processes prints megabytes: spawnSync's default maxBuffer (1 MiB) would kill the CLI.
  const r = spawnSync(cmd, full, { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, DOCKER_HOST: '' } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('bin/isolens', { skip: builtSkip() }, () => {
  it('prints usage and exits 2 on an unknown command', () => {
    const r = run(['frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command "frobnicate"/);
    assert.match(r.stderr, /snapshot \[--json\]/);
  });

  it('snapshot --json prints the schema 1 model of this host', () => {
    const r = run(['snapshot', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as Snapshot;
    assert.equal(s.schema, 1);
    assert.ok(Date.parse(s.takenAt) > 0);
    const self = s.processes.find((p) => p.pid === 2);
    assert.equal(self?.comm, 'kthreadd');
    for (const key of ['host', 'processes', 'namespaces', 'containers', 'engines', 'warnings']) assert.ok(key in s, key);
  });

  it('snapshot as a normal user still works, with nulls and a warning that says how to see everything', { skip: isRoot ? false : 'needs root to switch to nobody' }, () => {
    const r = run(['snapshot', '--json'], 65534);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as Snapshot;
    assert.equal(s.host.collectorUid, 65534);
    const kthreadd = s.processes.find((p) => p.pid === 2);
    assert.ok(kthreadd, 'other users\' processes are still listed');
    assert.equal(kthreadd.namespaces.net, null, 'but their ns links are unreadable');
    assert.ok(s.warnings.some((w) => /run as root/.test(w)), s.warnings.join('\n'));
  });
});

describe('bin/isolens snapshot with a container', { skip: builtSkip() || dockerSkip() }, () => {
  let c: TestContainer;
  before(() => {
    ensureFixtureImages();
    c = runContainer({ image: FIXTURE_IMAGES.busybox, name: `isolens-cli-${process.pid}`, cmd: ['sleep', '600'] });
  });
  after(() => removeContainer(c.id));

  it('marks the container\'s processes in the tree with its name, PID 1 inside, and its own namespaces', () => {
    const r = run(['snapshot']);
    assert.equal(r.status, 0, r.stderr);
    const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith(`${c.pid} `));
    assert.ok(line, `a line for pid ${c.pid}`);
    assert.match(line, new RegExp(`^\\s*${c.pid}\\s+1\\s`), 'PID inside is 1');
    assert.match(line, new RegExp(`\\[docker:${c.name} init\\]`));
    assert.match(line, /ns:.*pid/);
    assert.match(line, /sleep 600/);
    assert.match(r.stdout, new RegExp(`docker\\s+${c.name}\\s+${FIXTURE_IMAGES.busybox.replace(/[/.]/g, '\\$&')}\\s+init pid ${c.pid}`));
    // The tree puts the container's init under the shim that started it.
    const shim = execFileSync('ps', ['-o', 'ppid=', '-p', String(c.pid)], { encoding: 'utf8' }).trim();
    assert.ok(r.stdout.split('\n').some((l) => l.trimStart().startsWith(`${shim} `)));
  });
});
