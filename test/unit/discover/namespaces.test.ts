import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findHostNamespaces } from '../../../electron/collector/discover/host';
import { discoverNamespaces } from '../../../electron/collector/discover/namespaces';
import type { LsnsNamespace } from '../../../electron/collector/lsns';
import { HOST_NS, record } from '../../helpers/records';

const lsnsEntry = (over: Partial<LsnsNamespace> & Pick<LsnsNamespace, 'ns' | 'type'>): LsnsNamespace => ({
  nprocs: 0, pid: null, ppid: null, pns: null, ons: null, netnsid: null, nsfs: [], ...over,
});

describe('discoverNamespaces', () => {
  const host = findHostNamespaces(new Map([[2, record(2, 0)]]));
  const procs = [record(2, 0), record(100, 2, { ns: { pid: 900, pid_for_children: 900, net: 901 } }), record(101, 100, { ns: { pid: 900, pid_for_children: 900, net: 901 } })];

  it('groups member pids per namespace and marks the host\'s', () => {
    const list = discoverNamespaces(procs, [], [], host);
    const pidNs = list.find((n) => n.id === 900);
    assert.deepEqual(pidNs?.pids, [100, 101]);
    assert.equal(pidNs?.host, false);
    assert.equal(list.find((n) => n.id === HOST_NS.pid)?.host, true);
    assert.deepEqual(list.find((n) => n.id === HOST_NS.net)?.pids, [2]);
  });

  it('takes parent (pid/user only) and owner from lsns', () => {
    const list = discoverNamespaces(procs, [
      lsnsEntry({ ns: 900, type: 'pid', pns: HOST_NS.pid, ons: HOST_NS.user }),
      lsnsEntry({ ns: 901, type: 'net', pns: 0, ons: HOST_NS.user }),
    ], [], host);
    assert.equal(list.find((n) => n.id === 900)?.parent, HOST_NS.pid);
    assert.equal(list.find((n) => n.id === 901)?.parent, null);
    assert.equal(list.find((n) => n.id === 901)?.owner, HOST_NS.user);
  });

  it('lists a bind-mounted namespace no process is in (from lsns or mountinfo)', () => {
    const list = discoverNamespaces(procs, [lsnsEntry({ ns: 950, type: 'net', nsfs: ['/run/netns/a'] })], [{ id: 951, type: 'net', path: '/run/netns/b' }], host);
    assert.deepEqual(list.find((n) => n.id === 950), { id: 950, type: 'net', pids: [], host: false, parent: null, owner: null, path: '/run/netns/a' });
    assert.equal(list.find((n) => n.id === 951)?.path, '/run/netns/b');
  });

  it('lists the pid namespace made by unshare --pid before its first child (pid_for_children)', () => {
    const list = discoverNamespaces([record(2, 0), record(50, 2, { ns: { pid_for_children: 960 } })], [], [], host);
    assert.deepEqual(list.find((n) => n.id === 960)?.pids, []);
    assert.equal(list.find((n) => n.id === 960)?.type, 'pid');
  });
});
