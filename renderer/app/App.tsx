// The application: the store, the navigation, the four views and the comparison (with the tray of
// rows picked for it); classroom mode, the guided tour, explanations, exports, the recording's
// timeline, and the one keyboard handler. The client is injected.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import type { IsolensClient } from '../../shared/contract';
import { deriveModel } from '../state/derive';
import { createStore } from '../state/store';
import type { Store, StoreOptions, StoreState } from '../state/store';
import { useStoreState } from '../state/use-store';
import type { ConnectionStatus } from '../transport/ws-client';
import { PointerHighlight } from '../views/classroom/PointerHighlight';
import { ShortcutsHelp } from '../views/classroom/ShortcutsHelp';
import { CompareTray } from '../views/compare/CompareTray';
import { CompareView } from '../views/compare/CompareView';
import { togglePick } from '../views/compare/refs';
import type { CompareRef } from '../views/compare/refs';
import { ContainerDetail } from '../views/containers/ContainerDetail';
import { ContainersView } from '../views/containers/ContainersView';
import { ExplainContext } from '../views/explain/Explain';
import { resolveSubject, selectionOfTestId } from '../views/explain/subject';
import type { Selection } from '../views/explain/subject';
import { NamespacesView } from '../views/namespaces/NamespacesView';
import { Timeline } from '../views/playback/Timeline';
import { IsolensClientContext } from '../views/process/client';
import { positionAt, useSession } from '../views/playback/use-session';
import { StatusView } from '../views/status/StatusView';
import { Tour } from '../views/tour/Tour';
import { tourSteps } from '../views/tour/steps';
import { ProcessTree } from '../views/tree/ProcessTree';
import { shortcutFor } from './keyboard';
import type { Shortcut } from './keyboard';
import { Nav } from './Nav';
import { expandRow, focusKindOf, moveRow, openRow, rowOf } from './row-nav';
import type { Route } from './routes';

/** The transport's connection state and its changes (transport/client.ts). */
export interface ConnectionSource {
  get(): ConnectionStatus;
  subscribe(listener: (s: ConnectionStatus) => void): () => void;
}

/** Props of App: everything from outside is injected, so tests pass their own. */
export interface AppProps {
  readonly client: IsolensClient;
  readonly connection?: ConnectionSource;
  readonly storeOptions?: StoreOptions;
  /**
   * A store made (and started) before React mounted, so the snapshot is already on its way while
   * the first frame is drawn (renderer/main.tsx); used until the first seek of a recording.
   */
  readonly initialStore?: Store;
  readonly initialRoute?: Route;
  readonly onRouteChange?: (r: Route) => void;
  /** Height of the process tree before it can be measured (tests). */
  readonly treeFallbackHeight?: number;
  /** Start in classroom mode (`?classroom=1`, printed by `isolens serve --classroom`). */
  readonly initialClassroom?: boolean;
  readonly onClassroomChange?: (on: boolean) => void;
}

const ALWAYS_OPEN: ConnectionSource = { get: () => 'open', subscribe: () => () => undefined };
const EMPTY: readonly never[] = [];
/** Routes kept for Esc ("back"). */
const BACK_LIMIT = 50;

function useConnection(source: ConnectionSource): ConnectionStatus {
  return useSyncExternalStore((l) => source.subscribe(() => l()), source.get, source.get);
}

const sameRoute = (a: Route, b: Route): boolean =>
  a.view === b.view && a.containerId === b.containerId && (a.compare?.[0] ?? '') === (b.compare?.[0] ?? '') && (a.compare?.[1] ?? '') === (b.compare?.[1] ?? '');

/**
 * The store, and a fresh one after each seek in a recording (a new playback epoch): the usage
 * history collected before the seek belongs to another moment and is dropped; the new store
 * fetches the snapshot and, through ContainerDetail, the history at the new position.
 */
function useEpochStore(client: IsolensClient, options: StoreOptions | undefined, epoch: number | null, initial: Store | undefined): Store {
  const [generation, setGeneration] = useState(0);
  const seen = useRef<number | null>(null);
  useEffect(() => {
    if (epoch === null) return;
    if (seen.current !== null && epoch !== seen.current) setGeneration((g) => g + 1);
    seen.current = epoch;
  }, [epoch]);
  // `generation` is not read inside: it is the reason to make a new one.
  return useMemo(() => (generation === 0 && initial ? initial : createStore(client, options)), [client, options, generation, initial]);
}

/** The Isolens UI. */
export function App(props: AppProps): ReactNode {
  const { client, storeOptions } = props;
  const { session, control } = useSession(client);
  const store = useEpochStore(client, storeOptions, session.playback?.epoch ?? null, props.initialStore);
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  const fresh = useStoreState(store);
  // While a new store (after a seek) fetches its first snapshot, keep drawing the last one.
  const lastReady = useRef<StoreState | null>(null);
  if (fresh.data) lastReady.current = fresh;
  const state: StoreState = fresh.data || fresh.phase === 'error' || !lastReady.current ? fresh : { ...lastReady.current, history: {} };
  const connection = useConnection(props.connection ?? ALWAYS_OPEN);

  const [route, setRoute] = useState<Route>(props.initialRoute ?? { view: 'tree', containerId: null });
  const routeRef = useRef(route);
  routeRef.current = route;
  const backStack = useRef<Route[]>([]);
  const { onRouteChange } = props;
  const go = useCallback(
    (r: Route) => {
      const from = routeRef.current;
      if (!sameRoute(from, r)) {
        backStack.current.push(from);
        if (backStack.current.length > BACK_LIMIT) backStack.current.shift();
      }
      routeRef.current = r;
      setRoute(r);
      onRouteChange?.(r);
    },
    [onRouteChange],
  );
  const goBack = useCallback(() => {
    const prev = backStack.current.pop();
    const cur = routeRef.current;
    const to = prev ?? (cur.view === 'containers' && cur.containerId ? { view: 'containers' as const, containerId: null } : cur.view !== 'tree' ? { view: 'tree' as const, containerId: null } : null);
    if (!to) return;
    routeRef.current = to;
    setRoute(to);
    onRouteChange?.(to);
  }, [onRouteChange]);
  const openContainer = useCallback((id: string) => go({ view: 'containers', containerId: id }), [go]);
  // Rows picked for a comparison (A first), kept across views; a #compare route starts with its two.
  const [picks, setPicks] = useState<readonly CompareRef[]>(() => props.initialRoute?.compare ?? []);
  const onTogglePick = useCallback((ref: CompareRef) => setPicks((p) => togglePick(p, ref)), []);
  const [returnTo, setReturnTo] = useState<Route>({ view: 'tree', containerId: null });
  const openCompare = useCallback(
    (a: CompareRef, b: CompareRef) => {
      if (routeRef.current.view !== 'compare') setReturnTo(routeRef.current);
      go({ view: 'compare', containerId: null, compare: [a, b] });
    },
    [go],
  );
  const loadHistory = useCallback((id: string) => void store.loadHistory(id), [store]);

  const snapshot = state.data?.snapshot ?? null;
  const model = useMemo(() => (snapshot ? deriveModel(snapshot) : null), [snapshot]);
  const modelRef = useRef(model);
  modelRef.current = model;

  // Classroom mode: a class on the root element (styles/app.css), and the pointer highlight.
  const [classroom, setClassroom] = useState(props.initialClassroom ?? false);
  const { onClassroomChange } = props;
  useEffect(() => {
    document.documentElement.classList.toggle('classroom', classroom);
    return () => document.documentElement.classList.remove('classroom');
  }, [classroom]);
  const toggleClassroom = useCallback(() => {
    setClassroom((on) => {
      onClassroomChange?.(!on);
      return !on;
    });
  }, [onClassroomChange]);

  // What explanations are about: the row last focused, else the open container.
  const [selection, setSelection] = useState<Selection>(null);
  useEffect(() => {
    const onFocus = (e: FocusEvent): void => {
      const row = rowOf(e.target as Element | null);
      const m = modelRef.current;
      if (!row || !m) return;
      const sel = selectionOfTestId(row.getAttribute('data-testid'), m);
      if (sel) setSelection(sel);
    };
    document.addEventListener('focusin', onFocus);
    return () => document.removeEventListener('focusin', onFocus);
  }, []);
  const openId = route.view === 'containers' ? route.containerId : route.view === 'compare' ? (route.compare?.[0] ?? null) : null;
  const subject = useMemo(() => (model ? resolveSubject(model, route.view === 'containers' && route.containerId ? null : selection, openId) : null), [model, selection, openId, route]);

  // The guided tour: its steps follow what runs; each step takes the UI where its object is.
  const [tourAt, setTourAt] = useState<number | null>(null);
  // The tour follows the container the user is looking at: the open one, or the row last selected.
  const followId =
    route.view === 'containers' && route.containerId
      ? route.containerId
      : selection?.kind === 'container'
        ? selection.id
        : selection?.kind === 'process'
          ? (model?.processByPid.get(selection.pid)?.containerId ?? null)
          : null;
  const [tourFollow, setTourFollow] = useState<string | null>(null);
  const startTour = useCallback(() => {
    setTourFollow(followId);
    setTourAt(0);
  }, [followId]);
  const steps = useMemo(() => (model ? tourSteps(model, tourFollow) : []), [model, tourFollow]);
  const tourStep = tourAt !== null ? steps[tourAt] : undefined;
  const tourRouteKey = tourStep?.route ? JSON.stringify(tourStep.route) : '';
  useEffect(() => {
    if (tourStep?.route) go(tourStep.route);
    // Navigate when the step (or its object) changes, not on every tick.
  }, [tourAt, tourRouteKey]);

  const [helpOpen, setHelpOpen] = useState(false);
  const main = useRef<HTMLElement | null>(null);
  // A new place starts at its top (the main panel is the scroller of every view but the tree).
  const routeKey = `${route.view}/${route.containerId ?? ''}/${route.compare?.join('/') ?? ''}`;
  useEffect(() => {
    if (main.current) main.current.scrollTop = 0;
  }, [routeKey]);
  const focusSearchSoon = useRef(0);
  useEffect(() => {
    if (focusSearchSoon.current === 0) return;
    const box = main.current?.querySelector<HTMLInputElement>('input[type="search"]');
    if (box) {
      focusSearchSoon.current = 0;
      box.focus();
      box.select();
    }
  });

  // The one keyboard handler (keyboard.ts decides, this applies).
  const recording = session.mode === 'recording' && session.playback !== null;
  const apply = (s: Shortcut, e: KeyboardEvent): void => {
    const m = modelRef.current;
    const active = document.activeElement;
    const done = (): void => e.preventDefault();
    switch (s.kind) {
      case 'row-move':
        if (main.current && moveRow(main.current, active, s.to)) done();
        return;
      case 'row-open': {
        const row = rowOf(active);
        if (!row) return;
        done();
        if (openRow(row)) return;
        const pid = /^proc-(\d+)$/.exec(row.getAttribute('data-testid') ?? '')?.[1];
        const p = pid !== undefined ? m?.processByPid.get(Number(pid)) : undefined;
        if (p?.containerId && m?.containerById.has(p.containerId)) openContainer(p.containerId);
        else expandRow(row, row.getAttribute('aria-expanded') !== 'true');
        return;
      }
      case 'row-expand':
      case 'row-collapse': {
        const row = rowOf(active);
        if (row && expandRow(row, s.kind === 'row-expand')) done();
        return;
      }
      case 'back':
        done();
        if (routeRef.current.view === 'compare' && backStack.current.length === 0) go(returnTo);
        else goBack();
        return;
      case 'blur':
        // Leaves the field and keeps what was typed (a search box would clear itself on Esc).
        done();
        (active as HTMLElement | null)?.blur?.();
        return;
      case 'search':
        done();
        if (routeRef.current.view !== 'tree') {
          // Focused once the tree is drawn (the effect above).
          focusSearchSoon.current = 1;
          go({ view: 'tree', containerId: null });
        } else {
          main.current?.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
        }
        return;
      case 'compare': {
        const row = rowOf(active);
        const pick = row?.querySelector<HTMLElement>('.pick-button');
        if (pick) {
          done();
          pick.click();
        } else if (picks.length === 2 && picks[0] !== undefined && picks[1] !== undefined) {
          done();
          openCompare(picks[0], picks[1]);
        }
        return;
      }
      case 'view':
        done();
        go({ view: s.view, containerId: null });
        return;
      case 'tour':
        done();
        startTour();
        return;
      case 'tour-next':
        done();
        setTourAt((i) => (i === null ? i : i + 1 >= steps.length ? null : i + 1));
        return;
      case 'tour-back':
        done();
        setTourAt((i) => (i === null ? i : Math.max(0, i - 1)));
        return;
      case 'tour-close':
        done();
        setTourAt(null);
        return;
      case 'help':
        done();
        setHelpOpen(true);
        return;
      case 'help-close':
        done();
        setHelpOpen(false);
        return;
      case 'play-pause':
        done();
        if (session.playback) void control({ action: session.playback.playing ? 'pause' : 'play' });
        return;
      case 'seek-by': {
        done();
        const p = session.playback;
        if (p) void control({ action: 'seek', value: Math.round(Math.min(p.durationMs, Math.max(0, positionAt(p, session.playbackAt, performance.now()) + s.ms))) });
        return;
      }
    }
  };
  const applyRef = useRef(apply);
  applyRef.current = apply;
  const ctxRef = useRef({ tourOpen: false, helpOpen: false, recording: false, view: route.view });
  ctxRef.current = { tourOpen: tourAt !== null, helpOpen, recording, view: route.view };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const s = shortcutFor(
        { key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, shiftKey: e.shiftKey, defaultPrevented: e.defaultPrevented, focus: focusKindOf(document.activeElement) },
        ctxRef.current,
      );
      if (s) applyRef.current(s, e);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  let body: ReactNode;
  if (!snapshot || !model) {
    body =
      state.phase === 'error' ? (
        <div className="empty" data-testid="load-error">
          <p className="empty-title">Could not get a snapshot from the collector.</p>
          <p className="bad">{state.error}</p>
          <p className="muted">Retrying every few seconds.</p>
        </div>
      ) : (
        <div className="empty" data-testid="loading">
          <p className="empty-title">{session.mode === 'recording' ? 'Reading the recording…' : 'Reading /proc, cgroups and the container engines…'}</p>
        </div>
      );
  } else if (route.view === 'tree') {
    body = (
      <ProcessTree model={model} onOpenContainer={openContainer} fallbackHeight={props.treeFallbackHeight} picks={picks} onTogglePick={onTogglePick} />
    );
  } else if (route.view === 'namespaces') {
    body = <NamespacesView model={model} onOpenContainer={openContainer} picks={picks} onTogglePick={onTogglePick} />;
  } else if (route.view === 'compare') {
    const refs = route.compare;
    body = (
      <CompareView
        snapshot={snapshot}
        model={model}
        refs={refs}
        onOpenContainer={openContainer}
        onSwap={() => {
          if (!refs) return;
          setPicks([refs[1], refs[0]]);
          go({ view: 'compare', containerId: null, compare: [refs[1], refs[0]] });
        }}
        onBack={() => go(returnTo)}
      />
    );
  } else if (route.view === 'containers' && route.containerId) {
    body = (
      <ContainerDetail
        model={model}
        containerId={route.containerId}
        samples={state.history[route.containerId] ?? EMPTY}
        onLoadHistory={loadHistory}
        onOpenContainer={openContainer}
        onBack={() => go({ view: 'containers', containerId: null })}
      />
    );
  } else if (route.view === 'containers') {
    body = <ContainersView model={model} onOpenContainer={openContainer} />;
  } else {
    body = <StatusView state={state} snapshot={snapshot} connection={connection} />;
  }

  return (
    <IsolensClientContext.Provider value={client}>
      <ExplainContext.Provider value={subject}>
        <div className={classroom ? 'app classroom-on' : 'app'} data-classroom={classroom ? 'on' : 'off'}>
          <Nav
            route={route}
            onGo={go}
            connection={connection}
            updatedAt={snapshot?.takenAt ?? null}
            containerCount={model ? model.containers.filter((c) => c.info.engine !== 'none').length : 0}
            warnings={snapshot?.warnings.length ?? 0}
            classroom={classroom}
            onToggleClassroom={toggleClassroom}
            onStartTour={startTour}
            tourOpen={tourAt !== null}
            session={session}
            snapshot={snapshot}
            getView={() => main.current}
          />
          {recording && session.playback && (
            <Timeline recording={session.recording} playback={session.playback} playbackAt={session.playbackAt} onControl={(c) => void control(c)} error={session.error} />
          )}
          <main className="main" ref={main} tabIndex={0} aria-label="View">
            {body}
          </main>
          {model && route.view !== 'compare' && (
            <CompareTray model={model} picks={picks} onUnpick={onTogglePick} onClear={() => setPicks([])} onCompare={openCompare} />
          )}
          {tourAt !== null && steps.length > 0 && (
            <Tour
              steps={steps}
              index={Math.min(tourAt, steps.length - 1)}
              onNext={() => setTourAt((i) => (i === null || i + 1 >= steps.length ? null : i + 1))}
              onBack={() => setTourAt((i) => (i === null ? i : Math.max(0, i - 1)))}
              onClose={() => setTourAt(null)}
            />
          )}
          {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
          {classroom && <PointerHighlight />}
        </div>
      </ExplainContext.Provider>
    </IsolensClientContext.Provider>
  );
}
