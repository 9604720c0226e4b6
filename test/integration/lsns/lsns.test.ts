import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import { runLsns } from '../../../electron/collector/lsns';
import { requireOrSkip } from '../../helpers/require';

function lsnsInstalled(): boolean {
  try {
    execFileSync('lsns', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('runLsns against this machine', () => {
  it('lists every namespace of the test process, with the right type', async (t) => {
    if (!requireOrSkip(t, lsnsInstalled(), 'lsns (util-linux) is not installed')) return;
    const rows = await runLsns();
    assert.ok(rows.length >= NAMESPACE_KINDS.length);
    for (const kind of NAMESPACE_KINDS) {
      let link: string;
      try {
        link = fs.readlinkSync(`/proc/self/ns/${kind}`);
      } catch {
        continue; // a kernel without this namespace type
      }
      const m = /^(\w+):\[(\d+)\]$/.exec(link);
      assert.ok(m, `unexpected link ${link}`);
      const inode = Number(m[2]);
      const row = rows.find((r) => r.ns === inode);
      assert.ok(row, `${kind}:[${inode}] of pid ${process.pid} is not in lsns' list`);
      assert.equal(row.type, kind);
      assert.ok(row.nprocs >= 1);
      assert.ok(row.pid !== null && row.pid <= process.pid, `lsns' pid ${row.pid} should be the lowest pid in ${kind}:[${inode}]`);
    }
  });

  it('lists no namespace twice', async (t) => {
    if (!requireOrSkip(t, lsnsInstalled(), 'lsns (util-linux) is not installed')) return;
    const rows = await runLsns();
    assert.equal(new Set(rows.map((r) => r.ns)).size, rows.length);
  });
});
