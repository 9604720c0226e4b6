import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { deriveModel } from '../../../renderer/state/derive';
import { NamespacesView } from '../../../renderer/views/namespaces/NamespacesView';
import { loadSnapshot, proc, snapshotOf } from './fixtures';

afterEach(() => cleanup());

function cell(name: string, kind: string): HTMLElement {
  return screen.getByTestId(`ns-cell-${name}-${kind}`);
}

describe('NamespacesView', () => {
  const s = loadSnapshot('demo');
  const model = deriveModel(s);

  it('marks host, own and shared cells', () => {
    render(<NamespacesView model={model} onOpenContainer={() => undefined} />);
    assert.equal(cell('isolens-demo-hostpid', 'pid').dataset.shared, 'host', '--pid host: the pid cell is the host');
    assert.equal(cell('isolens-demo-hostpid', 'pid').textContent, 'host…1836');
    assert.equal(cell('isolens-demo-hostpid', 'net').dataset.shared, 'own');
    assert.equal(cell('isolens-demo-web', 'pid').dataset.shared, 'own');
    assert.equal(cell('isolens-demo-web', 'user').dataset.shared, 'host');
    for (const k of ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts']) assert.equal(cell('host', k).dataset.shared, 'host');
  });

  it('two containers in one net namespace: both "shared", same colour, same inode', () => {
    render(<NamespacesView model={model} onOpenContainer={() => undefined} />);
    const web = cell('isolens-demo-web', 'net');
    const side = cell('isolens-demo-sidecar', 'net');
    assert.equal(web.dataset.shared, 'shared');
    assert.equal(side.dataset.shared, 'shared');
    assert.equal(web.dataset.ns, side.dataset.ns);
    assert.equal(web.style.background, side.style.background);
    assert.notEqual(cell('isolens-demo-web', 'pid').style.background, cell('isolens-demo-sidecar', 'pid').style.background);
    assert.equal(cell('isolens-demo-hostpid', 'pid').style.background, cell('host', 'pid').style.background);
  });

  it('shows a namespace on hover: inode, processes, owner, bind mount', () => {
    render(<NamespacesView model={model} onOpenContainer={() => undefined} />);
    const web = cell('isolens-demo-web', 'net');
    fireEvent.mouseEnter(web);
    const info = screen.getByTestId('ns-info');
    assert.match(info.textContent ?? '', new RegExp(`net namespace ${web.dataset.ns}`));
    assert.match(info.textContent ?? '', /isolens-demo-web/);
    assert.match(info.textContent ?? '', /isolens-demo-sidecar/);
    assert.match(info.textContent ?? '', /4 processes/);
    assert.match(info.textContent ?? '', /\/run\/docker\/netns\//);
  });

  it('clicking a cell pins it', () => {
    render(<NamespacesView model={model} onOpenContainer={() => undefined} />);
    fireEvent.click(cell('isolens-demo-web', 'pid').querySelector('button') as HTMLElement);
    fireEvent.mouseLeave(screen.getByTestId('ns-matrix').querySelector('tbody') as HTMLElement);
    assert.match(screen.getByTestId('ns-info').textContent ?? '', /pid namespace/);
  });

  it('lists namespaces with no process and their bind mounts', () => {
    const m = deriveModel(
      snapshotOf([proc(1, 0)], [], [{ id: 4026532500, type: 'net', pids: [], host: false, parent: null, owner: 4026531837, path: '/run/netns/demo' }]),
    );
    render(<NamespacesView model={m} onOpenContainer={() => undefined} />);
    assert.match(screen.getByTestId('ns-unheld').textContent ?? '', /net:\[4026532500\].*\/run\/netns\/demo/);
    assert.ok(screen.getByTestId('empty-containers'));
  });
});
