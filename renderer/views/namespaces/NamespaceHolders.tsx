// Who keeps a namespace alive besides its member processes: an open fd, a single thread, an nsfs
// bind mount (namespaces(7) "Namespace lifetime"), each told in one line.
import type { ReactNode } from 'react';
import type { NamespaceHolder, NamespaceInfo } from '../../../shared/model';
import type { ViewModel } from '../../state/derive';

/** "pid 1234 (python3)", or "pid 1234" when the process is not in the snapshot. */
function pidName(pid: number, model: ViewModel): string {
  const p = model.processByPid.get(pid);
  return p ? `pid ${pid} (${p.comm})` : `pid ${pid}`;
}

/** One holder in words: "held by fd 5 of pid 1234 (python3)", "only thread 4567 of pid 4560 (worker) is in it", "bind mount /run/netns/demo seen in pid 1's mount namespace". */
export function holderText(h: NamespaceHolder, model: ViewModel): string {
  switch (h.via) {
    case 'fd':
      return h.fd !== undefined ? `held by fd ${h.fd} of ${pidName(h.pid, model)}` : `held by an open fd of ${pidName(h.pid, model)}`;
    case 'task':
      return h.tid !== undefined ? `only thread ${h.tid} of ${pidName(h.pid, model)} is in it` : `only a thread of ${pidName(h.pid, model)} is in it`;
    case 'bind-mount': {
      const p = model.processByPid.get(h.pid);
      const hostMnt = model.host.namespaces.mnt;
      const whose = p && hostMnt !== undefined && p.namespaces.mnt === hostMnt ? " (the host's)" : '';
      return `bind mount ${h.path ?? '(path unknown)'} seen in pid ${h.pid}'s mount namespace${whose}`;
    }
  }
}

/** The holders of one namespace as a list (data-testid ns-holders-<id>); nothing when it has none. */
export function NamespaceHolders({ ns, model }: { readonly ns: NamespaceInfo; readonly model: ViewModel }): ReactNode {
  const holders = ns.holders ?? [];
  if (holders.length === 0) return null;
  return (
    <ul className="ns-holders" data-testid={`ns-holders-${ns.id}`}>
      {holders.map((h, i) => (
        <li key={`${h.via}-${h.pid}-${h.fd ?? h.tid ?? h.path ?? i}`} className={`holder holder-${h.via}`} data-via={h.via}>
          {holderText(h, model)}
        </li>
      ))}
    </ul>
  );
}
