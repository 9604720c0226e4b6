import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { defaultLibraryDirs, expandLibraryDir, inspectEntrypoint, parseShebang } from '../../../electron/collector/rootfs/entrypoint';
import { RootHandle } from '../../../electron/collector/rootfs/resolve';
import type { EntrypointInfo } from '../../../shared/rootfs';
import { plantHostSecret } from './host-secret';

const TREES = path.resolve(__dirname, '../../fixtures/rootfs/trees');

function entry(tree: string, exe: string, argv: string[] = [], cwd: string | null = null): EntrypointInfo {
  const root = RootHandle.open(path.join(TREES, tree));
  try {
    return inspectEntrypoint(root, exe, argv, cwd);
  } finally {
    root.close();
  }
}

describe('parseShebang (execve(2) interpreter scripts)', () => {
  const cases: Array<{ name: string; input: string; want: ReturnType<typeof parseShebang> }> = [
    { name: 'plain', input: '#!/bin/sh\necho', want: { interpreter: '/bin/sh', argument: null } },
    { name: 'with an argument', input: '#!/bin/sh -e\n', want: { interpreter: '/bin/sh', argument: '-e' } },
    { name: 'blank after #!', input: '#! /usr/bin/env python3\n', want: { interpreter: '/usr/bin/env', argument: 'python3' } },
    { name: 'the rest of the line is one argument', input: '#!/usr/bin/env -S a b\n', want: { interpreter: '/usr/bin/env', argument: '-S a b' } },
    { name: 'no newline', input: '#!/bin/bash', want: { interpreter: '/bin/bash', argument: null } },
    { name: 'empty #! line', input: '#!\n', want: null },
    { name: 'not a script', input: '\x7fELF', want: null },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(parseShebang(Buffer.from(c.input, 'latin1')), c.want));
  it('reads at most 256 bytes of the line (BINPRM_BUF_SIZE)', () => {
    const sb = parseShebang(Buffer.from(`#!/${'x'.repeat(400)}\n`));
    assert.ok(sb && sb.interpreter.length <= 254);
  });
});

describe('library directories (ld.so(8))', () => {
  it('multiarch first for x86-64', () => {
    assert.deepEqual(defaultLibraryDirs({ machine: 'x86-64', elfClass: 'ELF64' }).slice(0, 2), ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu']);
  });
  it('expands $ORIGIN, ${ORIGIN}, $LIB and $PLATFORM', () => {
    assert.equal(expandLibraryDir('$ORIGIN/../lib:${ORIGIN}/x/$LIB/$PLATFORM', '/app/bin', { machine: 'x86-64', elfClass: 'ELF64' }), '/app/bin/../lib:/app/bin/x/lib64/x86_64');
  });
});

describe('inspectEntrypoint on fixture trees', () => {
  let secret: ReturnType<typeof plantHostSecret>;
  before(() => (secret = plantHostSecret()));
  after(() => secret.remove());

  it('static binary: no interpreter, nothing needed', () => {
    const e = entry('static', '/hello');
    assert.deepEqual({ static: e.static, interpreter: e.interpreter, needed: e.needed, missing: e.missing, elfClass: e.elfClass, machine: e.machine, error: e.error },
      { static: true, interpreter: null, needed: [], missing: [], elfClass: 'ELF64', machine: 'x86-64', error: null });
  });
  it('dynamic binary with its loader and libraries in the image', () => {
    const e = entry('dynamic', '/usr/local/bin/dynamic');
    assert.equal(e.static, false);
    assert.equal(e.interpreter, '/lib64/ld-linux-x86-64.so.2');
    assert.deepEqual(e.needed, ['libm.so.6', 'libc.so.6']);
    assert.deepEqual(e.missing, []);
  });
  it('dynamic binary whose libm is missing', () => assert.deepEqual(entry('dynamic-missing', '/usr/local/bin/dynamic').missing, ['libm.so.6']));
  it('DT_RUNPATH $ORIGIN/../lib finds a library outside the default directories', () => {
    const e = entry('runpath', '/app/bin/runpath');
    assert.deepEqual(e.runpath, ['$ORIGIN/../lib']);
    assert.deepEqual(e.missing, []);
  });
  it('merged /usr (lib -> usr/lib, lib64 -> usr/lib64) and ld.so.conf.d', () => assert.deepEqual(entry('debian', '/usr/local/bin/dynamic').missing, []));
  it('a #! script given as the executable: shown with its interpreter, whose ELF is described', () => {
    const e = entry('debian', '/usr/local/bin/entry.sh');
    assert.deepEqual(e.script, { path: '/usr/local/bin/entry.sh', interpreter: '/bin/sh', argument: '-e' });
    assert.equal(e.path, '/usr/local/bin/entry.sh');
    assert.equal(e.executable, '/usr/bin/dash');
    assert.equal(e.static, true);
  });
  it('the init runs the interpreter with the script as argv[1] (what /proc/PID/exe shows for a script)', () => {
    const e = entry('debian', '/usr/bin/dash', ['/bin/sh', '-e', '/usr/local/bin/entry.sh']);
    assert.equal(e.script, null, 'argv[1] is an option, not the script');
    const s = entry('debian', '/usr/bin/dash', ['/bin/sh', '/usr/local/bin/entry.sh']);
    assert.equal(s.script?.path, '/usr/local/bin/entry.sh');
    assert.equal(s.path, '/usr/local/bin/entry.sh');
    const rel = entry('debian', '/usr/bin/dash', ['sh', './entry.sh'], '/usr/local/bin');
    assert.equal(rel.script?.path, '/usr/local/bin/./entry.sh');
  });
  it('a script argument whose interpreter is another binary is not taken for the entrypoint', () => {
    assert.equal(entry('debian', '/usr/local/bin/dynamic', ['/usr/local/bin/dynamic', '/usr/local/bin/entry.sh']).script, null);
  });
  it('hostile: a script whose #! interpreter is a host path is resolved in the root (not found), never read from the host', () => {
    const e = entry('hostile', '/usr/local/bin/entry');
    assert.equal(e.script?.interpreter, '/tmp/isolens-rootfs-secret/sh');
    assert.match(e.error ?? '', /ENOENT/);
    assert.doesNotMatch(JSON.stringify(e), new RegExp(secret.marker));
  });
  it('hostile: /lib -> a host directory holding the libraries: all missing', () => {
    const e = entry('hostile', '/usr/local/bin/dynamic');
    assert.deepEqual(e.missing, ['/lib64/ld-linux-x86-64.so.2', 'libm.so.6', 'libc.so.6']);
  });

  const broken: Array<{ name: string; exe: string; error: RegExp }> = [
    { name: 'truncated ELF', exe: '/usr/bin/trunc', error: /outside the 100-byte file/ },
    { name: 'text file with mode 755', exe: '/usr/bin/notelf', error: /neither an ELF file nor a #! script/ },
    { name: 'a script that names itself as interpreter', exe: '/usr/bin/script-loop', error: /more than 4 levels of #! interpreters/ },
    { name: 'an empty #! line', exe: '/usr/bin/empty-shebang', error: /neither an ELF/ },
    { name: 'a missing executable', exe: '/nope', error: /\/nope: ENOENT/ },
    { name: 'a directory', exe: '/usr', error: /ENOTREG/ },
  ];
  for (const c of broken) {
    it(`broken: ${c.name} gives an error, no throw`, () => {
      const e = entry('broken', c.exe);
      assert.match(e.error ?? '', c.error);
      assert.equal(e.elfClass, null);
    });
  }
});
