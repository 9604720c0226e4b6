import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ContainerConfig } from '../../../shared/model';
import { readSecurity, seccompMode } from '../../../electron/collector/confinement/security';
import { parsePasswdNames, readContainerPasswd, userName } from '../../../electron/collector/confinement/user';
import { DEFAULT_CONFIG, FIXTURE_HOST, PIDS, PROC, recordOf } from './fixtures';

const sec = (pid: number, config: ContainerConfig | null = DEFAULT_CONFIG) => readSecurity(recordOf(pid), PROC, FIXTURE_HOST, config);

describe('readSecurity on fixture containers', () => {
  it('default: Docker\'s 14 capabilities, seccomp filter, identity uid map, root, no LSM', () => {
    const s = sec(PIDS.default);
    assert.equal(s.capEff.length, 14);
    assert.deepEqual(s.capEff, s.capBnd);
    assert.deepEqual(s.capInh, []);
    assert.deepEqual(s.capAmb, []);
    assert.deepEqual([s.capAdded, s.capDropped], [[], []]);
    assert.deepEqual(s.seccomp, { mode: 'filter', filters: 1 });
    assert.equal(s.noNewPrivs, false);
    assert.deepEqual(s.lsm, { kind: 'none', label: null, mode: null });
    assert.equal(s.uidMapSummary, 'identity (no remapping)');
    assert.deepEqual(s.user, { uid: 0, name: 'root' });
    assert.equal(s.hostUid, 0);
    assert.equal(s.readOnlyRootfs, false);
    assert.equal(s.privileged, false);
    assert.deepEqual(s.unreadable, []);
    assert.ok(s.mounts.length > 0);
  });

  it('--cap-drop ALL --cap-add NET_BIND_SERVICE', () => {
    const s = sec(PIDS.capNbs);
    assert.deepEqual(s.capEff, ['CAP_NET_BIND_SERVICE']);
    assert.deepEqual(s.capAdded, []);
    assert.equal(s.capDropped.length, 13);
  });

  it('seccomp=unconfined', () => assert.deepEqual(sec(PIDS.unconfined).seccomp, { mode: 'disabled', filters: 0 }));

  it('--user 1000: no effective capabilities, uid 1000 without a name', () => {
    const s = sec(PIDS.user, { ...DEFAULT_CONFIG, user: '1000' });
    assert.deepEqual(s.capEff, []);
    assert.equal(s.capBnd.length, 14);
    assert.deepEqual(s.user, { uid: 1000, name: null });
  });

  it('--cap-add ALL --cap-drop SYS_RESOURCE: everything dockerd 20.10 knows but SYS_RESOURCE', () => {
    const s = sec(PIDS.allCaps);
    assert.ok(s.capAdded.includes('CAP_SYS_ADMIN'));
    assert.ok(!s.capEff.includes('CAP_SYS_RESOURCE'));
    assert.ok(!s.capEff.includes('CAP_BPF'), 'dockerd 20.10 predates CAP_BPF');
  });

  it('user namespace "0 100000 65536": uid inside is mapped back from the host uid', () => {
    const rec = recordOf(PIDS.userns);
    assert.ok(rec.status);
    const remapped = { ...rec, status: { ...rec.status, uid: [100000, 100000, 100000, 100000] as const } };
    const s = readSecurity(remapped, PROC, FIXTURE_HOST, null);
    assert.equal(s.uidMapSummary, 'root inside = uid 100000 outside (65536 ids)');
    assert.deepEqual(s.user, { uid: 0, name: 'root' });
    assert.equal(s.hostUid, 100000);
    assert.equal(s.privileged, null, 'no engine');
    assert.deepEqual(s.unreadable, ['mountinfo: ENOENT']);
  });

  it('missing files are listed, not thrown', () => {
    const s = sec(PIDS.capNbs);
    assert.deepEqual(s.unreadable, ['uid_map: ENOENT', 'gid_map: ENOENT', 'mountinfo: ENOENT']);
    assert.equal(s.uidMapSummary, 'unknown (uid_map unreadable)');
    assert.deepEqual(s.user, { uid: null, name: null });
    assert.equal(s.readOnlyRootfs, false, 'from the engine when mountinfo is unreadable');
  });

  it('seccompMode', () => assert.deepEqual([0, 1, 2, null].map((n) => seccompMode(n as 0 | 1 | 2 | null)), ['disabled', 'strict', 'filter', null]));
});

describe('user names', () => {
  const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnginx:x:101:101:nginx:/nonexistent:/bin/false\nbad line\n:x:5:5::/:/bin/sh\n';
  it('parsePasswdNames skips malformed lines', () => assert.deepEqual([...parsePasswdNames(PASSWD)], [[0, 'root'], [101, 'nginx']]));
  const cases: { name: string; uid: number | null; passwd: string | null; config: string | null; want: string | null }[] = [
    { name: 'from the image\'s passwd', uid: 101, passwd: PASSWD, config: null, want: 'nginx' },
    { name: 'from the engine\'s user name', uid: 101, passwd: null, config: 'nginx:www', want: 'nginx' },
    { name: 'numeric engine user: no name', uid: 1000, passwd: null, config: '1000', want: null },
    { name: 'uid 0 is root', uid: 0, passwd: null, config: null, want: 'root' },
    { name: 'unknown uid', uid: null, passwd: PASSWD, config: null, want: null },
  ];
  for (const c of cases) it(c.name, () => assert.equal(userName(c.uid, c.passwd, c.config), c.want));

  describe('readContainerPasswd refuses symlinks (they would resolve on the host)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'isolens-passwd-'));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const root = (pid: number): string => path.join(tmp, String(pid), 'root');
    fs.mkdirSync(path.join(root(1), 'etc'), { recursive: true });
    fs.writeFileSync(path.join(root(1), 'etc', 'passwd'), PASSWD);
    fs.mkdirSync(root(2), { recursive: true });
    fs.symlinkSync('/etc', path.join(root(2), 'etc'));
    fs.mkdirSync(path.join(root(3), 'etc'), { recursive: true });
    fs.symlinkSync('/etc/passwd', path.join(root(3), 'etc', 'passwd'));
    it('a plain file is read', () => assert.equal(readContainerPasswd(tmp, 1), PASSWD));
    it('/etc a symlink: null', () => assert.equal(readContainerPasswd(tmp, 2), null));
    it('/etc/passwd a symlink: null', () => assert.equal(readContainerPasswd(tmp, 3), null));
    it('no root: null', () => assert.equal(readContainerPasswd(tmp, 4), null));
  });
});
