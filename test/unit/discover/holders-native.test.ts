import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProcessNamespaces } from '../../../shared/namespaces';
import type { NativeHolderOutput } from '../../../electron/collector/discover/holders-native';
import { HolderLinesError, parseHolderLines, startHolderScan } from '../../../electron/collector/discover/holders-native';
import type { NamespaceHolderScan } from '../../../electron/collector/discover/ns-holders';
import { findNamespaceHolders } from '../../../electron/collector/discover/ns-holders';
import { testHelperBuild } from '../../helpers/native-build';
import { BROKEN_HOLDERS_TREE, GOOD_HOLDERS_TREE, goodHolderProcesses, NS_HOLDER_FIXTURES } from '../../helpers/ns-holder-fixtures';
import { record } from '../../helpers/records';

const FIXTURES = NS_HOLDER_FIXTURES;
const GOOD = GOOD_HOLDERS_TREE;
const BROKEN = BROKEN_HOLDERS_TREE;
const goodProcesses = goodHolderProcesses();
const brokenProcesses = [record(100, 1), record(101, 1, { numThreads: 3 }), record(103, 1, { namespaces: { mnt: 4026532999 } as ProcessNamespaces }),
  record(104, 1, { numThreads: 4, namespaces: { mnt: 4026532998 } as ProcessNamespaces })];

describe('parseHolderLines', () => {
  type Want = Omit<NativeHolderOutput, 'elapsedMs'> & { elapsedMs?: number };
  const ok: { name: string; text: string; want: Want }[] = [
    { name: 'no holder: the done line only', text: 'done 10024 586123\n', want: { found: [], scanned: 10024, elapsedMs: 586.123 } },
    {
      name: 'an fd holding a net namespace',
      text: 'fd 30011 3 net 4026532474\ndone 5 338\n',
      want: { found: [{ ns: { id: 4026532474, type: 'net' }, holder: { pid: 30011, via: 'fd', fd: 3 } }], scanned: 5 },
    },
    {
      name: 'a thread in a net namespace of its own',
      text: 'task 29999 30007 net 4026532543\ndone 5 338\n',
      want: { found: [{ ns: { id: 4026532543, type: 'net' }, holder: { pid: 29999, via: 'task', tid: 30007 } }], scanned: 5 },
    },
    {
      name: 'a thread\'s pid_for_children, printed as a pid namespace',
      text: 'task 7 9 pid 4026532600\ndone 1 1\n',
      want: { found: [{ ns: { id: 4026532600, type: 'pid' }, holder: { pid: 7, via: 'task', tid: 9 } }], scanned: 1 },
    },
    {
      name: 'the LXC monitor\'s fds, in the helper\'s order',
      text: 'fd 20079 39 mnt 4026532250\nfd 20079 7 cgroup 4026532323\ndone 5 338',
      want: {
        found: [
          { ns: { id: 4026532250, type: 'mnt' }, holder: { pid: 20079, via: 'fd', fd: 39 } },
          { ns: { id: 4026532323, type: 'cgroup' }, holder: { pid: 20079, via: 'fd', fd: 7 } },
        ],
        scanned: 5,
      },
    },
  ];
  for (const c of ok) {
    it(c.name, () => {
      const got = parseHolderLines(c.text);
      assert.deepEqual(got.found, c.want.found);
      assert.equal(got.scanned, c.want.scanned);
      if (c.want.elapsedMs !== undefined) assert.equal(got.elapsedMs, c.want.elapsedMs);
    });
  }

  const bad: { name: string; text: string }[] = [
    { name: 'empty output (cut short before anything)', text: '' },
    { name: 'no done line (cut short)', text: 'fd 30011 3 net 4026532474\n' },
    { name: 'a line after the done line', text: 'done 5 338\nfd 30011 3 net 4026532474\n' },
    { name: 'an unknown namespace type', text: 'fd 1 3 bogus 4026532999\ndone 1 1\n' },
    { name: 'pid_for_children is not a type', text: 'task 1 2 pid_for_children 4026531836\ndone 1 1\n' },
    { name: 'an inode past 2^53', text: 'fd 1 3 net 99999999999999999999\ndone 1 1\n' },
    { name: 'a non-numeric fd', text: 'fd 1 x net 4026532474\ndone 1 1\n' },
    { name: 'a missing field', text: 'fd 1 net 4026532474\ndone 1 1\n' },
    { name: 'an unknown kind of holder', text: 'mount 1 3 net 4026532474\ndone 1 1\n' },
    { name: 'a done line without the time', text: 'done 5\n' },
    { name: 'an empty line in the middle', text: 'fd 30011 3 net 4026532474\n\ndone 1 1\n' },
  ];
  for (const c of bad) it(`rejects ${c.name}`, () => assert.throws(() => parseHolderLines(c.text), HolderLinesError));
});

/** The fd and thread holders of a scan, sorted, for comparing two scans. */
function fdAndTask(scan: NamespaceHolderScan): string[] {
  return [...scan.holders].flatMap(([id, hs]) => hs.filter((h) => h.via !== 'bind-mount').map((h) => `${id} ${JSON.stringify(h)}`)).sort();
}

describe('startHolderScan with the isolens-holders helper', () => {
  const helper = testHelperBuild('holders.c', 'isolens-holders');
  const { binary } = helper;
  before(() => helper.build());
  after(() => helper.cleanup());
  const needBinary = (t: { skip(why: string): void }): boolean => helper.need(t);

  it('finds on the real fixture tree what the JS scan finds', async (t) => {
    if (!needBinary(t)) return;
    const warnings: string[] = [];
    const scan = await startHolderScan(GOOD, { binary, warn: (l) => warnings.push(l) }).result(goodProcesses);
    const js = findNamespaceHolders(GOOD, goodProcesses);
    assert.deepEqual(warnings, []);
    assert.equal(scan.source, 'isolens-holders');
    assert.deepEqual(fdAndTask(scan), fdAndTask(js));
    assert.deepEqual(scan.holders.get(4026532474), [{ pid: 30011, via: 'fd', fd: 3 }]);
    assert.deepEqual(scan.holders.get(4026532543), [{ pid: 29999, via: 'task', tid: 30007 }]);
    assert.deepEqual(scan.holders.get(4026532404), [{ pid: 1, via: 'bind-mount', path: '/run/netns/isolens-fx' }]);
    assert.deepEqual(scan.extra, js.extra);
  });

  it('skips every malformed link and vanished process of the broken tree, as the JS scan does', async (t) => {
    if (!needBinary(t)) return;
    const warnings: string[] = [];
    const scan = await startHolderScan(BROKEN, { binary, warn: (l) => warnings.push(l) }).result(brokenProcesses);
    assert.deepEqual(warnings, []);
    assert.equal(scan.source, 'isolens-holders');
    assert.equal(scan.holders.size, 0, JSON.stringify([...scan.holders]));
    assert.deepEqual(scan.extra, []);
  });

  it('leaves out processes the table does not have, and follows the fds/tasks/mounts options', async (t) => {
    if (!needBinary(t)) return;
    const without = goodProcesses.filter((p) => p.pid !== 20079);
    const scan = await startHolderScan(GOOD, { binary }).result(without);
    assert.ok([...scan.holders.values()].flat().every((h) => h.pid !== 20079));
    assert.deepEqual(fdAndTask(scan), fdAndTask(findNamespaceHolders(GOOD, without)));
    const onlyTasks = await startHolderScan(GOOD, { binary, fds: false, mounts: false }).result(goodProcesses);
    assert.deepEqual([...onlyTasks.holders], [[4026532543, [{ pid: 29999, via: 'task', tid: 30007 }]]]);
    const none = await startHolderScan(GOOD, { binary, fds: false, tasks: false, mounts: false }).result(goodProcesses);
    assert.equal(none.holders.size, 0);
  });

  it('falls back to the JS scan when the procfs root does not exist (the helper exits 2)', async (t) => {
    if (!needBinary(t)) return;
    const warnings: string[] = [];
    const scan = await startHolderScan(path.join(FIXTURES, 'nope'), { binary, warn: (l) => warnings.push(l) }).result(goodProcesses);
    assert.equal(scan.source, 'js');
    assert.equal(scan.holders.size, 0);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /exited 2/);
  });
});

describe('startHolderScan without a working helper', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-holders-bad-'));
  const script = (name: string, body: string): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return p;
  };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const js = findNamespaceHolders(GOOD, goodProcesses);

  const cases: { name: string; binary: () => string | null; timeoutMs?: number; reason: RegExp | null }[] = [
    { name: 'the binary path does not exist, warning the reason once', binary: () => path.join(dir, 'missing'), reason: /ENOENT/ },
    { name: 'there is no helper (binary null), without a warning', binary: () => null, reason: null },
    { name: 'the helper fails', binary: () => script('fails', 'echo "it broke" >&2; exit 3'), reason: /exited 3: it broke/ },
    { name: 'the helper prints garbage', binary: () => script('garbage', 'echo hello'), reason: /not a holder line/ },
    { name: 'the helper is cut short (no done line)', binary: () => script('short', 'echo "fd 30011 3 net 4026532474"'), reason: /cut short/ },
    { name: 'the helper hangs', binary: () => script('hangs', 'exec sleep 5'), timeoutMs: 200, reason: /timed out after 200 ms/ },
  ];
  for (const c of cases) {
    it(`gives the JS scan when ${c.name}`, async () => {
      const warnings: string[] = [];
      const binary = c.binary();
      const opts = { binary, warn: (l: string) => warnings.push(l), ...(c.timeoutMs === undefined ? {} : { timeoutMs: c.timeoutMs }) };
      const first = await startHolderScan(GOOD, opts).result(goodProcesses);
      const second = await startHolderScan(GOOD, opts).result(goodProcesses);
      for (const scan of [first, second]) {
        assert.equal(scan.source, 'js');
        assert.deepEqual([...scan.holders], [...js.holders]);
        assert.deepEqual(scan.extra, js.extra);
      }
      if (c.reason === null) assert.deepEqual(warnings, []);
      else {
        assert.equal(warnings.length, 1, JSON.stringify(warnings));
        assert.match(warnings[0] ?? '', c.reason);
        assert.match(warnings[0] ?? '', /scanned in JavaScript/);
      }
    });
  }

  it('never rejects, even when result() is never asked for', async () => {
    startHolderScan(GOOD, { binary: script('unasked', 'exit 1'), warn: () => undefined });
    await new Promise((r) => setTimeout(r, 100));
  });
});
