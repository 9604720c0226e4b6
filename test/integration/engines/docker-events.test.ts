// DockerEventStream against a private dockerd (test/helpers/private-dockerd.ts) that the test
// stops and starts: the machine's main dockerd is never touched.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import Dockerode from 'dockerode';
import { DockerEventStream, type ContainerEvent, type EventStreamState, type ResyncRequest } from '../../../electron/collector/engines/docker-events';
import { PRIVATE_RUN_FLAGS, privateDockerdSkip, startPrivateDockerd, type PrivateDockerd } from '../../helpers/private-dockerd';
import { FIXTURE_IMAGES } from '../../helpers/docker';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const MODULE = path.join(ROOT, 'electron', 'collector', 'engines', 'docker-events');

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('DockerEventStream against a private dockerd', { skip: privateDockerdSkip() }, () => {
  let pd: PrivateDockerd | undefined;
  let stream: DockerEventStream | undefined;
  const states: (EventStreamState & { at: number })[] = [];
  const events: (ContainerEvent & { at: number })[] = [];
  const resyncs: ResyncRequest[] = [];

  const runSleeper = async (d: PrivateDockerd): Promise<{ id: string; returnedAt: number }> => {
    const id = (await d.docker(['run', '-d', ...PRIVATE_RUN_FLAGS, FIXTURE_IMAGES.busybox, 'sleep', '1000'])).trim();
    return { id, returnedAt: performance.now() };
  };

  before(async () => {
    const t0 = performance.now();
    pd = await startPrivateDockerd();
    console.log(`# private dockerd ready with ${FIXTURE_IMAGES.busybox} in ${Math.round(performance.now() - t0)} ms at ${pd.host}`);
    const socket = pd.socket;
    stream = new DockerEventStream({
      docker: () => new Dockerode({ socketPath: socket }),
      endpoint: pd.host,
      backoff: { initialMs: 100, maxMs: 1000 },
    });
    stream.on('state', (s) => states.push({ ...s, at: performance.now() }));
    stream.on('event', (e) => events.push({ ...e, at: performance.now() }));
    stream.on('resync', (r) => resyncs.push(r));
    stream.start();
    await until('the stream to connect', () => stream?.state.connected === true, 10_000);
  });

  after(async () => {
    stream?.stop();
    await pd?.destroy();
  });

  it('reports a container start with its id, name and labels', async () => {
    const d = pd as PrivateDockerd;
    const { id, returnedAt } = await runSleeper(d);
    await until(`a start event for ${id}`, () => events.some((e) => e.id === id && e.action === 'start'), 10_000);
    const start = events.find((e) => e.id === id && e.action === 'start') as ContainerEvent & { at: number };
    const latency = start.at - returnedAt;
    console.log(`# start event ${latency >= 0 ? `${latency.toFixed(1)} ms after` : `${(-latency).toFixed(1)} ms before`} \`docker run -d\` returned`);
    assert.ok(latency < 2000, `start event came ${latency} ms after docker run returned`);
    assert.equal(start.image, FIXTURE_IMAGES.busybox);
    assert.equal(start.attributes['isolens.test'], '1');
    assert.ok(start.name !== null && start.name.length > 0);
    assert.ok(events.some((e) => e.id === id && e.action === 'create'), 'create comes before start');
    assert.ok(Math.abs(start.time - Date.now()) < 60_000, 'event time is in ms since the epoch');
  });

  it('says connected:false with a clear error soon after dockerd stops', async () => {
    const d = pd as PrivateDockerd;
    const before = states.length;
    const t0 = performance.now();
    const stopping = d.stop();
    await until('a disconnected state', () => states.slice(before).some((s) => !s.connected), 10_000);
    const down = states.slice(before).find((s) => !s.connected) as EventStreamState & { at: number };
    await stopping;
    console.log(`# disconnected ${Math.round(down.at - t0)} ms after SIGTERM (dockerd exited after ${Math.round(performance.now() - t0)} ms): ${down.error}`);
    assert.ok(down.at - t0 < 5000, `took ${down.at - t0} ms`);
    assert.match(down.error ?? '', /event stream|cannot reach Docker/);
    assert.ok(down.retryInMs !== null && down.retryInMs >= 100);
    // While it is down, the retries report why they fail (socket gone or refused).
    await until('a failed retry', () => states.slice(before).some((s) => /ENOENT|ECONNREFUSED/.test(s.error ?? '')), 5000);
    assert.equal(stream?.state.connected, false);
  });

  it('reconnects (connected:true) and asks for a resync when dockerd is back', async () => {
    const d = pd as PrivateDockerd;
    const resyncsBefore = resyncs.length;
    await d.start();
    const t0 = performance.now();
    await until('reconnection', () => stream?.state.connected === true, 5000);
    await until('a resync request', () => resyncs.length > resyncsBefore, 1000);
    console.log(`# reconnected ${Math.round(performance.now() - t0)} ms after dockerd answered again`);
    assert.equal(resyncs.at(-1)?.endpoint, d.host);
    assert.match(resyncs.at(-1)?.after ?? '', /ENOENT|ECONNREFUSED|event stream/);
    // Events flow again on the new connection.
    const { id } = await runSleeper(d);
    await until(`a start event for ${id} after the reconnect`, () => events.some((e) => e.id === id && e.action === 'start'), 10_000);
  });

  it('stop() leaves no handle (connected, or waiting to retry): a process that used streams exits by itself', async () => {
    const d = pd as PrivateDockerd;
    const script = `
      const Dockerode = require('dockerode');
      const { DockerEventStream } = require(${JSON.stringify(MODULE)});
      const s = new DockerEventStream({ docker: new Dockerode({ socketPath: ${JSON.stringify(d.socket)} }), endpoint: 'private', backoff: { initialMs: 50, maxMs: 100 } });
      s.on('state', (st) => {
        if (st.connected) { console.log('connected'); s.stop(); }
      });
      s.start();
      // A second one stopped while it waits to retry (its back-off timer pending).
      const gone = new DockerEventStream({ docker: new Dockerode({ socketPath: ${JSON.stringify(`${d.dir}/missing.sock`)} }), endpoint: 'missing', backoff: { initialMs: 60000, maxMs: 60000 } });
      gone.on('state', (st) => { if (st.retryInMs !== null) { console.log('retrying: ' + st.error); gone.stop(); } });
      gone.start();
      setTimeout(() => { console.log('still alive'); process.exit(3); }, 8000).unref();`;
    const t0 = performance.now();
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, timeout: 20_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
      });
    });
    console.log(`# child exited (${out.code}) ${Math.round(performance.now() - t0)} ms after spawn`);
    assert.equal(out.code, 0, `child: ${out.stdout} ${out.stderr}`);
    assert.match(out.stdout, /connected/);
    assert.match(out.stdout, /retrying: .*ENOENT/);
  });
});
