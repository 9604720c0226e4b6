// Which process an explanation's commands are about: the open container, the row the keyboard
// or the mouse selected, else the first container, else the host's PID 1. Pure.
import type { DerivedContainer, ViewModel } from '../../state/derive';
import type { ExplainSubject } from './concepts';

/** A container as a subject: its init's host PID, name, image and cgroup (ContainerInfo). */
export function containerSubject(c: DerivedContainer, cgroupVersion: 1 | 2): ExplainSubject {
  const i = c.info;
  return {
    pid: i.pid ?? c.init?.pid ?? null,
    label: i.name,
    containerName: i.engine === 'none' ? null : i.name,
    containerId: i.engine === 'none' ? null : i.id,
    image: i.image,
    cgroup: i.cgroup,
    cgroupVersion,
  };
}

/** A host process as a subject; a process of a container carries the container's name and image. */
export function processSubject(model: ViewModel, pid: number): ExplainSubject | null {
  const p = model.processByPid.get(pid);
  if (!p) return null;
  const c = p.containerId !== null ? model.containerById.get(p.containerId) : undefined;
  return {
    pid,
    label: c ? `${c.info.name}, pid ${pid} (${p.comm})` : `pid ${pid} (${p.comm})`,
    containerName: c && c.info.engine !== 'none' ? c.info.name : null,
    containerId: c && c.info.engine !== 'none' ? c.info.id : null,
    image: c?.info.image ?? null,
    cgroup: p.cgroup,
    cgroupVersion: model.host.cgroupVersion,
  };
}

/** What the user has selected, as the App tracks it (a row focused or clicked). */
export type Selection = { readonly kind: 'container'; readonly id: string } | { readonly kind: 'process'; readonly pid: number } | null;

/** The subject for explanations: the selection, else the open container, else the first engine container, else the host. */
export function resolveSubject(model: ViewModel, selection: Selection, openContainerId: string | null): ExplainSubject {
  const v = model.host.cgroupVersion;
  if (selection?.kind === 'process') {
    const s = processSubject(model, selection.pid);
    if (s) return s;
  }
  const pick = selection?.kind === 'container' ? model.containerById.get(selection.id) : undefined;
  if (pick) return containerSubject(pick, v);
  const open = openContainerId !== null ? model.containerById.get(openContainerId) : undefined;
  if (open) return containerSubject(open, v);
  const first = model.containers.find((c) => c.info.engine !== 'none' && c.info.pid !== null);
  if (first) return containerSubject(first, v);
  const hostPid = model.host.namespacesFrom ?? 1;
  return processSubject(model, hostPid) ?? { pid: hostPid, label: `pid ${hostPid}`, containerName: null, containerId: null, image: null, cgroup: '/', cgroupVersion: v };
}

/** The selection a DOM element stands for, from the data-testids the views give their rows. */
export function selectionOfTestId(testId: string | null, model: ViewModel): Selection {
  if (!testId) return null;
  const proc = /^proc-(\d+)$/.exec(testId);
  if (proc) return { kind: 'process', pid: Number(proc[1]) };
  const named = /^(?:container-card-|ns-row-|container-)(.+?)(?:-continued)?$/.exec(testId);
  if (named) {
    const name = named[1];
    const c = model.containers.find((x) => x.info.name === name);
    if (c) return { kind: 'container', id: c.info.id };
  }
  return null;
}
