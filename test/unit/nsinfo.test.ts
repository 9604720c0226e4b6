import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNsinfo, representativePaths } from '../../electron/collector/nsinfo';
import { record } from '../helpers/records';

describe('parseNsinfo', () => {
  const cases: [string, string, ReturnType<typeof parseNsinfo>][] = [
    ['a container pid namespace: parent and owner', '/proc/9/ns/pid\t4026533127\tpid\t4026531836\t4026531837\n',
      [{ ns: 4026533127, type: 'pid', nprocs: 0, pid: null, ppid: null, pns: 4026531836, ons: 4026531837, netnsid: null, nsfs: [] }]],
    ['the initial pid namespace: parent out of reach (-1) is null', '/proc/2/ns/pid\t4026531836\tpid\t-1\t4026531837\n',
      [{ ns: 4026531836, type: 'pid', nprocs: 0, pid: null, ppid: null, pns: null, ons: 4026531837, netnsid: null, nsfs: [] }]],
    ['the initial user namespace: no owner (0)', '/proc/2/ns/user\t4026531837\tuser\t-1\t0\n',
      [{ ns: 4026531837, type: 'user', nprocs: 0, pid: null, ppid: null, pns: null, ons: null, netnsid: null, nsfs: [] }]],
    ['an error line is skipped', '/proc/1/ns/net\terror\tEACCES\n', []],
    ['an unknown type is skipped', '/x\t5\tunknown\t0\t0\n', []],
    ['garbage is skipped', 'nonsense\n\n', []],
  ];
  for (const [name, text, want] of cases) it(name, () => assert.deepEqual(parseNsinfo(text), want));
});

describe('representativePaths', () => {
  it('one path per namespace, pid_for_children and bind mounts included, known ones left out', () => {
    const procs = [record(2, 0), record(10, 2, { ns: { net: 77, pid_for_children: 78 } })];
    const paths = representativePaths('/proc', procs, [{ id: 99, type: 'net', path: '/run/netns/a' }, { id: 77, type: 'net', path: '/run/netns/b' }], new Set([procs[0]?.namespaces.uts ?? 0]));
    assert.ok(paths.includes('/proc/2/ns/pid'));
    assert.ok(!paths.includes('/proc/2/ns/uts'), 'a known namespace is not asked again');
    assert.ok(paths.includes('/proc/10/ns/net'));
    assert.ok(paths.includes('/proc/10/ns/pid_for_children'));
    assert.ok(paths.includes('/run/netns/a'));
    assert.ok(!paths.includes('/run/netns/b'), 'already reached through a process');
    assert.equal(new Set(paths).size, paths.length);
  });
});
