// Two containers or processes side by side (shared/compare.ts compareSubjects): the verdict in large
// type, then every namespace (same / different, which is the host's), cgroup and limits,
// capabilities (only in A / both / only in B), seccomp, LSM, uid map and user; what is inside each.
import type { ReactNode } from 'react';
import { compareSubjects } from '../../../shared/compare';
import type { CapabilitySplit, CompareSubject, Comparison, NamespaceComparison, NamespaceRelation } from '../../../shared/compare';
import type { Snapshot } from '../../../shared/model';
import { HOST_GREY } from '../../state/colors';
import type { ViewModel } from '../../state/derive';
import { shortId } from '../../state/format';
import { HOST_SHARED_MEANS } from '../containers/DetailNamespaces';
import { FindingsBadge } from '../confinement/FindingsList';
import { CompareInside } from '../inside/CompareInside';
import { refLabel, subjectOf } from './refs';
import type { CompareRef } from './refs';

/** Props of CompareView. */
export interface CompareViewProps {
  readonly snapshot: Snapshot;
  readonly model: ViewModel;
  /** The two refs of the route; undefined when the route names none. */
  readonly refs: readonly [CompareRef, CompareRef] | undefined;
  readonly onOpenContainer: (id: string) => void;
  readonly onSwap: () => void;
  readonly onBack: () => void;
}

/** How a relation reads in the table's middle column. */
export const RELATION_TEXT: Readonly<Record<NamespaceRelation, { readonly short: string; readonly same: boolean | null }>> = {
  'both-host': { short: "same: the host's", same: true },
  shared: { short: 'same: shared', same: true },
  'a-host': { short: "differ: A's is the host's", same: false },
  'b-host': { short: "differ: B's is the host's", same: false },
  separate: { short: 'separate', same: false },
  unknown: { short: 'unknown', same: null },
};

/** The verdict's first sentence (the pid namespace: who sees whose processes) and the rest. */
export function splitVerdict(verdict: string): [string, string] {
  const i = verdict.indexOf('. ');
  return i < 0 ? [verdict, ''] : [verdict.slice(0, i + 1), verdict.slice(i + 2)];
}

/** What one namespace row means, in words. */
function relationMeaning(n: NamespaceComparison, a: string, b: string): string {
  switch (n.relation) {
    case 'a-host':
      return `${a} ${HOST_SHARED_MEANS[n.kind]}; ${b} has its own`;
    case 'b-host':
      return `${b} ${HOST_SHARED_MEANS[n.kind]}; ${a} has its own`;
    case 'both-host':
      return 'both use the host\u2019s';
    case 'shared':
      return 'one namespace, not the host\u2019s: what one sees here, the other sees';
    case 'separate':
      return 'each has its own';
    case 'unknown':
      return 'a link could not be read (run isolens as root)';
  }
}

function Subject({ s, slot, model, onOpen }: { readonly s: CompareSubject; readonly slot: 'A' | 'B'; readonly model: ViewModel; readonly onOpen: (id: string) => void }): ReactNode {
  const c = s.id !== null ? model.containerById.get(s.id) : undefined;
  const owner = s.kind === 'process' && s.pid !== null ? model.processByPid.get(s.pid)?.containerId : null;
  const ownerC = owner ? model.containerById.get(owner) : undefined;
  const color = c?.color.solid ?? ownerC?.color.solid ?? HOST_GREY;
  return (
    <div className="cmp-subject" data-testid={`compare-subject-${slot}`} style={{ borderLeftColor: color }}>
      <span className="cmp-slot">{slot}</span>
      <div>
        <div className="cmp-name">
          {c ? (
            <button type="button" className="container-link" onClick={() => onOpen(c.info.id)}>
              {s.name}
            </button>
          ) : (
            s.name
          )}{' '}
          {c && <FindingsBadge findings={c.info.findings} />}
        </div>
        <div className="muted cmp-meta">
          {s.kind === 'container'
            ? `container · ${c?.info.engine ?? ''} · ${s.id ? shortId(s.id) : ''} · init host PID ${s.pid ?? '?'}`
            : s.containerName === null && s.pid !== null && s.pid === model.host.namespacesFrom
              ? "host process · its namespaces are the host's initial ones"
              : `process · ${s.containerName ? `in container ${s.containerName}` : 'a host process'}`}
        </div>
      </div>
    </div>
  );
}

function NsCell({ id, host, model }: { readonly id: number | null; readonly host: boolean; readonly model: ViewModel }): ReactNode {
  if (id === null) return <td className="cmp-ns-id muted">unreadable</td>;
  const color = host ? HOST_GREY : (model.namespaceById.get(id)?.color ?? '#ffffff');
  return (
    <td className="cmp-ns-id">
      <span className="swatch" style={{ background: color }} aria-hidden="true" /> <code>{id}</code> {host && <span className="pill pill-host">host</span>}
    </td>
  );
}

function CapList({ caps, testId, cls }: { readonly caps: readonly string[]; readonly testId: string; readonly cls: string }): ReactNode {
  return (
    <div className="cmp-cap-list" data-testid={testId}>
      {caps.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        caps.map((c) => (
          <span key={c} className={`cap ${cls}`} title={c}>
            {c.replace(/^CAP_/, '')}
          </span>
        ))
      )}
    </div>
  );
}

function CapSplitView({ title, split, a, b, id }: { readonly title: string; readonly split: CapabilitySplit; readonly a: string; readonly b: string; readonly id: string }): ReactNode {
  return (
    <div className="cmp-caps" data-testid={`compare-caps-${id}`}>
      <h4>{title}</h4>
      <div className="cmp-caps-cols">
        <div>
          <div className="cmp-caps-head">
            only in <b>A</b> <span className="muted">{a}</span> ({split.onlyA.length})
          </div>
          <CapList caps={split.onlyA} testId={`compare-caps-${id}-onlyA`} cls="cap-added" />
        </div>
        <div>
          <div className="cmp-caps-head">in both ({split.both.length})</div>
          <CapList caps={split.both} testId={`compare-caps-${id}-both`} cls="cap-default" />
        </div>
        <div>
          <div className="cmp-caps-head">
            only in <b>B</b> <span className="muted">{b}</span> ({split.onlyB.length})
          </div>
          <CapList caps={split.onlyB} testId={`compare-caps-${id}-onlyB`} cls="cap-added" />
        </div>
      </div>
    </div>
  );
}

/** Which side's security the snapshot lacks, and why, in one sentence; null when both are known. */
function securityNote(cmp: Comparison): string | null {
  const missing = [cmp.a, cmp.b].filter((s) => s.security === null);
  if (missing.length === 0) return null;
  const inContainer = missing.some((s) => s.containerName !== null);
  return `${missing.map((s) => s.name).join(' and ')}: capabilities, seccomp and LSM are read for each container's init only${inContainer ? '; pick the container (its header row) to compare them' : ''}.`;
}

function Instructions({ children }: { readonly children?: ReactNode }): ReactNode {
  return (
    <div className="empty" data-testid="compare-empty">
      {children}
      <p className="empty-title">Pick two rows to compare.</p>
      <p>
        In the <b>Process tree</b> (a process or a container&apos;s header) or the <b>Namespaces</b> matrix, hover a row and click <b>compare</b>, or
        click the row and press <kbd>c</kbd>. Then click <b>Compare</b> in the tray at the bottom.
      </p>
    </div>
  );
}

/** The comparison view (data-testid compare-view, compare-verdict, compare-ns-<kind> with data-relation). */
export function CompareView({ snapshot, model, refs, onOpenContainer, onSwap, onBack }: CompareViewProps): ReactNode {
  const back = (
    <button type="button" className="back" onClick={onBack}>
      ← Back
    </button>
  );
  if (!refs) {
    return (
      <section className="view compare-view" data-testid="compare-view" aria-label="Comparison">
        {back}
        <Instructions />
      </section>
    );
  }
  const a = subjectOf(snapshot, model, refs[0]);
  const b = subjectOf(snapshot, model, refs[1]);
  if (!a || !b) {
    const gone = [!a ? refLabel(model, refs[0]) : null, !b ? refLabel(model, refs[1]) : null].filter(Boolean).join(' and ');
    return (
      <section className="view compare-view" data-testid="compare-view" aria-label="Comparison">
        {back}
        <Instructions>
          <p className="bad" data-testid="compare-gone">
            Nothing to compare: {gone} is not in the snapshot any more (it exited or was removed).
          </p>
        </Instructions>
      </section>
    );
  }
  const cmp = compareSubjects(a, b);
  const [lead, rest] = splitVerdict(cmp.verdict);
  const host = snapshot.host.namespaces;
  const note = securityNote(cmp);
  const limitRows = cmp.rows.filter((r) => ['cgroup', 'memory limit', 'CPU limit', 'pids limit', 'cpuset'].includes(r.aspect));
  const secRows = cmp.rows.filter((r) => !limitRows.includes(r));
  return (
    <section className="view compare-view" data-testid="compare-view" aria-label={`Comparison of ${a.name} and ${b.name}`}>
      <div className="cmp-bar">
        {back}
        <button type="button" className="cmp-swap" onClick={onSwap} data-testid="compare-swap">
          ⇄ Swap A and B
        </button>
      </div>
      <div className="cmp-subjects">
        <Subject s={a} slot="A" model={model} onOpen={onOpenContainer} />
        <span className="cmp-vs">vs</span>
        <Subject s={b} slot="B" model={model} onOpen={onOpenContainer} />
      </div>
      <p className="compare-verdict" data-testid="compare-verdict">
        <span className="verdict-lead">{lead}</span> {rest && <span className="verdict-rest">{rest}</span>}
      </p>

      <div className="cmp-grid">
        <div className="cmp-box">
          <h3>Namespaces</h3>
          <table className="cmp-table cmp-ns">
            <thead>
              <tr>
                <th scope="col">kind</th>
                <th scope="col">A</th>
                <th scope="col">B</th>
                <th scope="col">how they stand</th>
              </tr>
            </thead>
            <tbody>
              {cmp.namespaces.map((n) => {
                const rel = RELATION_TEXT[n.relation];
                const oneHost = n.relation === 'a-host' || n.relation === 'b-host';
                return (
                  <tr
                    key={n.kind}
                    data-testid={`compare-ns-${n.kind}`}
                    data-relation={n.relation}
                    className={`cmp-rel-${n.relation}${oneHost ? ' risky' : ''}${n.kind === 'pid' ? ' cmp-pid' : ''}`}
                  >
                    <th scope="row">{n.kind}</th>
                    <NsCell id={n.a} host={n.a !== null && host[n.kind] === n.a} model={model} />
                    <NsCell id={n.b} host={n.b !== null && host[n.kind] === n.b} model={model} />
                    <td>
                      <span className={`rel rel-${n.relation === 'separate' ? 'separate' : rel.same === null ? 'unknown' : rel.same ? 'same' : 'differ'}`}>
                        {rel.same === true ? '= ' : oneHost ? '≠ ' : rel.same === null ? '? ' : ''}
                        {rel.short}
                      </span>
                      <div className="rel-meaning">{relationMeaning(n, 'A', 'B')}</div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div className="cmp-box">
          <h3>Cgroup and limits</h3>
          <AspectTable rows={limitRows} testId="compare-limits" />
          <h3>What each may do</h3>
          <AspectTable rows={secRows} testId="compare-security" />
          {note && <p className="muted cmp-note">{note}</p>}
        </div>
      </div>
      {cmp.capEff && <CapSplitView title="Effective capabilities (CapEff)" split={cmp.capEff} a={a.name} b={b.name} id="eff" />}
      {cmp.capBnd && cmp.capEff && !sameSplit(cmp.capBnd, cmp.capEff) && (
        <CapSplitView title="Bounding sets (CapBnd): the ceiling" split={cmp.capBnd} a={a.name} b={b.name} id="bnd" />
      )}
      <CompareInside a={a} b={b} model={model} host={snapshot.host} />
    </section>
  );
}

/** Long container ids inside a value (cgroup paths) cut to docker ps's 12 digits; the full text stays in the cell's title. */
const shortenIds = (s: string): string => s.replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1…');

const sameSplit = (x: CapabilitySplit, y: CapabilitySplit): boolean =>
  x.onlyA.join() === y.onlyA.join() && x.onlyB.join() === y.onlyB.join() && x.both.join() === y.both.join();

function AspectTable({ rows, testId }: { readonly rows: Comparison['rows']; readonly testId: string }): ReactNode {
  return (
    <table className="cmp-table cmp-aspects" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">A</th>
          <th scope="col">B</th>
          <th scope="col" />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const state = r.same === null ? 'unknown' : r.same ? 'same' : r.counts ? 'differ' : 'other';
          return (
            <tr key={r.aspect} className={`aspect-${state}${r.aspect === 'cgroup' ? ' aspect-path' : ''}`} data-testid={`compare-row-${r.aspect.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}`} data-same={String(r.same)}>
              <th scope="row">{r.aspect}</th>
              <td title={r.a}>{shortenIds(r.a)}</td>
              <td title={r.b}>{shortenIds(r.b)}</td>
              <td className="aspect-mark" title={state === 'other' ? 'differs between any two containers: not counted as a difference' : undefined}>{state === 'same' ? '= same' : state === 'differ' ? '≠ differs' : state === 'other' ? '≠' : '?'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
