import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PROCESS_NAMESPACE_LINKS } from '../../../shared/namespaces';
import { ProcReadError } from '../../../electron/collector/procfs/errors';
import { listPids, type ProcessRecord, readProcess, readProcessTable } from '../../../electron/collector/procfs/process';
import { isRoot } from '../../helpers/require';

const ROOT = path.resolve(__dirname, '../../..');
const GOOD = path.join(ROOT, 'test/fixtures/proc');
const BROKEN = path.join(ROOT, 'test/fixtures/proc-broken');
const DOCKER = '/docker/7fd337806b6943f5ff3e65464ce31e83e5689b5d533388b8a535d1343aa3dbf4';

function record(root: string, pid: number): ProcessRecord {
  const r = readProcess(root, pid);
  if (r instanceof ProcReadError) throw r;
  return r;
}

function failure(root: string, pid: number): ProcReadError {
  const r = readProcess(root, pid);
  assert.ok(r instanceof ProcReadError, `expected an error for pid ${pid}`);
  return r;
}

describe('listPids', () => {
  it('numeric directories only, ascending (good tree)', () => {
    assert.deepEqual(listPids(GOOD), [2, 7941, 7992, 7993, 7994, 8369, 10364]);
  });

  it('ignores self, thread-self, sys, uptime and 1x (broken tree)', () => {
    assert.deepEqual(listPids(BROKEN), [100, 101, 102, 103, 104, 105, 106, 107]);
  });

  it('a missing root throws ProcReadError ENOENT', () => {
    assert.throws(() => listPids(path.join(GOOD, 'nope')), (e: unknown) => e instanceof ProcReadError && e.code === 'ENOENT');
  });
});

describe('readProcess on the good fixture tree', () => {
  it('kernel thread has empty cmdline', () => {
    const p = record(GOOD, 2);
    assert.deepEqual(
      { pid: p.pid, ppid: p.ppid, comm: p.comm, state: p.state, cmdline: p.cmdline, uid: p.uid, startTime: p.startTime, nspid: p.nspid, cgroup: p.cgroup, errors: p.errors },
      { pid: 2, ppid: 0, comm: 'kthreadd', state: 'S', cmdline: [], uid: 0, startTime: 24, nspid: [2], cgroup: '/', errors: [] },
    );
    assert.equal(p.status?.vmRss, null);
    assert.equal(p.namespaces.net, 4026531833);
  });

  it('container process: NSpid, own namespaces, docker cgroup', () => {
    const p = record(GOOD, 7941);
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.nspid, [7941, 1]);
    assert.deepEqual(p.cmdline, ['/bin/sleep', '1000']);
    assert.equal(p.ppid, 7921);
    assert.equal(p.cgroup, DOCKER);
    assert.equal(p.cgroups.length, 10);
    assert.equal(p.namespaces.pid, 4026532323);
    assert.equal(p.namespaces.net, 4026532324);
    assert.equal(p.namespaces.cgroup, 4026531835);
    assert.equal(p.status?.seccomp, 2);
  });

  it('comm with spaces and parens', () => {
    const p = record(GOOD, 7992);
    assert.equal(p.comm, 'a) (b) c');
    assert.deepEqual(p.cmdline, ['/tmp/a) (b) c', '1000']);
  });

  it('argv rewritten by setproctitle', () => {
    const p = record(GOOD, 7994);
    assert.deepEqual(p.cmdline, ['nginx: worker process']);
    assert.equal(p.comm, 'nginx: worker p');
    assert.equal(p.numThreads, 7);
  });

  it('zombie: empty cmdline, most ns links gone, no errors', () => {
    const p = record(GOOD, 8369);
    assert.equal(p.state, 'Z');
    assert.deepEqual(p.cmdline, []);
    assert.deepEqual(p.errors, []);
    assert.equal(p.namespaces.net, null);
    assert.equal(p.namespaces.pid, 4026531836);
  });

  it('unprivileged process: uid 65534', () => {
    assert.equal(record(GOOD, 10364).uid, 65534);
  });

  it('readProcessTable reads every pid with no errors', () => {
    const { processes, errors } = readProcessTable(GOOD);
    assert.deepEqual(errors, []);
    assert.deepEqual(processes.map((p) => p.pid), [2, 7941, 7992, 7993, 7994, 8369, 10364]);
    assert.ok(processes.every((p) => p.errors.length === 0));
  });
});

describe('readProcess on the broken fixture tree', () => {
  it('truncated stat: EPARSE', () => {
    const e = failure(BROKEN, 100);
    assert.equal(e.code, 'EPARSE');
    assert.equal(e.pid, 100);
    assert.equal(e.file, path.join(BROKEN, '100/stat'));
    assert.match(e.message, /truncated/);
  });

  it('garbage NSpid: status null, nspid falls back to [pid]', () => {
    const p = record(BROKEN, 101);
    assert.equal(p.status, null);
    assert.equal(p.uid, null);
    assert.deepEqual(p.nspid, [101]);
    assert.deepEqual(p.errors.map((e) => [e.code, path.basename(e.file)]), [['EPARSE', 'status']]);
    assert.deepEqual(p.cmdline, ['bash', '-c', 'while :; do sleep 100; done']);
  });

  it('process vanished (ENOENT)', () => {
    const e = failure(BROKEN, 102);
    assert.equal(e.code, 'ENOENT');
    assert.equal(e.pid, 102);
  });

  it('cmdline missing: recorded, rest of the record kept', () => {
    const p = record(BROKEN, 103);
    assert.deepEqual(p.cmdline, []);
    assert.deepEqual(p.errors.map((e) => [e.code, path.basename(e.file), e.pid]), [['ENOENT', 'cmdline', 103]]);
    assert.equal(p.comm, 'bash');
    assert.equal(p.namespaces.net, 4026531833);
  });

  it('bad ns link targets: those namespaces null', () => {
    const p = record(BROKEN, 104);
    assert.equal(p.namespaces.net, null);
    assert.equal(p.namespaces.uts, null);
    assert.deepEqual(p.errors.map((e) => [e.code, path.basename(e.file)]), [['EPARSE', 'net'], ['EPARSE', 'uts']]);
  });

  it('status without NSpid (old kernel): nspid [pid], no time namespace, no errors', () => {
    const p = record(BROKEN, 105);
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.nspid, [105]);
    assert.deepEqual(p.status?.nspid, []);
    assert.equal(p.namespaces.time, null);
    assert.equal(p.namespaces.mnt, 4026531832);
  });

  it('bad hierarchy id: cgroups empty, cgroup null', () => {
    const p = record(BROKEN, 106);
    assert.deepEqual(p.cgroups, []);
    assert.equal(p.cgroup, null);
    assert.deepEqual(p.errors.map((e) => [e.code, path.basename(e.file)]), [['EPARSE', 'cgroup']]);
  });

  it('stat without closing parenthesis: EPARSE', () => {
    assert.equal(failure(BROKEN, 107).code, 'EPARSE');
  });

  it('readProcessTable drops the vanished pid, reports the unparsable ones, keeps the rest', () => {
    const { processes, errors } = readProcessTable(BROKEN);
    assert.deepEqual(processes.map((p) => p.pid), [101, 103, 104, 105, 106]);
    assert.deepEqual(errors.map((e) => [e.pid, e.code]), [[100, 'EPARSE'], [107, 'EPARSE']]);
  });

  it('a missing root gives one error, no throw', () => {
    const { processes, errors } = readProcessTable(path.join(BROKEN, 'nope'));
    assert.deepEqual(processes, []);
    assert.deepEqual(errors.map((e) => e.code), ['ENOENT']);
  });
});

describe('readProcess on the real /proc', () => {
  it('the test process itself matches ps and readlink', () => {
    const p = record('/proc', process.pid);
    const [ppid, ...comm] = execFileSync('ps', ['-o', 'ppid=,comm=', '-p', String(process.pid)], { encoding: 'utf8' }).trim().split(/\s+/);
    assert.equal(p.ppid, Number(ppid));
    assert.equal(p.comm, comm.join(' '));
    assert.equal(p.ppid, process.ppid);
    assert.equal(p.uid, process.getuid?.());
    assert.equal(p.nspid[0], process.pid);
    assert.deepEqual(p.cmdline, fs.readFileSync(`/proc/${process.pid}/cmdline`, 'utf8').split('\0').slice(0, -1));
    assert.deepEqual(p.errors, []);
    const want: Record<string, number> = {};
    for (const link of PROCESS_NAMESPACE_LINKS) {
      const target = execFileSync('readlink', [`/proc/${process.pid}/ns/${link}`], { encoding: 'utf8' }).trim();
      want[link] = Number(/\[(\d+)\]$/.exec(target)?.[1]);
    }
    assert.deepEqual(p.namespaces, want);
    assert.equal(p.state, 'R');
    assert.ok(p.cgroup !== null && p.cgroup.startsWith('/'));
  });

  it('readProcessTable includes this process and its parent', () => {
    const { processes } = readProcessTable('/proc');
    const pids = new Set(processes.map((p) => p.pid));
    assert.ok(pids.has(process.pid));
    assert.ok(pids.has(process.ppid));
    assert.ok(processes.length > 10);
  });

  it('processes vanishing during the read are dropped silently', async () => {
    const child = spawn('bash', ['-c', 'for i in $(seq 300); do /bin/true & /bin/true; done; wait'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let rounds = 0;
    try {
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        const { processes, errors } = readProcessTable('/proc');
        assert.deepEqual(errors, []);
        for (const p of processes) {
          const gone = p.errors.filter((e) => e.code === 'ENOENT' || e.code === 'ESRCH');
          assert.deepEqual(gone, [], `pid ${p.pid} (${p.comm})`);
        }
        rounds++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      child.kill();
      await exited;
    }
    assert.ok(rounds > 0);
  });

  it("another user's ns links give EACCES: namespaces null, record kept", () => {
    // As a normal user, PID 1 (root's) is another user's process. As root, drop the effective
    // uid to nobody for the read (capabilities(7): euid 0 -> nonzero clears the effective set;
    // the saved uid 0 lets us take it back).
    const seteuid = process.seteuid;
    let r: ProcessRecord | ProcReadError;
    if (isRoot) {
      assert.ok(seteuid);
      seteuid(65534);
      try {
        r = readProcess('/proc', 1);
      } finally {
        seteuid(0);
      }
    } else {
      r = readProcess('/proc', 1);
    }
    assert.ok(!(r instanceof ProcReadError), String(r));
    assert.ok(r.comm.length > 0);
    assert.deepEqual(r.errors.map((e) => e.code), PROCESS_NAMESPACE_LINKS.map(() => 'EACCES'));
    assert.ok(Object.values(r.namespaces).every((v) => v === null));
    assert.ok(r.status !== null);
  });
});
