#!/usr/bin/env node
// Bundles the renderer with esbuild into dist/renderer/: app.js (renderer/main.tsx), app.css,
// charts.js (renderer/charts.ts: recharts, which app.js loads the first time a chart is shown,
// lending it its React) and index.html with a strict Content-Security-Policy (no inline script).
// usage: node scripts/build-renderer.js [--watch] [--dev]
//   --watch  rebuild on change
//   --dev    also build dist/renderer-dev/: the same app preceded by a fake client serving the
//            recorded snapshots of test/fixtures/snapshots (open /?fixture=demo); never shipped
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outdir = path.join(root, 'dist', 'renderer');
const devdir = path.join(root, 'dist', 'renderer-dev');
const watch = process.argv.includes('--watch');
const dev = process.argv.includes('--dev');

const CSP = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
].join('; ');

function html(scripts) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Isolens</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="app.css">
</head>
<body>
<div id="root"></div>
${scripts.map((s) => `<script src="${s}"></script>`).join('\n')}
</body>
</html>
`;
}

/** esbuild options shared by the app bundle and the dev fixture client. */
const common = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: ['chrome120', 'firefox120', 'safari17'],
  tsconfig: path.join(root, 'renderer', 'tsconfig.json'),
  jsx: 'automatic',
  sourcemap: true,
  logLevel: 'info',
  absWorkingDir: root,
};

function appOptions(dir, production) {
  return {
    ...common,
    entryPoints: { app: path.join(root, 'renderer', 'main.tsx') },
    outdir: dir,
    minify: production,
    define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
    loader: { '.css': 'css' },
  };
}

/** The modules charts.js takes from app.js (renderer/views/containers/plots-registry.ts: SHARED_MODULE_NAMES). */
const SHARED_MODULES = ['react', 'react-dom', 'react/jsx-runtime'];

/**
 * esbuild plugin for charts.js: `react`, `react-dom` and `react/jsx-runtime` resolve to the
 * modules app.js put in globalThis.__isolensShared (two Reacts in one page break hooks); any
 * other react-dom or react subpath fails the build rather than bundling a second copy.
 */
const sharedReact = {
  name: 'shared-react',
  setup(build) {
    build.onResolve({ filter: /^react(-dom)?(\/.*)?$/ }, (args) => {
      if (!SHARED_MODULES.includes(args.path)) return { errors: [{ text: `charts.js imports ${args.path}, which app.js does not share` }] };
      return { path: args.path, namespace: 'shared-react' };
    });
    build.onLoad({ filter: /.*/, namespace: 'shared-react' }, (args) => ({
      contents:
        `const shared = globalThis.__isolensShared;\n` +
        `if (!shared || !shared[${JSON.stringify(args.path)}]) throw new Error('charts.js needs app.js to share ${args.path} first');\n` +
        `module.exports = shared[${JSON.stringify(args.path)}];\n`,
      loader: 'js',
    }));
  },
};

function chartsOptions(dir, production) {
  return {
    ...common,
    entryPoints: { charts: path.join(root, 'renderer', 'charts.ts') },
    outdir: dir,
    minify: production,
    define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
    plugins: [sharedReact],
  };
}

function writeHtml(dir, scripts) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), html(scripts));
}

function copyFixtures() {
  const from = path.join(root, 'test', 'fixtures', 'snapshots');
  const to = path.join(devdir, 'fixtures');
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) if (f.endsWith('.json')) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

async function main() {
  fs.rmSync(outdir, { recursive: true, force: true });
  writeHtml(outdir, ['app.js']);
  const builds = [appOptions(outdir, true), chartsOptions(outdir, true)];
  if (dev) {
    fs.rmSync(devdir, { recursive: true, force: true });
    writeHtml(devdir, ['fixture-client.js', 'app.js']);
    copyFixtures();
    builds.push(appOptions(devdir, false), chartsOptions(devdir, false));
    builds.push({ ...common, entryPoints: { 'fixture-client': path.join(root, 'renderer', 'dev', 'fixture-client.ts') }, outdir: devdir });
  }
  if (!watch) {
    await Promise.all(builds.map((b) => esbuild.build(b)));
    return;
  }
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching renderer/ for changes (Ctrl-C to stop)');
}

main().catch((err) => {
  console.error(err && err.message ? err.message : err);
  process.exitCode = 1;
});
