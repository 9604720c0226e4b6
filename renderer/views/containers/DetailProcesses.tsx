// The processes of one container, as a small tree: host PID, PID inside, user, command.
import type { ReactNode } from 'react';
import type { ProcessRow, ViewModel } from '../../state/derive';
import { formatUid } from '../../state/format';

/** The container's process rows, in tree order. */
export function containerProcessRows(model: ViewModel, containerId: string): ProcessRow[] {
  return model.rows.filter((r): r is ProcessRow => r.kind === 'process' && r.container?.info.id === containerId);
}

/** Props of DetailProcesses. */
export interface DetailProcessesProps {
  readonly rows: readonly ProcessRow[];
  /** Opens a process's detail (views/process): the row and its PID button open it. */
  readonly onOpenProcess?: (pid: number) => void;
  /** The process whose detail is open. */
  readonly openPid?: number | null;
}

/** A table of the container's processes, indented by depth below its init. */
export function DetailProcesses({ rows, onOpenProcess, openPid }: DetailProcessesProps): ReactNode {
  if (rows.length === 0) return <p className="muted">No process: the container is not running.</p>;
  const base = Math.min(...rows.map((r) => r.depth));
  return (
    <table className="detail-procs" data-testid="detail-processes">
      <thead>
        <tr>
          <th>PID</th>
          <th>PID inside</th>
          <th>User</th>
          <th>Command</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={r.key}
            data-testid={`detail-proc-${r.process.pid}`}
            className={onOpenProcess ? `proc-openable${openPid === r.process.pid ? ' proc-open-row' : ''}` : undefined}
            onClick={onOpenProcess ? () => onOpenProcess(r.process.pid) : undefined}
          >
            <td>
              {onOpenProcess ? (
                <button type="button" className="proc-open" data-testid={`detail-proc-open-${r.process.pid}`} aria-label={`PID ${r.process.pid}: open its detail`} aria-expanded={openPid === r.process.pid}>
                  {r.process.pid}
                </button>
              ) : (
                r.process.pid
              )}
            </td>
            <td>{r.insidePid ?? <span className="muted">same</span>}</td>
            <td>{formatUid(r.process.uid)}</td>
            <td style={{ paddingLeft: 8 + (r.depth - base) * 18 }}>
              <code>{r.command}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
