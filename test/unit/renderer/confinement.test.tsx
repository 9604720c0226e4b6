import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { ContainerInfo } from '../../../shared/model';
import { deriveModel } from '../../../renderer/state/derive';
import { capabilityChips } from '../../../renderer/views/confinement/cap-chips';
import { ConfinementPanel, lsmText, seccompText } from '../../../renderer/views/confinement/ConfinementPanel';
import { sentenceOf } from '../../../renderer/views/confinement/FindingsList';
import { ContainerDetail } from '../../../renderer/views/containers/ContainerDetail';
import { ContainersView } from '../../../renderer/views/containers/ContainersView';
import { ProcessTree } from '../../../renderer/views/tree/ProcessTree';
import { containerNamed, loadSnapshot } from './fixtures';

afterEach(() => cleanup());

// test/fixtures/snapshots/confinement.json: cf-default, cf-hostpid (--pid host), cf-capdrop
// (--cap-drop ALL --cap-add NET_BIND_SERVICE), cf-capadd (--cap-add SYS_PTRACE --cap-add NET_ADMIN),
// cf-noseccomp (seccomp=unconfined), cf-sock (-v /var/run/docker.sock:…), cf-user (--user 1000), cf-readonly.
const s = loadSnapshot('confinement');
const named = (n: string): ContainerInfo => containerNamed(s, n);
const chip = (name: string): HTMLElement => screen.getByTestId(`cap-chip-${name}`);

describe('capabilityChips (recorded fixture)', () => {
  it('a default container: Docker\'s 14 defaults, grouped by what they grant', () => {
    const c = named('cf-default');
    assert.ok(c.security);
    const groups = capabilityChips(c.security, c.config);
    assert.deepEqual(groups.map((g) => g.id), ['files', 'processes', 'network', 'admin']);
    const all = groups.flatMap((g) => g.chips);
    assert.equal(all.length, 14);
    assert.ok(all.every((x) => x.state === 'default' && x.effective));
    assert.deepEqual(groups.find((g) => g.id === 'network')?.chips.map((x) => x.short), ['NET_BIND_SERVICE', 'NET_RAW']);
  });

  it('--cap-drop ALL --cap-add NET_BIND_SERVICE: one default kept, thirteen dropped', () => {
    const c = named('cf-capdrop');
    assert.ok(c.security);
    const all = capabilityChips(c.security, c.config).flatMap((g) => g.chips);
    assert.deepEqual(all.filter((x) => x.state === 'default').map((x) => x.short), ['NET_BIND_SERVICE']);
    assert.equal(all.filter((x) => x.state === 'dropped').length, 13);
  });

  it('--cap-add SYS_PTRACE --cap-add NET_ADMIN: added, in their groups', () => {
    const c = named('cf-capadd');
    assert.ok(c.security);
    const groups = capabilityChips(c.security, c.config);
    const state = (g: string, n: string): string | undefined => groups.find((x) => x.id === g)?.chips.find((x) => x.short === n)?.state;
    assert.equal(state('processes', 'SYS_PTRACE'), 'added');
    assert.equal(state('network', 'NET_ADMIN'), 'added');
    assert.equal(state('files', 'CHOWN'), 'default');
  });

  it('beyond the defaults without a --cap-add (e.g. --privileged): extra; unknown bits go to kernel', () => {
    const c = named('cf-default');
    assert.ok(c.security);
    const sec = { ...c.security, capBnd: [...c.security.capBnd, 'CAP_SYS_ADMIN', 'CAP_41'], capEff: [...c.security.capEff, 'CAP_SYS_ADMIN'] };
    const groups = capabilityChips(sec, c.config);
    const admin = groups.find((g) => g.id === 'admin')?.chips.find((x) => x.short === 'SYS_ADMIN');
    assert.equal(admin?.state, 'extra');
    assert.equal(admin?.effective, true);
    const unknown = groups.find((g) => g.id === 'kernel')?.chips.find((x) => x.short === '41');
    assert.equal(unknown?.state, 'extra');
    assert.equal(unknown?.effective, false);
  });
});

describe('ConfinementPanel', () => {
  it('marks default, added and dropped chips (data-state), dropped ones struck through', () => {
    render(<ConfinementPanel container={named('cf-capadd')} />);
    assert.ok(screen.getByTestId('confinement-panel'));
    assert.equal(chip('SYS_PTRACE').dataset.state, 'added');
    assert.equal(chip('NET_ADMIN').dataset.state, 'added');
    assert.equal(chip('CHOWN').dataset.state, 'default');
    assert.ok(within(screen.getByTestId('cap-group-processes')).getByTestId('cap-chip-SYS_PTRACE'));
    cleanup();

    render(<ConfinementPanel container={named('cf-capdrop')} />);
    assert.equal(chip('NET_BIND_SERVICE').dataset.state, 'default');
    assert.equal(chip('CHOWN').dataset.state, 'dropped');
    assert.ok(chip('CHOWN').querySelector('s'), 'struck through');
    assert.match(screen.getByTestId('cap-groups').textContent ?? '', /1 in the bounding set: 1 of Docker's 14 defaults, 13 dropped/);
  });

  it('explains CapBnd against CapEff: --user 1000 has none effective', () => {
    render(<ConfinementPanel container={named('cf-user')} />);
    assert.equal(chip('CHOWN').dataset.effective, 'false');
    assert.match(screen.getByTestId('cap-groups').textContent ?? '', /CapBnd, the bounding set, is the ceiling.*uid 1000\) has none effective/);
    assert.match(screen.getByTestId('conf-user').textContent ?? '', /uid 1000/);
  });

  it('seccomp, NoNewPrivs, LSM said plainly, user and uid map, root filesystem, privileged', () => {
    render(<ConfinementPanel container={named('cf-noseccomp')} />);
    assert.match(screen.getByTestId('conf-seccomp').textContent ?? '', /disabled/);
    assert.ok(screen.getByTestId('conf-seccomp').classList.contains('risky'));
    assert.match(screen.getByTestId('conf-nnp').textContent ?? '', /not set/);
    assert.match(screen.getByTestId('conf-lsm').textContent ?? '', /no LSM on this kernel/);
    assert.match(screen.getByTestId('conf-user').textContent ?? '', /uid 0 \(root\)/);
    assert.match(screen.getByTestId('conf-uidmap').textContent ?? '', /identity \(no remapping\)/);
    assert.match(screen.getByTestId('conf-privileged').textContent ?? '', /no/);
    assert.match(screen.getByTestId('conf-secopt').textContent ?? '', /seccomp=unconfined/);
    cleanup();
    render(<ConfinementPanel container={named('cf-readonly')} />);
    assert.match(screen.getByTestId('conf-rootfs').textContent ?? '', /read-only/);
    assert.match(screen.getByTestId('conf-seccomp').textContent ?? '', /filter · 1 BPF program/);
  });

  it('findings with their severities, message and evidence; a badge says the severity in words and with a shape', () => {
    render(<ConfinementPanel container={named('cf-sock')} />);
    const f = screen.getByTestId('finding-engine-socket');
    assert.equal(f.dataset.severity, 'critical');
    assert.match(f.textContent ?? '', /cf-sock has the container engine's socket \/var\/run\/docker\.sock/);
    assert.match(f.textContent ?? '', /evidence: security\.mounts: \/run\/docker\.sock -> \/var\/run\/docker\.sock \(rw\)/);
    const badge = f.querySelector('.sev');
    assert.equal(badge?.textContent, 'critical');
    assert.ok(badge?.querySelector('svg.sev-icon-critical polygon'), 'an octagon');
    assert.equal(screen.getByTestId('finding-root-no-userns').dataset.severity, 'medium');
    assert.equal(screen.getByTestId('finding-no-memory-limit').dataset.severity, 'low');
    assert.equal(screen.getByTestId('finding-host-no-lsm').dataset.severity, 'info');
    const items = [...screen.getByTestId('findings').querySelectorAll('[data-testid^="finding-"]')].map((e) => (e as HTMLElement).dataset.severity);
    assert.deepEqual(items, [...items].sort((a, b) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(a ?? '') - ['critical', 'high', 'medium', 'low', 'info'].indexOf(b ?? '')), 'most severe first');
  });

  it('highlights the flagged mount, source → target', () => {
    render(<ConfinementPanel container={named('cf-sock')} />);
    const m = screen.getByTestId('mount-var-run-docker.sock');
    assert.equal(m.dataset.flags, 'engine-socket');
    assert.ok(m.classList.contains('mount-flagged'));
    assert.match(m.textContent ?? '', /\/run\/docker\.sock → .*\/var\/run\/docker\.sock/);
    assert.match(m.textContent ?? '', /container engine socket/);
  });

  it('other severities: --pid host is high, seccomp=unconfined is high', () => {
    render(<ConfinementPanel container={named('cf-hostpid')} />);
    assert.equal(screen.getByTestId('finding-host-ns-pid').dataset.severity, 'high');
    cleanup();
    render(<ConfinementPanel container={named('cf-noseccomp')} />);
    assert.equal(screen.getByTestId('finding-seccomp-disabled').dataset.severity, 'high');
  });

  it('without security (init unreadable): says so', () => {
    const { security: _s, findings: _f, ...bare } = named('cf-default');
    render(<ConfinementPanel container={bare} />);
    assert.match(screen.getByTestId('confinement-panel').textContent ?? '', /unknown/);
    assert.equal(screen.queryByTestId('cap-groups'), null);
  });

  it('is mounted in the container detail', () => {
    const model = deriveModel(s);
    const c = named('cf-sock');
    render(<ContainerDetail model={model} containerId={c.id} samples={[]} onLoadHistory={() => undefined} onOpenContainer={() => undefined} onBack={() => undefined} />);
    assert.ok(screen.getByTestId('confinement-panel'));
    assert.ok(screen.getByTestId('detail-config'), 'the engine settings stay');
    assert.equal(screen.getByTestId('detail-findings-badge').dataset.critical, '1');
  });
});

describe('text helpers', () => {
  const cases = [
    { name: 'a verb gets the subject', msg: 'has no pids limit: x', subject: 'web', want: 'web has no pids limit: x' },
    { name: 'no subject: capitalised', msg: 'shares the host\'s pid namespace', subject: undefined, want: 'Shares the host\'s pid namespace' },
    { name: 'not a verb: capitalised', msg: 'its root filesystem is the host\'s', subject: 'web', want: 'Its root filesystem is the host\'s' },
    { name: 'a path stays', msg: '/proc/sys is writable', subject: 'web', want: '/proc/sys is writable' },
  ];
  for (const c of cases) it(`sentenceOf: ${c.name}`, () => assert.equal(sentenceOf(c.msg, c.subject), c.want));
  it('seccompText and lsmText', () => {
    assert.equal(seccompText({ mode: 'filter', filters: 2 }).value, 'filter · 2 BPF programs');
    assert.equal(seccompText({ mode: null, filters: null }).value, 'unknown');
    assert.equal(lsmText({ kind: 'apparmor', label: 'docker-default', mode: 'enforce' }).value, 'AppArmor profile docker-default (enforce)');
    assert.equal(lsmText({ kind: 'apparmor', label: 'unconfined', mode: null }).risky, true);
    assert.equal(lsmText({ kind: 'selinux', label: 'system_u:system_r:container_t:s0:c1,c2', mode: 'enforcing' }).risky, false);
  });
});

describe('findings summary badges', () => {
  const model = deriveModel(s);
  it('container cards: the count of critical and high findings', () => {
    render(<ContainersView model={model} onOpenContainer={() => undefined} />);
    const sock = screen.getByTestId('findings-badge-cf-sock');
    assert.equal(sock.dataset.critical, '1');
    assert.match(sock.textContent ?? '', /1 critical/);
    assert.equal(screen.getByTestId('findings-badge-cf-hostpid').dataset.high, '1');
    assert.equal(screen.queryByTestId('findings-badge-cf-default'), null, 'medium and below: no badge');
  });
  it('the tree\'s container header rows', () => {
    render(<ProcessTree model={model} onOpenContainer={() => undefined} fallbackHeight={6000} />);
    assert.match(screen.getByTestId('tree-findings-cf-noseccomp').textContent ?? '', /1 high/);
    assert.ok(within(screen.getByTestId('container-cf-sock')).getByTestId('tree-findings-cf-sock'));
    assert.equal(screen.queryByTestId('tree-findings-cf-default'), null);
  });
});
