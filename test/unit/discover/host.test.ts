import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differingFromHost, findHostNamespaces, sharedWithHost } from '../../../electron/collector/discover/host';
import { HOST_NS, record } from '../../helpers/records';

const NULL_NS = { cgroup: null, ipc: null, mnt: null, net: null, pid: null, pid_for_children: null, time: null, user: null, uts: null };

describe('findHostNamespaces', () => {
  it('takes PID 1 when its links are readable', () => {
    const h = findHostNamespaces(new Map([[1, record(1, 0)], [2, record(2, 0, { ns: { net: 1 } })]]));
    assert.equal(h.from, 1);
    assert.equal(h.namespaces.net, HOST_NS.net);
  });
  it('falls back to kthreadd (PID 2) when PID 1\'s links are unreadable (a sandbox\'s init)', () => {
    const h = findHostNamespaces(new Map([[1, record(1, 0, { namespaces: NULL_NS })], [2, record(2, 0)]]));
    assert.equal(h.from, 2);
    assert.equal(h.namespaces.pid, HOST_NS.pid);
    assert.equal(h.namespaces.time, HOST_NS.time);
  });
  it('says null when neither can be read (a normal user)', () => {
    const h = findHostNamespaces(new Map([[1, record(1, 0, { namespaces: NULL_NS })], [2, record(2, 0, { namespaces: NULL_NS })]]));
    assert.equal(h.from, null);
    assert.deepEqual(h.namespaces, {});
  });
});

describe('sharedWithHost / differingFromHost', () => {
  const host = findHostNamespaces(new Map([[2, record(2, 0)]]));
  it('a container with --pid host shares pid and user, not net', () => {
    const p = record(10, 9, { ns: { net: 5, mnt: 6, uts: 7, ipc: 8, cgroup: 9 } });
    assert.deepEqual(sharedWithHost(p, host), ['pid', 'time', 'user']);
    assert.deepEqual(differingFromHost(p, host), ['cgroup', 'ipc', 'mnt', 'net', 'uts']);
  });
  it('an unreadable link is neither shared nor differing', () => {
    const p = record(10, 9, { namespaces: { ...HOST_NS, net: null } });
    assert.ok(!sharedWithHost(p, host).includes('net'));
    assert.ok(!differingFromHost(p, host).includes('net'));
  });
});
