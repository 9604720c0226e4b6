// The Electron transport, renderer side: exposes exactly one object, window.isolens, an
// IsolensClient over two IPC channels. A sandboxed preload may require only 'electron' at run
// time, so this file imports nothing else except types (channel names are spelled out here).
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels, IsolensClient, Result } from '../../shared/contract';

const IPC_INVOKE = 'isolens:invoke';
const IPC_EVENT = 'isolens:event';

function isEventFor(msg: unknown, event: EventChannel): msg is { event: EventChannel; payload: unknown } {
  return typeof msg === 'object' && msg !== null && (msg as { event?: unknown }).event === event && 'payload' in msg;
}

const api = {
  /** Calls the main process; resolves with a Result, never rejects for a service error. */
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<Result<InvokeChannels[C]['result']>> {
    return ipcRenderer.invoke(IPC_INVOKE, channel, args) as Promise<Result<InvokeChannels[C]['result']>>;
  },
  /** Subscribes to one pushed event (the Electron event object is dropped); returns the unsubscribe function. */
  on<E extends EventChannel>(event: E, listener: (payload: EventChannels[E]) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, msg: unknown): void => {
      if (isEventFor(msg, event)) listener(msg.payload as EventChannels[E]);
    };
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, wrapped);
    };
  },
} satisfies IsolensClient;

/** The type of window.isolens, taken from the implementation so it cannot drift. */
export type PreloadApi = typeof api;

contextBridge.exposeInMainWorld('isolens', api);
