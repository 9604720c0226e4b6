#!/usr/bin/env node
// Compiles native/nsinfo.c into dist/native/isolens-nsinfo (ioctl_ns(2): namespace parents and
// owners, which Node cannot ask for). Without a C compiler the collector falls back to lsns(8):
// this script then warns and exits 0.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist', 'native', 'isolens-nsinfo');
fs.mkdirSync(path.dirname(out), { recursive: true });
const cc = process.env.CC || 'gcc';
const r = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-o', out, path.join(root, 'native', 'nsinfo.c')], { stdio: 'inherit' });
if (r.error || r.status !== 0) {
  console.warn(`build-native: could not compile native/nsinfo.c with ${cc} (${r.error ? r.error.message : `exit ${r.status}`}); isolens will ask lsns(8) for namespace parents and owners instead (slower).`);
  process.exit(0);
}
