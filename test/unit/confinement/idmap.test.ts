import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IdMapEntry } from '../../../shared/confinement';
import { ProcParseError, ProcReadError } from '../../../electron/collector/procfs/errors';
import { describeIdMap, isIdentityMap, mapToInside, mapToOutside, parseIdMap, readIdMap } from '../../../electron/collector/procfs/idmap';
import { BROKEN, fixtureText, PIDS, PROC } from './fixtures';

const IDENTITY: IdMapEntry[] = [{ inside: 0, outside: 0, count: 4294967295 }];
const REMAPPED: IdMapEntry[] = [{ inside: 0, outside: 100000, count: 65536 }];

const cases: { name: string; text: string; want?: IdMapEntry[]; error?: RegExp }[] = [
  { name: 'initial user namespace (docker default)', text: fixtureText('proc', String(PIDS.default), 'uid_map'), want: IDENTITY },
  { name: 'user namespace "0 100000 65536"', text: fixtureText('proc', String(PIDS.userns), 'uid_map'), want: REMAPPED },
  { name: 'gid_map of the same', text: fixtureText('proc', String(PIDS.userns), 'gid_map'), want: REMAPPED },
  {
    name: 'several lines (rootless podman style)',
    text: '         0       1000          1\n         1     100000      65536\n',
    want: [{ inside: 0, outside: 1000, count: 1 }, { inside: 1, outside: 100000, count: 65536 }],
  },
  { name: 'empty (namespace made, map not written yet)', text: '', want: [] },
  { name: 'two fields', text: fixtureText('proc-broken', '100', 'uid_map'), error: /inside outside count/ },
  { name: 'id beyond 2^32', text: fixtureText('proc-broken', '101', 'uid_map'), error: /out of range/ },
  { name: 'zero count', text: fixtureText('proc-broken', '102', 'uid_map'), error: /out of range/ },
  { name: 'not numbers', text: 'a b c\n', error: /expected a number/ },
];

describe('parseIdMap (user_namespaces(7) uid_map / gid_map)', () => {
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) assert.throws(() => parseIdMap(c.text), (e: unknown) => e instanceof ProcParseError && c.error!.test(e.message));
      else assert.deepEqual(parseIdMap(c.text), c.want);
    });
  }
});

describe('describeIdMap, mapToInside, mapToOutside', () => {
  it('identity', () => {
    assert.ok(isIdentityMap(IDENTITY));
    assert.equal(describeIdMap(IDENTITY), 'identity (no remapping)');
    assert.equal(mapToInside(IDENTITY, 1000), 1000);
  });
  it('"0 100000 65536": root inside = uid 100000 outside', () => {
    assert.ok(!isIdentityMap(REMAPPED));
    assert.equal(describeIdMap(REMAPPED), 'root inside = uid 100000 outside (65536 ids)');
    assert.equal(describeIdMap(REMAPPED, 'gid'), 'root inside = gid 100000 outside (65536 ids)');
    assert.equal(mapToOutside(REMAPPED, 0), 100000);
    assert.equal(mapToOutside(REMAPPED, 65535), 165535);
    assert.equal(mapToOutside(REMAPPED, 65536), null);
    assert.equal(mapToInside(REMAPPED, 101000), 1000);
    assert.equal(mapToInside(REMAPPED, 0), null, 'host root has no uid inside');
  });
  it('root unmapped, and empty', () => {
    assert.match(describeIdMap([{ inside: 1000, outside: 1000, count: 1 }]), /identity/);
    assert.match(describeIdMap([{ inside: 1, outside: 100000, count: 10 }]), /^root unmapped; uid 1 inside = 100000 outside/);
    assert.match(describeIdMap([]), /^empty/);
  });
});

describe('readIdMap on fixture trees', () => {
  it('reads uid_map and gid_map', () => {
    assert.deepEqual(readIdMap(PROC, PIDS.userns, 'uid'), REMAPPED);
    assert.deepEqual(readIdMap(PROC, PIDS.default, 'gid'), IDENTITY);
  });
  it('a vanished process is ENOENT', () => {
    assert.throws(() => readIdMap(PROC, 999999, 'uid'), (e: unknown) => e instanceof ProcReadError && e.code === 'ENOENT');
  });
  it('malformed text is EPARSE with the path', () => {
    assert.throws(() => readIdMap(BROKEN, 100, 'uid'), (e: unknown) => e instanceof ProcReadError && e.code === 'EPARSE' && /100\/uid_map/.test(e.message));
  });
});
