// Docker CLI helpers for integration tests: run labelled, network-less containers and clean up.
// Everything goes through execFile(Sync) on the `docker` binary, never through a shell.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The fixture images built by test/fixtures/images/build.sh (via scripts/setup-env.sh). */
export const FIXTURE_IMAGES = { hello: 'isolens/hello:test', busybox: 'isolens/busybox:test' } as const;

/** Label put on every container a test starts (removeAllTestContainers finds them by it). */
export const TEST_LABEL = 'isolens.test=1';

const ROOT = path.resolve(__dirname, '..', '..');
const SETUP_SCRIPT = path.join(ROOT, 'scripts', 'setup-env.sh');
const CLI_TIMEOUT_MS = 120_000;
const PID_WAIT_MS = 10_000;

/** A failed `docker` command (docker(1)): the arguments, the exit status and its stderr. */
export class DockerCliError extends Error {
  override readonly name = 'DockerCliError';
  constructor(
    readonly args: readonly string[],
    readonly status: number | null,
    readonly stderr: string,
  ) {
    super(`docker ${args.join(' ')} failed (exit ${status ?? 'signal'}): ${stderr.trim() || '(no stderr)'}`);
  }
}

interface ExecFailure {
  status?: number | null;
  stderr?: string | Buffer;
  message?: string;
}

function stderrOf(e: ExecFailure): string {
  if (typeof e.stderr === 'string') return e.stderr;
  if (Buffer.isBuffer(e.stderr)) return e.stderr.toString('utf8');
  return e.message ?? '';
}

/** Runs `docker ARGS...` (docker(1)) and returns its stdout; throws DockerCliError with stderr on failure. */
export function docker(args: string[]): string {
  try {
    return execFileSync('docker', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CLI_TIMEOUT_MS,
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as ExecFailure;
    throw new DockerCliError(args, e.status ?? null, stderrOf(e));
  }
}

/** Like docker() but asynchronous (for tests that do several things at once). */
export function dockerAsync(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { encoding: 'utf8', timeout: CLI_TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new DockerCliError(args, typeof err.code === 'number' ? err.code : null, stderr || err.message));
      else resolve(stdout);
    });
  });
}

/** What to run: docker-run(1) IMAGE [COMMAND], with extra `docker run` flags in args. */
export interface RunOptions {
  readonly image: string;
  readonly name?: string;
  /** Extra `docker run` flags, e.g. ['--memory', '64m']; a network flag may only say none, host or container:<x>. */
  readonly args?: readonly string[];
  /** COMMAND and ARGS after the image (for hello: ['alloc', '64'] or ['spin']). */
  readonly cmd?: readonly string[];
}

/** A started container (docker-inspect(1) .Id, .Name, .State.Pid: its init's PID on the host). */
export interface TestContainer {
  readonly id: string;
  readonly name: string;
  readonly pid: number;
}

const NETWORK_FLAGS = ['--network', '--net'];

/** The network a flag list asks for (undefined when none); throws on anything but none, host, container:<x>. */
function requestedNetwork(args: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    let value: string | undefined;
    const eq = a.indexOf('=');
    const flag = eq >= 0 ? a.slice(0, eq) : a;
    if (!NETWORK_FLAGS.includes(flag)) continue;
    if (eq >= 0) value = a.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined || !(value === 'none' || value === 'host' || /^container:.+/.test(value))) {
      throw new Error(`test containers may only use --network none, host or container:<x>, not ${JSON.stringify(value ?? '')}`);
    }
    found = value;
  }
  return found;
}

/** The `docker run`/`docker create` flags shared by runContainer and runToCompletion. */
function runFlags(opts: RunOptions): string[] {
  const extra = [...(opts.args ?? [])];
  const flags = ['--label', TEST_LABEL];
  if (requestedNetwork(extra) === undefined) flags.push('--network', 'none');
  if (opts.name !== undefined) flags.push('--name', opts.name);
  return [...flags, ...extra, opts.image, ...(opts.cmd ?? [])];
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

interface InspectState {
  Id: string;
  Name: string;
  State: { Pid: number; Status: string; ExitCode: number; OOMKilled: boolean; Error: string };
}

function inspectContainer(id: string): InspectState {
  const parsed = JSON.parse(docker(['container', 'inspect', id])) as InspectState[];
  const first = parsed[0];
  if (first === undefined) throw new Error(`docker container inspect ${id} returned nothing`);
  return first;
}

/**
 * Starts a detached container (docker-run(1) -d) labelled isolens.test=1, with --network none
 * unless args name none/host/container:<x>, and waits up to 10 s for its host PID (State.Pid).
 * Throws (removing the container) if it exits or never gets a PID.
 */
export function runContainer(opts: RunOptions): TestContainer {
  const id = docker(['run', '-d', ...runFlags(opts)]).trim();
  const deadline = Date.now() + PID_WAIT_MS;
  for (;;) {
    const info = inspectContainer(id);
    if (info.State.Pid > 0) return { id: info.Id, name: info.Name.replace(/^\//, ''), pid: info.State.Pid };
    if (info.State.Status === 'exited' || info.State.Status === 'dead' || Date.now() > deadline) {
      let logs = '';
      try {
        logs = docker(['logs', '--tail', '20', id]);
      } catch {
        // the logs are only a hint
      }
      removeContainer(id);
      throw new Error(
        `container ${opts.image} ${(opts.cmd ?? []).join(' ')} has no PID (status ${info.State.Status}, exit ${info.State.ExitCode}` +
          `${info.State.OOMKilled ? ', OOM-killed' : ''}${info.State.Error ? `, ${info.State.Error}` : ''}): ${logs.trim()}`,
      );
    }
    sleepSync(100);
  }
}

/** Runs a container to its end (docker-run(1) --rm, attached) and returns its stdout; throws DockerCliError on a non-zero exit. */
export function runToCompletion(opts: RunOptions): string {
  return docker(['run', '--rm', ...runFlags(opts)]);
}

/** Removes a container and its anonymous volumes, running or not (docker-rm(1) -f -v); a missing one is fine. */
export function removeContainer(idOrName: string): void {
  try {
    docker(['rm', '-f', '-v', idOrName]);
  } catch (err) {
    if (err instanceof DockerCliError && /No such container/i.test(err.stderr)) return;
    throw err;
  }
}

/** Removes every container labelled isolens.test=1 (docker-ps(1) --filter label=...), e.g. in an after() hook. */
export function removeAllTestContainers(): void {
  const ids = docker(['ps', '-aq', '--filter', `label=${TEST_LABEL}`]).split('\n').filter((s) => s.trim() !== '');
  if (ids.length > 0) docker(['rm', '-f', '-v', ...ids]);
}

/** Whether an image is present locally (docker-image-inspect(1)). */
export function imageExists(image: string): boolean {
  try {
    docker(['image', 'inspect', '--format', '{{.Id}}', image]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure FIXTURE_IMAGES exist: when one is missing, runs the image step of
 * scripts/setup-env.sh (--images-only); throws a clear error when that cannot build them.
 */
export function ensureFixtureImages(): void {
  const missing = Object.values(FIXTURE_IMAGES).filter((img) => !imageExists(img));
  if (missing.length === 0) return;
  const hint = 'run `sudo bash scripts/setup-env.sh` (installs gcc, busybox-static and docker.io, starts dockerd, builds the images)';
  if (!existsSync(SETUP_SCRIPT)) throw new Error(`fixture images ${missing.join(', ')} are missing and ${SETUP_SCRIPT} is not there: ${hint}`);
  try {
    execFileSync('bash', [SETUP_SCRIPT, '--images-only'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  } catch (err) {
    const e = err as ExecFailure;
    throw new Error(`fixture images ${missing.join(', ')} are missing and building them failed: ${stderrOf(e).trim()}\n${hint}`);
  }
  const still = Object.values(FIXTURE_IMAGES).filter((img) => !imageExists(img));
  if (still.length > 0) throw new Error(`fixture images ${still.join(', ')} are still missing after scripts/setup-env.sh --images-only: ${hint}`);
}
