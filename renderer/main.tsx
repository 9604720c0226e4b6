// Entry point of the renderer bundle: picks the client (Electron bridge or WebSocket) and mounts the App.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import type { ConnectionSource } from './app/App';
import { parseHash, routeHash } from './app/routes';
import { connectionStatus, getClient, onConnectionStatus } from './transport/client';
import './styles/app.css';

const connection: ConnectionSource = { get: connectionStatus, subscribe: onConnectionStatus };
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App
      client={getClient()}
      connection={connection}
      initialRoute={parseHash(location.hash)}
      onRouteChange={(r) => history.replaceState(null, '', routeHash(r))}
    />
  </StrictMode>,
);
