import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { APP_CSP, isAllowedNavigation } from '../../../electron/main/window-policy';
import { menuTemplate } from '../../../electron/main/menu';
import { launchSource } from '../../../electron/main/launch-args';

const app = 'file:///opt/isolens/dist/renderer/index.html';

describe('window policy', () => {
  const cases: [string, string, boolean][] = [
    ['the app page itself (reload)', app, true],
    ['the app page with a hash route', `${app}#/namespaces`, true],
    ['another local file', 'file:///etc/passwd', false],
    ['a web page', 'https://example.com/', false],
    ['garbage', 'not a url', false],
  ];
  for (const [name, url, ok] of cases) it(name, () => assert.equal(isAllowedNavigation(url, app), ok));

  it('the CSP allows no inline or remote script', () => {
    assert.match(APP_CSP, /script-src 'self'(;|$)/);
    assert.doesNotMatch(APP_CSP, /unsafe-eval|\*/);
  });

  it('the menu has reload, zoom and full screen, and no devtools when packaged', () => {
    const roles = menuTemplate(true).flatMap((m) => (Array.isArray(m.submenu) ? m.submenu.map((i) => i.role) : []));
    for (const r of ['reload', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']) assert.ok(roles.includes(r as never), r);
    assert.ok(!roles.includes('toggleDevTools'));
  });
});

describe('electron main settings', () => {
  const main = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'electron', 'main', 'main.ts'), 'utf8');
  it('keeps the renderer isolated and sandboxed', () => {
    assert.match(main, /contextIsolation: true/);
    assert.match(main, /sandbox: true/);
    assert.match(main, /nodeIntegration: false/);
    assert.match(main, /setWindowOpenHandler\([^]*action: 'deny'/);
    assert.doesNotMatch(main, /webSecurity: false/);
  });
});

describe('launchSource', () => {
  const cases: [string, string[], ReturnType<typeof launchSource>][] = [
    ['no arguments: the live host', [], { kind: 'live' }],
    ['--recording FILE', ['--recording', '/tmp/a.rec'], { kind: 'recording', file: '/tmp/a.rec' }],
    ['--recording=FILE among Chromium switches', ['--no-sandbox', '--recording=/tmp/b.rec.gz'], { kind: 'recording', file: '/tmp/b.rec.gz' }],
    ['--recording without a file: live', ['--recording'], { kind: 'live' }],
  ];
  for (const [name, argv, want] of cases) it(name, () => assert.deepEqual(launchSource(argv), want));

  it('the File menu offers Open Recording… when the app can open one', () => {
    const file = menuTemplate(false, () => undefined)[0];
    assert.ok(Array.isArray(file?.submenu) && file.submenu.some((i) => i.label === 'Open Recording…'));
  });
});
