#!/usr/bin/env node
// Compiles the C helpers into dist/native/: native/nsinfo.c into isolens-nsinfo (ioctl_ns(2):
// namespace parents and owners, which Node cannot ask for) and native/holders.c into
// isolens-holders (the fd and thread scan for namespace holders, run beside Node's read of the
// process table) and native/table.c into isolens-table (the reads of a full snapshot, on two
// cores, parsed by Node). Without a C compiler the collector falls back to lsns(8) and to the same scan
// in JavaScript: this script then warns and exits 0.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'dist', 'native');
fs.mkdirSync(outDir, { recursive: true });
const cc = process.env.CC || 'gcc';
const helpers = [
  { source: 'nsinfo.c', binary: 'isolens-nsinfo', fallback: 'isolens will ask lsns(8) for namespace parents and owners instead (slower)' },
  { source: 'holders.c', binary: 'isolens-holders', fallback: 'isolens will scan fds and threads for namespace holders in JavaScript instead (slower)' },
  { source: 'table.c', binary: 'isolens-table', fallback: 'full snapshots will read the process table in Node instead (slower)' },
];
for (const h of helpers) {
  const r = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-o', path.join(outDir, h.binary), path.join(root, 'native', h.source)], { stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    console.warn(`build-native: could not compile native/${h.source} with ${cc} (${r.error ? r.error.message : `exit ${r.status}`}); ${h.fallback}.`);
  }
}
