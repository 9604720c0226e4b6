// The Electron main process: one window, the collector service, IPC. Thin on purpose: the
// collector does the work (electron/collector), the transport is ipc.ts, the UI is renderer/.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session, shell } from 'electron';
import type { IsolensService } from '../../shared/contract';
import { openPlayback } from '../collector/recording/open';
import { WorkerService } from '../collector/worker/worker-service';
import { registerIpc } from './ipc';
import { launchSource, type LaunchSource } from './launch-args';
import { makeSenderCheck } from './ipc-trust';
import { menuTemplate } from './menu';
import { APP_CSP, isAllowedNavigation } from './window-policy';

const rendererIndex = path.resolve(__dirname, '..', '..', 'renderer', 'index.html');
const appUrl = pathToFileURL(rendererIndex).toString();

/** The service the window talks to: a recording when asked (a bad file is said in a dialog, then the live host), else the live collector. */
async function openService(source: LaunchSource): Promise<IsolensService & { stop(): unknown }> {
  if (source.kind === 'recording') {
    const opened = openPlayback(source.file);
    if (!(opened instanceof Error)) {
      opened.service.start();
      return opened.service;
    }
    dialog.showErrorBox('Isolens cannot open this recording', `${source.file}\n\n${opened.message}\n\nShowing the live host instead.`);
  }
  // The collector reads /proc in a worker thread: the window never stalls on it.
  const live = new WorkerService();
  await live.start();
  return live;
}

/** File → Open recording…: the app restarts on the chosen file (one service per window, no mixing). */
async function chooseRecording(): Promise<void> {
  const r = await dialog.showOpenDialog({ title: 'Open an isolens recording', properties: ['openFile'], filters: [{ name: 'isolens recordings', extensions: ['rec', 'ndjson', 'gz', 'json'] }] });
  const file = r.filePaths[0];
  if (r.canceled || file === undefined) return;
  app.relaunch({ args: [...process.argv.slice(1).filter((a) => !a.startsWith('--recording')), '--recording', file] });
  app.exit(0);
}

async function createWindow(): Promise<void> {
  const service = await openService(launchSource(process.argv.slice(2)));

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
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(app.isPackaged, () => void chooseRecording())));
  return createWindow();
}).catch((err: unknown) => {
  process.stderr.write(`isolens: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  app.exit(1);
});
app.on('window-all-closed', () => app.quit());
