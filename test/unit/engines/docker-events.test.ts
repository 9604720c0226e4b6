import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Dockerode from 'dockerode';
import {
  CONTAINER_ACTIONS,
  DockerEventStream,
  backoffDelay,
  describeConnectionError,
  parseDockerEvent,
  splitJsonLines,
  type ContainerEvent,
  type EventStreamState,
  type ResyncRequest,
} from '../../../electron/collector/engines/docker-events';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'engines', 'docker-events');
/** Real `docker events --format '{{json .}}'` lines (see the fixture's README.md). */
const RECORDED: string[] = fs.readFileSync(path.join(FIX, 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
const recorded = (action: string, nth = 0): unknown => {
  const lines = RECORDED.filter((l) => (JSON.parse(l) as { Action: string }).Action === action);
  const line = lines[nth];
  if (line === undefined) throw new Error(`no recorded ${action} event #${nth}`);
  return JSON.parse(line) as unknown;
};

const BB_ID = '6bab4a216483f563599d144abf687358b90d4c14665b9b135a38092172c0855a';
const OOM_ID = '68c1b6f0141046f288b6ef633357b0b7107c12437dbeda1c4f053f751c7cc0fc';
const LABELS = { 'isolens.evrec': '1', 'isolens.fixture': '1', 'isolens.test': '1' };

describe('splitJsonLines', () => {
  const a = '{"a":1}';
  const b = '{"b":[2,"x\\ny"]}';
  const cases: { name: string; input: string; events: unknown[]; rest: string }[] = [
    { name: 'empty buffer', input: '', events: [], rest: '' },
    { name: 'one whole line', input: `${a}\n`, events: [{ a: 1 }], rest: '' },
    { name: 'split in the middle of an object: nothing yet, all kept', input: '{"a":', events: [], rest: '{"a":' },
    { name: 'two objects in one chunk', input: `${a}\n${b}\n`, events: [{ a: 1 }, { b: [2, 'x\ny'] }], rest: '' },
    { name: 'trailing partial line kept as rest', input: `${a}\n{"b":[2`, events: [{ a: 1 }], rest: '{"b":[2' },
    { name: 'garbage line skipped, neighbours kept', input: `${a}\nnot json}\n${b}\n`, events: [{ a: 1 }, { b: [2, 'x\ny'] }], rest: '' },
    { name: 'blank lines and CRLF endings', input: `\n${a}\r\n\r\n${b}\n`, events: [{ a: 1 }, { b: [2, 'x\ny'] }], rest: '' },
    { name: 'a complete object without its newline waits for it', input: a, events: [], rest: a },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(splitJsonLines(c.input), { events: c.events, rest: c.rest });
    });
  }

  it('reassembles a real event cut at every byte offset', () => {
    const line = `${RECORDED[1] ?? ''}\n`;
    for (let cut = 0; cut <= line.length; cut++) {
      const first = splitJsonLines(line.slice(0, cut));
      const second = splitJsonLines(first.rest + line.slice(cut));
      const all = [...first.events, ...second.events];
      assert.equal(all.length, 1, `cut at ${cut}`);
      assert.equal(second.rest, '');
    }
  });
});

describe('parseDockerEvent on recorded events', () => {
  const cases: { name: string; input: () => unknown; want: ContainerEvent }[] = [
    {
      name: 'start',
      input: () => recorded('start'),
      want: {
        action: 'start', id: BB_ID, name: 'isolens-evrec-12715', image: 'isolens/busybox:test', time: 1795857676364,
        attributes: { image: 'isolens/busybox:test', name: 'isolens-evrec-12715', 'isolens.fixture.source': 'c4097bc270f109b4', ...LABELS },
      },
    },
    {
      name: 'rename: new name, oldName kept in attributes',
      input: () => recorded('rename'),
      want: {
        action: 'rename', id: BB_ID, name: 'isolens-evrec-12715-renamed', image: 'isolens/busybox:test', time: 1795857676883,
        attributes: {
          image: 'isolens/busybox:test', name: 'isolens-evrec-12715-renamed', oldName: '/isolens-evrec-12715',
          'isolens.fixture.source': 'c4097bc270f109b4', ...LABELS,
        },
      },
    },
    {
      name: 'die with exitCode',
      input: () => recorded('die'),
      want: {
        action: 'die', id: BB_ID, name: 'isolens-evrec-12715-renamed', image: 'isolens/busybox:test', time: 1795857678036,
        attributes: {
          exitCode: '137', image: 'isolens/busybox:test', name: 'isolens-evrec-12715-renamed',
          'isolens.fixture.source': 'c4097bc270f109b4', ...LABELS,
        },
      },
    },
    {
      name: 'destroy',
      input: () => recorded('destroy'),
      want: {
        action: 'destroy', id: BB_ID, name: 'isolens-evrec-12715-renamed', image: 'isolens/busybox:test', time: 1795857678119,
        attributes: { image: 'isolens/busybox:test', name: 'isolens-evrec-12715-renamed', 'isolens.fixture.source': 'c4097bc270f109b4', ...LABELS },
      },
    },
    {
      name: 'oom (memory cgroup limit hit)',
      input: () => recorded('oom'),
      want: {
        action: 'oom', id: OOM_ID, name: 'isolens-evrec-12715-oom', image: 'isolens/hello:test', time: 1795857678403,
        attributes: { image: 'isolens/hello:test', name: 'isolens-evrec-12715-oom', 'isolens.fixture.source': '08b9130b0911fe50', ...LABELS },
      },
    },
    {
      name: 'kill with signal',
      input: () => recorded('kill', 1),
      want: {
        action: 'kill', id: BB_ID, name: 'isolens-evrec-12715-renamed', image: 'isolens/busybox:test', time: 1795857677955,
        attributes: {
          signal: '9', image: 'isolens/busybox:test', name: 'isolens-evrec-12715-renamed',
          'isolens.fixture.source': 'c4097bc270f109b4', ...LABELS,
        },
      },
    },
    {
      name: 'old-style message (status/id/from/time only)',
      input: () => ({ status: 'start', id: 'abc', from: 'busybox', time: 1700000000 }),
      want: { action: 'start', id: 'abc', name: null, image: 'busybox', time: 1700000000000, attributes: {} },
    },
    {
      name: 'non-string attributes dropped, leading slash of a name removed',
      input: () => ({ Type: 'container', Action: 'start', Actor: { ID: 'x', Attributes: { name: '/n', n: 3, o: null } }, timeNano: 5e9 }),
      want: { action: 'start', id: 'x', name: 'n', image: null, time: 5000, attributes: { name: '/n' } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(parseDockerEvent(c.input()), c.want);
    });
  }

  it('every recorded line parses to an event of its container', () => {
    for (const l of RECORDED) {
      const ev = parseDockerEvent(JSON.parse(l));
      assert.ok(ev !== null, l);
      assert.ok(ev.id === BB_ID || ev.id === OOM_ID);
      assert.ok(ev.time > 1_700_000_000_000);
    }
  });
});

describe('parseDockerEvent rejects what is not a container event', () => {
  const cases: { name: string; input: unknown }[] = [
    { name: 'null', input: null },
    { name: 'a string', input: 'start' },
    { name: 'an array', input: [1] },
    {
      name: 'a network event',
      input: { Type: 'network', Action: 'disconnect', Actor: { ID: 'n1', Attributes: { container: 'c', name: 'none', type: 'null' } }, time: 1, timeNano: 1 },
    },
    { name: 'no action', input: { Type: 'container', Actor: { ID: 'x' } } },
    { name: 'no id', input: { Type: 'container', Action: 'start', Actor: { Attributes: {} } } },
    { name: 'empty action', input: { Type: 'container', Action: '', Actor: { ID: 'x' } } },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(parseDockerEvent(c.input), null));
  }
});

describe('backoffDelay', () => {
  const b = { initialMs: 500, maxMs: 30_000 };
  const cases: { name: string; failures: number; want: number }[] = [
    { name: 'first retry', failures: 0, want: 500 },
    { name: 'doubles', failures: 1, want: 1000 },
    { name: 'doubles again', failures: 3, want: 4000 },
    { name: 'capped at maxMs', failures: 7, want: 30_000 },
    { name: 'no overflow after many failures', failures: 10_000, want: 30_000 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(backoffDelay(b, c.failures), c.want));
});

describe('describeConnectionError', () => {
  const ep = 'unix:///x.sock';
  const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`connect ${code} /x.sock`), { code });
  const cases: { name: string; input: unknown; match: RegExp }[] = [
    { name: 'socket missing', input: err('ENOENT'), match: /unix:\/\/\/x\.sock.*does not exist \(ENOENT\).*dockerd running/ },
    { name: 'refused', input: err('ECONNREFUSED'), match: /connection refused \(ECONNREFUSED\)/ },
    { name: 'permission', input: err('EACCES'), match: /permission denied \(EACCES\)/ },
    { name: 'HTTP error', input: Object.assign(new Error('(HTTP code 500) server error - boom '), { statusCode: 500 }), match: /refused the event stream: \(HTTP code 500\)/ },
    { name: 'other code appended', input: err('EPIPE'), match: /failed: connect EPIPE \/x\.sock$/ },
    { name: 'not an Error', input: 'weird', match: /failed: weird/ },
  ];
  for (const c of cases) it(c.name, () => assert.match(describeConnectionError(ep, c.input), c.match));
});

/** A fake dockerode: each getEvents call takes the next scripted answer (an error or a stream). */
class FakeDocker {
  calls: Dockerode.GetEventsOptions[] = [];
  constructor(private readonly script: (Error | PassThrough)[]) {}
  getEvents(opts: Dockerode.GetEventsOptions, cb: (err: Error | null, s?: NodeJS.ReadableStream) => void): void {
    this.calls.push(opts);
    const next = this.script.shift();
    setImmediate(() => {
      if (next === undefined) cb(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }));
      else if (next instanceof Error) cb(next);
      else cb(null, next);
    });
  }
}

function recorder(s: DockerEventStream): { states: EventStreamState[]; events: ContainerEvent[]; resyncs: ResyncRequest[] } {
  const r = { states: [] as EventStreamState[], events: [] as ContainerEvent[], resyncs: [] as ResyncRequest[] };
  s.on('state', (st) => r.states.push(st));
  s.on('event', (e) => r.events.push(e));
  s.on('resync', (e) => r.resyncs.push(e));
  return r;
}

async function until(what: string, cond: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('DockerEventStream with a scripted client', () => {
  it('refused, then connected (resync), events across chunks, lost on end, stop() ends retries', async () => {
    const s1 = new PassThrough();
    const s2 = new PassThrough();
    const fake = new FakeDocker([Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), s1, s2]);
    let clock = 1000;
    const stream = new DockerEventStream({
      docker: fake as unknown as Dockerode, endpoint: 'unix:///fake.sock', backoff: { initialMs: 10, maxMs: 40 }, now: () => clock++,
    });
    const r = recorder(stream);
    stream.start();
    stream.start(); // idempotent
    await until('first state', () => r.states.length >= 1);
    assert.equal(r.states[0]?.connected, false);
    assert.match(r.states[0]?.error ?? '', /ECONNREFUSED/);
    assert.equal(r.states[0]?.retryInMs, 10);
    await until('connected', () => stream.state.connected);
    assert.equal(r.resyncs.length, 1, 'a connection after a failure asks for a resync');
    assert.match(r.resyncs[0]?.after ?? '', /ECONNREFUSED/);
    assert.deepEqual(fake.calls[0]?.filters, { type: ['container'], event: [...CONTAINER_ACTIONS] });

    const text = `${RECORDED.slice(0, 3).join('\n')}\n`;
    const bytes = Buffer.from(text);
    s1.write(bytes.subarray(0, 37));
    s1.write(bytes.subarray(37, 900));
    s1.write(bytes.subarray(900));
    await until('three events', () => r.events.length === 3);
    assert.deepEqual(r.events.map((e) => e.action), ['create', 'start', 'rename']);

    s1.end();
    await until('lost', () => !stream.state.connected && stream.state.error !== null);
    assert.match(stream.state.error ?? '', /ended/);
    assert.equal(stream.state.retryInMs, 10, 'back-off restarts after a good connection');
    await until('reconnected', () => stream.state.connected);
    assert.equal(r.resyncs.length, 2);

    s2.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    await until('lost again', () => !stream.state.connected && stream.state.error !== null);
    // Further attempts fail with ENOENT and back off 10, 20, 40, 40 ...
    await until('backing off', () => r.states.filter((st) => /ENOENT/.test(st.error ?? '')).length >= 3);
    const retries = r.states.filter((st) => /ENOENT/.test(st.error ?? '')).map((st) => st.retryInMs);
    assert.deepEqual(retries.slice(0, 3), [20, 40, 40]);
    stream.stop();
    const callsAtStop = fake.calls.length;
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(fake.calls.length, callsAtStop, 'no attempt after stop()');
  });

  it('a first connection that succeeds asks for no resync; a throwing listener is contained', async () => {
    const s1 = new PassThrough();
    const stream = new DockerEventStream({ docker: () => new FakeDocker([s1]) as unknown as Dockerode, endpoint: 'fake', backoff: { initialMs: 5, maxMs: 5 } });
    const r = recorder(stream);
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    stream.on('event', () => {
      throw new Error('listener bug');
    });
    stream.start();
    await until('connected', () => stream.state.connected);
    s1.write(`${RECORDED[1] ?? ''}\n`);
    await until('event', () => r.events.length === 1);
    await until('warning', () => warnings.some((w) => w.includes('listener bug')));
    assert.equal(r.resyncs.length, 0);
    stream.stop();
    process.off('warning', onWarning);
    assert.equal(stream.state.connected, false);
  });

  it('a factory that throws is reported, not thrown', async () => {
    const stream = new DockerEventStream({
      docker: () => {
        throw new Error('bad DOCKER_HOST');
      },
      endpoint: 'tcp://nowhere',
      backoff: { initialMs: 1000, maxMs: 1000 },
    });
    const r = recorder(stream);
    stream.start();
    assert.match(r.states[0]?.error ?? '', /bad DOCKER_HOST/);
    stream.stop();
  });

  it('gives up on an attempt that gets no answer within connectTimeoutMs', async () => {
    const hang = { getEvents: (): void => undefined } as unknown as Dockerode;
    const stream = new DockerEventStream({ docker: hang, endpoint: 'hang', connectTimeoutMs: 20, backoff: { initialMs: 1000, maxMs: 1000 } });
    const r = recorder(stream);
    stream.start();
    await until('timeout state', () => r.states.length === 1);
    assert.match(r.states[0]?.error ?? '', /did not answer .* within 20 ms/);
    stream.stop();
  });
});

describe('DockerEventStream through dockerode against a fake /events server on a unix socket', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-ev-'));
  const sock = path.join(dir, 'd.sock');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends the filters, reads split chunks, sees the server go away (ENOENT), reconnects with resync', async () => {
    const urls: string[] = [];
    const responses = new Set<http.ServerResponse>();
    const serve = (): http.Server => {
      const server = http.createServer((req, res) => {
        urls.push(req.url ?? '');
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.flushHeaders();
        responses.add(res);
      });
      server.listen(sock);
      return server;
    };
    let server = serve();
    await new Promise((r) => server.once('listening', r));

    const stream = new DockerEventStream({
      docker: () => new Dockerode({ socketPath: sock }), endpoint: `unix://${sock}`, backoff: { initialMs: 20, maxMs: 80 },
    });
    const r = recorder(stream);
    stream.start();
    await until('connected', () => stream.state.connected);
    const q = new URL(`http://x${urls[0] ?? ''}`).searchParams.get('filters');
    assert.deepEqual(JSON.parse(q ?? 'null'), { type: ['container'], event: [...CONTAINER_ACTIONS] });

    const [res] = [...responses];
    const line = `${RECORDED[1] ?? ''}\n`;
    res?.write(line.slice(0, 100));
    await new Promise((x) => setTimeout(x, 20));
    res?.write(line.slice(100) + line);
    await until('two events', () => r.events.length === 2);
    assert.equal(r.events[0]?.id, BB_ID);

    // The daemon goes away: connections cut, socket removed.
    for (const x of responses) x.destroy();
    responses.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await until('disconnected', () => !stream.state.connected && stream.state.error !== null);
    await until('ENOENT reported', () => r.states.some((st) => /ENOENT/.test(st.error ?? '')));

    server = serve();
    await new Promise((x) => server.once('listening', x));
    await until('reconnected', () => stream.state.connected, 5000);
    assert.equal(r.resyncs.length, 1);
    stream.stop();
    await until('server sees the client leave', () => [...responses].every((x) => x.closed || x.destroyed), 2000).catch(() => undefined);
    for (const x of responses) x.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
