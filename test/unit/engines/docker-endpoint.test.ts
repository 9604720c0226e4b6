import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DockerEngine, describeDockerError, resolveDockerEndpoint, type DockerEndpoint } from '../../../electron/collector/engines/docker';

describe('resolveDockerEndpoint', () => {
  const cases: { name: string; explicit?: string; env?: NodeJS.ProcessEnv; want: DockerEndpoint | { kind: 'refused'; match: RegExp } }[] = [
    { name: 'default socket', env: {}, want: { kind: 'unix', url: 'unix:///var/run/docker.sock', path: '/var/run/docker.sock' } },
    { name: 'empty DOCKER_HOST', env: { DOCKER_HOST: '' }, want: { kind: 'unix', url: 'unix:///var/run/docker.sock', path: '/var/run/docker.sock' } },
    { name: 'DOCKER_HOST unix://', env: { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, want: { kind: 'unix', url: 'unix:///run/user/1000/docker.sock', path: '/run/user/1000/docker.sock' } },
    { name: 'DOCKER_HOST unix:// without a path', env: { DOCKER_HOST: 'unix://' }, want: { kind: 'unix', url: 'unix:///var/run/docker.sock', path: '/var/run/docker.sock' } },
    { name: 'DOCKER_HOST tcp on 127.0.0.1', env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' }, want: { kind: 'tcp', url: 'tcp://127.0.0.1:2375', host: '127.0.0.1', port: 2375 } },
    { name: 'DOCKER_HOST tcp on localhost without port', env: { DOCKER_HOST: 'tcp://localhost' }, want: { kind: 'tcp', url: 'tcp://localhost:2375', host: 'localhost', port: 2375 } },
    { name: 'DOCKER_HOST tcp on [::1]', env: { DOCKER_HOST: 'tcp://[::1]:12375' }, want: { kind: 'tcp', url: 'tcp://[::1]:12375', host: '::1', port: 12375 } },
    { name: 'explicit path wins over DOCKER_HOST', explicit: '/tmp/d.sock', env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' }, want: { kind: 'unix', url: 'unix:///tmp/d.sock', path: '/tmp/d.sock' } },
    { name: 'explicit unix://', explicit: 'unix:///tmp/d.sock', env: {}, want: { kind: 'unix', url: 'unix:///tmp/d.sock', path: '/tmp/d.sock' } },
    { name: 'remote tcp host refused', env: { DOCKER_HOST: 'tcp://10.0.0.5:2375' }, want: { kind: 'refused', match: /DOCKER_HOST=tcp:\/\/10\.0\.0\.5:2375: not connecting to 10\.0\.0\.5/ } },
    { name: 'hostname refused', env: { DOCKER_HOST: 'tcp://docker.example:2375' }, want: { kind: 'refused', match: /only loopback/ } },
    { name: 'explicit remote tcp refused', explicit: 'tcp://192.168.1.2:2375', env: {}, want: { kind: 'refused', match: /^endpoint=tcp:\/\/192\.168\.1\.2:2375/ } },
    { name: 'ssh refused', env: { DOCKER_HOST: 'ssh://me@host' }, want: { kind: 'refused', match: /only unix:\/\/ sockets and tcp:\/\/ on loopback/ } },
    { name: 'npipe refused', env: { DOCKER_HOST: 'npipe:////./pipe/docker_engine' }, want: { kind: 'refused', match: /only unix/ } },
    { name: 'host without scheme refused', env: { DOCKER_HOST: '127.0.0.1:2375' }, want: { kind: 'refused', match: /only unix/ } },
    { name: 'TLS port refused', env: { DOCKER_HOST: 'tcp://127.0.0.1:2376' }, want: { kind: 'refused', match: /TLS/ } },
    { name: 'DOCKER_TLS_VERIFY refused', env: { DOCKER_HOST: 'tcp://127.0.0.1:2375', DOCKER_TLS_VERIFY: '1' }, want: { kind: 'refused', match: /TLS/ } },
    { name: 'invalid tcp URL refused', env: { DOCKER_HOST: 'tcp://[nope' }, want: { kind: 'refused', match: /not a valid/ } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = resolveDockerEndpoint(c.explicit, c.env);
      if ('match' in c.want) {
        assert.equal(got.kind, 'refused');
        assert.match((got as { reason: string }).reason, c.want.match);
      } else {
        assert.deepEqual(got, c.want);
      }
    });
  }
});

describe('DockerEngine with a refused endpoint', () => {
  it('probe() reports why and does not connect', async () => {
    const engine = new DockerEngine({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2375' } });
    const st = await engine.probe();
    assert.equal(st.available, false);
    assert.equal(st.name, 'docker');
    assert.equal(st.endpoint, 'tcp://10.0.0.5:2375');
    assert.match(st.error ?? '', /not connecting to 10\.0\.0\.5/);
  });
  it('listContainers() rejects with EngineError', async () => {
    const engine = new DockerEngine({ env: { DOCKER_HOST: 'ssh://me@host' } });
    await assert.rejects(engine.listContainers(), { name: 'EngineError', message: /only unix/ });
  });
});

describe('describeDockerError', () => {
  const unix: DockerEndpoint = { kind: 'unix', url: 'unix:///var/run/docker.sock', path: '/var/run/docker.sock' };
  const tcp: DockerEndpoint = { kind: 'tcp', url: 'tcp://127.0.0.1:2375', host: '127.0.0.1', port: 2375 };
  const errno = (code: string): Error => Object.assign(new Error(`connect ${code}`), { code });
  const cases: { name: string; err: unknown; ep: DockerEndpoint; want: string }[] = [
    { name: 'socket missing', err: errno('ENOENT'), ep: unix, want: 'socket /var/run/docker.sock not found (is dockerd running?)' },
    { name: 'permission denied', err: errno('EACCES'), ep: unix, want: 'permission denied on /var/run/docker.sock: add the user to the docker group or run as root' },
    { name: 'refused on unix', err: errno('ECONNREFUSED'), ep: unix, want: 'connection refused on /var/run/docker.sock (is dockerd running?)' },
    { name: 'refused on tcp', err: errno('ECONNREFUSED'), ep: tcp, want: 'connection refused on tcp://127.0.0.1:2375 (is dockerd running?)' },
    { name: 'reset', err: errno('ECONNRESET'), ep: unix, want: '/var/run/docker.sock closed the connection (is it a Docker API socket?)' },
    {
      name: 'HTTP error from dockerode',
      err: Object.assign(new Error('(HTTP code 500) server error - boom'), { statusCode: 500, json: { message: 'boom' } }),
      ep: unix,
      want: 'dockerd at /var/run/docker.sock answered HTTP 500: boom',
    },
    { name: 'anything else', err: new Error('weird'), ep: tcp, want: 'tcp://127.0.0.1:2375: weird' },
    { name: 'not an Error', err: 'text', ep: tcp, want: 'tcp://127.0.0.1:2375: text' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(describeDockerError(c.err, c.ep), c.want));
});
