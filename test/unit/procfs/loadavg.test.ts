import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProcParseError } from '../../../electron/collector/procfs/errors';
import { parseLoadavg, readTaskCounters } from '../../../electron/collector/procfs/loadavg';

describe('parseLoadavg', () => {
  const good: [string, string, { threads: number; lastPid: number; running: number }][] = [
    ['this machine at 10,000 processes', '0.56 1.74 3.23 1/10258 13246\n', { running: 1, threads: 10258, lastPid: 13246 }],
    ['an idle machine', '0.00 0.00 0.00 1/91 4194\n', { running: 1, threads: 91, lastPid: 4194 }],
    ['pid_max of 4194304', '12.50 8.01 3.00 17/250000 4194303\n', { running: 17, threads: 250000, lastPid: 4194303 }],
  ];
  for (const [name, text, want] of good) {
    it(name, () => {
      const l = parseLoadavg(text);
      assert.deepEqual({ running: l.running, threads: l.threads, lastPid: l.lastPid }, want);
    });
  }
  const bad: [string, string][] = [
    ['empty', ''],
    ['no last pid', '0.56 1.74 3.23 1/10258\n'],
    ['not a ratio', '0.56 1.74 3.23 10258 13246\n'],
    ['garbage', 'hello\n'],
  ];
  for (const [name, text] of bad) it(name, () => assert.throws(() => parseLoadavg(text), ProcParseError));
});

describe('readTaskCounters', () => {
  it('reads the live counters', () => {
    const c = readTaskCounters('/proc');
    assert.ok(c && c.threads > 0 && c.lastPid > 0);
  });
  it('a tree without loadavg (a fixture) gives null: the cache then always lists', () => {
    assert.equal(readTaskCounters('/nonexistent'), null);
  });
});
