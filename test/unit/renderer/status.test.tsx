import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render, screen } from '@testing-library/react';
import type { StoreState } from '../../../renderer/state/store';
import { StatusView } from '../../../renderer/views/status/StatusView';
import { proc, snapshotOf } from './fixtures';

afterEach(() => cleanup());

const base = snapshotOf([proc(1, 0)]);
const state: StoreState = { phase: 'ready', data: { seq: 7, snapshot: base, usage: {} }, error: null, updatedAt: Date.now(), resyncs: 2, history: {} };

describe('StatusView', () => {
  it('an engine that is down says why', () => {
    const s = { ...base, engines: [{ name: 'docker', available: false, endpoint: 'unix:///var/run/docker.sock', version: null, error: 'connect EACCES /var/run/docker.sock' }] };
    render(<StatusView state={state} snapshot={s} connection="open" />);
    assert.match(screen.getByTestId('engine-docker').textContent ?? '', /down.*EACCES/);
  });

  it('as a normal user: what cannot be seen, and how to see it; the warnings', () => {
    const s = { ...base, host: { ...base.host, collectorUid: 1000 }, warnings: ['12 of 230 processes could not be read whole (permission denied)'] };
    render(<StatusView state={state} snapshot={s} connection="closed" />);
    assert.match(screen.getByTestId('status-privileges').textContent ?? '', /uid 1000.*unreadable.*sudo bin\/isolens serve/);
    assert.match(screen.getByTestId('status-warnings').textContent ?? '', /permission denied/);
    assert.match(screen.getByTestId('status-connection').textContent ?? '', /reconnecting/);
  });

  it('shows the last update, the delta number and resyncs', () => {
    render(<StatusView state={state} snapshot={base} connection="open" />);
    assert.match(screen.getByTestId('status-connection').textContent ?? '', /connected/);
    assert.match(screen.getByText(/delta #7/).textContent ?? '', /2 resyncs/);
  });
});
