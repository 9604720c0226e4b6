// The one place the two bundles meet: app.js publishes its React modules here for charts.js, and
// charts.js registers its plots here. Globals only, because each bundle has its own module copies.
import type { Plots } from './plot-types';

/** The modules charts.js takes from app.js instead of bundling its own copy (one React per page). */
export const SHARED_MODULE_NAMES = ['react', 'react-dom', 'react/jsx-runtime'] as const;

/** A module name charts.js may take from app.js. */
export type SharedModuleName = (typeof SHARED_MODULE_NAMES)[number];

/** The global slot of the shared modules (read by the shims scripts/build-renderer.js puts in charts.js). */
export const SHARED_SLOT = '__isolensShared';

interface PlotGlobals {
  __isolensPlots?: Plots;
  __isolensShared?: Readonly<Record<SharedModuleName, unknown>>;
}

const g = globalThis as PlotGlobals;

/** Called by charts.js when it has run: makes the plots available to the app. */
export function registerPlots(plots: Plots): void {
  g.__isolensPlots = plots;
}

/** The registered plots, or null until charts.js has run. */
export function registeredPlots(): Plots | null {
  return g.__isolensPlots ?? null;
}

/** Called by app.js before it loads charts.js: the React modules charts.js must use. */
export function shareModules(modules: Readonly<Record<SharedModuleName, unknown>>): void {
  g.__isolensShared = modules;
}

/** Forgets the plots (tests only). */
export function unregisterPlotsForTests(): void {
  delete g.__isolensPlots;
}
