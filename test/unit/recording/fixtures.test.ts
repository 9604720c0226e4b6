import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RecordingError } from '../../../shared/recording';
import type { Recording } from '../../../shared/recording';
import { loadRecording } from '../../../electron/collector/recording/file';
import { RecordingService } from '../../../electron/collector/recording/player-service';
import { FakeClock } from './helpers';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'recordings');
/** The container started and removed during the real recording (see the fixtures' README). */
const ID_PREFIX = 'e7d339da04ef';

function load(name: string): Recording {
  const r = loadRecording(path.join(FIX, name));
  if (r instanceof RecordingError) throw r;
  return r;
}

function containerAt(rec: Recording, positionMs: number): { name: string; labels: Record<string, string> } | undefined {
  const p = new RecordingService(rec, { source: 'x', clock: new FakeClock() });
  p.control({ action: 'seek', value: positionMs });
  return p.current().snapshot.containers.find((c) => c.id.startsWith(ID_PREFIX));
}

describe('a real recording (test/fixtures/recordings)', () => {
  it('parses: redacted header, 8 deltas, a clean end', () => {
    const r = load('live-redacted.ndjson');
    assert.equal(r.header.redacted, true);
    assert.equal(r.header.host.hostname, 'host');
    assert.equal(r.header.intervalMs, 500);
    assert.equal(r.deltaCount, 8);
    assert.equal(r.truncated, false);
    assert.ok(r.durationMs >= 2639);
  });

  it('the gzip copy reads back identical', () => {
    assert.deepEqual(load('live-redacted.ndjson.gz'), load('live-redacted.ndjson'));
  });

  it('plays the container in at 316 ms, named at 692 ms, gone at 2012 ms', () => {
    const r = load('live-redacted.ndjson');
    assert.equal(containerAt(r, 315), undefined);
    assert.equal(containerAt(r, 316)?.name, ID_PREFIX, 'first seen from its cgroup, before docker inspect');
    assert.equal(containerAt(r, 692)?.name, 'isolens-rec-fixture');
    assert.deepEqual(containerAt(r, 692)?.labels, { 'isolens.fixture': '…', 'isolens.fixture.source': '…', 'isolens.test': '…' });
    assert.ok(containerAt(r, 2011));
    assert.equal(containerAt(r, 2012), undefined);
  });

  it('a copy cut short (gzip, recorder killed): recovered up to its last complete line', () => {
    const r = load('broken/truncated.ndjson.gz');
    assert.equal(r.truncated, true);
    assert.ok(r.deltaCount < 8, `${r.deltaCount} deltas`);
    assert.match(r.warnings.join('\n'), /middle of line|no end record/);
  });

  const broken: { name: string; file: string; kind: RecordingError['kind']; line: number | null; message: RegExp }[] = [
    { name: 'a line cut in the middle of the file', file: 'broken/corrupt-line-5.ndjson.gz', kind: 'corrupt', line: 5, message: /^line 5 is not valid JSON/ },
    { name: 'a delta removed', file: 'broken/seq-gap.ndjson.gz', kind: 'seq-gap', line: 4, message: /delta seq 4 follows seq 2: a delta is missing/ },
    { name: 'a newer schema', file: 'broken/future-schema.ndjson', kind: 'newer-schema', line: 1, message: /^made by a newer isolens \(schema 2\); this one reads schema 1$/ },
    { name: 'a snapshot, not a recording', file: '../snapshots/demo.json', kind: 'not-recording', line: 1, message: /^not an isolens recording/ },
  ];
  for (const c of broken) {
    it(`refuses ${c.name}`, () => {
      const r = loadRecording(path.join(FIX, c.file));
      assert.ok(r instanceof RecordingError);
      assert.equal(r.kind, c.kind);
      assert.equal(r.line, c.line);
      assert.match(r.message, c.message);
    });
  }
});
