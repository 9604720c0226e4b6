// A browser-like global environment for renderer tests: a jsdom window on globalThis, set up
// before React Testing Library is imported (import this module first). These helpers are .tsx
// so that the root tsconfig (test/**/*.ts, no DOM lib, no JSX) leaves them to test/unit/renderer/tsconfig.json.
import { JSDOM } from 'jsdom';
import * as React from 'react';

const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
  url: 'http://127.0.0.1/',
  pretendToBeVisual: true, // gives requestAnimationFrame
});
const win = dom.window as unknown as Record<string, unknown>;
const g = globalThis as unknown as Record<string, unknown>;

// Every window property Node lacks (HTMLElement, Node, Event, getComputedStyle, ...).
for (const key of Object.getOwnPropertyNames(dom.window)) {
  if (key in g || key.startsWith('_')) continue;
  Object.defineProperty(g, key, { configurable: true, get: () => win[key] });
}
for (const key of ['window', 'document', 'navigator', 'location', 'requestAnimationFrame', 'cancelAnimationFrame']) {
  Object.defineProperty(g, key, { configurable: true, writable: true, value: key === 'window' ? dom.window : win[key] });
}

/** Recharts and the virtual list observe sizes; jsdom has no layout, so nothing ever changes. */
class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
g.ResizeObserver = ResizeObserverStub;
win.ResizeObserver = ResizeObserverStub;
// React: we wrap updates in act() (Testing Library does it).
g.IS_REACT_ACT_ENVIRONMENT = true;
// tsx applies the root tsconfig's "jsx" only to the files that tsconfig includes (*.ts, not these
// .tsx tests, which need the DOM lib of test/unit/renderer/tsconfig.json): the classic runtime
// compiles them, so React.createElement must resolve as a global.
g.React = React;

/** The jsdom instance, for tests that need it. */
export const testDom = dom;
