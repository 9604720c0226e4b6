import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ProcParseError } from '../../../electron/collector/procfs/errors';
import { type ProcStatus, parseStatus } from '../../../electron/collector/procfs/status';

const read = (tree: string, pid: number): string => fs.readFileSync(path.join(__dirname, '../../fixtures', tree, String(pid), 'status'), 'utf8');
const fixture = (pid: number): string => read('proc', pid);

/** The smallest status text parseStatus accepts. */
const MIN = 'Name:\tx\nState:\tS (sleeping)\nTgid:\t5\nPid:\t5\nPPid:\t1\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nThreads:\t1\n';

interface Case {
  readonly name: string;
  readonly text: string;
  readonly want?: Partial<ProcStatus>;
  readonly error?: RegExp;
}

const cases: Case[] = [
  {
    name: 'kernel thread: no VmRSS',
    text: fixture(2),
    want: {
      name: 'kthreadd', umask: '0022', state: 'S', tgid: 2, pid: 2, ppid: 0, uid: [0, 0, 0, 0], gid: [0, 0, 0, 0],
      nstgid: [2], nspid: [2], nspgid: [0], nssid: [0], threads: 1,
      capInh: 0n, capPrm: 0x1ffffffffffn, capEff: 0x1ffffffffffn, capBnd: 0x1ffffffffffn, capAmb: 0n,
      noNewPrivs: false, seccomp: 0, seccompFilters: 0, vmRss: null,
    },
  },
  {
    name: 'process in a container: two pid namespaces, seccomp filter',
    text: fixture(7941),
    want: {
      name: 'sleep', tgid: 7941, pid: 7941, ppid: 7921, nstgid: [7941, 1], nspid: [7941, 1], nspgid: [7941, 1], nssid: [7941, 1],
      capPrm: 0xa80425fbn, capEff: 0xa80425fbn, capBnd: 0xa80425fbn, capAmb: 0n, seccomp: 2, seccompFilters: 1, vmRss: 1376,
    },
  },
  { name: 'name with spaces and parens', text: fixture(7992), want: { name: 'a) (b) c', vmRss: 1816 } },
  { name: 'name with a colon', text: fixture(7994), want: { name: 'nginx: worker p', threads: 7 } },
  { name: 'zombie: no Umask, no VmRSS', text: fixture(8369), want: { state: 'Z', umask: null, vmRss: null, nspid: [8369] } },
  {
    name: 'unprivileged user with no_new_privs',
    text: fixture(10364),
    want: { uid: [65534, 65534, 65534, 65534], gid: [65534, 65534, 65534, 65534], noNewPrivs: true, capEff: 0n, capPrm: 0n },
  },
  {
    name: 'status without NSpid (old kernel)',
    text: read('proc-broken', 105),
    want: { pid: 105, nstgid: [], nspid: [], nspgid: [], nssid: [], umask: null, capAmb: null, noNewPrivs: null, seccompFilters: null, seccomp: 0, capEff: 0x1fffeffffffn },
  },
  {
    name: 'minimal: every optional line missing',
    text: MIN,
    want: { umask: null, nspid: [], capInh: null, capPrm: null, capEff: null, capBnd: null, capAmb: null, noNewPrivs: null, seccomp: null, seccompFilters: null, vmRss: null },
  },
  { name: 'no trailing newline', text: MIN.trimEnd(), want: { threads: 1 } },
  { name: 'line without a colon is skipped', text: MIN + 'garbage\n', want: { pid: 5 } },
  { name: 'garbage NSpid', text: read('proc-broken', 101), error: /NSpid/ },
  { name: 'Uid with three ids', text: MIN.replace('Uid:\t0\t0\t0\t0', 'Uid:\t0\t0\t0'), error: /Uid: expected 4 ids/ },
  { name: 'no Pid line', text: MIN.replace('Pid:\t5\n', ''), error: /no Pid/ },
  { name: 'empty file', text: '', error: /no Name/ },
  { name: 'CapEff not hex', text: MIN + 'CapEff:\t00000000zz\n', error: /CapEff/ },
  { name: 'Seccomp out of range', text: MIN + 'Seccomp:\t3\n', error: /Seccomp/ },
  { name: 'NoNewPrivs out of range', text: MIN + 'NoNewPrivs:\t2\n', error: /NoNewPrivs/ },
  { name: 'VmRSS without unit', text: MIN + 'VmRSS:\t12\n', error: /VmRSS/ },
];

describe('parseStatus (proc(5) /proc/PID/status)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const error = c.error;
      if (error) {
        assert.throws(() => parseStatus(c.text), (e: unknown) => e instanceof ProcParseError && error.test(e.message));
        return;
      }
      const got = parseStatus(c.text);
      for (const [k, v] of Object.entries(c.want ?? {})) assert.deepEqual(got[k as keyof ProcStatus], v, k);
    });
  }
});
