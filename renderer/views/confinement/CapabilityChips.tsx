// Capabilities as chips grouped by what they grant (capabilities(7)); Docker's defaults muted,
// added ones highlighted, dropped ones struck through; dashed = bounding set only, not effective.
import type { ReactNode } from 'react';
import { DOCKER_DEFAULT_CAPS } from '../../../shared/confinement';
import type { ContainerSecurity } from '../../../shared/confinement';
import type { ContainerConfig } from '../../../shared/model';
import { CAP_STATE_TEXT, capabilityChips, capabilityCounts } from './cap-chips';
import type { CapChip } from './cap-chips';

function chipTitle(c: CapChip): string {
  const eff = c.state === 'dropped' ? 'not in its bounding set' : c.effective ? 'effective: its init has it now' : 'in the bounding set only, not effective';
  return `${c.name}: ${c.summary}\n${CAP_STATE_TEXT[c.state]}; ${eff}`;
}

/** One capability chip (data-testid cap-chip-NAME without CAP_, data-state, data-effective). */
export function CapChipView({ chip }: { readonly chip: CapChip }): ReactNode {
  const cls = `cap cap-${chip.state}${chip.state !== 'dropped' && !chip.effective ? ' cap-not-eff' : ''}`;
  return (
    <span className={cls} data-testid={`cap-chip-${chip.short}`} data-state={chip.state} data-effective={String(chip.effective)} title={chipTitle(chip)}>
      {chip.state === 'added' && <span aria-hidden="true">+ </span>}
      {chip.state === 'extra' && <span aria-hidden="true">! </span>}
      {chip.state === 'dropped' ? <s>{chip.short}</s> : chip.short}
      {chip.state === 'dropped' && <span className="sr-only"> (dropped)</span>}
    </span>
  );
}

/** The sentence under the chips: bounding set against effective set, in this container's numbers. */
export function boundingVsEffective(sec: ContainerSecurity): string {
  const b = sec.capBnd.length;
  const e = sec.capEff.length;
  const who = sec.user.uid === null ? 'its init' : `its init (uid ${sec.user.uid})`;
  const tail =
    e === 0 && b > 0
      ? `${who} has none effective: only a setuid-root or file-capability binary could raise it, up to the bounding set${sec.noNewPrivs ? ' (no_new_privs forbids even that)' : ''}.`
      : e === b
        ? b === 1
          ? `${who} has it effective.`
          : `${who} has all ${e} of them effective.`
        : `${who} has ${e} of them effective (solid chips; dashed ones are bounding only).`;
  return `CapBnd, the bounding set, is the ceiling: ${b} ${b === 1 ? 'capability' : 'capabilities'} no process inside can ever exceed. CapEff is what is in force now: ${tail}`;
}

/** The capability section of the confinement panel. */
export function CapabilityChips({ sec, config }: { readonly sec: ContainerSecurity; readonly config: ContainerConfig | null }): ReactNode {
  const groups = capabilityChips(sec, config);
  const n = capabilityCounts(groups, sec);
  return (
    <div className="caps" data-testid="cap-groups">
      <p className="caps-summary">
        <b>{n.bounding}</b> in the bounding set: {n.default} of Docker&apos;s {DOCKER_DEFAULT_CAPS.length} defaults
        {n.added > 0 && (
          <>
            , <span className="cap-count-added">{n.added} added</span>
          </>
        )}
        {n.extra > 0 && (
          <>
            , <span className="cap-count-extra">{n.extra} beyond the defaults</span>
          </>
        )}
        {n.dropped > 0 && <>, {n.dropped} dropped</>}.
      </p>
      {groups.length === 0 ? (
        <p className="muted">No capability at all: an empty bounding set.</p>
      ) : (
        <div className="cap-groups">
          {groups.map((g) => (
            <div key={g.id} className="cap-group" data-testid={`cap-group-${g.id}`}>
              <span className="cap-group-title">{g.title}</span>
              <span className="cap-group-chips">
                {g.chips.map((c) => (
                  <CapChipView key={c.name} chip={c} />
                ))}
              </span>
            </div>
          ))}
        </div>
      )}
      <p className="caps-explain">{boundingVsEffective(sec)}</p>
      <p className="cap-legend muted" aria-label="Legend">
        <span className="legend-item">
          <span className="cap cap-default">default</span> Docker&apos;s default
        </span>
        <span className="legend-item">
          <span className="cap cap-added">+ added</span> by --cap-add
        </span>
        <span className="legend-item">
          <span className="cap cap-extra">! extra</span> beyond the defaults, not asked for
        </span>
        <span className="legend-item">
          <span className="cap cap-dropped">
            <s>dropped</s>
          </span>{' '}
          by --cap-drop
        </span>
        <span className="legend-item">
          <span className="cap cap-default cap-not-eff">dashed</span> bounding only, not effective
        </span>
      </p>
    </div>
  );
}
