// Entry point of the renderer bundle: picks the client (Electron bridge or WebSocket) and mounts the App.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import type { ConnectionSource } from './app/App';
import { parseHash, routeHash } from './app/routes';
import { warmCollator } from './state/collate';
import { createStore } from './state/store';
import { connectionStatus, getClient, onConnectionStatus } from './transport/client';
import './styles/app.css';

const connection: ConnectionSource = { get: connectionStatus, subscribe: onConnectionStatus };

/** `?classroom=1` (what `isolens serve --classroom` prints) starts in classroom mode; the toggle keeps the URL in step. */
const classroomParam = new URLSearchParams(location.search).get('classroom') === '1';
function onClassroomChange(on: boolean): void {
  const q = new URLSearchParams(location.search);
  if (on) q.set('classroom', '1');
  else q.delete('classroom');
  const search = q.toString();
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
}
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// Ask for the snapshot now: it travels (and is parsed) while React draws its first frame.
const client = getClient();
const store = createStore(client);
store.start();
createRoot(root).render(
  <StrictMode>
    <App
      client={client}
      initialStore={store}
      connection={connection}
      initialRoute={parseHash(location.hash)}
      onRouteChange={(r) => history.replaceState(null, '', routeHash(r))}
      initialClassroom={classroomParam}
      onClassroomChange={onClassroomChange}
    />
  </StrictMode>,
);
// While the snapshot is on its way: the collator the first sorts need loads its data now, not then.
setTimeout(warmCollator, 0);
