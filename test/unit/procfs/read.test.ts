import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ProcReadError } from '../../../electron/collector/procfs/errors';
import { readProcLink, readProcText } from '../../../electron/collector/procfs/read';

const GOOD = path.join(__dirname, '../../fixtures/proc');

function assertReadError(fn: () => unknown, code: string, file: string, pid: number | null = null): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProcReadError, `expected ProcReadError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.file, file);
    assert.equal(e.pid, pid);
    return true;
  });
}

describe('readProcText', () => {
  it('reads a fixture file whole', () => {
    const file = path.join(GOOD, '7941', 'status');
    assert.equal(readProcText(file), fs.readFileSync(file, 'utf8'));
  });

  it('reads a file larger than its buffer, then a small one without stale bytes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-procfs-'));
    try {
      const big = path.join(dir, 'big');
      const text = 'x\u00e9'.repeat(100_000) + '\n';
      fs.writeFileSync(big, text);
      assert.equal(readProcText(big), text);
      const small = path.join(dir, 'small');
      fs.writeFileSync(small, 'ab');
      assert.equal(readProcText(small), 'ab');
      fs.writeFileSync(small, '');
      assert.equal(readProcText(small), '');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a multi-megabyte /proc file that reports size 0 (/proc/kallsyms)', (t) => {
    if (!fs.existsSync('/proc/kallsyms')) return t.skip('no /proc/kallsyms');
    assert.equal(fs.statSync('/proc/kallsyms').size, 0);
    const want = execFileSync('cat', ['/proc/kallsyms'], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    assert.equal(readProcText('/proc/kallsyms'), want);
  });

  it('reads a live /proc file', () => {
    const text = readProcText(`/proc/${process.pid}/stat`);
    assert.ok(text.startsWith(`${process.pid} (`));
  });

  it('stopping at the first short read still gets a whole cmdline, status and cgroup longer than the buffer', async () => {
    // A 40 KiB argv: cmdline is copied page by page, and the first reads fill the 16 KiB buffer.
    const long = 'a'.repeat(40 * 1024);
    const { spawn } = await import('node:child_process');
    const child = spawn('sh', ['-c', 'sleep 30; :', 'sh', long], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const pid = child.pid ?? 0;
      const want = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      assert.ok(want.length > long.length, `the argv is in cmdline (${want.length} bytes)`);
      assert.equal(readProcText(`/proc/${pid}/cmdline`, pid, true), want);
      for (const f of ['status', 'cgroup', 'stat']) assert.equal(readProcText(`/proc/${pid}/${f}`, pid, true).split('\n')[0], fs.readFileSync(`/proc/${pid}/${f}`, 'utf8').split('\n')[0], f);
    } finally {
      child.kill();
    }
    // A regular file larger than the buffer: full reads are not short, so it is read whole too.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-procfs-'));
    try {
      const big = path.join(dir, 'big');
      fs.writeFileSync(big, 'y'.repeat(70_000));
      assert.equal(readProcText(big, null, true).length, 70_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('process vanished (ENOENT)', () => {
    assertReadError(() => readProcText('/proc/999999999/stat', 999999999), 'ENOENT', '/proc/999999999/stat', 999999999);
  });

  it('a directory gives EISDIR and closes its fd', () => {
    const before = fs.readdirSync('/proc/self/fd').length;
    assertReadError(() => readProcText(GOOD), 'EISDIR', GOOD);
    assert.equal(fs.readdirSync('/proc/self/fd').length, before);
  });
});

describe('readProcLink', () => {
  it('reads an ns link of the fixture tree', () => {
    assert.equal(readProcLink(path.join(GOOD, '7941', 'ns', 'net')), 'net:[4026532324]');
  });

  it('reads a live ns link', () => {
    assert.match(readProcLink(`/proc/${process.pid}/ns/net`), /^net:\[\d+\]$/);
  });

  it('missing link gives ENOENT', () => {
    const file = path.join(GOOD, '8369', 'ns', 'net');
    assertReadError(() => readProcLink(file, 8369), 'ENOENT', file, 8369);
  });

  it('not a link gives EINVAL', () => {
    const file = path.join(GOOD, '2', 'stat');
    assertReadError(() => readProcLink(file), 'EINVAL', file);
  });
});
