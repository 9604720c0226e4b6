// The host process tree, like `ps axf`: every process, each container's processes in a box of its colour.
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { TreeRow, ViewModel } from '../../state/derive';
import { visibleRows } from '../../state/tree-filter';
import type { VisibleRow } from '../../state/tree-filter';
import { ContainerLink } from '../common/ContainerLink';
import { NoContainers } from '../common/EmptyState';
import { VirtualList } from '../common/VirtualList';
import { rowPick } from '../compare/PickButton';
import { pidRef } from '../compare/refs';
import { ContainerHeaderView, ProcessRowView } from './TreeRowView';

/** Height of one tree row in pixels (the virtual list needs it fixed). */
export const ROW_HEIGHT = 32;

/** Kernel threads hang under kthreadd (PID 2): folded at first, they are noise for a class. */
function initialCollapsed(rows: readonly TreeRow[]): Set<number> {
  const out = new Set<number>();
  for (const r of rows) if (r.kind === 'process' && r.process.comm === 'kthreadd' && r.hasChildren) out.add(r.process.pid);
  return out;
}

/** The process tree view with its toolbar (search, containers only, expand); rows can be picked for a comparison. */
export function ProcessTree({ model, onOpenContainer, fallbackHeight, picks, onTogglePick }: {
  readonly model: ViewModel;
  readonly onOpenContainer: (id: string) => void;
  /** Viewport height before it can be measured (tests). */
  readonly fallbackHeight?: number;
  /** Refs picked for the comparison (views/compare/refs.ts), A first. */
  readonly picks?: readonly string[];
  /** Toggles a row's pick; without it the rows have no compare toggle. */
  readonly onTogglePick?: (ref: string) => void;
}): ReactNode {
  const [query, setQuery] = useState('');
  const [containersOnly, setContainersOnly] = useState(false);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => initialCollapsed(model.rows));
  const [jump, setJump] = useState<{ readonly id: string; readonly seq: number } | null>(null);
  const shown = useMemo(() => visibleRows(model.rows, { collapsed, query, containersOnly }), [model.rows, collapsed, query, containersOnly]);
  const filtering = query.trim() !== '' || containersOnly;
  const engineContainers = model.containers.filter((c) => c.info.engine !== 'none').length;
  const processCount = model.processByPid.size;
  // Engine-managed containers are the ones a class looks for; namespace-only groups when there are none.
  const jumpable = engineContainers > 0 ? model.containers.filter((c) => c.info.engine !== 'none') : model.containers;

  const scrollTo = useMemo(() => {
    if (!jump) return null;
    const index = shown.findIndex((v) => v.row.kind === 'container' && v.row.container.info.id === jump.id);
    return { index, seq: jump.seq };
  }, [jump, shown]);
  const jumpTo = (id: string): void => {
    const visible = shown.some((v) => v.row.kind === 'container' && v.row.container.info.id === id);
    if (!visible) {
      // Its box is filtered out or folded away: show everything, then scroll.
      setQuery('');
      setContainersOnly(false);
      setCollapsed(new Set());
    }
    setJump((j) => ({ id, seq: (j?.seq ?? 0) + 1 }));
  };

  const toggle = (pid: number): void => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(pid)) next.delete(pid);
      else next.add(pid);
      return next;
    });
  };

  return (
    <section className="view tree-view" aria-label="Host process tree">
      <p className="lede">
        Every row is a process on the host. A coloured box is a container: its processes are ordinary host processes, started by{' '}
        <code>containerd-shim</code>. <b>PID</b> is the host's number; <b>PID inside</b> is the one the container sees.
      </p>
      {engineContainers === 0 && <NoContainers compact />}
      <div className="toolbar">
        <input
          type="search"
          className="search"
          placeholder="Search: command, PID or container"
          aria-label="Search processes"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <label className="toggle">
          <input type="checkbox" checked={containersOnly} onChange={(e) => setContainersOnly(e.target.checked)} /> Containers only
        </label>
        <button type="button" onClick={() => setCollapsed(new Set())} disabled={filtering || collapsed.size === 0}>
          Expand all
        </button>
        <span className="count" data-testid="tree-count">
          {filtering ? `${shown.filter((r) => r.match && r.row.kind === 'process').length} matching · ` : ''}
          {processCount} processes · {engineContainers} {engineContainers === 1 ? 'container' : 'containers'}
          {model.containers.length > engineContainers && ` · ${model.containers.length - engineContainers} isolated without an engine`}
        </span>
      </div>
      {jumpable.length > 0 && (
        <div className="jump" data-testid="tree-jump">
          <span className="jump-label">Jump to:</span>
          {jumpable.map((c) => (
            <ContainerLink key={c.info.id} container={c} onOpen={jumpTo} />
          ))}
        </div>
      )}
      <div className="trow tree-head" aria-hidden="true">
        <span className="c-pid">PID</span>
        <span className="c-inside">PID inside</span>
        <span className="c-user">User</span>
        <span className="c-cmd">Command</span>
        <span className="c-ns">Namespaces ≠ host</span>
      </div>
      {shown.length === 0 ? (
        <p className="empty-small">No process matches “{query}”.</p>
      ) : (
        <VirtualList<VisibleRow>
          items={shown}
          rowHeight={ROW_HEIGHT}
          fallbackHeight={fallbackHeight}
          role="tree"
          ariaLabel="Processes"
          testId="process-tree"
          className="tree-list"
          itemKey={(v) => v.row.key}
          scrollTo={scrollTo}
          resetKey={`${query}\n${containersOnly}`}
          renderRow={(v, _i, style) =>
            v.row.kind === 'process' ? (
              <ProcessRowView
                row={v.row}
                style={style}
                model={model}
                collapsed={!filtering && collapsed.has(v.row.process.pid)}
                match={filtering && v.match}
                onToggle={toggle}
                pick={rowPick(pidRef(v.row.process.pid), picks, onTogglePick)}
              />
            ) : (
              <ContainerHeaderView row={v.row} style={style} onOpen={onOpenContainer} pick={rowPick(v.row.container.info.id, picks, onTogglePick)} />
            )
          }
        />
      )}
    </section>
  );
}
