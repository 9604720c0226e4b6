// dockerode, loaded the first time a Docker client is made, without the two parts of it isolens
// never runs. Requiring dockerode whole costs ~150-220 ms here, paid at every start of the CLI, of
// `serve` and of the app's collector: its BuildKit session support (lib/session.js, used only by
// buildImage with credentials) loads grpc and protobufjs, and docker-modem's ssh:// transport
// (lib/ssh.js) loads ssh2. A read-only client of a local socket or a tcp:// endpoint needs neither:
// they are replaced by stubs that throw if ever called, and dockerode loads in ~40 ms. Loaded on
// first use, it costs nothing without Docker, and a snapshot loads it while isolens-table reads.
import type * as http from 'node:http';
import Module from 'node:module';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import type { DockerEndpoint } from './docker';

/** The modules replaced: [package, its file], resolved from dockerode's own directory. */
export const UNUSED_DOCKERODE_PARTS: readonly (readonly [string, string])[] = [
  ['dockerode', 'lib/session.js'],
  ['docker-modem', 'lib/ssh.js'],
];

let loaded: typeof Dockerode | null = null;

/** Puts a stub for each unused part in require's cache (each one that resolves and is not loaded yet). */
function stubUnusedParts(): void {
  let from: string;
  try {
    from = path.dirname(require.resolve('dockerode'));
  } catch {
    return; // not installed: the require below says so
  }
  for (const [pkg, file] of UNUSED_DOCKERODE_PARTS) {
    let resolved: string;
    try {
      const root = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [from] }));
      resolved = require.resolve(path.join(root, file));
    } catch {
      continue; // laid out otherwise: loaded as it is
    }
    if (require.cache[resolved] !== undefined) continue;
    const stub = new Module(resolved);
    stub.filename = resolved;
    stub.loaded = true;
    stub.exports = (): never => {
      throw new Error(`isolens does not load ${pkg}/${file} (BuildKit sessions and ssh:// are not used)`);
    };
    require.cache[resolved] = stub;
  }
}

/** dockerode's Docker class (`new Docker(opts)`), required on the first call, its unused parts stubbed. */
export function dockerodeClass(): typeof Dockerode {
  if (loaded === null) {
    stubUnusedParts();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require on first use is the point (see above)
    loaded = require('dockerode') as typeof Dockerode;
  }
  return loaded;
}

/**
 * A dockerode client for an endpoint resolved by resolveDockerEndpoint (docker.ts), with every
 * connection option given so DOCKER_HOST / DOCKER_CERT_PATH cannot redirect it; null for a
 * refused endpoint. `timeoutMs` null: no timeout (the /events stream).
 */
export function dockerClientFor(target: Exclude<DockerEndpoint, { kind: 'refused' }>, timeoutMs?: number | null, agent?: http.Agent): Dockerode;
export function dockerClientFor(target: DockerEndpoint, timeoutMs?: number | null, agent?: http.Agent): Dockerode | null;
export function dockerClientFor(target: DockerEndpoint, timeoutMs: number | null = 30_000, agent?: http.Agent): Dockerode | null {
  const common = {
    timeout: timeoutMs ?? undefined, ca: undefined, cert: undefined, key: undefined, protocol: 'http' as const,
    ...(agent ? { agent } : {}),
  };
  const Docker = dockerodeClass();
  if (target.kind === 'unix') return new Docker({ ...common, socketPath: target.path, host: undefined, port: undefined });
  if (target.kind === 'tcp') return new Docker({ ...common, host: target.host, port: target.port, socketPath: undefined });
  return null;
}
