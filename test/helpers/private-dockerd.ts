// A second, private dockerd for failure tests (stop it, start it, break its socket) that never
// touches the machine's main engine: its own socket, data-root, exec-root (so its own managed
// containerd under exec-root/containerd), pidfile, config file and cgroup parent, no bridge and
// no iptables. Root only. Usage:
//   describe('x', { skip: privateDockerdSkip() }, () => { let pd: PrivateDockerd;
//     before(async () => { pd = await startPrivateDockerd(); }); after(() => pd?.destroy()); ... });
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURE_IMAGES, TEST_LABEL } from './docker';
import { inCI, isRoot } from './require';

/** A running private dockerd(8) and the means to stop, restart and remove it. */
export interface PrivateDockerd {
  /** The temp directory holding everything (socket, data, exec, pidfile, log). */
  readonly dir: string;
  /** Path of its API unix socket. */
  readonly socket: string;
  /** `unix://` + socket, for `docker -H` and dockerode's endpoint names. */
  readonly host: string;
  /** dockerd --pidfile. */
  readonly pidfile: string;
  /** dockerd's own log (stdout and stderr). */
  readonly logfile: string;
  /** Whether the daemon process is up. */
  readonly running: boolean;
  /** The PID of the running dockerd, or null. */
  readonly pid: number | null;
  /** Sends SIGTERM and waits for the daemon (and its containers, --shutdown-timeout 1) to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same directories and waits until `docker info` answers. */
  start(): Promise<void>;
  /** Runs `docker -H host ARGS` (docker(1)) and returns stdout; throws with stderr on failure. */
  docker(args: readonly string[]): Promise<string>;
  /** Removes its containers, stops it, unmounts what it left and deletes the temp dir. Idempotent. */
  destroy(): Promise<void>;
}

/** Options of startPrivateDockerd. */
export interface PrivateDockerdOptions {
  /** Images copied from the main engine (docker save | load); default [isolens/busybox:test]. */
  readonly images?: readonly string[];
  /** How long to wait for the daemon to answer (default 60 s). */
  readonly readyTimeoutMs?: number;
}

const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const STOP_TIMEOUT_MS = 30_000;
const CLI_TIMEOUT_MS = 120_000;

function findBinary(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':').filter((d) => d !== ''), ...SEARCH_PATH];
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * For `describe(name, { skip: privateDockerdSkip() }, ...)`: false when a private dockerd can
 * run here (root, dockerd, containerd and docker installed); otherwise why not. Under CI=true a
 * missing prerequisite throws: those tests must run.
 */
export function privateDockerdSkip(): string | false {
  let why: string | null = null;
  if (!isRoot) why = 'a private dockerd needs root';
  else if (findBinary('dockerd') === null) why = 'dockerd is not installed (apt-get install docker.io, or run scripts/setup-env.sh)';
  else if (findBinary('containerd') === null) why = 'containerd is not installed (apt-get install containerd)';
  else if (findBinary('docker') === null) why = 'the docker CLI is not installed';
  if (why === null) return false;
  if (inCI) throw new Error(`CI=true but ${why}`);
  return why;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function run(file: string, args: readonly string[], timeout = CLI_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(file)} ${args.join(' ')} failed: ${(stderr || err.message).trim()}`));
      else resolve(stdout);
    });
  });
}

/** `docker save IMAGE | docker -H host load`, without a shell. */
function copyImage(dockerBin: string, host: string, image: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const save = spawn(dockerBin, ['save', image], { stdio: ['ignore', 'pipe', 'pipe'] });
    const load = spawn(dockerBin, ['-H', host, 'load', '--quiet'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let saveErr = '';
    let loadErr = '';
    save.stderr.on('data', (d: Buffer) => (saveErr += d.toString()));
    load.stderr.on('data', (d: Buffer) => (loadErr += d.toString()));
    load.stdout.resume();
    save.stdout.pipe(load.stdin);
    load.stdin.on('error', () => undefined); // EPIPE when load dies first; its exit code says why
    let saveCode: number | null | undefined;
    save.on('close', (code) => (saveCode = code));
    load.on('close', (code) => {
      const finish = (): void => {
        if (saveCode === 0 && code === 0) resolve();
        else reject(new Error(`docker save ${image} | docker -H ${host} load failed: ${saveErr.trim()} ${loadErr.trim()}`.trim()));
      };
      if (saveCode !== undefined) finish();
      else save.on('close', finish);
    });
  });
}

/**
 * Builds `image` straight into the private engine (docker import), from the host's static
 * /bin/busybox with one symlink per applet, CMD /bin/sh: used when the main engine lacks it.
 * The main engine is never touched.
 */
async function importBusybox(dockerBin: string, host: string, dir: string, image: string): Promise<void> {
  const root = path.join(dir, 'bbroot');
  mkdirSync(path.join(root, 'bin'), { recursive: true });
  const bb = '/bin/busybox';
  if (!existsSync(bb)) throw new Error(`${image} is not on the main engine and ${bb} is missing (apt-get install busybox-static)`);
  writeFileSync(path.join(root, 'bin', 'busybox'), readFileSync(bb), { mode: 0o755 });
  const applets = execFileSync(bb, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a !== '' && a !== 'busybox');
  for (const a of applets) execFileSync('ln', ['-sf', 'busybox', path.join(root, 'bin', a)]);
  const tarFile = path.join(dir, 'bbroot.tar');
  execFileSync('tar', ['-C', root, '-cf', tarFile, '.']);
  await run(dockerBin, ['-H', host, 'import', '-c', 'CMD ["/bin/sh"]', tarFile, image]);
  rmSync(root, { recursive: true, force: true });
  rmSync(tarFile, { force: true });
}

function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const points: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const mp = line.split(' ')[4];
    if (mp === undefined) continue;
    // mountinfo escapes space, tab, newline and backslash as octal (proc(5))
    const p = mp.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (p === dir || p.startsWith(prefix)) points.push(p);
  }
  return points.sort((a, b) => b.length - a.length);
}

function removeCgroupParent(name: string): void {
  const base = '/sys/fs/cgroup';
  const candidates = [path.join(base, name)];
  try {
    for (const e of readdirSync(base, { withFileTypes: true })) if (e.isDirectory()) candidates.push(path.join(base, e.name, name));
  } catch {
    return;
  }
  for (const c of candidates) {
    try {
      rmdirSync(c);
    } catch {
      // absent, or still busy: nothing to do
    }
  }
}

/** Instances still running, killed if the test process exits without destroy(). */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) {
    try {
      c.kill('SIGTERM');
    } catch {
      // already gone
    }
  }
});

/**
 * Starts a second dockerd(8) in a fresh /tmp/isolens-pd.XXXXXX directory and waits until it
 * answers `docker info`; copies `options.images` (default isolens/busybox:test) into it.
 */
export async function startPrivateDockerd(options: PrivateDockerdOptions = {}): Promise<PrivateDockerd> {
  const skip = privateDockerdSkip();
  if (skip !== false) throw new Error(`cannot start a private dockerd: ${skip}`);
  const dockerdBin = findBinary('dockerd') as string;
  const dockerBin = findBinary('docker') as string;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;

  // Short paths: unix socket paths are limited to 107 bytes (unix(7)), and containerd puts its
  // sockets under exec-root/containerd/.
  const dir = mkdtempSync('/tmp/isolens-pd.');
  const socket = path.join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const pidfile = path.join(dir, 'docker.pid');
  const logfile = path.join(dir, 'dockerd.log');
  const configFile = path.join(dir, 'daemon.json');
  const cgroupParent = `isolens-pd-${path.basename(dir).split('.').pop() ?? 'x'}`;
  for (const sub of ['data', 'exec']) mkdirSync(path.join(dir, sub), { recursive: true });
  // An empty config: the machine's /etc/docker/daemon.json (hosts, data-root, ...) must not apply.
  writeFileSync(configFile, '{}\n');

  const args = [
    '--config-file', configFile,
    '-H', host,
    '--data-root', path.join(dir, 'data'),
    '--exec-root', path.join(dir, 'exec'),
    '--pidfile', pidfile,
    '--iptables=false', '--ip6tables=false', '--bridge=none',
    '--storage-driver', 'overlay2',
    '--cgroup-parent', `/${cgroupParent}`,
    '--shutdown-timeout', '1',
  ];

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let destroyed = false;

  const logTail = (): string => {
    try {
      return readFileSync(logfile, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no log)';
    }
  };

  const cli = (a: readonly string[], timeout = CLI_TIMEOUT_MS): Promise<string> => run(dockerBin, ['-H', host, ...a], timeout);

  const waitReady = async (): Promise<void> => {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (child === null) throw new Error(`private dockerd exited during startup; log ${logfile}:\n${logTail()}`);
      try {
        await cli(['info', '--format', '{{.ServerVersion}}'], 10_000);
        return;
      } catch (err) {
        if (Date.now() > deadline) {
          throw new Error(`private dockerd at ${host} did not answer within ${readyTimeoutMs} ms: ${(err as Error).message}\n${logTail()}`);
        }
      }
      await sleep(100);
    }
  };

  const start = async (): Promise<void> => {
    if (destroyed) throw new Error('this private dockerd was destroyed');
    if (child !== null) return;
    const out = openSync(logfile, 'a');
    const proc = spawn(dockerdBin, args, {
      stdio: ['ignore', out, out],
      env: { ...process.env, PATH: [...SEARCH_PATH, process.env.PATH ?? ''].join(':') },
    });
    closeSync(out);
    child = proc;
    live.add(proc);
    exited = new Promise<void>((resolve) => {
      proc.once('exit', () => {
        live.delete(proc);
        if (child === proc) child = null;
        resolve();
      });
      proc.once('error', () => {
        live.delete(proc);
        if (child === proc) child = null;
        resolve();
      });
    });
    try {
      await waitReady();
    } catch (err) {
      await stop();
      throw err;
    }
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    if (proc === null) return;
    const done = exited;
    proc.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      done.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), STOP_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      proc.kill('SIGKILL');
      // dockerd's managed containerd outlives a SIGKILLed parent: end it by its pidfile.
      try {
        const cpid = Number(readFileSync(path.join(dir, 'exec', 'containerd', 'containerd.pid'), 'utf8').trim());
        if (cpid > 1) process.kill(cpid, 'SIGKILL');
      } catch {
        // no containerd left
      }
      await done;
    }
  };

  const destroy = async (): Promise<void> => {
    if (destroyed) return;
    if (child !== null) {
      try {
        const ids = (await cli(['ps', '-aq'])).split('\n').filter((s) => s.trim() !== '');
        if (ids.length > 0) await cli(['rm', '-f', '-v', ...ids]);
      } catch {
        // the daemon may be half-broken: stopping it stops its containers too
      }
    }
    await stop();
    destroyed = true;
    const left: string[] = [];
    for (const mp of mountsUnder(dir)) {
      try {
        execFileSync('umount', ['-l', mp], { stdio: 'pipe' });
      } catch {
        left.push(mp);
      }
    }
    removeCgroupParent(cgroupParent);
    if (left.length > 0) throw new Error(`private dockerd left mounts it could not unmount (not deleting ${dir}): ${left.join(', ')}`);
    rmSync(dir, { recursive: true, force: true });
  };

  const pd: PrivateDockerd = {
    dir,
    socket,
    host,
    pidfile,
    logfile,
    get running() {
      return child !== null;
    },
    get pid() {
      return child?.pid ?? null;
    },
    stop,
    start,
    docker: (a) => cli(a),
    destroy,
  };

  try {
    await start();
    for (const image of options.images ?? [FIXTURE_IMAGES.busybox]) {
      let onMain = false;
      try {
        await run(dockerBin, ['image', 'inspect', '--format', '{{.Id}}', image], 20_000);
        onMain = true;
      } catch {
        onMain = false;
      }
      if (onMain) await copyImage(dockerBin, host, image);
      else if (image === FIXTURE_IMAGES.busybox) await importBusybox(dockerBin, host, dir, image);
      else throw new Error(`image ${image} is not on the main engine: build it first (test/fixtures/images/build.sh)`);
    }
  } catch (err) {
    await destroy().catch(() => undefined);
    throw err;
  }
  return pd;
}

/**
 * `docker run` flags for a private-engine test container: labelled isolens.test=1, no network,
 * and --stop-timeout 1 so that stop() (which stops running containers) takes ~1 s, not 10.
 */
export const PRIVATE_RUN_FLAGS: readonly string[] = ['--network', 'none', '--label', TEST_LABEL, '--stop-timeout', '1'];
