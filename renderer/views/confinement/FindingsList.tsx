// The findings of a container, most severe first: badge, one-line reason, and the evidence behind it.
import type { ReactNode } from 'react';
import { SEVERITIES } from '../../../shared/confinement';
import type { Finding, Severity } from '../../../shared/confinement';
import { SeverityBadge, SeverityIcon } from './SeverityBadge';

/** Findings per severity. */
export function countBySeverity(findings: readonly Finding[]): Readonly<Record<Severity, number>> {
  const out: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

/**
 * The message as a sentence. Most findings start with a verb ("shares the host's…", "has no
 * memory limit"): with a subject they read "cf-web shares the host's…"; otherwise, or for the
 * others ("its root filesystem…", "/proc/sys is writable"), the first letter is made upper-case.
 */
export function sentenceOf(message: string, subject?: string): string {
  if (subject && /^(has|shares|runs|is|can|uses) /.test(message)) return `${subject} ${message}`;
  return message.length > 0 && /[a-z]/.test(message[0] ?? '') ? `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}` : message;
}

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

/** The list of findings (data-testid finding-<id>, data-severity). */
export function FindingsList({ findings, subject }: { readonly findings: readonly Finding[]; readonly subject?: string }): ReactNode {
  const counts = countBySeverity(findings);
  const sorted = [...findings].sort((a, b) => rank(a.severity) - rank(b.severity));
  return (
    <div className="findings" data-testid="findings">
      <h4>
        {findings.length === 0 ? 'No findings' : `${findings.length} ${findings.length === 1 ? 'finding' : 'findings'}`}
        {findings.length > 0 && (
          <span className="findings-counts">
            {SEVERITIES.filter((s) => counts[s] > 0).map((s) => (
              <SeverityBadge key={s} severity={s} count={counts[s]} />
            ))}
          </span>
        )}
      </h4>
      {sorted.length > 0 && (
        <ul className="finding-list">
          {sorted.map((f, i) => (
            <li key={`${f.id}-${i}`} className={`finding finding-${f.severity}`} data-testid={`finding-${f.id}`} data-severity={f.severity}>
              <SeverityBadge severity={f.severity} />
              <div className="finding-body">
                <div className="finding-message">{sentenceOf(f.message, subject)}</div>
                <div className="finding-evidence">
                  <span className="muted">evidence:</span> <code>{f.evidence}</code>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The count of critical and high findings as a small badge (container cards, tree headers); nothing when there are none. */
export function FindingsBadge({ findings, testId }: { readonly findings: readonly Finding[] | undefined; readonly testId?: string }): ReactNode {
  if (!findings) return null;
  const counts = countBySeverity(findings);
  if (counts.critical === 0 && counts.high === 0) return null;
  const label = [counts.critical > 0 ? `${counts.critical} critical` : '', counts.high > 0 ? `${counts.high} high` : ''].filter(Boolean).join(', ');
  return (
    <span className="findings-badge" data-testid={testId} data-critical={counts.critical} data-high={counts.high} title={`${label} ${counts.critical + counts.high === 1 ? 'finding' : 'findings'}`}>
      {(['critical', 'high'] as const)
        .filter((s) => counts[s] > 0)
        .map((s) => (
          <span key={s} className={`sev sev-small sev-${s}`} data-severity={s}>
            <SeverityIcon severity={s} size={12} />
            {counts[s]} {s}
          </span>
        ))}
    </span>
  );
}
