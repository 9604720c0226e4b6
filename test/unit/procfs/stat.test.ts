import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ProcParseError } from '../../../electron/collector/procfs/errors';
import { type ProcStat, parseStat } from '../../../electron/collector/procfs/stat';

const fixture = (pid: number): string => fs.readFileSync(path.join(__dirname, '../../fixtures/proc', String(pid), 'stat'), 'utf8');

interface Case {
  readonly name: string;
  readonly text: string;
  readonly want?: Partial<ProcStat>;
  readonly error?: RegExp;
}

const cases: Case[] = [
  {
    name: 'kernel thread (kthreadd)',
    text: fixture(2),
    want: { pid: 2, comm: 'kthreadd', state: 'S', ppid: 0, pgrp: 0, session: 0, utime: 0, stime: 0, numThreads: 1, startTime: 24 },
  },
  {
    name: 'comm with spaces and parens',
    text: fixture(7992),
    want: { pid: 7992, comm: 'a) (b) c', state: 'S', ppid: 1, pgrp: 7989, session: 5722, numThreads: 1, startTime: 31460 },
  },
  {
    name: 'comm with a colon and spaces (argv rewritten)',
    text: fixture(7994),
    want: { pid: 7994, comm: 'nginx: worker p', utime: 4, stime: 1, numThreads: 7 },
  },
  {
    name: 'process in a container',
    text: fixture(7941),
    want: { pid: 7941, comm: 'sleep', ppid: 7921, pgrp: 7941, session: 7941, utime: 1, stime: 0, startTime: 30768 },
  },
  { name: 'zombie', text: fixture(8369), want: { pid: 8369, state: 'Z', ppid: 8367 } },
  {
    name: 'comm that looks like more fields',
    text: '42 (x) S 1 2 3 y) R 7 8 9 0 -1 0 0 0 0 0 5 6 0 0 20 0 3 0 999 0 0\n',
    want: { pid: 42, comm: 'x) S 1 2 3 y', state: 'R', ppid: 7, utime: 5, stime: 6, numThreads: 3, startTime: 999 },
  },
  { name: 'empty comm', text: '5 () S 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 77 0 0\n', want: { comm: '', startTime: 77 } },
  { name: 'no trailing newline', text: '5 (a) S 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 77', want: { startTime: 77 } },
  { name: 'truncated after field 14', text: '100 (bash) S 1 7993 7993 0 -1 4194304 302 0 0 0 0\n', error: /truncated/ },
  { name: 'no closing parenthesis', text: '107 (bas', error: /comm/ },
  { name: 'empty file', text: '', error: /comm/ },
  { name: 'pid not a number', text: 'x (a) S 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 77 0 0\n', error: /pid/ },
  { name: 'garbage start time', text: '5 (a) S 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 7x7 0 0\n', error: /starttime/ },
  { name: 'two-letter state', text: '5 (a) SS 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 77 0 0\n', error: /state/ },
];

describe('parseStat (proc(5) /proc/PID/stat)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const error = c.error;
      if (error) {
        assert.throws(() => parseStat(c.text), (e: unknown) => e instanceof ProcParseError && error.test(e.message));
        return;
      }
      const got = parseStat(c.text);
      for (const [k, v] of Object.entries(c.want ?? {})) assert.equal(got[k as keyof ProcStat], v, k);
    });
  }
});
