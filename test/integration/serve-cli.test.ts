import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { ServerMessage } from '../../shared/wire';
import { inCI } from '../helpers/require';
import { waitFor } from '../helpers/wait';
import { createFragmentJoiner } from '../../shared/wire-fragments';

const root = path.resolve(__dirname, '..', '..');
const built = fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html')) && fs.existsSync(path.join(root, 'dist', 'electron', 'cli', 'main.js'));
const skip = built ? false : inCI ? (() => { throw new Error('CI=true but dist/ is not built'); })() : 'dist/ not built: run npm run build';

describe('bin/isolens serve', { skip }, () => {
  let child: ChildProcessWithoutNullStreams;
  let url: URL;
  let stderr = '';

  before(async () => {
    child = spawn(process.execPath, [path.join(root, 'bin', 'isolens'), 'serve', '--interval', '300'], { cwd: root });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const line = await waitFor('the URL on stdout', () => /open (http:\/\/\S+)/.exec(out)?.[1], 20_000);
    url = new URL(line);
  });
  after(() => {
    child?.kill('SIGTERM');
  });

  it('binds loopback and prints a URL with a token', () => {
    assert.equal(url.hostname, '127.0.0.1');
    assert.ok((url.searchParams.get('token') ?? '').length >= 16);
  });

  it('refuses HTTP without the token and serves the page with it', async () => {
    const bare = await fetch(`http://${url.host}/`);
    assert.equal(bare.status, 401);
    const ok = await fetch(url);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /<html/i);
    const post = await fetch(url, { method: 'POST' });
    assert.equal(post.status, 405, 'read-only: nothing but GET/HEAD');
  });

  it('refuses the WebSocket without the token', async () => {
    const ws = new WebSocket(`ws://${url.host}/ws`);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    assert.equal(status, 401);
  });

  it('gives a snapshot, then consecutive deltas, over the WebSocket', async () => {
    const ws = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`);
    const messages: ServerMessage[] = [];
    const joiner = createFragmentJoiner();
    ws.on('message', (m: Buffer) => {
      const text = joiner.push(m.toString());
      if (typeof text === 'string') messages.push(JSON.parse(text) as ServerMessage);
    });
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'snapshot:get', args: [] }));
    const result = await waitFor('the snapshot result', () => messages.find((m) => m.type === 'result'), 10_000);
    assert.ok(result.type === 'result' && result.result.ok);
    const seq = (result.result.value as { seq: number; snapshot: { schema: number; processes: unknown[] } }).seq;
    const deltas = await waitFor('three deltas after the snapshot', () => {
      const ds = messages.flatMap((m) => (m.type === 'event' && m.event === 'delta' && m.payload.seq > seq ? [m.payload] : []));
      return ds.length >= 3 ? ds : undefined;
    }, 10_000);
    deltas.forEach((d, i) => assert.equal(d.seq, seq + 1 + i, 'seq numbers are consecutive'));
    ws.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'process:get', args: [process.pid] }));
    const detail = await waitFor('process detail', () => messages.find((m) => m.type === 'result' && m.id === 2), 5_000);
    assert.ok(detail.type === 'result' && detail.result.ok, JSON.stringify(detail));
    ws.close();
    assert.equal(stderr.includes('tick failed'), false, stderr);
  });
});
