// The application: the store, the navigation, the four views and the comparison (with the tray of
// rows picked for it). The client is injected.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import type { IsolensClient } from '../../shared/contract';
import { deriveModel } from '../state/derive';
import { createStore } from '../state/store';
import type { Store, StoreOptions } from '../state/store';
import { useStoreState } from '../state/use-store';
import type { ConnectionStatus } from '../transport/ws-client';
import { CompareTray } from '../views/compare/CompareTray';
import { CompareView } from '../views/compare/CompareView';
import { togglePick } from '../views/compare/refs';
import type { CompareRef } from '../views/compare/refs';
import { ContainerDetail } from '../views/containers/ContainerDetail';
import { ContainersView } from '../views/containers/ContainersView';
import { NamespacesView } from '../views/namespaces/NamespacesView';
import { StatusView } from '../views/status/StatusView';
import { ProcessTree } from '../views/tree/ProcessTree';
import { Nav } from './Nav';
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
  readonly initialRoute?: Route;
  readonly onRouteChange?: (r: Route) => void;
  /** Height of the process tree before it can be measured (tests). */
  readonly treeFallbackHeight?: number;
}

const ALWAYS_OPEN: ConnectionSource = { get: () => 'open', subscribe: () => () => undefined };
const EMPTY: readonly never[] = [];

function useConnection(source: ConnectionSource): ConnectionStatus {
  return useSyncExternalStore((l) => source.subscribe(() => l()), source.get, source.get);
}

/** The Isolens UI. */
export function App(props: AppProps): ReactNode {
  const { client, storeOptions } = props;
  const store: Store = useMemo(() => createStore(client, storeOptions), [client, storeOptions]);
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  const state = useStoreState(store);
  const connection = useConnection(props.connection ?? ALWAYS_OPEN);
  const [route, setRoute] = useState<Route>(props.initialRoute ?? { view: 'tree', containerId: null });
  const { onRouteChange } = props;
  const go = useCallback(
    (r: Route) => {
      setRoute(r);
      onRouteChange?.(r);
    },
    [onRouteChange],
  );
  const openContainer = useCallback((id: string) => go({ view: 'containers', containerId: id }), [go]);
  // Rows picked for a comparison (A first), kept across views; a #compare route starts with its two.
  const [picks, setPicks] = useState<readonly CompareRef[]>(() => props.initialRoute?.compare ?? []);
  const onTogglePick = useCallback((ref: CompareRef) => setPicks((p) => togglePick(p, ref)), []);
  const [returnTo, setReturnTo] = useState<Route>({ view: 'tree', containerId: null });
  const openCompare = useCallback(
    (a: CompareRef, b: CompareRef) => {
      if (route.view !== 'compare') setReturnTo(route);
      go({ view: 'compare', containerId: null, compare: [a, b] });
    },
    [go, route],
  );
  const loadHistory = useCallback((id: string) => void store.loadHistory(id), [store]);

  const snapshot = state.data?.snapshot ?? null;
  const model = useMemo(() => (snapshot ? deriveModel(snapshot) : null), [snapshot]);

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
          <p className="empty-title">Reading /proc, cgroups and the container engines…</p>
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
    <div className="app">
      <Nav
        route={route}
        onGo={go}
        connection={connection}
        updatedAt={snapshot?.takenAt ?? null}
        containerCount={model ? model.containers.filter((c) => c.info.engine !== 'none').length : 0}
        warnings={snapshot?.warnings.length ?? 0}
      />
      <main className="main">{body}</main>
      {model && route.view !== 'compare' && (
        <CompareTray
          model={model}
          picks={picks}
          onUnpick={onTogglePick}
          onClear={() => setPicks([])}
          onCompare={openCompare}
        />
      )}
    </div>
  );
}
