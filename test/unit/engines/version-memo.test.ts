import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VersionMemo } from '../../../electron/collector/engines/version-memo';

describe('VersionMemo: an engine version kept for a while', () => {
  const cases: { name: string; ttlMs: number; setAt: number | null; dropped?: boolean; at: number; want: string | null }[] = [
    { name: 'never asked', ttlMs: 60_000, setAt: null, at: 0, want: null },
    { name: 'just asked', ttlMs: 60_000, setAt: 1000, at: 1000, want: '20.10.24' },
    { name: 'within the time', ttlMs: 60_000, setAt: 1000, at: 60_999, want: '20.10.24' },
    { name: 'at the time limit: asked again', ttlMs: 60_000, setAt: 1000, at: 61_000, want: null },
    { name: 'the clock set back: asked again', ttlMs: 60_000, setAt: 1000, at: 999, want: null },
    { name: 'dropped after a failed call', ttlMs: 60_000, setAt: 1000, dropped: true, at: 1000, want: null },
    { name: 'a time limit of 0 keeps nothing', ttlMs: 0, setAt: 1000, at: 1000, want: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const m = new VersionMemo(c.ttlMs);
      if (c.setAt !== null) m.set('20.10.24', c.setAt);
      if (c.dropped) m.drop();
      assert.equal(m.fresh(c.at), c.want);
    });
  }
});
