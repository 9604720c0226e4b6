// Tells the collector what is on screen ('view:set'): between its full passes it reads stat
// only for these processes, which is how 10,000 processes stay cheap to poll (shared/contract.ts).
import { useContext, useEffect, useRef } from 'react';
import type { ViewInterest } from '../../../shared/contract';
import { VIEW_MAX_PIDS } from '../../../shared/contract';
import { IsolensClientContext } from '../process/client';

/** This page's viewer id: one per page load. */
export const VIEWER_ID = `view-${Math.random().toString(36).slice(2, 10)}`;

/** How often a view is renewed while nothing changes (the collector forgets views after 15 s). */
export const VIEW_RENEW_MS = 5_000;

/** Whether two views name the same processes and container. */
export function sameView(a: ViewInterest | null, b: ViewInterest): boolean {
  return a !== null && a.containerId === b.containerId && a.pids.length === b.pids.length && a.pids.every((p, i) => p === b.pids[i]);
}

/**
 * Reports `view` to the app's client (IsolensClientContext; none: nothing is sent), debounced
 * 250 ms and renewed every VIEW_RENEW_MS; a failed call is ignored (an older server, a recording).
 */
export function useViewReporter(view: ViewInterest): void {
  const client = useContext(IsolensClientContext);
  const sent = useRef<ViewInterest | null>(null);
  const latest = useRef(view);
  latest.current = { pids: view.pids.slice(0, VIEW_MAX_PIDS), containerId: view.containerId };
  const key = `${view.containerId ?? ''}|${view.pids.join(',')}`;
  useEffect(() => {
    const t = setTimeout(() => {
      if (sameView(sent.current, latest.current)) return;
      sent.current = latest.current;
      void client?.invoke('view:set', VIEWER_ID, latest.current).catch(() => undefined);
    }, 250);
    return () => clearTimeout(t);
  }, [key, client]);
  useEffect(() => {
    if (!client) return undefined;
    const t = setInterval(() => {
      sent.current = latest.current;
      void client.invoke('view:set', VIEWER_ID, latest.current).catch(() => undefined);
    }, VIEW_RENEW_MS);
    return () => clearInterval(t);
  }, [client]);
}
