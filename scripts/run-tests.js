#!/usr/bin/env node
// Runs the test suites with Node's own test runner (TypeScript through tsx).
// usage: node scripts/run-tests.js unit|integration|e2e|all [extra node --test args]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const suites = { unit: ['test/unit'], integration: ['test/integration'], e2e: ['test/e2e'] };
const which = process.argv[2] ?? 'all';
const dirs = which === 'all' ? [...suites.unit, ...suites.integration, ...suites.e2e] : suites[which];
if (!dirs) {
  console.error(`unknown suite "${which}": use unit, integration, e2e or all`);
  process.exit(2);
}

function find(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return find(rel);
    return /\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

const files = dirs.flatMap(find).sort();
if (files.length === 0) {
  console.error(`no test files under ${dirs.join(', ')}`);
  process.exit(1);
}
// One file at a time: integration tests share one Docker engine and one machine.
const args = ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...process.argv.slice(3), ...files];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
