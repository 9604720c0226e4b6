import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SequencedSnapshot } from '../../../shared/delta';
import { RecordingError, parseRecording } from '../../../shared/recording';
import type { Recording } from '../../../shared/recording';
import { REDACT_ALL } from '../../../shared/redact';
import { RecordingFileError, loadRecording, memorySink, openRecordingFile } from '../../../electron/collector/recording/file';
import { RecordingService } from '../../../electron/collector/recording/player-service';
import { DEMO, FakeClock, MOVER, T0, normalized, recordDemo } from './helpers';

function parsed(text: string): Recording {
  const r = parseRecording(text);
  if (r instanceof RecordingError) throw r;
  return r;
}

/** The state a player shows at `positionMs`, paused. */
function stateAt(rec: Recording, positionMs: number): SequencedSnapshot {
  const player = new RecordingService(rec, { source: 'x', clock: new FakeClock(), checkpointEvery: 2 });
  player.control({ action: 'seek', value: positionMs });
  return player.current();
}

let good = '';
let goodLines: string[] = [];

before(async () => {
  const sink = memorySink();
  await recordDemo(sink);
  good = sink.text();
  goodLines = good.split('\n').slice(0, -1);
});

describe('recording round trip (synthetic stream, in memory)', () => {
  it('writes header, initial state, 3 deltas, 1 engines line and the end record, one JSON value per line', () => {
    assert.equal(goodLines.length, 7);
    const kinds = goodLines.map((l) => Object.keys(JSON.parse(l) as object).filter((k) => k !== 't')[0] ?? 'header?');
    assert.deepEqual(kinds.slice(1), ['initial', 'delta', 'delta', 'engines', 'delta', 'end']);
    assert.deepEqual(JSON.parse(goodLines[0]!), {
      format: 'isolens-recording', schema: 1, recordedAt: new Date(T0).toISOString(), host: { hostname: 'vm', kernel: DEMO.host.kernel }, intervalMs: 1000, redacted: false,
    });
  });

  it('parses back with its times and a clean end', () => {
    const r = parsed(good);
    assert.equal(r.deltaCount, 3);
    assert.equal(r.durationMs, 3500);
    assert.equal(r.truncated, false);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.events.map((e) => [e.kind, e.t]), [['delta', 1000], ['delta', 2000], ['engines', 2500], ['delta', 3000]]);
  });

  it('replays to the same states at each recorded time, and between them', async () => {
    const sink = memorySink();
    const { states } = await recordDemo(sink);
    const r = parsed(sink.text());
    for (const { t, state } of states) {
      for (const pos of [t, t + 400]) {
        const got = stateAt(r, pos);
        assert.deepEqual(normalized(got.snapshot), normalized(state.snapshot), `state at ${pos} ms`);
        assert.deepEqual(got.usage, state.usage, `usage at ${pos} ms`);
      }
    }
    assert.equal(stateAt(r, 999).snapshot.containers.some((c) => c.id === MOVER.id), false);
    assert.equal(stateAt(r, 1000).snapshot.containers.some((c) => c.id === MOVER.id), true);
  });

  it('records across a gap in the service\'s seqs as one computed delta, still folding to its states', async () => {
    const sink = memorySink();
    const { summary, states } = await recordDemo(sink, { skipSeqAt3000: true });
    assert.equal(summary.resyncs, 1);
    const r = parsed(sink.text());
    const last = states[states.length - 1]!;
    assert.deepEqual(normalized(stateAt(r, 3500).snapshot), normalized(last.state.snapshot));
  });

  it('redacts every record with --redact', async () => {
    const sink = memorySink();
    const { summary } = await recordDemo(sink, { redact: REDACT_ALL });
    assert.equal(summary.redacted, true);
    const r = parsed(sink.text());
    assert.equal(r.header.redacted, true);
    assert.equal(r.header.host.hostname, 'host');
    const end = stateAt(r, 2000).snapshot;
    assert.equal(end.host.hostname, 'host');
    for (const p of end.processes) assert.ok(p.cmdline.length <= 2 && (p.cmdline.length < 2 || p.cmdline[1] === '…'), JSON.stringify(p.cmdline));
    for (const c of end.containers) for (const v of Object.values(c.labels)) assert.equal(v, '…');
    assert.equal(sink.text().includes('"vm"'), false, 'the host name appears nowhere');
  });
});

describe('parseRecording refuses what it cannot play', () => {
  const replaceLine = (n: number, text: string): string => goodLines.map((l, i) => (i === n - 1 ? text : l)).join('\n') + '\n';
  const dropLine = (n: number): string => goodLines.filter((_, i) => i !== n - 1).join('\n') + '\n';
  const header = (o: Record<string, unknown>): string => JSON.stringify({ ...(JSON.parse(goodLines[0]!) as object), ...o });
  const badPid = (): string => {
    const rec = JSON.parse(goodLines[2]!) as { delta: { added: { processes: { pid: unknown }[] } } };
    rec.delta.added.processes[0]!.pid = 'x';
    return JSON.stringify(rec);
  };
  const cases: { name: string; text: () => string; kind: RecordingError['kind']; line: number | null; message: RegExp }[] = [
    { name: 'empty file', text: () => '', kind: 'empty', line: null, message: /empty/ },
    { name: 'not JSON at all', text: () => 'hello world\n', kind: 'not-recording', line: 1, message: /^not an isolens recording/ },
    { name: 'JSON of another format', text: () => replaceLine(1, '{"format":"har","schema":1}'), kind: 'not-recording', line: 1, message: /^not an isolens recording/ },
    { name: 'a snapshot, not a recording', text: () => `${JSON.stringify(DEMO)}\n`, kind: 'not-recording', line: 1, message: /^not an isolens recording/ },
    { name: 'future schema', text: () => replaceLine(1, header({ schema: 2 })), kind: 'newer-schema', line: 1, message: /^made by a newer isolens \(schema 2\); this one reads schema 1$/ },
    { name: 'schema 0', text: () => replaceLine(1, header({ schema: 0 })), kind: 'not-recording', line: 1, message: /unknown schema 0/ },
    { name: 'schema missing', text: () => replaceLine(1, header({ schema: undefined })), kind: 'not-recording', line: 1, message: /unknown schema missing/ },
    { name: 'header without host', text: () => replaceLine(1, header({ host: undefined })), kind: 'corrupt', line: 1, message: /header\.host/ },
    { name: 'header only', text: () => `${goodLines[0]!}\n`, kind: 'corrupt', line: 2, message: /no initial snapshot/ },
    { name: 'initial snapshot of another snapshot schema', text: () => replaceLine(2, goodLines[1]!.replace('"schema":1', '"schema":7')), kind: 'corrupt', line: 2, message: /snapshot schema 1/ },
    { name: 'corrupt JSON in the middle (line 4)', text: () => replaceLine(4, '{"t":2000,"delta":{"seq":'), kind: 'corrupt', line: 4, message: /^line 4 is not valid JSON/ },
    { name: 'a delta with a bad pid', text: () => replaceLine(3, badPid()), kind: 'corrupt', line: 3, message: /delta\.added\.processes\[0\]\.pid/ },
    { name: 'an empty line in the middle', text: () => replaceLine(5, ''), kind: 'corrupt', line: 5, message: /line 5 is empty/ },
    { name: 'a delta missing (seq gap)', text: () => dropLine(4), kind: 'seq-gap', line: 5, message: /delta seq 13 follows seq 11: a delta is missing/ },
    { name: 'time going back', text: () => replaceLine(4, goodLines[3]!.replace('"t":2000', '"t":500')), kind: 'corrupt', line: 4, message: /goes back/ },
    { name: 'an unknown record', text: () => replaceLine(5, '{"t":2500,"keyframe":{}}'), kind: 'corrupt', line: 5, message: /neither a delta/ },
    { name: 'data after the end record', text: () => `${good}${goodLines[5]!}\n`, kind: 'corrupt', line: 8, message: /after the end record/ },
    { name: 'end record with the wrong count', text: () => replaceLine(7, '{"t":3500,"end":{"deltas":9}}'), kind: 'corrupt', line: 7, message: /counts 9 deltas, the file holds 3/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = parseRecording(c.text());
      assert.ok(r instanceof RecordingError, `refused (got ${r instanceof RecordingError ? '' : 'a recording'})`);
      assert.equal(r.kind, c.kind);
      assert.equal(r.line, c.line);
      assert.match(r.message, c.message);
    });
  }

  it('a file over the size cap', () => {
    const r = parseRecording(good, { maxChars: 1000 });
    assert.ok(r instanceof RecordingError);
    assert.equal(r.kind, 'too-large');
  });
});

describe('parseRecording recovers a file that ends early', () => {
  const cases: { name: string; text: () => string; deltas: number; durationMs: number; truncated: boolean; warning: RegExp | null }[] = [
    { name: 'last line cut in the middle (the end record)', text: () => good.slice(0, good.length - 8), deltas: 3, durationMs: 3000, truncated: true, warning: /middle of line 7 .*up to line 6/ },
    { name: 'cut in the middle of a delta (line 6)', text: () => `${goodLines.slice(0, 5).join('\n')}\n${goodLines[5]!.slice(0, 40)}`, deltas: 2, durationMs: 2500, truncated: true, warning: /middle of line 6/ },
    { name: 'whole lines but no end record (recorder killed)', text: () => `${goodLines.slice(0, 6).join('\n')}\n`, deltas: 3, durationMs: 3000, truncated: true, warning: /no end record/ },
    { name: 'last line whole without its newline', text: () => good.slice(0, -1), deltas: 3, durationMs: 3500, truncated: false, warning: null },
    { name: 'CRLF line ends', text: () => good.replace(/\n/g, '\r\n'), deltas: 3, durationMs: 3500, truncated: false, warning: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = parsed(c.text());
      assert.equal(r.deltaCount, c.deltas);
      assert.equal(r.durationMs, c.durationMs);
      assert.equal(r.truncated, c.truncated);
      if (c.warning) assert.match(r.warnings.join('\n'), c.warning);
      else assert.deepEqual(r.warnings, []);
    });
  }

  it('cut inside the initial snapshot: nothing to play', () => {
    const r = parseRecording(`${goodLines[0]!}\n${goodLines[1]!.slice(0, 100)}`);
    assert.ok(r instanceof RecordingError);
    assert.equal(r.line, 2);
    assert.match(r.message, /middle of line 2/);
  });
});

describe('recording files', () => {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-rec-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gzip when the name ends in .gz: smaller, read back the same', async () => {
    const gz = path.join(dir, 'demo.ndjson.gz');
    const sink = openRecordingFile(gz);
    const { summary } = await recordDemo(sink);
    assert.equal(summary.error, null);
    const bytes = fs.readFileSync(gz);
    assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b]);
    assert.equal(summary.bytes, bytes.length);
    assert.ok(bytes.length < good.length / 3, `${bytes.length} compressed vs ${good.length}`);
    const r = loadRecording(gz);
    assert.ok(!(r instanceof RecordingError), String(r));
    assert.deepEqual(r, parsed(good));
  });

  it('a plain file reads back the same, mode 0600', async () => {
    const plain = path.join(dir, 'demo.ndjson');
    const { summary } = await recordDemo(openRecordingFile(plain));
    assert.equal(fs.statSync(plain).mode & 0o777, 0o600);
    assert.equal(summary.bytes, fs.statSync(plain).size);
    assert.deepEqual(loadRecording(plain), parsed(good));
  });

  it('a gzip file cut short (recorder killed): played up to what survives', async () => {
    const gz = path.join(dir, 'cut.ndjson.gz');
    await recordDemo(openRecordingFile(gz));
    const bytes = fs.readFileSync(gz);
    fs.writeFileSync(gz, bytes.subarray(0, bytes.length - 40));
    const r = loadRecording(gz);
    assert.ok(!(r instanceof RecordingError), String(r));
    assert.equal(r.truncated, true);
    assert.ok(r.deltaCount >= 2, `${r.deltaCount} deltas survive`);
  });

  it('corrupt gzip data: a clear error', () => {
    const gz = path.join(dir, 'bad.gz');
    fs.writeFileSync(gz, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]));
    const r = loadRecording(gz);
    assert.ok(r instanceof RecordingError);
    assert.match(r.message, /gzip data is corrupt/);
  });

  const openCases: { name: string; file: () => string; message: RegExp }[] = [
    { name: 'directory missing', file: () => path.join(dir, 'nope', 'x.ndjson'), message: /directory .*nope does not exist/ },
    { name: 'path is a directory', file: () => dir, message: /it is a directory/ },
    { name: 'parent is a file', file: () => path.join(__filename, 'x.ndjson'), message: /is not a directory/ },
  ];
  for (const c of openCases) {
    it(`cannot create: ${c.name}`, () => {
      assert.throws(() => openRecordingFile(c.file()), (e: unknown) => e instanceof RecordingFileError && c.message.test(e.message));
    });
  }

  it('cannot read: no such file, a directory', () => {
    const missing = loadRecording(path.join(dir, 'missing.ndjson'));
    assert.ok(missing instanceof RecordingError && /no such file/.test(missing.message));
    const d = loadRecording(dir);
    assert.ok(d instanceof RecordingError && /is a directory/.test(d.message));
  });
});
