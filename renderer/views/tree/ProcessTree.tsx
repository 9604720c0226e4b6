// The host process tree, like `ps axf`: every process, each container's processes in a box of its colour.
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { DerivedContainer, ViewModel } from '../../state/derive';
import { rowSource, shownRows } from '../../state/tree-filter';
import type { RowSource, ShownRows, VisibleRow } from '../../state/tree-filter';
import { ContainerLink } from '../common/ContainerLink';
import { Explain } from '../explain/Explain';
import { NoContainers } from '../common/EmptyState';
import { VirtualList } from '../common/VirtualList';
import { useViewReporter } from '../common/view-reporter';
import { rowPick } from '../compare/PickButton';
import type { RowPick } from '../compare/PickButton';
import { pidRef } from '../compare/refs';
import { ContainerHeaderView, ProcessRowView } from './TreeRowView';

/** Height of one tree row in pixels (the virtual list needs it fixed). */
export const ROW_HEIGHT = 32;

/**
 * Past this many "Jump to" links, the bar is drawn in the frame after the first rows: hundreds of
 * links cost more to build and lay out than the rows themselves, and the rows are what one waits for.
 */
const JUMP_LINKS_AT_ONCE = 40;

/** Kernel threads hang under kthreadd (PID 2): folded at first, they are noise for a class. */
function initialCollapsed(src: RowSource): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < src.length; i++) {
    if (src.isHeader(i) || !src.hasChildren(i)) continue;
    const p = src.process(i);
    if (p.comm === 'kthreadd') out.add(p.pid);
  }
  return out;
}

/** The "Jump to" links; drawn again only when a container's name or colour changes, not at every delta. */
const JumpBar = memo(
  function JumpBar({ containers, onOpen }: { readonly containers: readonly DerivedContainer[]; readonly onOpen: (id: string) => void }): ReactNode {
    return (
      <div className="jump" data-testid="tree-jump">
        <span className="jump-label">Jump to:</span>
        {containers.map((c) => (
          <ContainerLink key={c.info.id} container={c} onOpen={onOpen} />
        ))}
      </div>
    );
  },
  (a, b) =>
    a.onOpen === b.onOpen &&
    a.containers.length === b.containers.length &&
    a.containers.every((c, i) => {
      const d = b.containers[i];
      return d !== undefined && (c === d || (c.info.id === d.info.id && c.info.name === d.info.name && c.color.solid === d.color.solid));
    }),
);

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
  const src = useMemo(() => rowSource(model), [model]);
  const [query, setQuery] = useState('');
  const [containersOnly, setContainersOnly] = useState(false);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => initialCollapsed(src));
  const [jump, setJump] = useState<{ readonly id: string; readonly seq: number } | null>(null);
  const shown: ShownRows = useMemo(() => shownRows(src, { collapsed, query, containersOnly }), [src, collapsed, query, containersOnly]);
  const filtering = query.trim() !== '' || containersOnly;
  const engineContainers = useMemo(() => model.containers.filter((c) => c.info.engine !== 'none'), [model.containers]);
  const processCount = model.processCount ?? model.processByPid.size;
  // Engine-managed containers are the ones a class looks for; namespace-only groups when there are none.
  const jumpable = engineContainers.length > 0 ? engineContainers : model.containers;
  const [jumpShown, setJumpShown] = useState(() => jumpable.length <= JUMP_LINKS_AT_ONCE);
  useEffect(() => {
    if (jumpShown) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // After the frame that paints the first rows (a task queued from requestAnimationFrame runs after that paint).
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setJumpShown(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [jumpShown]);

  /** Position in `shown` of a container's first header, or -1. */
  const headerAt = (s: ShownRows, id: string): number => {
    for (let k = 0; k < s.count; k++) {
      const i = s.index[k] as number;
      if (src.isHeader(i) && src.container(i)?.info.id === id) return k;
    }
    return -1;
  };
  const scrollTo = useMemo(() => (jump ? { index: headerAt(shown, jump.id), seq: jump.seq } : null), [jump, shown]);
  const latest = useRef({ shown, headerAt });
  latest.current = { shown, headerAt };
  const jumpTo = useCallback((id: string): void => {
    const { shown: s, headerAt: at } = latest.current;
    if (at(s, id) < 0) {
      // Its box is filtered out or folded away: show everything, then scroll.
      setQuery('');
      setContainersOnly(false);
      setCollapsed(new Set());
    }
    setJump((j) => ({ id, seq: (j?.seq ?? 0) + 1 }));
  }, []);

  const toggle = useCallback((pid: number): void => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(pid)) next.delete(pid);
      else next.add(pid);
      return next;
    });
  }, []);

  // One RowPick per ref while the picks stay the same: memoised rows then skip drawing again.
  const pickOf = useMemo(() => {
    const made = new Map<string, RowPick | undefined>();
    return (ref: string): RowPick | undefined => {
      if (!made.has(ref)) made.set(ref, rowPick(ref, picks, onTogglePick));
      return made.get(ref);
    };
  }, [picks, onTogglePick]);

  const itemAt = useCallback(
    (k: number): VisibleRow => {
      const index = shown.index[k] as number;
      return { row: src.row(index), index, match: shown.match !== null && shown.match[k] === 1 };
    },
    [src, shown],
  );

  // What is on screen: the collector reads only these processes' stat between its full passes.
  const [range, setRange] = useState<readonly [number, number]>([0, 0]);
  const onRange = useCallback((start: number, end: number) => setRange([start, end]), []);
  const visiblePids = useMemo(() => {
    const pids: number[] = [];
    for (let k = range[0]; k < Math.min(range[1], shown.count); k++) {
      const v = itemAt(k);
      if (v.row.kind === 'process') pids.push(v.row.process.pid);
    }
    return pids;
  }, [range, itemAt, shown.count]);
  useViewReporter({ pids: visiblePids, containerId: null });

  return (
    <section className="view tree-view" aria-label="Host process tree">
      <p className="lede">
        Every row is a process on the host. A coloured box is a container: its processes are ordinary host processes, started by{' '}
        <code>containerd-shim</code>. <b>PID</b> is the host's number; <b>PID inside</b> is the one the container sees. <Explain concept="nspid" />
      </p>
      {engineContainers.length === 0 && <NoContainers compact />}
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
          {filtering ? `${shown.matching} matching · ` : ''}
          {processCount} processes · {engineContainers.length} {engineContainers.length === 1 ? 'container' : 'containers'}
          {model.containers.length > engineContainers.length && ` · ${model.containers.length - engineContainers.length} isolated without an engine`}
        </span>
      </div>
      {jumpShown && jumpable.length > 0 && <JumpBar containers={jumpable} onOpen={jumpTo} />}
      <div className="trow tree-head" aria-hidden="true">
        <span className="c-pid">PID</span>
        <span className="c-inside">PID inside</span>
        <span className="c-user">User</span>
        <span className="c-cmd">Command</span>
        <span className="c-ns">Namespaces ≠ host</span>
      </div>
      {shown.count === 0 ? (
        <p className="empty-small">No process matches “{query}”.</p>
      ) : (
        <VirtualList<VisibleRow>
          count={shown.count}
          itemAt={itemAt}
          rowHeight={ROW_HEIGHT}
          fallbackHeight={fallbackHeight}
          role="tree"
          ariaLabel="Processes"
          testId="process-tree"
          className="tree-list"
          itemKey={(v) => v.row.key}
          scrollTo={scrollTo}
          resetKey={`${query}\n${containersOnly}`}
          onRange={onRange}
          renderRow={(v, _i, style) =>
            v.row.kind === 'process' ? (
              <ProcessRowView
                row={v.row}
                style={style}
                model={model}
                collapsed={!filtering && collapsed.has(v.row.process.pid)}
                match={filtering && v.match}
                onToggle={toggle}
                pick={pickOf(pidRef(v.row.process.pid))}
              />
            ) : (
              <ContainerHeaderView row={v.row} style={style} onOpen={onOpenContainer} pick={pickOf(v.row.container.info.id)} />
            )
          }
        />
      )}
    </section>
  );
}
