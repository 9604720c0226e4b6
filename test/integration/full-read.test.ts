// isolens-table on the real /proc as a normal user: what it cannot read (other users' ns links)
// fails as Node's own reads fail, record by record; the namespace relations it asks for as it
// reads are those isolens-nsinfo gives.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findTableHelper } from '../../electron/collector/discover/full-read';
import type { TableReadComparison } from '../helpers/compare-table-reads';
import { inCI, isRoot, requireOrSkip } from '../helpers/require';

const script = path.join(__dirname, '..', 'helpers', 'compare-table-reads.ts');

function compareAs(uid: number | null): TableReadComparison {
  const node = [process.execPath, '--import', 'tsx', script];
  const [cmd, ...args] = uid === null ? node : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', ...node];
  const r = spawnSync(cmd as string, args, { encoding: 'utf8', cwd: path.join(__dirname, '..', '..'), env: { ...process.env, HOME: '/tmp' }, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as TableReadComparison;
}

/** The parents and owners isolens-table asked for as it read are those isolens-nsinfo gives (a namespace may come or go between the two). */
function assertSameRelations(c: TableReadComparison): void {
  assert.ok(c.nsinfoRelations > 5, JSON.stringify(c));
  assert.ok(Math.abs(c.relations - c.nsinfoRelations) <= 2, JSON.stringify(c));
  assert.ok(c.sameRelations >= c.nsinfoRelations - 2, JSON.stringify(c));
}

describe('isolens-table on the real /proc', () => {
  it('as a normal user (nobody): the same records and the same EACCES on other users\' ns links as Node\'s reads', (t) => {
    if (!requireOrSkip(t, findTableHelper() !== null, 'dist/native/isolens-table is not built (npm run build)')) return;
    if (!isRoot) {
      if (inCI) throw new Error('CI=true but not root (setpriv to nobody needs root)');
      t.skip('needs root to switch to nobody');
      return;
    }
    const c = compareAs(65534);
    assert.equal(c.uid, 65534);
    assert.ok(c.both > 10, JSON.stringify(c));
    assert.ok(c.eaccesRecords > 0, 'other users\' processes have unreadable ns links');
    // A process may change between the two reads; nearly all must agree.
    assert.ok(c.sameErrors >= c.both - 2, JSON.stringify(c));
    assert.ok(c.sameNamespaces >= c.both - 2, JSON.stringify(c));
    assertSameRelations(c);
  });

  it('as root: every record read whole, as Node reads it', (t) => {
    if (!requireOrSkip(t, findTableHelper() !== null, 'dist/native/isolens-table is not built (npm run build)')) return;
    if (!isRoot) {
      t.skip('needs root to read every process');
      return;
    }
    const c = compareAs(null);
    // Root reads every ns link but a sandbox's own init's (PID 1 on the CI machine).
    assert.ok(c.eaccesRecords <= 1, JSON.stringify(c));
    assert.ok(c.sameErrors >= c.both - 2 && c.sameNamespaces >= c.both - 2, JSON.stringify(c));
    assertSameRelations(c);
  });
});
