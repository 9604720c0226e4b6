// React's view of the store (useSyncExternalStore: one render per published state).
import { useSyncExternalStore } from 'react';
import type { Store, StoreState } from './store';

/** The store's current state; re-renders when the store publishes (at most once a frame). */
export function useStoreState(store: Store): StoreState {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
