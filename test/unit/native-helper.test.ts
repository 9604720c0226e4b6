import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findNativeHelper } from '../../electron/collector/native-helper';

describe('findNativeHelper', () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-native-'));
  const helper = path.join(repo, 'dist', 'native', 'isolens-x');
  fs.mkdirSync(path.dirname(helper), { recursive: true });
  fs.writeFileSync(helper, '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(repo, 'dist', 'native', 'not-executable'), '', { mode: 0o644 });
  const cases: [string, string, string | null][] = [
    ['from the sources (tsx): electron/collector', path.join(repo, 'electron', 'collector'), helper],
    ['from dist/electron/collector/discover', path.join(repo, 'dist', 'electron', 'collector', 'discover'), helper],
    ['from a bundle in .cache/bench', path.join(repo, '.cache', 'bench'), helper],
  ];
  for (const [name, from, want] of cases) {
    it(name, () => {
      fs.mkdirSync(from, { recursive: true });
      assert.equal(findNativeHelper('isolens-x', from), want);
    });
  }
  it('not built: null', () => assert.equal(findNativeHelper('isolens-missing', path.join(repo, 'electron')), null));
  it('not executable: null', () => assert.equal(findNativeHelper('not-executable', path.join(repo, 'electron')), null));
  it('the real helpers after npm run build', (t) => {
    if (!fs.existsSync(path.resolve(__dirname, '..', '..', 'dist', 'native', 'isolens-nsinfo'))) return t.skip('npm run build has not run');
    assert.match(findNativeHelper('isolens-nsinfo') ?? '', /dist\/native\/isolens-nsinfo$/);
  });
});
