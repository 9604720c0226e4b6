import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { type NsLink, parseNsLink, readNamespaces } from '../../../electron/collector/procfs/ns';

const GOOD = path.join(__dirname, '../../fixtures/proc');
const BROKEN = path.join(__dirname, '../../fixtures/proc-broken');

const HOST = {
  cgroup: 4026531835, ipc: 4026531839, mnt: 4026531832, net: 4026531833, pid: 4026531836,
  pid_for_children: 4026531836, time: 4026531834, user: 4026531837, uts: 4026531838,
};

const linkCases: { name: string; target: string; want: NsLink | null }[] = [
  { name: 'net link', target: 'net:[4026531840]', want: { type: 'net', inode: 4026531840 } },
  { name: 'pid link', target: 'pid:[4026532323]', want: { type: 'pid', inode: 4026532323 } },
  { name: 'inode not a number', target: 'net:[not-a-number]', want: null },
  { name: 'no brackets', target: 'net:4026531840', want: null },
  { name: 'a path, not an ns target', target: '/proc/1/ns/net', want: null },
  { name: 'trailing text', target: 'net:[1] (deleted)', want: null },
  { name: 'empty', target: '', want: null },
  { name: 'inode beyond 2^53', target: 'net:[99999999999999999999]', want: null },
];

describe('parseNsLink (namespaces(7) link target)', () => {
  for (const c of linkCases) {
    it(c.name, () => assert.deepEqual(parseNsLink(c.target), c.want));
  }
});

describe('readNamespaces on fixture trees', () => {
  it('kthreadd is in the initial namespaces', () => {
    assert.deepEqual(readNamespaces(GOOD, 2), { namespaces: HOST, errors: [] });
  });

  it('container process: own namespaces, host cgroup, time and user', () => {
    const { namespaces, errors } = readNamespaces(GOOD, 7941);
    assert.deepEqual(errors, []);
    assert.deepEqual(namespaces, {
      cgroup: HOST.cgroup, ipc: 4026532322, mnt: 4026532319, net: 4026532324, pid: 4026532323,
      pid_for_children: 4026532323, time: HOST.time, user: HOST.user, uts: 4026532321,
    });
  });

  it('zombie: only pid and user readable, the rest null without errors', () => {
    const { namespaces, errors } = readNamespaces(GOOD, 8369);
    assert.deepEqual(errors, []);
    assert.equal(namespaces.pid, HOST.pid);
    assert.equal(namespaces.user, HOST.user);
    assert.equal(namespaces.net, null);
    assert.equal(namespaces.mnt, null);
  });

  it('kernel without the time namespace', () => {
    const { namespaces, errors } = readNamespaces(BROKEN, 105);
    assert.deepEqual(errors, []);
    assert.equal(namespaces.time, null);
    assert.equal(namespaces.cgroup, null);
    assert.equal(namespaces.pid_for_children, null);
    assert.equal(namespaces.net, HOST.net);
  });

  it('bad link target and a link naming the wrong type: null with EPARSE', () => {
    const { namespaces, errors } = readNamespaces(BROKEN, 104);
    assert.equal(namespaces.net, null);
    assert.equal(namespaces.uts, null);
    assert.equal(namespaces.ipc, HOST.ipc);
    assert.deepEqual(errors.map((e) => [e.code, path.basename(e.file), e.pid]), [['EPARSE', 'net', 104], ['EPARSE', 'uts', 104]]);
  });

  it('process vanished: all null, no errors', () => {
    const { namespaces, errors } = readNamespaces(BROKEN, 102);
    assert.deepEqual(errors, []);
    assert.ok(Object.values(namespaces).every((v) => v === null));
  });
});
