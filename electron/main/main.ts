// The Electron main process: one window, the collector service, IPC. Thin on purpose: the
// collector does the work (electron/collector), the transport is ipc.ts, the UI is renderer/.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, Menu, session, shell } from 'electron';
import { WorkerService } from '../collector/worker/worker-service';
import { registerIpc } from './ipc';
import { makeSenderCheck } from './ipc-trust';
import { menuTemplate } from './menu';
import { APP_CSP, isAllowedNavigation } from './window-policy';

const rendererIndex = path.resolve(__dirname, '..', '..', 'renderer', 'index.html');
const appUrl = pathToFileURL(rendererIndex).toString();

async function createWindow(): Promise<void> {
  // The collector reads /proc in a worker thread: the window never stalls on it.
  const service = new WorkerService();
  await service.start();

  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Isolens',
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const stopIpc = registerIpc(service, makeSenderCheck(appUrl), () => BrowserWindow.getAllWindows().map((w) => w.webContents));

  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser; no new app windows, ever.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, appUrl)) event.preventDefault();
  });
  win.on('closed', () => {
    stopIpc();
    void service.stop();
  });
  await win.loadURL(appUrl);
}

app.enableSandbox();
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(app.isPackaged)));
  return createWindow();
}).catch((err: unknown) => {
  process.stderr.write(`isolens: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  app.exit(1);
});
app.on('window-all-closed', () => app.quit());
