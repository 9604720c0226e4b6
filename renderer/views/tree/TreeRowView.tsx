// One row of the host process tree: a process, or the header that opens a container's box.
// Both are memoised: a delta redraws only the rows whose content changed.
import { memo } from 'react';
import type { CSSProperties, ReactNode } from 'react';
import type { ContainerHeaderRow, ProcessRow, ViewModel } from '../../state/derive';
import { formatUid } from '../../state/format';
import { PickButton, pickOnC } from '../compare/PickButton';
import type { RowPick } from '../compare/PickButton';
import { FindingsBadge } from '../confinement/FindingsList';
import { NsChips } from './NsChips';

/** Pixels of indentation per tree level. */
export const INDENT = 18;

/** Props of ProcessRowView. */
export interface ProcessRowProps {
  readonly row: ProcessRow;
  readonly style: CSSProperties;
  readonly model: ViewModel;
  readonly collapsed: boolean;
  readonly match: boolean;
  readonly onToggle: (pid: number) => void;
  readonly pick?: RowPick;
}

function identityIn(model: ViewModel, id: number): unknown {
  return model.namespaceIdentity ? model.namespaceIdentity(id) : model.namespaceById.get(id);
}

/** Equal props for drawing: the model may differ as long as the namespaces this row's chips show are the same. */
function sameProcessRow(a: ProcessRowProps, b: ProcessRowProps): boolean {
  if (a.row !== b.row || a.style !== b.style || a.collapsed !== b.collapsed || a.match !== b.match || a.onToggle !== b.onToggle || a.pick !== b.pick) return false;
  if (a.model === b.model) return true;
  for (const k of a.row.nsDiff) {
    const id = a.row.process.namespaces[k];
    if (id !== null && identityIn(a.model, id) !== identityIn(b.model, id)) return false;
  }
  return true;
}

/** A process row: host PID, PID inside, user, command (indented like `ps axf`), namespace chips; a compare toggle when `pick` is given. */
export const ProcessRowView = memo(function ProcessRowView({ row, style, model, collapsed, match, onToggle, pick }: ProcessRowProps): ReactNode {
  const p = row.process;
  const c = row.container;
  const boxed: CSSProperties = c ? { borderLeftColor: c.color.solid, background: c.color.tint } : {};
  const isInit = c !== null && c.info.pid === p.pid;
  return (
    <div
      role="treeitem"
      aria-level={row.depth + 1}
      aria-expanded={row.hasChildren ? !collapsed : undefined}
      data-testid={`proc-${p.pid}`}
      className={`trow proc${c ? ' in-container' : ''}${match ? ' match' : ''}${pick?.slot ? ' picked-row' : ''}`}
      style={{ ...style, ...boxed }}
      tabIndex={pick ? -1 : undefined}
      onKeyDown={pickOnC(pick?.onToggle)}
    >
      <span className="c-pid">{p.pid}</span>
      <span className="c-inside" title={row.insidePid !== null ? `PID ${row.insidePid} inside its pid namespace` : undefined}>
        {row.insidePid ?? ''}
      </span>
      <span className="c-user">{formatUid(p.uid)}</span>
      <span className="c-cmd" style={{ paddingLeft: row.depth * INDENT }} title={row.command}>
        {row.hasChildren ? (
          <button type="button" className="twisty" aria-label={collapsed ? `Expand ${p.pid}` : `Collapse ${p.pid}`} onClick={() => onToggle(p.pid)}>
            {collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="twisty-space" />
        )}
        {isInit && <span className="init-tag">init</span>}
        <span className="cmd-text">{row.command}</span>
      </span>
      <span className="c-ns">
        <NsChips kinds={row.nsDiff} namespaces={p.namespaces} unknown={row.nsUnknown} model={model} />
      </span>
      {pick && <PickButton slot={pick.slot} label={`pid ${p.pid}`} onToggle={pick.onToggle} testId={`pick-proc-${p.pid}`} />}
    </div>
  );
}, sameProcessRow);

/** The header above a container's first process: its name, image and engine, its critical/high findings; opens its detail. */
export const ContainerHeaderView = memo(function ContainerHeaderView({ row, style, onOpen, pick }: {
  readonly row: ContainerHeaderRow;
  readonly style: CSSProperties;
  readonly onOpen: (id: string) => void;
  readonly pick?: RowPick;
}): ReactNode {
  const c = row.container;
  const i = c.info;
  const inside = c.initInsidePid !== null && i.pid !== null ? ` · host PID ${i.pid} = PID ${c.initInsidePid} inside` : '';
  return (
    <div
      role="treeitem"
      aria-level={row.depth + 1}
      data-testid={row.continued ? `container-${i.name}-continued` : `container-${i.name}`}
      className={`trow container-header${pick?.slot ? ' picked-row' : ''}`}
      style={{ ...style, borderLeftColor: c.color.solid, background: c.color.cell }}
      tabIndex={pick ? -1 : undefined}
      onKeyDown={pickOnC(pick?.onToggle)}
    >
      <button type="button" className="header-button" style={{ marginLeft: `calc(var(--tree-cmd-offset) + ${row.depth * INDENT}px)` }} onClick={() => onOpen(i.id)}>
        <span className="header-name">{i.name}</span>
        {row.continued && <span className="muted"> (continued)</span>}
        <span className="header-meta">
          {i.engine === 'none' ? 'no engine: namespaces only' : `${i.engine} · ${i.image ?? 'image unknown'}`}
          {inside}
        </span>
      </button>
      <FindingsBadge findings={i.findings} testId={row.continued ? undefined : `tree-findings-${i.name}`} />
      {pick && (
        <PickButton slot={pick.slot} label={i.name} onToggle={pick.onToggle} testId={`pick-container-${i.name}${row.continued ? '-continued' : ''}`} />
      )}
    </div>
  );
});
