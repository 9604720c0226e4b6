// The container detail's process list, whose rows open the process panel as a drawer (local
// state: the drawer is not a route of its own).
import { useCallback, useState } from 'react';
import type { ReactNode } from 'react';
import type { ViewModel } from '../../state/derive';
import { containerProcessRows, DetailProcesses } from '../containers/DetailProcesses';
import { ProcessPanel } from './ProcessPanel';

/** Props of ContainerProcesses. */
export interface ContainerProcessesProps {
  readonly model: ViewModel;
  readonly containerId: string;
  /** How often the open panel asks again (default 2000 ms). */
  readonly refreshMs?: number;
}

/** A container's processes (data-testid detail-processes); a row opens its ProcessPanel (process-panel). */
export function ContainerProcesses({ model, containerId, refreshMs }: ContainerProcessesProps): ReactNode {
  // The pid is kept with the container it was opened in: another container starts closed.
  const [open, setOpen] = useState<{ readonly containerId: string; readonly pid: number } | null>(null);
  const pid = open?.containerId === containerId ? open.pid : null;
  const onOpenProcess = useCallback((p: number) => setOpen((o) => (o?.containerId === containerId && o.pid === p ? null : { containerId, pid: p })), [containerId]);
  const onClose = useCallback(() => {
    const was = pid;
    setOpen(null);
    // Back to the row it was opened from.
    if (was !== null) document.querySelector<HTMLElement>(`[data-testid="detail-proc-open-${was}"]`)?.focus();
  }, [pid]);
  const c = model.containerById.get(containerId);
  return (
    <>
      <DetailProcesses rows={containerProcessRows(model, containerId)} onOpenProcess={onOpenProcess} openPid={pid} />
      {pid !== null && <ProcessPanel key={pid} pid={pid} host={model.host} containerName={c?.info.name ?? null} onClose={onClose} refreshMs={refreshMs} />}
    </>
  );
}
