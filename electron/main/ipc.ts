// The Electron transport, main side: one invoke handler and the event fan-out.
// Only this file and preload.ts touch IPC (eslint no-restricted-imports).
import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { EVENT_CHANNELS } from '../../shared/contract';
import type { EventChannel, IsolensService, Result } from '../../shared/contract';
import { answerInvocation } from '../serve/dispatch';

/** The one invoke channel (Electron ipcMain.handle / ipcRenderer.invoke); preload.ts spells it too. */
export const IPC_INVOKE = 'isolens:invoke';
/** The channel events are pushed on, as `{ event, payload }` (webContents.send). */
export const IPC_EVENT = 'isolens:event';

/**
 * Serves the IsolensService over Electron IPC: checks the sender frame of every call first
 * (UNAUTHORIZED otherwise), validates it, answers with a Result; forwards the service's events to
 * every trusted window. Returns the function that undoes all of it.
 */
export function registerIpc(
  service: IsolensService,
  isTrustedSender: (frame: WebFrameMain | null) => boolean,
  getWindows: () => WebContents[],
): () => void {
  ipcMain.handle(IPC_INVOKE, async (event: IpcMainInvokeEvent, channel: unknown, args: unknown): Promise<Result<unknown>> => {
    let trusted = false;
    try {
      trusted = isTrustedSender(event.senderFrame);
    } catch {
      trusted = false;
    }
    if (!trusted) return { ok: false, error: { code: 'UNAUTHORIZED', message: 'this frame may not call isolens' } };
    return answerInvocation(service, channel, args);
  });

  const forward = (event: EventChannel) => (payload: unknown): void => {
    for (const wc of getWindows()) {
      try {
        if (!wc.isDestroyed() && isTrustedSender(wc.mainFrame)) wc.send(IPC_EVENT, { event, payload });
      } catch {
        // A window closing under us: it no longer needs events.
      }
    }
  };
  const unsubscribe = EVENT_CHANNELS.map((event) => service.on(event, forward(event)));

  return () => {
    ipcMain.removeHandler(IPC_INVOKE);
    for (const off of unsubscribe) off();
  };
}
