import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { InternTable, internBigint, internNumbers, internStrings, TextIntern } from '../../../electron/collector/procfs/intern';
import { readProcessTable } from '../../../electron/collector/procfs/process';

const fixture = path.resolve(__dirname, '..', '..', 'fixtures', 'proc');

describe('interning what processes share', () => {
  it('processes with the same cgroup file and namespace set share one parsed copy', () => {
    const { processes } = readProcessTable(fixture);
    const text = (pid: number): string => fs.readFileSync(path.join(fixture, String(pid), 'cgroup'), 'utf8');
    const a = processes.find((p) => p.pid === 7992);
    const b = processes.find((p) => p.pid === 7993);
    assert.ok(a && b);
    assert.equal(text(7992), text(7993), 'the fixture has two processes in one cgroup');
    assert.equal(a.cgroups, b.cgroups, 'one parsed list, not two');
    assert.equal(a.namespaces, b.namespaces, 'one namespace set');
    assert.deepEqual(a.errors, []);
  });

  describe('named cases', () => {
    const cases: { name: string; run: () => void }[] = [
      { name: 'equal number lists are the same object', run: () => assert.equal(internNumbers([0, 0, 0, 0]), internNumbers([0, 0, 0, 0])) },
      { name: 'different number lists stay apart', run: () => assert.notEqual(internNumbers([1, 2]), internNumbers([12])) },
      { name: 'string lists are keyed element by element', run: () => assert.notEqual(internStrings(['a b']), internStrings(['a', 'b'])) },
      { name: 'the empty list is one frozen value', run: () => assert.ok(Object.isFrozen(internStrings([]))) },
      { name: 'a bigint keeps its value', run: () => assert.equal(internBigint(0xa80425fbn), 0xa80425fbn) },
      { name: 'a number list met again after others is the first one', run: () => {
        const first = internNumbers([7, 7, 7, 7]);
        for (let i = 0; i < 10; i++) internNumbers([i, i, i, i]);
        assert.equal(internNumbers([7, 7, 7, 7]), first);
        assert.equal(internNumbers([3, 3, 3, 3]), internNumbers([3, 3, 3, 3]), 'one of the recent ones');
      } },
      { name: 'a list with a prefix of a recent one is not it', run: () => {
        internNumbers([5, 6, 7]);
        assert.deepEqual(internNumbers([5, 6]), [5, 6]);
      } },
      { name: 'null capability set stays null', run: () => assert.equal(internBigint(null), null) },
      {
        name: 'a malformed text is not remembered',
        run: () => {
          let calls = 0;
          const t = new TextIntern((s: string) => {
            calls++;
            if (s === 'bad') throw new Error('malformed');
            return s.length;
          });
          assert.throws(() => t.parseText('bad'));
          assert.throws(() => t.parseText('bad'));
          assert.equal(t.parseText('good'), 4);
          assert.equal(t.parseText('good'), 4);
          assert.equal(calls, 3);
        },
      },
      {
        name: 'the table forgets everything past its bound instead of growing',
        run: () => {
          const t = new InternTable<number>(3);
          for (let i = 0; i < 10; i++) t.get(String(i), () => i);
          assert.ok(t.size <= 3);
        },
      },
    ];
    for (const c of cases) it(c.name, c.run);
  });
});
