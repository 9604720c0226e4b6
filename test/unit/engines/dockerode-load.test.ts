// What starting isolens loads: dockerode only when a Docker client is made, and then without its
// BuildKit session support (grpc, protobufjs) or docker-modem's ssh:// transport (ssh2). Each case
// runs in a fresh Node process, so nothing loaded by this test file counts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.join(__dirname, '..', '..', '..');

/** Runs `code` in a fresh Node (TypeScript through tsx) and returns what it printed as JSON. */
function inFreshNode(code: string): unknown {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as unknown;
}

/** A script fragment: which of these packages have a file in require's cache. */
const LOADED = `(names) => names.filter((n) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + n + '/')))`;
const HEAVY = ['dockerode', 'docker-modem', 'ssh2', '@grpc/grpc-js', 'protobufjs', 'systeminformation'];

describe('dockerode is loaded on first use, without the parts isolens never runs', () => {
  it('the CLI module loads none of dockerode, ssh2, grpc, protobufjs or systeminformation', () => {
    const loaded = inFreshNode(`require('./electron/cli/main'); console.log(JSON.stringify((${LOADED})(${JSON.stringify(HEAVY)})));`);
    assert.deepEqual(loaded, []);
  });

  it('a Docker engine adapter made but not yet asked loads nothing either', () => {
    const loaded = inFreshNode(`const { DockerEngine } = require('./electron/collector/engines/docker'); new DockerEngine({ endpoint: 'unix:///nonexistent.sock' }); console.log(JSON.stringify((${LOADED})(${JSON.stringify(HEAVY)})));`);
    assert.deepEqual(loaded, []);
  });

  it('the first client loads dockerode and docker-modem but not ssh2, grpc or protobufjs; the stubs say why if ever called', () => {
    const out = inFreshNode(`
      const { dockerodeClass, UNUSED_DOCKERODE_PARTS } = require('./electron/collector/engines/dockerode');
      const Docker = dockerodeClass();
      const client = new Docker({ socketPath: '/nonexistent.sock' });
      const path = require('node:path');
      const from = path.dirname(require.resolve('dockerode'));
      const errors = UNUSED_DOCKERODE_PARTS.map(([pkg, file]) => {
        const root = path.dirname(require.resolve(pkg + '/package.json', { paths: [from] }));
        try { require(path.join(root, file))(); return 'called'; } catch (e) { return e.message; }
      });
      console.log(JSON.stringify({ loaded: (${LOADED})(${JSON.stringify(HEAVY)}), same: dockerodeClass() === Docker, client: typeof client.listContainers, errors }));
    `);
    assert.deepEqual(out, {
      loaded: ['dockerode', 'docker-modem'],
      same: true,
      client: 'function',
      errors: [
        'isolens does not load dockerode/lib/session.js (BuildKit sessions and ssh:// are not used)',
        'isolens does not load docker-modem/lib/ssh.js (BuildKit sessions and ssh:// are not used)',
      ],
    });
  });
});
