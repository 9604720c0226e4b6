// What a container's init may do, as the kernel enforces it: capabilities, seccomp, no_new_privs,
// LSM, user and uid map, mounts, root filesystem, privileged; then the findings drawn from them.
import type { ReactNode } from 'react';
import type { ContainerSecurity, IdMapEntry, LsmLabel } from '../../../shared/confinement';
import type { ContainerInfo } from '../../../shared/model';
import { Explain } from '../explain/Explain';
import type { ConceptId } from '../explain/concepts';
import { CapabilityChips } from './CapabilityChips';
import { FindingsList } from './FindingsList';
import { MountList } from './MountList';

/** The explanation behind a fact's "?" (views/explain/concepts.ts). */
const EXPLAINED: Readonly<Record<string, ConceptId>> = { seccomp: 'seccomp', lsm: 'apparmor', uidmap: 'uid-map' };

/** A fact's line: its value, and whether it weakens confinement. */
interface Fact {
  readonly key: string;
  readonly label: string;
  readonly value: ReactNode;
  readonly risky?: boolean;
  readonly note?: ReactNode;
}

/** Seccomp as words (seccomp(2); proc(5) status Seccomp / Seccomp_filters). */
export function seccompText(s: ContainerSecurity['seccomp']): { value: string; note: string; risky: boolean } {
  switch (s.mode) {
    case 'filter':
      return {
        value: `filter · ${s.filters ?? '?'} BPF ${s.filters === 1 ? 'program' : 'programs'}`,
        note: 'system calls pass through a filter (Docker\u2019s default profile refuses the dangerous ones)',
        risky: false,
      };
    case 'strict':
      return { value: 'strict', note: 'only read, write, _exit and sigreturn', risky: false };
    case 'disabled':
      return { value: 'disabled', note: 'every system call of the host kernel is reachable', risky: true };
    default:
      return { value: 'unknown', note: 'its status file gave no Seccomp line', risky: false };
  }
}

/** The LSM label as words; "no LSM on this kernel" when the host runs neither AppArmor nor SELinux. */
export function lsmText(l: LsmLabel): { value: string; note: string; risky: boolean } {
  if (l.kind === 'none') return { value: 'no LSM on this kernel', note: 'neither AppArmor nor SELinux runs here: no profile confines any container', risky: false };
  if (l.kind === null) return { value: 'unknown', note: 'its attr/current could not be read, or the LSM is neither AppArmor nor SELinux', risky: false };
  const name = l.kind === 'apparmor' ? 'AppArmor' : 'SELinux';
  if (l.label === null) return { value: `${name}: no label`, note: '', risky: true };
  const unconfined = l.label === 'unconfined' || /:unconfined_t:|:spc_t:/.test(l.label);
  return {
    value: `${name} ${l.kind === 'apparmor' ? 'profile' : 'context'} ${l.label}${l.mode ? ` (${l.mode})` : ''}`,
    note: unconfined ? 'unconfined: the LSM does not restrict it' : l.kind === 'apparmor' ? 'the profile limits files, mounts and signals' : 'its type limits what it can touch',
    risky: unconfined,
  };
}

/** An id map as "0→100000 ×65536, …" (user_namespaces(7) uid_map lines). */
export function idMapText(map: readonly IdMapEntry[]): string {
  return map.map((e) => `${e.inside}→${e.outside} ×${e.count}`).join(', ');
}

function facts(c: ContainerInfo, s: ContainerSecurity): Fact[] {
  const seccomp = seccompText(s.seccomp);
  const lsm = lsmText(s.lsm);
  const noUserns = c.sharedWithHost.includes('user') || s.uidMapSummary.startsWith('identity');
  const out: Fact[] = [
    {
      key: 'privileged',
      label: 'Privileged',
      value: s.privileged === null ? 'unknown (no engine)' : s.privileged ? 'yes' : 'no',
      risky: s.privileged === true,
      note: s.privileged ? 'every capability, every host device, no seccomp, no LSM profile' : undefined,
    },
    { key: 'seccomp', label: 'Seccomp', value: seccomp.value, risky: seccomp.risky, note: seccomp.note },
    {
      key: 'nnp',
      label: 'NoNewPrivs',
      value: s.noNewPrivs === null ? 'unknown' : s.noNewPrivs ? 'set' : 'not set',
      note:
        s.noNewPrivs === null
          ? undefined
          : s.noNewPrivs
            ? 'setuid binaries and file capabilities cannot raise its privileges'
            : 'a setuid binary inside may raise privileges, up to the bounding set (docker run --security-opt no-new-privileges sets it)',
    },
    { key: 'lsm', label: 'LSM', value: lsm.value, risky: lsm.risky, note: lsm.note },
    {
      key: 'user',
      label: 'User',
      value:
        s.user.uid === null
          ? 'unknown'
          : `uid ${s.user.uid}${s.user.name ? ` (${s.user.name})` : ''}${s.hostUid !== null && s.hostUid !== s.user.uid ? ` = uid ${s.hostUid} on the host` : ''}`,
      risky: s.user.uid === 0 && noUserns,
      note: s.user.uid === 0 && noUserns ? 'root, and root inside is root on the host' : undefined,
    },
    {
      key: 'uidmap',
      label: 'uid map',
      value: s.uidMap.length === 0 ? 'unknown' : s.uidMapSummary,
      note: s.uidMap.length > 0 ? <code>{idMapText(s.uidMap)}</code> : undefined,
    },
    {
      key: 'rootfs',
      label: 'Root filesystem',
      value: s.readOnlyRootfs === null ? 'unknown' : s.readOnlyRootfs ? 'read-only' : 'writable',
      note: s.readOnlyRootfs ? 'it cannot change its own image files' : undefined,
    },
  ];
  if (s.securityOpt.length > 0) out.push({ key: 'secopt', label: 'Security options', value: s.securityOpt.join(', ') });
  return out;
}

/** The confinement panel of a container's detail (data-testid confinement-panel). */
export function ConfinementPanel({ container }: { readonly container: ContainerInfo }): ReactNode {
  const s = container.security;
  if (!s) {
    return (
      <section className="confinement-panel" data-testid="confinement-panel" aria-label="Confinement">
        <h3>Confinement</h3>
        <p className="muted">
          What it may do is unknown: the snapshot has nothing on it. Its init&apos;s <code>/proc/PID/status</code> was not read (it exited,
          or isolens does not run as root).
        </p>
      </section>
    );
  }
  return (
    <section className="confinement-panel" data-testid="confinement-panel" aria-label="Confinement">
      <h3>
        Confinement <span className="muted h-sub">what its init may do, as the kernel enforces it</span>
      </h3>
      <div className="conf-grid">
        <div className="conf-box">
          <h4>
            Capabilities <Explain concept="capability" />
          </h4>
          <CapabilityChips sec={s} config={container.config} />
        </div>
        <div className="conf-box">
          <h4>Filters, labels and identity</h4>
          <dl className="conf-facts">
            {facts(container, s).map((f) => (
              <div key={f.key} className={f.risky ? 'fact risky' : 'fact'} data-testid={`conf-${f.key}`}>
                <dt>
                  {f.label} {EXPLAINED[f.key] && <Explain concept={EXPLAINED[f.key] as ConceptId} />}
                </dt>
                <dd>
                  <span className="fact-value">
                    {f.risky && <span aria-hidden="true">⚠ </span>}
                    {f.value}
                  </span>
                  {f.note && <span className="fact-note"> {f.note}</span>}
                </dd>
              </div>
            ))}
          </dl>
          {s.unreadable.length > 0 && <p className="muted">Could not read: {s.unreadable.join(', ')}.</p>}
        </div>
      </div>
      <div className="conf-box">
        <h4>Mounts</h4>
        <MountList mounts={s.mounts} />
      </div>
      <div className="conf-box">
        <FindingsList findings={container.findings ?? []} subject={container.name} />
      </div>
    </section>
  );
}
