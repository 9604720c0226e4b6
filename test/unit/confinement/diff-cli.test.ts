import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareSubjects, subjectFromContainer } from '../../../shared/compare';
import type { Snapshot } from '../../../shared/model';
import { formatComparison, resolveSubject } from '../../../electron/cli/diff';
import { containerOf } from './fixtures';

const a = containerOf(1000, { id: 'abc123' + '0'.repeat(58), name: 'alpha' });
const b = containerOf(2000, { id: 'abd456' + '0'.repeat(58), name: 'beta' });
const n = containerOf(3000, { id: '12345' + 'f'.repeat(59), name: 'numeric' });
const SNAP: Snapshot = {
  schema: 1, takenAt: '2025-01-01T00:00:00.000Z',
  host: { hostname: 'h', kernel: '6.18', cgroupVersion: 1, namespaces: {}, namespacesFrom: null, collectorUid: 0 },
  processes: [1000, 2000, 3000, 4242].map((pid) => ({
    pid, ppid: 1, comm: 'x', cmdline: [], uid: 0, startTime: 0, nspid: [pid], containerId: null, cgroup: null,
    namespaces: { cgroup: null, ipc: null, mnt: null, net: null, pid: null, pid_for_children: null, time: null, user: null, uts: null },
  })),
  namespaces: [], containers: [a, b, n], engines: [], warnings: [],
};

describe('resolveSubject (isolens diff arguments)', () => {
  const cases: { name: string; arg: string; want: string }[] = [
    { name: 'container name', arg: 'alpha', want: 'container alpha' },
    { name: 'name with docker\'s leading slash', arg: '/beta', want: 'container beta' },
    { name: 'full id', arg: b.id, want: 'container beta' },
    { name: 'unique id prefix', arg: 'abc', want: 'container alpha' },
    { name: 'ambiguous id prefix', arg: 'ab', want: 'error: "ab" is ambiguous: it starts the ids of alpha, beta' },
    { name: 'a host pid', arg: '4242', want: 'process 4242' },
    { name: 'digits that are no pid but an id prefix', arg: '12345', want: 'container numeric' },
    { name: 'unknown name', arg: 'gamma', want: 'error: no container "gamma" (give a container name, id or id prefix, or a host pid)' },
    { name: 'unknown pid', arg: '99999', want: 'error: no container and no process "99999" (give a container name, id or id prefix, or a host pid)' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = resolveSubject(SNAP, c.arg);
      const got = 'error' in r ? `error: ${r.error}` : r.kind === 'container' ? `container ${r.container.name}` : `process ${r.pid}`;
      assert.equal(got, c.want);
    });
  }
});

describe('formatComparison', () => {
  it('prints both subjects, every namespace, the rows and the verdict', () => {
    const text = formatComparison(compareSubjects(subjectFromContainer(SNAP, a), subjectFromContainer(SNAP, b)), 100);
    assert.match(text, /^A: container alpha \(abc123000000, init pid 1000\)\nB: container beta/);
    for (const k of ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts']) assert.match(text, new RegExp(`^ {2}${k}\\s+unreadable\\s+unreadable\\s+unknown$`, 'm'));
    assert.match(text, /^memory limit\s+none\s+none\s+same$/m);
    assert.match(text, /^verdict\n {2}Whether they share a pid namespace is unknown/m);
    for (const line of text.split('\n')) assert.ok(line.length <= 100, line);
  });
});
