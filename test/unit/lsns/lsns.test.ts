import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LSNS_ARGS, LsnsError, LsnsParseError, parseLsns, runLsns, type LsnsNamespace } from '../../../electron/collector/lsns';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'lsns');
const read = (name: string): string => fs.readFileSync(path.join(FIX, name), 'utf8');
const find = (rows: LsnsNamespace[], ns: number): LsnsNamespace | undefined => rows.find((r) => r.ns === ns);

describe('LSNS_ARGS', () => {
  it('asks for JSON, a list and exactly the parsed columns', () => {
    assert.deepEqual(LSNS_ARGS, ['-J', '-l', '-o', 'NS,TYPE,NPROCS,PID,PPID,PNS,ONS,NETNSID,NSFS']);
  });
});

describe('parseLsns on real output', () => {
  const cases: { name: string; file: string; check: (rows: LsnsNamespace[]) => void }[] = [
    {
      name: 'root: the eight initial namespaces, owned by the initial user namespace',
      file: 'root.json',
      check: (rows) => {
        assert.equal(rows.length, 14);
        const initial = rows.filter((r) => r.ns >= 4026531832 && r.ns <= 4026531839);
        assert.deepEqual(initial.map((r) => r.type).sort(), ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts']);
        assert.deepEqual(find(rows, 4026531832), {
          ns: 4026531832, type: 'mnt', nprocs: 76, pid: 2, ppid: 0, pns: null, ons: 4026531837, netnsid: null, nsfs: [],
        });
        // The initial user namespace has no owner: lsns prints 0.
        assert.equal(find(rows, 4026531837)?.ons, null);
      },
    },
    {
      name: 'root: "unassigned" NETNSID becomes null',
      file: 'root.json',
      check: (rows) => {
        assert.equal(find(rows, 4026531833)?.netnsid, null);
        assert.equal(find(rows, 4026531833)?.type, 'net');
      },
    },
    {
      name: 'root: a container pid namespace has the initial one as parent',
      file: 'root.json',
      check: (rows) => {
        assert.deepEqual(find(rows, 4026532180), {
          ns: 4026532180, type: 'pid', nprocs: 1, pid: 7484, ppid: 7462, pns: 4026531836, ons: 4026531837, netnsid: null, nsfs: [],
        });
      },
    },
    {
      name: 'root: a Docker netns bind mount shows in nsfs',
      file: 'root.json',
      check: (rows) => assert.deepEqual(find(rows, 4026532181)?.nsfs, ['/run/docker/netns/1d4cdbae4cd0']),
    },
    {
      name: 'nobody: a normal user sees only its own process',
      file: 'nobody.json',
      check: (rows) => {
        assert.equal(rows.length, 8);
        assert.ok(rows.every((r) => r.nprocs === 1 && r.pid === 8464 && r.ppid === 8457));
      },
    },
    {
      name: 'netns with two bind mounts and an nsid: both paths kept, string nsid read as a number',
      file: 'netns-two-paths.json',
      check: (rows) => {
        const demo = find(rows, 4026532250);
        assert.ok(demo);
        assert.equal(demo.nprocs, 2);
        assert.equal(demo.netnsid, 7);
        assert.deepEqual(demo.nsfs, ['/run/netns/isolens-demo', '/run/netns/isolens-demo2']);
      },
    },
    {
      name: 'netns without a process: lsns 2.38 does not list it',
      file: 'netns-no-process.json',
      check: (rows) => assert.equal(find(rows, 4026532250), undefined),
    },
    {
      name: 'older lsns printing every value as a string parses the same as root',
      file: 'root-strings.json',
      check: (rows) => assert.deepEqual(rows, parseLsns(read('root.json'))),
    },
  ];
  for (const c of cases) it(c.name, () => c.check(parseLsns(read(c.file))));
});

describe('parseLsns on other shapes', () => {
  const row = (over: Record<string, unknown>): string => JSON.stringify({
    namespaces: [{ ns: 4026531836, type: 'pid', nprocs: 3, pid: 1, ppid: 0, pns: 0, ons: 4026531837, netnsid: null, nsfs: null, ...over }],
  });
  const cases: { name: string; json: string; want: Partial<LsnsNamespace> | undefined }[] = [
    { name: 'empty list', json: '{"namespaces":[]}', want: undefined },
    { name: 'namespace kept only by a bind mount (newer lsns): pid null, nprocs 0', json: row({ nprocs: 0, pid: null, ppid: null }), want: { nprocs: 0, pid: null, ppid: null } },
    { name: 'nsfs as a JSON array', json: row({ nsfs: ['/run/netns/a', '/run/netns/b'] }), want: { nsfs: ['/run/netns/a', '/run/netns/b'] } },
    { name: 'numeric netnsid', json: row({ type: 'net', netnsid: 0 }), want: { netnsid: 0 } },
    { name: 'missing optional columns', json: JSON.stringify({ namespaces: [{ ns: 5, type: 'uts' }] }), want: { ns: 5, nprocs: 0, pid: null, pns: null, nsfs: [] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const rows = parseLsns(c.json);
      if (c.want === undefined) assert.deepEqual(rows, []);
      else assert.deepEqual({ ...rows[0], ...c.want }, rows[0]);
    });
  }
  it('skips a namespace type this code does not know', () => {
    assert.deepEqual(parseLsns(row({ type: 'future' })), []);
  });
});

describe('parseLsns on broken input', () => {
  const cases: { name: string; text: string; match: RegExp }[] = [
    { name: 'truncated output', text: read('broken/truncated.json'), match: /not JSON/ },
    { name: 'table output instead of JSON', text: read('broken/not-json.txt'), match: /not JSON/ },
    { name: 'empty string', text: '', match: /not JSON/ },
    { name: 'no "namespaces" key', text: read('broken/no-namespaces-key.json'), match: /no "namespaces" array/ },
    { name: '"namespaces" is an object', text: read('broken/namespaces-object.json'), match: /no "namespaces" array/ },
    { name: 'top level is an array', text: '[]', match: /not a JSON object/ },
    { name: 'ns is an object', text: read('broken/ns-object.json'), match: /namespaces\[1\]\.ns/ },
    { name: 'type is a number', text: read('broken/type-number.json'), match: /namespaces\[2\]\.type/ },
    { name: 'pid is a word', text: read('broken/pid-word.json'), match: /namespaces\[0\]\.pid/ },
    { name: 'row is not an object', text: '{"namespaces":[7]}', match: /namespaces\[0\] is not an object/ },
    { name: 'ns missing', text: '{"namespaces":[{"type":"net"}]}', match: /namespaces\[0\]\.ns is missing/ },
    { name: 'nsfs is a number', text: '{"namespaces":[{"ns":1,"type":"net","nsfs":3}]}', match: /nsfs/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(() => parseLsns(c.text), (e: unknown) => e instanceof LsnsParseError && e.name === 'LsnsParseError' && c.match.test(e.message));
    });
  }
});

describe('runLsns failures', () => {
  let dir = '';
  const script = (name: string, body: string): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return p;
  };
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-lsns-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const rejectsWith = async (p: Promise<unknown>, code: string, match: RegExp): Promise<void> => {
    await assert.rejects(p, (e: unknown) => e instanceof LsnsError && e.code === code && match.test(e.message));
  };

  it('ENOENT when the command is not installed', async () => {
    await rejectsWith(runLsns({ command: path.join(dir, 'no-such-lsns') }), 'ENOENT', /not found/);
  });
  it('FAILED with stderr when it exits non-zero', async () => {
    const p = script('fails', 'echo "lsns: failed to open /proc: Permission denied" >&2; exit 1');
    await rejectsWith(runLsns({ command: p }), 'FAILED', /Permission denied/);
  });
  it('TIMEOUT when it hangs', async () => {
    const p = script('hangs', 'exec sleep 30');
    await rejectsWith(runLsns({ command: p, timeoutMs: 200 }), 'TIMEOUT', /200 ms/);
  });
  it('PARSE when it prints something else', async () => {
    const p = script('garbage', 'echo "NS TYPE"');
    await rejectsWith(runLsns({ command: p }), 'PARSE', /not JSON/);
  });
  it('passes LSNS_ARGS as separate arguments, without a shell', async () => {
    const argsFile = path.join(dir, 'args');
    const p = script('echoargs', `printf '%s\\n' "$@" > '${argsFile}'; echo '{"namespaces":[]}'`);
    assert.deepEqual(await runLsns({ command: p }), []);
    assert.deepEqual(fs.readFileSync(argsFile, 'utf8').split('\n').filter((l) => l !== ''), LSNS_ARGS);
  });
});
