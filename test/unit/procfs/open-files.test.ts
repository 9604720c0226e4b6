import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProcReadError } from '../../../electron/collector/procfs/errors';
import { OpenFiles, keptFilesLimit } from '../../../electron/collector/procfs/open-files';
import { openFdTargets } from '../../helpers/fds';

const LIMITS_HEAD = 'Limit                     Soft Limit           Hard Limit           Units     \nMax cpu time              unlimited            unlimited            seconds   \n';

/** proc(5) stat field 14 (utime), after the "(comm)" field. */
function utime(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[11]);
}

describe('keptFilesLimit (a quarter of the soft open-file limit, at most 4096)', () => {
  const cases: { name: string; text: string | null; want: number }[] = [
    { name: 'soft 1024 (a common default)', text: `${LIMITS_HEAD}Max open files            1024                 524288               files     \n`, want: 256 },
    { name: 'soft 1048576 (systemd services)', text: `${LIMITS_HEAD}Max open files            1048576              1048576              files     \n`, want: 4096 },
    { name: 'unlimited', text: `${LIMITS_HEAD}Max open files            unlimited            unlimited            files     \n`, want: 4096 },
    { name: 'soft 3', text: `${LIMITS_HEAD}Max open files            3                    3                    files     \n`, want: 0 },
    { name: 'no such line', text: LIMITS_HEAD, want: 256 },
    { name: 'unreadable', text: null, want: 256 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(keptFilesLimit(c.text), c.want));
  it('this process', () => {
    const n = keptFilesLimit(fs.readFileSync('/proc/self/limits', 'utf8'));
    assert.ok(n > 0 && n <= 4096, String(n));
  });
});

describe('OpenFiles', () => {
  it('reads a kept /proc file afresh each time (pread from offset 0 makes the kernel render it again)', () => {
    const files = new OpenFiles();
    try {
      const first = files.read('/proc/self/stat', process.pid, true);
      assert.equal(files.size, 1);
      const until = process.cpuUsage().user + 80_000;
      while (process.cpuUsage().user < until) Math.sqrt(Math.random());
      const second = files.read('/proc/self/stat', process.pid, true);
      assert.equal(files.size, 1, 'the same fd, not a second one');
      assert.ok(utime(second) > utime(first), `utime ${utime(first)} → ${utime(second)}`);
      assert.equal(openFdTargets().filter((t) => t.endsWith(`/${process.pid}/stat`)).length, 1);
    } finally {
      files.closeAll();
    }
  });

  it('a kept file of a process that exited fails as a read by path would (ENOENT), and is closed', async () => {
    const child = spawn('sleep', ['30']);
    const pid = child.pid;
    assert.ok(pid);
    const files = new OpenFiles();
    try {
      assert.match(files.read(`/proc/${pid}/stat`, pid, true), /\(sleep\)/);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      assert.throws(
        () => files.read(`/proc/${pid}/stat`, pid, true),
        (e: unknown) => e instanceof ProcReadError && e.code === 'ENOENT' && e.pid === pid,
      );
      assert.equal(files.size, 0);
    } finally {
      child.kill('SIGKILL');
      files.closeAll();
    }
  });

  it('reads from the start, whatever was read before (a fixture file rewritten in place)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-open-files-'));
    const file = path.join(dir, 'memory.current');
    const files = new OpenFiles();
    try {
      fs.writeFileSync(file, '4096\n');
      assert.equal(files.read(file, null, true), '4096\n');
      fs.writeFileSync(file, '123456789\n');
      assert.equal(files.read(file, null, true), '123456789\n');
      assert.throws(() => files.read(path.join(dir, 'absent'), null, true), (e: unknown) => e instanceof ProcReadError && e.code === 'ENOENT');
    } finally {
      files.closeAll();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes at the end of a tick the files read neither in it nor in the one before; closeAll closes the rest', () => {
    const before = openFdTargets().length;
    const files = new OpenFiles();
    files.read('/proc/self/stat', null, true);
    files.read('/proc/self/status');
    files.sweep(); // tick 0: both read
    files.read('/proc/self/stat', null, true);
    files.sweep(); // tick 1: status not read, but it was the tick before
    assert.equal(files.size, 2);
    files.read('/proc/self/stat', null, true);
    files.sweep(); // tick 2: status read in neither tick 1 nor 2
    assert.equal(files.size, 1);
    assert.equal(openFdTargets().length, before + 1);
    files.closeAll();
    assert.equal(files.size, 0);
    assert.equal(openFdTargets().length, before);
  });

  it('keeps at most maxOpen files; the others are read by open, read, close', () => {
    const before = openFdTargets().length;
    const files = new OpenFiles(1);
    try {
      files.read('/proc/self/stat', null, true);
      assert.match(files.read('/proc/self/status'), /^Name:/);
      assert.equal(files.size, 1);
      assert.equal(openFdTargets().length, before + 1);
    } finally {
      files.closeAll();
    }
  });
});
