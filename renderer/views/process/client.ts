// How a view reaches the IsolensClient for an on-demand call ('process:get', 'cgroup:get',
// 'image:analyze'): the client a provider gives (tests, or App once it provides one), else the
// renderer's own (transport/client.ts getClient: the Electron bridge or the WebSocket), resolved
// only when a call is made, so that drawing a view never opens a connection.
import { createContext, useCallback, useContext } from 'react';
import type { InvokeChannel, InvokeChannels, IsolensClient, Result } from '../../../shared/contract';
import { getClient } from '../../transport/client';

/** The client views call on demand (shared/contract.ts IsolensClient); null: the renderer's own. */
export const IsolensClientContext = createContext<IsolensClient | null>(null);

/** An invoke function bound to the context's client (or the renderer's own); stable across renders. */
export type Invoke = <C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']) => Promise<Result<InvokeChannels[C]['result']>>;

/** The invoke function of the nearest IsolensClientContext, else of getClient(); a rejected call becomes an INTERNAL result. */
export function useInvoke(): Invoke {
  const given = useContext(IsolensClientContext);
  return useCallback(
    async <C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<Result<InvokeChannels[C]['result']>> => {
      try {
        return await (given ?? getClient()).invoke(channel, ...args);
      } catch (err) {
        return { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } };
      }
    },
    [given],
  ) as Invoke;
}
