// A container's namespaces, one line per kind: its own, shared with another container, or the host's.
import type { ReactNode } from 'react';
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import type { NamespaceKind } from '../../../shared/namespaces';
import type { MatrixRow } from '../../state/derive';
import { ContainerLink } from '../common/ContainerLink';
import { Explain } from '../explain/Explain';

/** What sharing each kind with the host means (namespaces(7) and the per-kind pages). */
export const HOST_SHARED_MEANS: Readonly<Record<NamespaceKind, string>> = {
  cgroup: "sees the host's cgroup paths (Docker's default on cgroup v1)",
  ipc: 'shares System V IPC and POSIX message queues with the host',
  mnt: "sees the host's mount table",
  net: "uses the host's network interfaces and ports",
  pid: 'sees, and as root can signal, every process on the host',
  time: "shares the host's boot and monotonic clocks (the usual case)",
  user: 'uid 0 inside is uid 0 on the host: no user namespace',
  uts: "shares the host's hostname",
};

/** Kinds where sharing the host's namespace weakens isolation (warned about). */
const RISKY: ReadonlySet<NamespaceKind> = new Set(['pid', 'net', 'ipc', 'uts', 'mnt']);

/** The namespace list of one container. */
export function DetailNamespaces({ row, onOpen }: { readonly row: MatrixRow; readonly onOpen: (id: string) => void }): ReactNode {
  return (
    <table className="detail-ns" data-testid="detail-namespaces">
      <tbody>
        {NAMESPACE_KINDS.map((k) => {
          const cell = row.cells[k];
          const risky = cell.sharing === 'host' && RISKY.has(k);
          return (
            <tr key={k} className={risky ? 'risky' : ''} data-testid={`detail-ns-${k}`} data-shared={cell.sharing}>
              <th scope="row">
                {k} <Explain concept={`ns-${k}`} />
              </th>
              <td>
                <span className="swatch" style={{ background: cell.color }} aria-hidden="true" /> <code>{cell.id ?? '?'}</code>
              </td>
              <td>
                {cell.sharing === 'host' && (
                  <>
                    <b>{risky ? "⚠ the host's" : "the host's"}</b>: {HOST_SHARED_MEANS[k]}
                  </>
                )}
                {cell.sharing === 'own' && 'its own'}
                {cell.sharing === 'shared' && (
                  <>
                    shared with{' '}
                    {cell.sharedWith.map((c) => (
                      <ContainerLink key={c.info.id} container={c} onOpen={onOpen} />
                    ))}
                  </>
                )}
                {cell.sharing === 'unknown' && <span className="muted">unreadable: run isolens as root</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
