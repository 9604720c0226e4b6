// Loads charts.js (recharts and the plots) the first time a chart is shown, so that the app's
// first render does not wait for half a megabyte of chart code to be compiled and run.
import * as React from 'react';
import { useEffect, useSyncExternalStore } from 'react';
import * as ReactDOM from 'react-dom';
import * as JsxRuntime from 'react/jsx-runtime';
import type { Plots } from './plot-types';
import { registeredPlots, shareModules } from './plots-registry';

/** The charts bundle, beside app.js (dist/renderer). */
export const PLOTS_SCRIPT = 'charts.js';

/** Where loading the plots stands: the plots once charts.js has run, or why it could not load. */
export interface PlotsState {
  readonly plots: Plots | null;
  readonly error: string | null;
}

let state: PlotsState = { plots: null, error: null };
let loading = false;
const listeners = new Set<() => void>();

function publish(next: PlotsState): void {
  state = next;
  for (const l of [...listeners]) l();
}

/** The state now; plots registered without a script (tests import the charts entry) count as loaded. */
export function plotsState(): PlotsState {
  if (!state.plots) {
    const plots = registeredPlots();
    if (plots) state = { plots, error: null };
  }
  return state;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/**
 * Adds <script src="charts.js"> to the page once (again after a failure), having shared this
 * bundle's React with it. Does nothing when the plots are there or on their way.
 */
export function loadPlots(doc: Document = document, src: string = PLOTS_SCRIPT): void {
  if (plotsState().plots || loading) return;
  loading = true;
  shareModules({ react: React, 'react-dom': ReactDOM, 'react/jsx-runtime': JsxRuntime });
  const script = doc.createElement('script');
  script.src = src;
  script.async = true;
  script.onload = () => {
    loading = false;
    const plots = registeredPlots();
    publish(plots ? { plots, error: null } : { plots: null, error: `${src} ran but registered no charts` });
  };
  script.onerror = () => {
    loading = false;
    script.remove();
    publish({ plots: null, error: `could not load ${src}` });
  };
  doc.head.appendChild(script);
}

/** The plots for a chart to draw, loading charts.js on first use; null (with the error, if any) until then. */
export function usePlots(): PlotsState {
  const s = useSyncExternalStore(subscribe, plotsState, plotsState);
  useEffect(() => {
    if (!s.plots && !s.error) loadPlots();
  }, [s]);
  return s;
}

/** Forgets the loaded plots and any failure (tests only). */
export function resetPlotsForTests(): void {
  state = { plots: null, error: null };
  loading = false;
  listeners.clear();
}

