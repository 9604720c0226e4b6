// Shared by the engine integration tests (podman, lxc, nspawn, containerd): a Docker container and
// an engine-less `unshare` group started beside the engine's container, the checks that all of
// them are named for what they are, and small process helpers. Not a test file itself.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { ContainerInfo, Snapshot } from '../../../shared/model';
import { FIXTURE_IMAGES, ensureFixtureImages, removeContainer, runContainer, type TestContainer } from '../../helpers/docker';
import { dockerAvailable, inCI, isRoot } from '../../helpers/require';

const MiB = 1024 * 1024;

/** Runs FILE ARGS (no shell) and returns stdout; throws with stderr on failure. */
export function sh(file: string, args: readonly string[], timeout = 60_000): string {
  try {
    return execFileSync(file, [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

/** Like sh() but never throws (cleanup paths). */
export function shQuiet(file: string, args: readonly string[], timeout = 60_000): void {
  try {
    execFileSync(file, [...args], { stdio: 'ignore', timeout });
  } catch {
    // already gone
  }
}

/** Removes an empty cgroup directory NAME from every hierarchy (v1 controllers and the v2 root); busy or absent ones stay. */
export function rmdirCgroup(name: string): void {
  const roots = ['/sys/fs/cgroup'];
  try {
    for (const e of fs.readdirSync('/sys/fs/cgroup', { withFileTypes: true })) if (e.isDirectory()) roots.push(`/sys/fs/cgroup/${e.name}`);
  } catch {
    return;
  }
  for (const r of roots) {
    try {
      fs.rmdirSync(`${r}/${name}`);
    } catch {
      // absent, busy, or not a cgroup root
    }
  }
}

/** Whether an executable is on PATH (or the sbin directories). */
export function have(tool: string): boolean {
  for (const d of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin']) {
    if (d !== '' && fs.existsSync(`${d}/${tool}`)) return true;
  }
  return false;
}

/**
 * For describe(..., { skip }): false when root, dockerd and `tools` are here; else why not
 * (under CI=true, throws instead: CI installs them with scripts/setup-env.sh).
 */
export function engineSkip(tools: readonly string[]): string | false {
  let why: string | null = null;
  if (!isRoot) why = 'needs root (starts containers, reads every process)';
  else if (!dockerAvailable()) why = 'no Docker engine answers `docker info`';
  else {
    const missing = tools.filter((t) => !have(t));
    if (missing.length > 0) why = `${missing.join(', ')} not installed (run scripts/setup-env.sh as root)`;
  }
  if (why === null) return false;
  if (inCI) throw new Error(`CI=true but ${why}`);
  return why;
}

/** Polls `fn` every 100 ms until it returns a value other than undefined, or throws after `ms`. */
export async function waitFor<T>(what: string, fn: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    let v: T | undefined;
    try {
      v = fn();
    } catch {
      v = undefined;
    }
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The first child pid of a process (proc(5) /proc/PID/task/PID/children), if any. */
export function childOf(pid: number): number | undefined {
  try {
    const first = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

/** A Docker container and an `unshare` group started beside another engine's container. */
export interface Beside {
  readonly docker: TestContainer;
  /** The unshare launcher and the sleep that is pid 1 of its new pid namespace. */
  readonly unshare: ChildProcess;
  readonly unshareInit: number;
  stop(): void;
}

/** Starts `docker run --memory 32m isolens/busybox:test sleep 600` and `unshare --pid --fork --mount-proc --uts sleep 600`. */
export async function startBeside(tag: string): Promise<Beside> {
  ensureFixtureImages();
  const docker = runContainer({ image: FIXTURE_IMAGES.busybox, name: `isolens-beside-${tag}-${process.pid}`, args: ['--memory', '32m'], cmd: ['sleep', '600'] });
  const unshare = spawn('unshare', ['--pid', '--fork', '--mount-proc', '--uts', 'sleep', '600'], { stdio: 'ignore' });
  let unshareInit: number | undefined;
  const stop = (): void => {
    // Killing the launcher would leave its child, pid 1 of the new pid namespace, running: kill that first.
    if (unshareInit !== undefined) {
      try {
        process.kill(unshareInit, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    unshare.kill('SIGKILL');
    removeContainer(docker.id);
  };
  try {
    unshareInit = await waitFor('the unshare child', () => (unshare.pid === undefined ? undefined : childOf(unshare.pid)));
    return { docker, unshare, unshareInit, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

/** The container of that name and engine in the snapshot (asserting it is there). */
export function containerNamed(s: Snapshot, engine: string, name: string): ContainerInfo {
  const c = s.containers.find((x) => x.engine === engine && x.name === name);
  assert.ok(c, `${engine} container ${name} is in the snapshot (have: ${s.containers.map((x) => `${x.engine}/${x.name}`).join(', ')})`);
  return c;
}

/** The Docker container is named as Docker's with its 32 MiB limit, and the unshare group as engine-less. */
export function assertBeside(s: Snapshot, b: Beside): void {
  const d = containerNamed(s, 'docker', b.docker.name);
  assert.ok(d.pids.includes(b.docker.pid));
  assert.equal(d.limits.memoryBytes, 32 * MiB);
  const g = s.containers.find((x) => x.pids.includes(b.unshareInit));
  assert.ok(g, 'the unshare group is a container');
  assert.equal(g.engine, 'none');
  assert.equal(g.pid, b.unshareInit);
}
