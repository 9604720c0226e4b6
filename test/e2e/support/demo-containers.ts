// The containers the end-to-end tests and the README screenshots look at: a scratch image and a
// busybox with limits, one sharing the host's pid namespace, one sharing busybox's network namespace.
import { randomBytes } from 'node:crypto';
import { FIXTURE_IMAGES, removeContainer, runContainer } from '../../helpers/docker';
import type { TestContainer } from '../../helpers/docker';

/** The limits asked of the scratch and busybox containers (docker-run(1) --memory, --cpus, --pids-limit). */
export const LIMIT_ARGS: readonly string[] = ['--memory', '64m', '--cpus', '0.5', '--pids-limit', '50'];

/** The four demo containers. */
export interface DemoContainers {
  /** isolens/hello:test (FROM scratch, one static binary), with LIMIT_ARGS. */
  readonly hello: TestContainer;
  /** isolens/busybox:test, with LIMIT_ARGS. */
  readonly busybox: TestContainer;
  /** busybox with `--pid host`: its pid namespace is the host's. */
  readonly hostpid: TestContainer;
  /** busybox with `--network container:<busybox>`: it shares busybox's net namespace. */
  readonly sidecar: TestContainer;
}

/** Names of the demo containers for a prefix, e.g. isolens-e2e-hello-3fa9c1. */
export interface DemoNames {
  readonly hello: string;
  readonly busybox: string;
  readonly hostpid: string;
  readonly sidecar: string;
}

/** Commands run in the demo containers (defaults: `hello` pauses, busybox and the others `sleep 600`). */
export interface DemoCommands {
  readonly hello?: readonly string[];
  readonly busybox?: readonly string[];
}

/** A short random suffix that keeps the names of concurrent runs apart. */
export function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}

/** The names the demo containers get with `prefix` and `suffix`. */
export function demoNames(prefix: string, suffix: string): DemoNames {
  return {
    hello: `${prefix}-hello-${suffix}`,
    busybox: `${prefix}-busybox-${suffix}`,
    hostpid: `${prefix}-hostpid-${suffix}`,
    sidecar: `${prefix}-sidecar-${suffix}`,
  };
}

/** Starts the four demo containers (labelled isolens.test=1, --network none unless sharing busybox's). */
export function startDemoContainers(names: DemoNames, cmds: DemoCommands = {}): DemoContainers {
  const hello = runContainer({ image: FIXTURE_IMAGES.hello, name: names.hello, args: LIMIT_ARGS, cmd: cmds.hello ?? [] });
  const busybox = runContainer({ image: FIXTURE_IMAGES.busybox, name: names.busybox, args: LIMIT_ARGS, cmd: cmds.busybox ?? ['sleep', '600'] });
  const hostpid = runContainer({ image: FIXTURE_IMAGES.busybox, name: names.hostpid, args: ['--pid', 'host', '--memory', '32m'], cmd: ['sleep', '600'] });
  const sidecar = runContainer({
    image: FIXTURE_IMAGES.busybox,
    name: names.sidecar,
    args: ['--network', `container:${names.busybox}`, '--memory', '32m'],
    cmd: ['sleep', '600'],
  });
  return { hello, busybox, hostpid, sidecar };
}

/** Removes containers by name, each on its own (docker-rm(1) -f -v); returns the errors instead of stopping at the first. */
export function removeByName(names: readonly string[]): Error[] {
  const errors: Error[] = [];
  // The sidecar first: it runs in busybox's network namespace.
  for (const n of [...names].reverse()) {
    try {
      removeContainer(n);
    } catch (err) {
      errors.push(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return errors;
}
