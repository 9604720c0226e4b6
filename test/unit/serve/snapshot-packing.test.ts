import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { syntheticSeries } from '../../../bench/render-snapshot';
import type { SequencedSnapshot } from '../../../shared/delta';
import type { Snapshot } from '../../../shared/model';
import { isPackedSnapshot, packSnapshot, unpackSnapshot } from '../../../shared/snapshot-packing';
import type { PackedSnapshot } from '../../../shared/snapshot-packing';

const SNAPSHOTS = path.resolve(__dirname, '..', '..', 'fixtures', 'snapshots');

function recorded(name: string): SequencedSnapshot {
  const snapshot = JSON.parse(fs.readFileSync(path.join(SNAPSHOTS, name), 'utf8')) as Snapshot;
  return { seq: 12, snapshot, usage: {} };
}

/** What the client gets: pack, through JSON (the wire), unpack. */
function overTheWire(s: SequencedSnapshot): SequencedSnapshot {
  const packed: unknown = JSON.parse(JSON.stringify(packSnapshot(s)));
  assert.ok(isPackedSnapshot(packed));
  return unpackSnapshot(packed);
}

describe('packSnapshot / unpackSnapshot', () => {
  const cases: { name: string; state: () => SequencedSnapshot }[] = [
    ...['demo.json', 'confinement.json', 'inside.json', 'multi-engine.json'].map((f) => ({ name: `recorded ${f}`, state: () => recorded(f) })),
    { name: 'synthetic 1,000 processes (bench/render-snapshot.ts)', state: () => syntheticSeries({ processes: 1000, deltas: 0, touched: 0 }).initial },
    {
      name: 'null cgroup and container id, no processes besides',
      state: () => {
        const s = recorded('demo.json');
        const p = s.snapshot.processes[0];
        assert.ok(p);
        return { ...s, snapshot: { ...s.snapshot, processes: [{ ...p, cgroup: null, containerId: null }] } };
      },
    },
  ];
  for (const c of cases) {
    it(`round-trips ${c.name} to the very same snapshot`, () => {
      const s = c.state();
      assert.deepEqual(overTheWire(s), s);
    });
  }

  it('leaves its input alone and is not taken for a plain snapshot', () => {
    const s = recorded('demo.json');
    const before = JSON.stringify(s);
    packSnapshot(s);
    assert.equal(JSON.stringify(s), before);
    assert.equal(isPackedSnapshot(s), false);
  });

  it('packs a 10,000-process snapshot to about half; processes of one container share one namespaces object', () => {
    const s = syntheticSeries({ processes: 10_000, deltas: 0, touched: 0 }).initial;
    const plain = JSON.stringify(s).length;
    const packed = JSON.stringify(packSnapshot(s)).length;
    assert.ok(packed < plain * 0.55, `packed ${packed} vs plain ${plain} characters`);
    const back = overTheWire(s);
    const byContainer = new Map<string, object>();
    let shared = 0;
    for (const p of back.snapshot.processes) {
      if (p.containerId === null) continue;
      const first = byContainer.get(p.containerId);
      if (first === undefined) byContainer.set(p.containerId, p.namespaces);
      else if (first === p.namespaces) shared++;
    }
    assert.ok(shared > 5000, `${shared} processes share their container's namespaces object`);
  });

  const malformed: { name: string; edit: (p: PackedSnapshot) => PackedSnapshot; message: RegExp }[] = [
    { name: 'an unknown packing version', edit: (p) => ({ ...p, packing: 2 as 1 }), message: /unknown snapshot packing 2/ },
    { name: 'a namespace set out of range', edit: (p) => ({ ...p, namespaceSets: [] }), message: /no namespace set 0/ },
    { name: 'a string out of range', edit: (p) => ({ ...p, strings: [] }), message: /no string 0/ },
  ];
  for (const c of malformed) {
    it(`refuses ${c.name}`, () => {
      const p = c.edit(packSnapshot(recorded('demo.json')));
      assert.throws(() => unpackSnapshot(p), c.message);
    });
  }
});
