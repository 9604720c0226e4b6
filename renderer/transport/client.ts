// Picks the renderer's transport: Electron's preload bridge, else a WebSocket to `isolens serve`.
import type { IsolensClient } from '../../shared/contract';
import { createWsClient } from './ws-client';
import type { ConnectionStatus, WebSocketLikeConstructor } from './ws-client';

/** The part of window.location the client reads (WHATWG URL / HTML Location). */
export interface LocationLike {
  readonly protocol: string;
  readonly host: string;
  readonly search: string;
}

/** The browser globals getClient looks at, declared here rather than taken from the DOM lib. */
interface RendererGlobals {
  readonly window?: { readonly isolens?: IsolensClient };
  readonly location?: LocationLike;
  readonly WebSocket?: WebSocketLikeConstructor;
}

/** The WebSocket URL of the page's server: same host, path /ws, the page's `?token=` passed on. */
export function wsUrlFromLocation(loc: LocationLike): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(loc.search).get('token');
  // Without a token in the URL, the HttpOnly cookie set with the page still authenticates.
  return `${scheme}//${loc.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

let client: IsolensClient | null = null;
let lastStatus: ConnectionStatus = 'open';
const statusListeners = new Set<(s: ConnectionStatus) => void>();

/**
 * The renderer's IsolensClient, created once: `window.isolens` when the Electron preload exposed
 * it, else a WebSocket client to the server that served this page.
 */
export function getClient(): IsolensClient {
  if (client) return client;
  const g = globalThis as RendererGlobals;
  const bridged = g.window?.isolens;
  if (bridged) return (client = bridged);
  if (!g.location) throw new Error('no window.isolens (Electron preload) and no location to connect to');
  lastStatus = 'connecting';
  client = createWsClient({
    url: wsUrlFromLocation(g.location),
    onStatus: (s) => {
      lastStatus = s;
      for (const l of [...statusListeners]) l(s);
    },
  });
  return client;
}

/** The connection state now ('open' for Electron's bridge, which cannot disconnect). */
export function connectionStatus(): ConnectionStatus {
  return lastStatus;
}

/** Subscribes to connection state changes (WebSocket transport only); returns the unsubscribe function. */
export function onConnectionStatus(listener: (s: ConnectionStatus) => void): () => void {
  statusListeners.add(listener);
  return () => {
    statusListeners.delete(listener);
  };
}

/** Forgets the client (tests only). */
export function resetClientForTests(): void {
  (client as { close?: () => void } | null)?.close?.();
  client = null;
  lastStatus = 'open';
  statusListeners.clear();
}
