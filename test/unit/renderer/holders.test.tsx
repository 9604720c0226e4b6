import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { NamespaceHolder, NamespaceInfo } from '../../../shared/model';
import { deriveModel } from '../../../renderer/state/derive';
import { holderText } from '../../../renderer/views/namespaces/NamespaceHolders';
import { NamespacesView } from '../../../renderer/views/namespaces/NamespacesView';
import { HOST_NS, loadSnapshot, nsOf, proc, snapshotOf } from './fixtures';

afterEach(() => cleanup());

const NS: Omit<NamespaceInfo, 'id' | 'type'> = { pids: [], host: false, parent: null, owner: HOST_NS.user, path: null };
const held = (id: number, type: NamespaceInfo['type'], holders: readonly NamespaceHolder[] | undefined, over: Partial<NamespaceInfo> = {}): NamespaceInfo => ({
  ...NS, id, type, ...(holders ? { holders } : {}), ...over,
});

/** pid 1 (systemd) in the host's namespaces, pid 1234 (python3) holding a net namespace by an fd, pid 4560 with thread 4567 in another uts namespace, pid 77 in a mount namespace of its own. */
const s = snapshotOf(
  [
    proc(1, 0, { comm: 'systemd' }),
    proc(1234, 1, { comm: 'python3' }),
    proc(4560, 1, { comm: 'worker' }),
    proc(77, 1, { comm: 'ip', namespaces: nsOf({ mnt: 4026532900 }) }),
  ],
  [],
  [
    held(4026532500, 'net', [{ pid: 1234, via: 'fd', fd: 5 }]),
    held(4026532501, 'uts', [{ pid: 4560, via: 'task', tid: 4567 }]),
    held(4026532502, 'net', [{ pid: 1, via: 'bind-mount', path: '/run/netns/demo' }], { path: '/run/netns/demo' }),
    held(4026532503, 'net', [{ pid: 77, via: 'bind-mount', path: '/var/run/netns/blue' }]),
    held(4026532504, 'ipc', [], { path: null }),
    held(4026532505, 'ipc', undefined, { path: null }),
  ],
);
const model = deriveModel(s);

describe('holderText', () => {
  const cases: { name: string; h: NamespaceHolder; want: string }[] = [
    { name: 'an open fd', h: { pid: 1234, via: 'fd', fd: 5 }, want: 'held by fd 5 of pid 1234 (python3)' },
    { name: 'an fd without its number', h: { pid: 1234, via: 'fd' }, want: 'held by an open fd of pid 1234 (python3)' },
    { name: 'one thread', h: { pid: 4560, via: 'task', tid: 4567 }, want: 'only thread 4567 of pid 4560 (worker) is in it' },
    { name: 'a thread without its tid', h: { pid: 4560, via: 'task' }, want: 'only a thread of pid 4560 (worker) is in it' },
    { name: "a bind mount in the host's mount namespace", h: { pid: 1, via: 'bind-mount', path: '/run/netns/demo' }, want: "bind mount /run/netns/demo seen in pid 1's mount namespace (the host's)" },
    { name: 'a bind mount in another mount namespace', h: { pid: 77, via: 'bind-mount', path: '/var/run/netns/blue' }, want: "bind mount /var/run/netns/blue seen in pid 77's mount namespace" },
    { name: 'a process not in the snapshot', h: { pid: 999, via: 'fd', fd: 3 }, want: 'held by fd 3 of pid 999' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(holderText(c.h, model), c.want));
});

describe('holders in the namespaces view', () => {
  it('the list of namespaces with no process says what keeps each alive', () => {
    render(<NamespacesView model={model} onOpenContainer={() => undefined} />);
    const list = screen.getByTestId('ns-unheld').textContent ?? '';
    assert.equal(screen.getByTestId('ns-holders-4026532500').textContent, 'held by fd 5 of pid 1234 (python3)');
    assert.equal(screen.getByTestId('ns-holders-4026532501').textContent, 'only thread 4567 of pid 4560 (worker) is in it');
    assert.match(screen.getByTestId('ns-holders-4026532502').textContent ?? '', /bind mount \/run\/netns\/demo seen in pid 1's mount namespace/);
    assert.equal(screen.getByTestId('ns-holders-4026532500').querySelector('li')?.dataset.via, 'fd');
    // Scanned, nothing found / not scanned: no holder list, the old wording.
    assert.equal(screen.queryByTestId('ns-holders-4026532504'), null);
    assert.match(list, /ipc:\[4026532504\] no fd, thread or bind mount found holding it/);
    assert.match(list, /ipc:\[4026532505\] kept alive by an open file descriptor or a child namespace/);
  });

  it('the detail panel of a namespace with processes shows what else keeps it (recorded: dockerd holds the host net namespace by fd)', () => {
    const rec = loadSnapshot('inside');
    const m = deriveModel(rec);
    const net = rec.namespaces.find((n) => n.id === rec.host.namespaces.net);
    assert.ok(net?.holders);
    const fd = net.holders.find((h) => h.via === 'fd');
    assert.ok(fd, 'dockerd holds the host net namespace by an fd');
    render(<NamespacesView model={m} onOpenContainer={() => undefined} />);
    fireEvent.mouseEnter(screen.getByTestId('ns-cell-host-net'));
    const holders = screen.getByTestId(`ns-holders-${net.id}`);
    assert.match(screen.getByTestId('ns-info').textContent ?? '', /Also kept by/);
    assert.match(holders.textContent ?? '', new RegExp(`held by fd ${fd.fd} of pid ${fd.pid} \\(dockerd\\)`));
    assert.match(holders.textContent ?? '', /bind mount \/run\/docker\/netns\/default seen in pid 1's mount namespace/);
  });

  it("a container's net namespace: Docker's bind mount, and no separate bind-mount line", () => {
    const rec = loadSnapshot('inside');
    const m = deriveModel(rec);
    render(<NamespacesView model={m} onOpenContainer={() => undefined} />);
    const cell = screen.getByTestId('ns-cell-inside-debian-net');
    fireEvent.mouseEnter(cell);
    const id = Number(cell.dataset.ns);
    const info = screen.getByTestId('ns-info').textContent ?? '';
    assert.match(screen.getByTestId(`ns-holders-${id}`).textContent ?? '', /bind mount \/run\/docker\/netns\/[0-9a-f]{12} seen in pid 1's mount namespace/);
    assert.doesNotMatch(info, /Bind mount\//);
  });
});
