import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FRAGMENT_CHARS, createFragmentJoiner, fragmentServerMessage } from '../../../shared/wire-fragments';

/** Pushes every text through a fresh joiner; returns what came out whole, and the errors. */
function join(texts: readonly string[]): { whole: string[]; errors: string[] } {
  const j = createFragmentJoiner();
  const whole: string[] = [];
  const errors: string[] = [];
  for (const t of texts) {
    const r = j.push(t);
    if (typeof r === 'string') whole.push(r);
    else if (r !== null) errors.push(r.message);
  }
  return { whole, errors };
}

describe('fragmentServerMessage + createFragmentJoiner', () => {
  const emoji = '\u{1F433}'; // a whale: a surrogate pair in UTF-16
  const roundTrips: { name: string; text: string; max: number; parts: number }[] = [
    { name: 'a small message goes whole', text: '{"type":"result","id":1}', max: 64, parts: 1 },
    { name: 'exactly max goes whole', text: `{"a":"${'x'.repeat(56)}"}`, max: 64, parts: 1 },
    { name: 'one past max: two fragments', text: `{"a":"${'x'.repeat(57)}"}`, max: 64, parts: 2 },
    { name: 'a snapshot-sized message in 64 KiB fragments', text: JSON.stringify({ p: 'y'.repeat(5 * MAX_FRAGMENT_CHARS + 17) }), max: MAX_FRAGMENT_CHARS, parts: 6 },
    { name: 'a surrogate pair at the cut stays whole', text: `{"w":"${'x'.repeat(3)}${emoji.repeat(40)}"}`, max: 10, parts: 10 },
    { name: 'non-ASCII (German, CJK) survives', text: JSON.stringify({ cmd: 'grüße 容器 '.repeat(50) }), max: 33, parts: 14 },
  ];
  for (const c of roundTrips) {
    it(c.name, () => {
      const parts = fragmentServerMessage(c.text, c.max);
      assert.equal(parts.length, c.parts);
      for (const p of parts) {
        // Each part is valid UTF-16 on its own (no lone surrogate), so UTF-8 carries it intact.
        assert.equal(Buffer.from(p, 'utf8').toString('utf8'), p);
      }
      if (parts.length > 1) for (const p of parts) assert.match(p, /^#\d+\/\d+\n/);
      assert.deepEqual(join(parts), { whole: [c.text], errors: [] });
    });
  }

  it('messages before, between and after a fragmented one come through in order', () => {
    const big = JSON.stringify({ big: 'z'.repeat(300) });
    const out = join(['{"n":1}', ...fragmentServerMessage(big, 100), '{"n":2}']);
    assert.deepEqual(out, { whole: ['{"n":1}', big, '{"n":2}'], errors: [] });
  });

  const refused: { name: string; texts: string[]; message: RegExp; whole: string[] }[] = [
    { name: 'a fragment out of order', texts: ['#1/3\nb', '{"n":1}'], message: /out of order/, whole: ['{"n":1}'] },
    { name: 'a skipped fragment', texts: ['#0/3\na', '#2/3\nc', '{"n":1}'], message: /out of order/, whole: ['{"n":1}'] },
    { name: 'the count changes mid-message', texts: ['#0/3\na', '#1/4\nb'], message: /out of order/, whole: [] },
    { name: 'a one-part "fragment"', texts: ['#0/1\na'], message: /out of order/, whole: [] },
    { name: 'a malformed header', texts: ['#zero/3\na'], message: /malformed fragment header/, whole: [] },
    { name: 'a whole message inside a fragmented one', texts: ['#0/2\n{"a":', '{"n":1}', '{"n":2}'], message: /in the middle of a fragmented one/, whole: ['{"n":2}'] },
  ];
  for (const c of refused) {
    it(`refuses ${c.name} and starts afresh`, () => {
      const out = join(c.texts);
      assert.equal(out.errors.length, 1, JSON.stringify(out));
      assert.match(out.errors[0] ?? '', c.message);
      assert.deepEqual(out.whole, c.whole);
    });
  }

  it('reset() drops a half-received message (a lost connection)', () => {
    const j = createFragmentJoiner();
    assert.equal(j.push('#0/2\n{"a":'), null);
    j.reset();
    assert.equal(j.push('{"n":1}'), '{"n":1}');
  });
});
