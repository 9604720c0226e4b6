// The processes of one container, as a small tree: host PID, PID inside, user, command.
import type { ReactNode } from 'react';
import type { ProcessRow, ViewModel } from '../../state/derive';
import { formatUid } from '../../state/format';

/** The container's process rows, in tree order. */
export function containerProcessRows(model: ViewModel, containerId: string): ProcessRow[] {
  return model.rows.filter((r): r is ProcessRow => r.kind === 'process' && r.container?.info.id === containerId);
}

/** A table of the container's processes, indented by depth below its init. */
export function DetailProcesses({ rows }: { readonly rows: readonly ProcessRow[] }): ReactNode {
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
          <tr key={r.key} data-testid={`detail-proc-${r.process.pid}`}>
            <td>{r.process.pid}</td>
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
