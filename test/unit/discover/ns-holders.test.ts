import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { NamespaceInfo } from '../../../shared/model';
import type { ProcessNamespaces } from '../../../shared/namespaces';
import { findNamespaceHolders, parseNamespaceTarget, withHolders } from '../../../electron/collector/discover/ns-holders';
import { BROKEN_HOLDERS_TREE, GOOD_HOLDERS_TREE, goodHolderProcesses, NS_HOLDER_FIXTURES } from '../../helpers/ns-holder-fixtures';
import { record } from '../../helpers/records';

const FIXTURES = NS_HOLDER_FIXTURES;
const GOOD = GOOD_HOLDERS_TREE;
const BROKEN = BROKEN_HOLDERS_TREE;
const goodProcesses = goodHolderProcesses();

describe('parseNamespaceTarget', () => {
  const cases: { name: string; text: string; want: ReturnType<typeof parseNamespaceTarget> }[] = [
    { name: 'a net namespace fd', text: 'net:[4026532474]', want: { id: 4026532474, type: 'net' } },
    { name: 'a cgroup namespace fd (LXC monitor)', text: 'cgroup:[4026532323]', want: { id: 4026532323, type: 'cgroup' } },
    { name: 'a socket is not a namespace', text: 'socket:[114693]', want: null },
    { name: 'a pipe is not a namespace', text: 'pipe:[131283]', want: null },
    { name: 'an anonymous inode', text: 'anon_inode:[eventpoll]', want: null },
    { name: 'a file path', text: '/dev/null', want: null },
    { name: 'pid_for_children is never an fd target', text: 'pid_for_children:[4026531836]', want: null },
    { name: 'inode past 2^53', text: 'net:[99999999999999999999]', want: null },
    { name: 'no brackets', text: 'mnt:4026532778', want: null },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(parseNamespaceTarget(c.text), c.want));
});

describe('findNamespaceHolders on a real tree', () => {
  const scan = findNamespaceHolders(GOOD, goodProcesses);

  it('finds the net namespace held only by an open fd, as extra', () => {
    assert.deepEqual(scan.holders.get(4026532474), [{ pid: 30011, via: 'fd', fd: 3 }]);
    assert.ok(scan.extra.some((e) => e.id === 4026532474 && e.type === 'net'));
  });

  it('finds the namespaces an LXC monitor keeps open', () => {
    const fds = [...scan.holders.entries()].filter(([, hs]) => hs.some((h) => h.pid === 20079)).map(([id, hs]): [number, number | undefined] => [id, hs[0]?.fd]);
    assert.deepEqual(new Map(fds), new Map([
      [4026532323, 7], [4026532250, 39], [4026532253, 40], [4026532251, 41], [4026532252, 42], [4026532254, 43],
    ]));
  });

  it('finds a net namespace only one thread is in', () => {
    assert.deepEqual(scan.holders.get(4026532543), [{ pid: 29999, via: 'task', tid: 30007 }]);
    assert.ok(scan.extra.some((e) => e.id === 4026532543));
  });

  it('finds bind mounts in the host mount namespace and inside another, each path once', () => {
    assert.deepEqual(scan.holders.get(4026532404), [{ pid: 1, via: 'bind-mount', path: '/run/netns/isolens-fx' }]);
    assert.deepEqual(scan.holders.get(4026531838), [{ pid: 30002, via: 'bind-mount', path: '/tmp/isolens-fx-uts' }]);
    assert.deepEqual(scan.holders.get(4026533065), [{ pid: 1, via: 'bind-mount', path: '/run/docker/netns/94fa23c55eae' }]);
  });

  it('does not list as extra a namespace some process is a member of', () => {
    assert.ok(!scan.extra.some((e) => e.id === 4026531833), 'the host net namespace has members');
    assert.ok(!scan.extra.some((e) => e.id === 4026531838));
  });

  it('can skip each kind of holder', () => {
    const none = findNamespaceHolders(GOOD, goodProcesses, { fds: false, tasks: false, mounts: false });
    assert.equal(none.holders.size, 0);
    assert.deepEqual(none.extra, []);
    const onlyFds = findNamespaceHolders(GOOD, goodProcesses, { tasks: false, mounts: false });
    assert.ok([...onlyFds.holders.values()].flat().every((h) => h.via === 'fd'));
  });
});

describe('findNamespaceHolders on a broken tree', () => {
  const procs = [record(100, 1), record(101, 1, { numThreads: 3 }), record(103, 1, { namespaces: { mnt: 4026532999 } as ProcessNamespaces }),
    record(104, 1, { numThreads: 4, namespaces: { mnt: 4026532998 } as ProcessNamespaces })];

  it('skips malformed targets, garbage lines and vanished processes without throwing', () => {
    const scan = findNamespaceHolders(BROKEN, procs);
    assert.equal(scan.holders.size, 0, JSON.stringify([...scan.holders]));
    assert.deepEqual(scan.extra, []);
  });

  it('survives a procRoot that does not exist', () => {
    const scan = findNamespaceHolders(path.join(FIXTURES, 'nope'), goodProcesses);
    assert.equal(scan.holders.size, 0);
  });
});

describe('withHolders', () => {
  const base: NamespaceInfo = { id: 4026532254, type: 'net', pids: [20080], host: false, parent: null, owner: null, path: null };

  it('adds holders to listed namespaces and appends the extra ones, sorted', () => {
    const scan = findNamespaceHolders(GOOD, goodProcesses);
    const out = withHolders([base], scan);
    assert.deepEqual(out.find((n) => n.id === base.id)?.holders, [{ pid: 20079, via: 'fd', fd: 43 }]);
    const held = out.find((n) => n.id === 4026532474);
    assert.deepEqual(held, { id: 4026532474, type: 'net', pids: [], host: false, parent: null, owner: null, path: null, holders: [{ pid: 30011, via: 'fd', fd: 3 }] });
    const ids = out.map((n) => `${n.type}:${n.id}`);
    assert.deepEqual(ids, [...ids].sort((a, b) => a.split(':')[0]!.localeCompare(b.split(':')[0]!) || Number(a.split(':')[1]) - Number(b.split(':')[1])));
  });

  it('gives an extra bind-mounted namespace its path', () => {
    const scan = { holders: new Map([[7, [{ pid: 1, via: 'bind-mount' as const, path: '/run/netns/x' }]]]), extra: [{ id: 7, type: 'net' as const }], elapsedMs: 0 };
    assert.equal(withHolders([], scan)[0]?.path, '/run/netns/x');
  });

  it('leaves the list as it is without a scan', () => {
    assert.deepEqual(withHolders([base], null), [base]);
  });
});
