import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { addConfinement } from '../../../electron/collector/confinement/pass';
import { readConfinementHost } from '../../../electron/collector/confinement/host';
import type { ProcessRecord } from '../../../electron/collector/procfs/process';
import { containerOf, FIXTURE_HOST, FX, PIDS, PROC, recordOf } from './fixtures';

describe('addConfinement', () => {
  const records = new Map<number, ProcessRecord>([PIDS.default, PIDS.socket].map((pid) => [pid, recordOf(pid)]));

  it('adds security and findings to containers whose init is in the table; leaves the others alone', () => {
    const gone = containerOf(424242);
    const stopped = { ...containerOf(PIDS.default, { name: 'stopped' }), pid: null };
    const out = addConfinement([containerOf(PIDS.default), containerOf(PIDS.socket), gone, stopped], records, PROC, FIXTURE_HOST);
    assert.equal(out[0]?.security?.capEff.length, 14);
    assert.equal(out[1]?.findings?.[0]?.id, 'engine-socket');
    assert.equal(out[2], gone);
    assert.equal(out[3], stopped);
    assert.ok(!('security' in (out[2] ?? {})));
  });

  it('round-trips through JSON (the snapshot wire format): no bigint left', () => {
    const out = addConfinement([containerOf(PIDS.default)], records, PROC, FIXTURE_HOST);
    assert.deepEqual(JSON.parse(JSON.stringify(out)), out);
  });
});

describe('readConfinementHost on fixture trees', () => {
  it('reads cap_last_cap, kthreadd-free bounding set fallback, the host mount table and the LSM', () => {
    const h = readConfinementHost({ procRoot: PROC, sysRoot: path.join(FX, 'lsm', 'apparmor', 'sys'), processes: new Map(), namespaces: {}, cgroupVersion: 1 });
    assert.equal(h.capLastCap, 40);
    assert.equal(h.capBnd, 0x1ffffffffffn, 'no PID 1 record: every bit up to cap_last_cap');
    assert.equal(h.lsm.kind, 'apparmor');
    assert.ok(h.mounts?.has('254:0'));
  });
  it('takes PID 1\'s bounding set when it has the record', () => {
    const init = { ...recordOf(PIDS.hostShell), pid: 1 };
    const h = readConfinementHost({ procRoot: PROC, sysRoot: path.join(FX, 'lsm', 'none', 'sys'), processes: new Map([[1, init]]), namespaces: {}, cgroupVersion: 1 });
    assert.equal(h.capBnd, 0x1fffeffffffn);
  });
  it('an empty root gives nulls, not a throw', () => {
    const h = readConfinementHost({ procRoot: path.join(FX, 'nowhere'), sysRoot: path.join(FX, 'nowhere'), processes: new Map(), namespaces: {}, cgroupVersion: 2 });
    assert.deepEqual([h.capLastCap, h.capBnd, h.mounts, h.lsm.kind], [null, null, null, null]);
  });
});
