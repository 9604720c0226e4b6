import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { LsmLabel } from '../../../shared/confinement';
import { type HostLsm, isUnconfined, majorLsm, parseLsmLabel, parseLsmList, readHostLsm, readLsmLabel } from '../../../electron/collector/confinement/lsm';
import { parseAttrCurrent, readAttrLabel } from '../../../electron/collector/procfs/attr';
import { FX, PIDS, PROC } from './fixtures';

const LSM = path.join(FX, 'lsm');
const tree = (name: string, sub: 'sys' | 'proc'): string => path.join(LSM, name, sub);

describe('parseLsmList (/sys/kernel/security/lsm)', () => {
  const cases: { name: string; text: string; active: string[]; major: string }[] = [
    { name: 'this machine: no labelling LSM', text: fs.readFileSync(path.join(tree('none', 'sys'), 'kernel/security/lsm'), 'utf8'), active: ['lockdown', 'capability', 'landlock', 'bpf'], major: 'none' },
    { name: 'Ubuntu: AppArmor', text: fs.readFileSync(path.join(tree('apparmor', 'sys'), 'kernel/security/lsm'), 'utf8'), active: ['lockdown', 'capability', 'landlock', 'yama', 'apparmor'], major: 'apparmor' },
    { name: 'Fedora: SELinux', text: fs.readFileSync(path.join(tree('selinux', 'sys'), 'kernel/security/lsm'), 'utf8'), active: ['lockdown', 'capability', 'yama', 'selinux', 'bpf', 'landlock'], major: 'selinux' },
    { name: 'trailing newline and spaces', text: 'capability, smack\n', active: ['capability', 'smack'], major: 'smack' },
    { name: 'empty', text: '', active: [], major: 'none' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(parseLsmList(c.text), c.active);
      assert.equal(majorLsm(c.active), c.major);
    });
  }
});

describe('readHostLsm on fixture trees', () => {
  it('none: the kernel runs no labelling LSM, said as such', () => {
    const h = readHostLsm(tree('none', 'sys'), PROC);
    assert.equal(h.kind, 'none');
    assert.deepEqual(h.active, ['lockdown', 'capability', 'landlock', 'bpf']);
  });
  it('apparmor', () => assert.equal(readHostLsm(tree('apparmor', 'sys'), PROC).kind, 'apparmor'));
  it('selinux, enforcing', () => {
    const h = readHostLsm(tree('selinux', 'sys'), PROC);
    assert.equal(h.kind, 'selinux');
    assert.equal(h.selinuxEnforcing, true);
  });
  it('securityfs not mounted, AppArmor module enabled', () => {
    const h = readHostLsm(path.join(LSM, 'apparmor-nosecfs', 'sys'), PROC);
    assert.equal(h.kind, 'apparmor');
    assert.equal(h.active, null);
  });
  it('securityfs not mounted and no attr/current: none', () => {
    const h = readHostLsm(path.join(LSM, 'nothing', 'sys'), path.join(LSM, 'nothing', 'proc'));
    assert.equal(h.kind, 'none');
    assert.match(h.source, /securityfs not mounted/);
  });
});

describe('parseAttrCurrent and parseLsmLabel (proc(5) /proc/PID/attr)', () => {
  const none: Pick<HostLsm, 'kind' | 'selinuxEnforcing'> = { kind: 'none', selinuxEnforcing: null };
  const cases: { name: string; raw: string; source: 'apparmor' | 'current'; host?: Pick<HostLsm, 'kind' | 'selinuxEnforcing'>; want: LsmLabel; unconfined: boolean }[] = [
    { name: 'AppArmor docker-default', raw: 'docker-default (enforce)\n', source: 'apparmor', want: { kind: 'apparmor', label: 'docker-default', mode: 'enforce' }, unconfined: false },
    { name: 'AppArmor complain via attr/current', raw: 'my-profile (complain)\n', source: 'current', want: { kind: 'apparmor', label: 'my-profile', mode: 'complain' }, unconfined: false },
    { name: 'AppArmor unconfined', raw: 'unconfined\n', source: 'apparmor', want: { kind: 'apparmor', label: 'unconfined', mode: null }, unconfined: true },
    {
      name: 'SELinux container_t with NUL', raw: 'system_u:system_r:container_t:s0:c170,c602\0', source: 'current',
      host: { kind: 'selinux', selinuxEnforcing: true }, want: { kind: 'selinux', label: 'system_u:system_r:container_t:s0:c170,c602', mode: 'enforcing' }, unconfined: false,
    },
    {
      name: 'SELinux spc_t (super privileged container)', raw: 'system_u:system_r:spc_t:s0\0', source: 'current',
      host: { kind: 'selinux', selinuxEnforcing: false }, want: { kind: 'selinux', label: 'system_u:system_r:spc_t:s0', mode: 'permissive' }, unconfined: true,
    },
    { name: 'Smack label: kind unknown', raw: '_', source: 'current', want: { kind: null, label: '_', mode: null }, unconfined: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const text = parseAttrCurrent(c.raw);
      assert.ok(text !== null);
      const l = parseLsmLabel(text, c.source, c.host ?? none);
      assert.deepEqual(l, c.want);
      assert.equal(isUnconfined(l), c.unconfined);
    });
  }
  it('empty attr text is no label', () => {
    assert.equal(parseAttrCurrent('\n'), null);
    assert.equal(parseAttrCurrent('\0'), null);
  });
});

describe('readAttrLabel / readLsmLabel on fixture trees', () => {
  const hostOf = (name: string): HostLsm => readHostLsm(tree(name, 'sys'), tree(name, 'proc'));
  it('AppArmor: attr/apparmor/current first', () => {
    assert.deepEqual(readAttrLabel(tree('apparmor', 'proc'), PIDS.default), { ok: true, source: 'apparmor', text: 'docker-default (enforce)' });
    assert.deepEqual(readLsmLabel(tree('apparmor', 'proc'), PIDS.unconfined, hostOf('apparmor')).lsm, { kind: 'apparmor', label: 'unconfined', mode: null });
  });
  it('SELinux: attr/current', () => {
    assert.deepEqual(readLsmLabel(tree('selinux', 'proc'), PIDS.default, hostOf('selinux')).lsm, {
      kind: 'selinux', label: 'system_u:system_r:container_t:s0:c170,c602', mode: 'enforcing',
    });
  });
  it('no attr files on a host without an LSM: kind none, no error', () => {
    const r = readLsmLabel(PROC, PIDS.default, hostOf('none'));
    assert.deepEqual(r, { lsm: { kind: 'none', label: null, mode: null }, error: null });
  });
});

describe('LSM on this machine', () => {
  let attrErrno: string | null = null;
  try {
    fs.readFileSync('/proc/self/attr/current');
  } catch (e) {
    attrErrno = (e as NodeJS.ErrnoException).code ?? null;
  }
  it('readHostLsm agrees with /proc/self/attr/current', { skip: attrErrno === 'EINVAL' ? false : 'this kernel runs a labelling LSM' }, () => {
    const h = readHostLsm('/sys', '/proc');
    assert.equal(h.kind, 'none', h.source);
    assert.deepEqual(readAttrLabel('/proc', process.pid), { ok: false, reason: 'no-lsm', error: null });
  });
});
