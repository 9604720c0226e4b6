import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  CAPABILITIES, CAPABILITY_GROUPS, capabilityGroup, capabilityInfo, capabilityName, DOCKER_DEFAULT_CAPS, LAST_KNOWN_CAP,
} from '../../../shared/confinement';
import {
  allCapsMask, capabilityNames, diffFromDockerDefault, hasUnknownBits, parseCapLastCap, readCapLastCap,
} from '../../../electron/collector/confinement/capabilities';
import { ProcParseError } from '../../../electron/collector/procfs/errors';
import { BROKEN, FX, PIDS, PROC, recordOf } from './fixtures';

describe('capability table (linux/capability.h, capabilities(7))', () => {
  it('has every bit from 0 to CAP_CHECKPOINT_RESTORE = 40, in order, each in a group', () => {
    assert.equal(CAPABILITIES.length, LAST_KNOWN_CAP + 1);
    const groups = new Set(CAPABILITY_GROUPS.map((g) => g.id));
    CAPABILITIES.forEach((c, i) => {
      assert.equal(c.bit, i);
      assert.match(c.name, /^CAP_[A-Z_]+$/);
      assert.ok(groups.has(c.group), c.name);
    });
    assert.equal(new Set(CAPABILITIES.map((c) => c.name)).size, CAPABILITIES.length);
    assert.equal(capabilityName(21), 'CAP_SYS_ADMIN');
    assert.equal(capabilityName(40), 'CAP_CHECKPOINT_RESTORE');
  });

  it('names bits newer than the table by number, never dropping them', () => {
    assert.equal(capabilityName(41), 'CAP_41');
    assert.equal(capabilityName(63), 'CAP_63');
    assert.equal(capabilityGroup('CAP_41'), 'kernel');
  });

  it('finds entries by name with or without CAP_, any case', () => {
    assert.equal(capabilityInfo('net_admin')?.bit, 12);
    assert.equal(capabilityInfo('CAP_NET_ADMIN')?.group, 'network');
    assert.equal(capabilityInfo('CAP_NOPE'), undefined);
  });
});

const maskCases: { name: string; mask: bigint | null; want: (names: string[]) => void }[] = [
  { name: 'null (status unreadable)', mask: null, want: (n) => assert.deepEqual(n, []) },
  { name: 'empty set', mask: 0n, want: (n) => assert.deepEqual(n, []) },
  { name: 'Docker default 00000000a80425fb', mask: 0xa80425fbn, want: (n) => assert.deepEqual([...n].sort(), [...DOCKER_DEFAULT_CAPS].sort()) },
  { name: 'NET_BIND_SERVICE only', mask: 0x400n, want: (n) => assert.deepEqual(n, ['CAP_NET_BIND_SERVICE']) },
  {
    name: 'every capability of kernel 6.18 (000001ffffffffff)', mask: 0x1ffffffffffn,
    want: (n) => {
      assert.equal(n.length, 41);
      assert.equal(n[0], 'CAP_CHOWN');
      assert.equal(n[40], 'CAP_CHECKPOINT_RESTORE');
    },
  },
  { name: 'a kernel with bit 41', mask: 0x3ffffffffffn, want: (n) => assert.deepEqual(n.slice(-2), ['CAP_CHECKPOINT_RESTORE', 'CAP_41']) },
  { name: 'bit 63 alone', mask: 1n << 63n, want: (n) => assert.deepEqual(n, ['CAP_63']) },
];

describe('capabilityNames (/proc/PID/status Cap* masks)', () => {
  for (const c of maskCases) it(c.name, () => c.want(capabilityNames(c.mask)));

  it('decodes the fixture statuses', () => {
    assert.deepEqual(capabilityNames(recordOf(PIDS.capNbs).status?.capEff ?? null), ['CAP_NET_BIND_SERVICE']);
    assert.deepEqual(capabilityNames(recordOf(PIDS.user).status?.capEff ?? null), [], '--user 1000: nothing effective');
    assert.equal(capabilityNames(recordOf(PIDS.user).status?.capBnd ?? null).length, 14, 'but the default bounding set');
    assert.ok(!capabilityNames(recordOf(PIDS.hostShell).status?.capBnd ?? null).includes('CAP_SYS_RESOURCE'));
  });

  it('keeps CAP_41 from a status of a kernel newer than the table (proc-newer)', () => {
    const rec = recordOf(PIDS.kthreadd, path.join(FX, 'proc-newer'));
    const bnd = capabilityNames(rec.status?.capBnd ?? null);
    assert.equal(bnd.length, 42);
    assert.equal(bnd[41], 'CAP_41');
    assert.ok(hasUnknownBits(rec.status?.capBnd ?? 0n));
    assert.ok(!hasUnknownBits(0x1ffffffffffn));
  });
});

describe('cap_last_cap (proc(5) /proc/sys/kernel/cap_last_cap)', () => {
  const cases: { name: string; text: string; want?: number; error?: boolean }[] = [
    { name: 'kernel 6.18', text: '40\n', want: 40 },
    { name: 'newer kernel', text: '41\n', want: 41 },
    { name: 'not a number', text: 'banana\n', error: true },
    { name: 'empty', text: '', error: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) assert.throws(() => parseCapLastCap(c.text), ProcParseError);
      else assert.equal(parseCapLastCap(c.text), c.want);
    });
  }

  it('reads the fixture trees: 40, 41, broken or missing give null', () => {
    assert.equal(readCapLastCap(PROC), 40);
    assert.equal(readCapLastCap(path.join(FX, 'proc-newer')), 41);
    assert.equal(readCapLastCap(BROKEN), null);
    assert.equal(readCapLastCap(path.join(FX, 'does-not-exist')), null);
  });

  it('allCapsMask(40) is every bit the table names', () => {
    assert.equal(allCapsMask(40), 0x1ffffffffffn);
    assert.equal(capabilityNames(allCapsMask(LAST_KNOWN_CAP)).length, CAPABILITIES.length);
  });
});

describe('diffFromDockerDefault', () => {
  it('default: nothing added or dropped', () => {
    assert.deepEqual(diffFromDockerDefault(capabilityNames(0xa80425fbn)), { added: [], dropped: [] });
  });
  it('--cap-drop ALL --cap-add NET_BIND_SERVICE: 13 dropped', () => {
    const d = diffFromDockerDefault(['CAP_NET_BIND_SERVICE']);
    assert.deepEqual(d.added, []);
    assert.equal(d.dropped.length, 13);
    assert.ok(!d.dropped.includes('CAP_NET_BIND_SERVICE'));
  });
  it('--cap-add SYS_ADMIN --cap-drop NET_RAW', () => {
    const names = capabilityNames((0xa80425fbn | (1n << 21n)) & ~(1n << 13n));
    assert.deepEqual(diffFromDockerDefault(names), { added: ['CAP_SYS_ADMIN'], dropped: ['CAP_NET_RAW'] });
  });
  it('an unknown bit counts as added', () => {
    assert.deepEqual(diffFromDockerDefault([...DOCKER_DEFAULT_CAPS, 'CAP_41']).added, ['CAP_41']);
  });
});
