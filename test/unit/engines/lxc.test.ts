import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LxcConfigError, LxcEngine, lxcContainer, parseLxcConfig, parseLxcMonitor } from '../../../electron/collector/engines/lxc';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'engines', 'lxc');
const REAL_CONFIG = fs.readFileSync(path.join(FIX, 'root', 'var', 'lib', 'lxc', 'isolens-probe', 'config'), 'utf8');

describe('parseLxcConfig', () => {
  it('reads the real lxc-busybox config (comments, repeated keys, quoted values)', () => {
    const c = parseLxcConfig(REAL_CONFIG);
    assert.deepEqual(c.get('lxc.net.0.type'), ['empty']);
    assert.deepEqual(c.get('lxc.uts.name'), ['isolens-probe']);
    assert.equal(c.get('lxc.mount.entry')?.length, 7);
    assert.deepEqual(c.get('lxc.cgroup.memory.limit_in_bytes'), ['67108864']);
  });
  const cases: { name: string; text: string; want: [string, string[]][] }[] = [
    { name: 'blank lines and comments', text: '\n# x = y\n  \nlxc.a = 1\n', want: [['lxc.a', ['1']]] },
    { name: 'an empty value resets a list', text: 'lxc.idmap = u 0 1 2\nlxc.idmap =\nlxc.idmap = g 0 1 2\n', want: [['lxc.idmap', ['g 0 1 2']]] },
    { name: 'no spaces around =', text: 'lxc.x=y=z\n', want: [['lxc.x', ['y=z']]] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual([...parseLxcConfig(c.text)], c.want));
  it('a line without = throws LxcConfigError', () => assert.throws(() => parseLxcConfig('lxc.a = 1\nnonsense\n'), LxcConfigError));
});

describe('parseLxcMonitor', () => {
  const cases: { name: string; cmdline: string[]; want: ReturnType<typeof parseLxcMonitor> }[] = [
    { name: 'lxc-start 5.0 (one argv string)', cmdline: ['[lxc monitor] /var/lib/lxc isolens-probe'], want: { pid: 9, lxcpath: '/var/lib/lxc', name: 'isolens-probe' } },
    { name: 'LXD (snap lxcpath)', cmdline: ['[lxc monitor] /var/snap/lxd/common/lxd/containers web1'], want: { pid: 9, lxcpath: '/var/snap/lxd/common/lxd/containers', name: 'web1' } },
    { name: 'lxc-start itself, before it renames', cmdline: ['lxc-start', '-n', 'c1', '-d'], want: null },
    { name: 'empty', cmdline: [], want: null },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(parseLxcMonitor(9, c.cmdline), c.want));
});

describe('lxcContainer', () => {
  it('maps the real config: empty network, host user namespace, caps, AppArmor, limits as labels', () => {
    const c = lxcContainer('isolens-probe', '/var/lib/lxc', parseLxcConfig(REAL_CONFIG), 20080);
    assert.equal(c.id, 'lxc:isolens-probe');
    assert.equal(c.engine, 'lxc');
    assert.equal(c.state, 'running');
    assert.equal(c.image, 'dir:/var/lib/lxc/isolens-probe/rootfs');
    assert.deepEqual(c.config.capDrop, ['SYS_MODULE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'SYS_TIME']);
    assert.deepEqual(c.config.securityOpt, ['apparmor=unconfined']);
    assert.equal(c.config.namespaceModes.net, 'none');
    assert.equal(c.config.namespaceModes.user, 'host');
    assert.equal(c.labels['lxc.cgroup.memory.limit_in_bytes'], '67108864');
    assert.equal(c.labels['lxc.cgroup.pids.max'], '77');
  });
  it('an unprivileged container: id maps, cgroup2 limits, kept namespaces, cap.keep', () => {
    const cfg = parseLxcConfig([
      'lxc.idmap = u 0 100000 65536', 'lxc.idmap = g 0 100000 65536', 'lxc.cgroup2.memory.max = 128M', 'lxc.namespace.keep = net ipc',
      'lxc.namespace.share.uts = other', 'lxc.cap.keep = chown net_bind_service', 'lxc.rootfs.options = ro,idmap=container', 'lxc.net.0.type = none',
    ].join('\n'));
    const c = lxcContainer('u1', '/home/u/.local/share/lxc', cfg, null);
    assert.equal(c.state, 'stopped');
    assert.equal(c.labels['lxc.idmap'], 'u 0 100000 65536; g 0 100000 65536');
    assert.equal(c.labels['lxc.cgroup2.memory.max'], '128M');
    assert.deepEqual(c.config.namespaceModes, { pid: '', net: 'host', ipc: 'host', uts: 'container:other', user: 'private', cgroup: '' });
    assert.deepEqual(c.config.capAdd, ['CHOWN', 'NET_BIND_SERVICE']);
    assert.deepEqual(c.config.capDrop, ['ALL']);
    assert.equal(c.config.readOnlyRootfs, true);
  });
});

describe('LxcEngine on a fixture /proc (real monitor and init of lxc-start 5.0)', () => {
  const engine = new LxcEngine({ procRoot: path.join(FIX, 'proc'), fsRoot: path.join(FIX, 'root'), useLxcInfo: false });

  it('finds each running container by its monitor, its init as the monitor\'s child', async () => {
    const list = await engine.listContainers();
    const probe = list.find((c) => c.name === 'isolens-probe');
    assert.ok(probe);
    assert.equal(probe.pid, 20080);
    assert.equal(probe.labels['lxc.lxcpath'], '/var/lib/lxc');
  });

  it('a container whose config is malformed and whose init is unknown keeps its name', async () => {
    const broken = (await engine.listContainers()).find((c) => c.name === 'broken');
    assert.ok(broken);
    assert.equal(broken.pid, null);
    assert.deepEqual(broken.labels, { 'lxc.lxcpath': '/var/lib/lxc' });
  });

  it('probes as available where the lxcpath exists', async () => {
    const s = await engine.probe();
    assert.equal(s.name, 'lxc');
    assert.equal(s.available, true);
  });

  it('an empty /proc and no lxcpath: nothing running', async () => {
    const none = new LxcEngine({ procRoot: path.join(FIX, 'nope'), fsRoot: path.join(FIX, 'nope'), useLxcInfo: false });
    assert.deepEqual(await none.listContainers(), []);
  });
});
