// The guided tour of the seed lesson, on the live machine: (1) a container is a process on the
// host, (2) its namespaces, (3) its limits, (4) its confinement, (5) no OS inside. Each step names
// the real object to point at, or, when it is missing, the command that creates it. Pure.
import type { DerivedContainer, ViewModel } from '../../state/derive';
import type { Route } from '../../app/routes';
import { START_COMMAND } from '../common/EmptyState';
import type { ConceptId } from '../explain/concepts';

/** The command that starts a container from a scratch image (test/fixtures/images/hello: one static binary that pauses). */
export const SCRATCH_COMMAND = 'docker run -d --network none --memory 64m isolens/hello:test';

/** The steps, in order. */
export type TourStepId = 'process' | 'namespaces' | 'limits' | 'confinement' | 'no-os';

/** One step of the tour. */
export interface TourStep {
  readonly id: TourStepId;
  readonly title: string;
  /** What to look at, with the real names and numbers. */
  readonly text: string;
  /** Where the step takes the UI; null when its object is missing. */
  readonly route: Route | null;
  /** data-testid of the object to highlight; null when missing. */
  readonly target: string | null;
  /** In the process tree: the container whose box to scroll to first (its name). */
  readonly jumpTo: string | null;
  /** What is missing and the command that creates it; null when the object is there. */
  readonly missing: { readonly what: string; readonly command: string } | null;
  /** The explanations that go with the step. */
  readonly concepts: readonly ConceptId[];
}

const engineContainers = (m: ViewModel): DerivedContainer[] => m.containers.filter((c) => c.info.engine !== 'none' && c.info.pid !== null);

/** Has a root filesystem with no OS in it: no os-release, no shell, no busybox (shared/rootfs.ts); by image name when it was not inspected. */
export function isScratch(c: DerivedContainer): boolean {
  const r = c.info.rootfs;
  if (r && r.error === null) return r.os === null && r.shells.length === 0 && !r.busybox && r.packageManagers.length === 0;
  return /(^|\/)(hello|scratch)\b/.test(c.info.image ?? '');
}

/** Has a userland: an os-release, a shell or busybox; by image name when it was not inspected. */
export function isDistro(c: DerivedContainer): boolean {
  const r = c.info.rootfs;
  if (r && r.error === null) return r.os !== null || r.shells.length > 0 || r.busybox;
  return /(^|\/)(busybox|debian|ubuntu|alpine|fedora|centos|rockylinux|archlinux)\b/.test(c.info.image ?? '');
}

/**
 * The container the tour follows: the one the user selected when it runs, else one running, with
 * a pid namespace of its own and preferably a memory limit and a userland (so `docker exec` works
 * in it); by name for a stable choice.
 */
export function tourContainer(model: ViewModel, preferredId: string | null = null): DerivedContainer | null {
  const preferred = preferredId !== null ? model.containerById.get(preferredId) : undefined;
  if (preferred && preferred.info.engine !== 'none' && preferred.info.pid !== null && preferred.info.state === 'running') return preferred;
  const score = (c: DerivedContainer): number =>
    (c.info.sharedWithHost.includes('pid') ? 0 : 4) + (c.info.limits.memoryBytes !== null ? 2 : 0) + (isDistro(c) ? 1 : 0) + (c.info.state === 'running' ? 8 : 0);
  let best: DerivedContainer | null = null;
  for (const c of engineContainers(model)) {
    if (!best || score(c) > score(best)) best = c;
  }
  return best;
}

/** The tour's steps for what runs now, following the container the user selected (`preferredId`) when there is one. */
export function tourSteps(model: ViewModel, preferredId: string | null = null): TourStep[] {
  const c = tourContainer(model, preferredId);
  const none = { what: 'No container is running.', command: START_COMMAND };
  const name = c?.info.name ?? '';
  const pid = c?.info.pid ?? null;
  const inside = c?.initInsidePid ?? null;
  const detail: Route | null = c ? { view: 'containers', containerId: c.info.id } : null;
  const steps: TourStep[] = [
    {
      id: 'process',
      title: '1. A container is a process on the host',
      text: c
        ? `Here is ${name} in the host's own process tree: its first process is host PID ${pid}${inside !== null && inside !== pid ? `, which calls itself PID ${inside} inside` : ''}. No virtual machine: an ordinary process, a child of containerd-shim, seen by the host like any other.`
        : 'Start a container, and it appears here as an ordinary host process in a coloured box.',
      route: c ? { view: 'tree', containerId: null } : null,
      target: c && pid !== null ? `proc-${pid}` : null,
      jumpTo: c ? name : null,
      missing: c ? null : none,
      concepts: ['nspid', 'ns-pid'],
    },
    {
      id: 'namespaces',
      title: '2. What it can see: its namespaces',
      text: c
        ? `This row is ${name}. Each cell is one kind of namespace; a coloured cell is one of its own, grey is the host's. Its own pid, mnt and net namespaces are why it sees only its own processes, files and network — the kernel is still the host's.`
        : 'Each container gets its own namespaces: what it can see. Start one to see its row.',
      route: c ? { view: 'namespaces', containerId: null } : null,
      target: c ? `ns-row-${name}` : null,
      jumpTo: null,
      missing: c ? null : none,
      concepts: ['ns-pid', 'ns-mnt', 'ns-net', 'ns-user'],
    },
    {
      id: 'limits',
      title: '3. What it may use: its limits',
      text: c
        ? `The kernel counts ${name}'s memory, CPU time and processes in its cgroup and enforces the limits written there${c.info.limits.memoryBytes !== null ? ' — the red line is its memory limit' : ''}. The charts read the same cgroup files the commands below print.`
        : 'A container lives in a cgroup that limits its memory and CPU. Start one with --memory 64m to see the limit line.',
      route: detail,
      target: c ? 'detail-memory-chart' : null,
      jumpTo: null,
      missing: c ? null : none,
      concepts: ['cgroup', 'memory-limit', 'cpu-quota'],
    },
    {
      id: 'confinement',
      title: '4. What it is allowed to do: its confinement',
      text: c
        ? `Root inside ${name} is kept in check by capabilities (a short default list), a seccomp filter on system calls and, where the kernel runs one, an AppArmor or SELinux profile. Without a user namespace, uid 0 inside is uid 0 on the host.`
        : "A container's root is confined by capabilities, seccomp and an LSM profile. Start one to see them.",
      route: detail,
      target: c ? 'confinement-panel' : null,
      jumpTo: null,
      missing: c ? null : none,
      concepts: ['capability', 'seccomp', 'apparmor', 'uid-map'],
    },
    noOsStep(model, c),
  ];
  return steps;
}

/** Step 5: a scratch container beside one with a userland; the followed container takes its side when it is one of them. */
function noOsStep(model: ViewModel, followed: DerivedContainer | null): TourStep {
  const all = engineContainers(model);
  const first = (list: DerivedContainer[], better: (c: DerivedContainer) => boolean): DerivedContainer | undefined =>
    followed && list.includes(followed) ? followed : (list.find(better) ?? list[0]);
  const scratch = first(all.filter(isScratch), (c) => c.info.rootfs?.entrypoint?.static === true);
  const distro = first(all.filter(isDistro), (c) => c.info.rootfs?.os !== null && c.info.rootfs?.os !== undefined);
  const base = { id: 'no-os' as const, title: '5. No OS inside', jumpTo: null, concepts: ['scratch', 'static'] as const };
  if (scratch && distro) {
    return {
      ...base,
      text: `${scratch.info.name} (${scratch.info.image ?? 'no image'}) holds one program and nothing else; ${distro.info.name} (${distro.info.image ?? 'no image'}) brings a userland with a shell. Both run on the same host kernel: a container needs no operating system inside.`,
      route: { view: 'compare', containerId: null, compare: [scratch.info.id, distro.info.id] },
      target: 'compare-inside',
      missing: null,
    };
  }
  const missing = !scratch
    ? { what: 'No container from a scratch image is running.', command: SCRATCH_COMMAND }
    : { what: 'No container with a distribution userland is running.', command: START_COMMAND };
  return {
    ...base,
    text: 'Put a container from a scratch image (one static binary) beside one with a userland, and compare what is inside each: both run on the host kernel.',
    route: null,
    target: null,
    missing,
  };
}
