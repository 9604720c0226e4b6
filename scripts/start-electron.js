#!/usr/bin/env node
// `npm start`: opens the desktop app in Electron, or explains how to use `npm run serve` instead.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const mainJs = path.join(root, 'dist', 'electron', 'main', 'main.js');

/** The Electron binary's path, found without require('electron') (which tries a download). */
function findElectron() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
  const pkg = path.join(root, 'node_modules', 'electron');
  if (!fs.existsSync(pkg)) return { why: 'the electron package is not installed (run npm install)' };
  const pathFile = path.join(pkg, 'path.txt');
  if (!fs.existsSync(pathFile)) return { why: 'its binary was never downloaded (this machine cannot reach GitHub, or install scripts were skipped)' };
  const bin = path.join(pkg, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : { why: `${bin} is missing` };
}

const found = findElectron();
const electronPath = typeof found === 'string' ? found : null;
const why = typeof found === 'string' ? '' : found.why;

if (!electronPath) {
  console.error(
    [
      'isolens: the Electron binary is not installed, so the desktop window cannot open.',
      `  (${why})`,
      'The same UI runs in any browser:',
      '  npm run serve          # prints a http://127.0.0.1:PORT/?token=... URL to open',
      'To get the desktop app, install Electron\'s binary where GitHub is reachable:',
      '  node node_modules/electron/install.js',
    ].join('\n'),
  );
  process.exit(1);
}
if (!fs.existsSync(mainJs)) {
  console.error('isolens: not built yet. Run `npm run build` first.');
  process.exit(1);
}
const child = spawn(electronPath, [mainJs, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
