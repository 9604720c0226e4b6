import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { NspawnEngine, nspawnMachineName, parseMachineFile, parseNspawnArgs } from '../../../electron/collector/engines/nspawn';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'engines', 'nspawn');

describe('parseNspawnArgs', () => {
  it('the real argv of an unregistered nspawn on this machine', () => {
    const a = parseNspawnArgs(['systemd-nspawn', '--register=no', '--keep-unit', '-q', '--private-network', '-D', '/tmp/isolens-nspawn-probe', '-M', 'isolens-probe', '/bin/sleep', '900']);
    assert.equal(a.directory, '/tmp/isolens-nspawn-probe');
    assert.equal(a.machine, 'isolens-probe');
    assert.equal(a.register, false);
    assert.equal(a.privateNetwork, true);
    assert.equal(a.privateUsers, null);
  });
  const cases: { name: string; argv: string[]; check: (a: ReturnType<typeof parseNspawnArgs>) => void }[] = [
    { name: '--directory= and --machine= forms', argv: ['systemd-nspawn', '--directory=/var/lib/machines/x', '--machine=y'], check: (a) => assert.deepEqual([a.directory, a.machine], ['/var/lib/machines/x', 'y']) },
    { name: 'an image and -U', argv: ['systemd-nspawn', '-U', '-i', '/srv/deb.raw', '-b'], check: (a) => assert.deepEqual([a.image, a.privateUsers, a.register], ['/srv/deb.raw', 'pick', true]) },
    { name: 'capabilities and read-only', argv: ['systemd-nspawn', '--capability=CAP_NET_ADMIN,CAP_SYS_TIME', '--drop-capability', 'CAP_CHOWN', '--read-only', '-D', '/x'], check: (a) => {
      assert.deepEqual(a.capabilities, ['CAP_NET_ADMIN', 'CAP_SYS_TIME']);
      assert.deepEqual(a.dropCapabilities, ['CAP_CHOWN']);
      assert.equal(a.readOnly, true);
    } },
    { name: 'options after the command belong to the command', argv: ['systemd-nspawn', '-D', '/x', '/bin/sh', '-M', 'no'], check: (a) => assert.equal(a.machine, null) },
    { name: '--network-veth makes a private network', argv: ['systemd-nspawn', '--network-veth', '-D', '/x'], check: (a) => assert.equal(a.privateNetwork, true) },
    { name: 'empty argv', argv: [], check: (a) => assert.equal(a.directory, null) },
  ];
  for (const c of cases) it(c.name, () => c.check(parseNspawnArgs(c.argv)));
});

describe('nspawnMachineName', () => {
  const base = parseNspawnArgs(['systemd-nspawn']);
  it('-M wins', () => assert.equal(nspawnMachineName({ ...base, machine: 'm', directory: '/a/b' }), 'm'));
  it('else the directory\'s last component', () => assert.equal(nspawnMachineName({ ...base, directory: '/var/lib/machines/deb/' }), 'deb'));
  it('else the image without .raw', () => assert.equal(nspawnMachineName({ ...base, image: '/srv/deb.raw' }), 'deb'));
  it('nothing to name it by', () => assert.equal(nspawnMachineName(base), null));
});

describe('parseMachineFile', () => {
  it('reads KEY=VALUE lines and skips the comment', () => {
    const m = parseMachineFile('# This is private data. Do not parse.\nNAME=a\nLEADER=12\nCLASS=container\nbogus line\n');
    assert.deepEqual(m, { NAME: 'a', LEADER: '12', CLASS: 'container' });
  });
});

describe('NspawnEngine on a fixture /proc (real nspawn and child) and machined state files', () => {
  const engine = new NspawnEngine({ procRoot: path.join(FIX, 'proc'), machinesDir: path.join(FIX, 'machines') });

  it('finds the running nspawn and its child in a new pid namespace as init', async () => {
    const list = await engine.listContainers();
    const c = list.find((x) => x.name === 'isolens-probe');
    assert.ok(c);
    assert.equal(c.id, 'nspawn:isolens-probe');
    assert.equal(c.engine, 'nspawn');
    assert.equal(c.pid, 5065);
    assert.equal(c.image, '/tmp/isolens-nspawn-probe');
    assert.equal(c.labels['nspawn.pid'], '5062');
    assert.equal(c.config.namespaceModes.net, '');
    assert.equal(c.config.namespaceModes.user, 'host');
  });

  it('adds machines registered with machined, containers only (not VMs)', async () => {
    const list = await engine.listContainers();
    const web = list.find((x) => x.name === 'debian-web');
    assert.ok(web);
    assert.equal(web.pid, 48211);
    assert.equal(web.image, '/var/lib/machines/debian-web');
    assert.equal(web.labels['machined.service'], 'nspawn');
    assert.equal(list.some((x) => x.name === 'win11'), false);
    assert.equal(list.length, 2);
  });

  it('no nspawn and no machined: nothing', async () => {
    assert.deepEqual(await new NspawnEngine({ procRoot: path.join(FIX, 'nope'), machinesDir: path.join(FIX, 'nope') }).listContainers(), []);
  });
});
