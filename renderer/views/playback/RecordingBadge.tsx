// The badge that says a recording is shown, not the live host: file, recorded host and time.
import type { ReactNode } from 'react';
import type { RecordingInfo } from '../../../shared/contract';

/** "2026-11-28 10:21" in local time, or the raw text when it is not a date. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The RECORDING badge (data-testid recording-badge). */
export function RecordingBadge({ recording }: { readonly recording: RecordingInfo | null }): ReactNode {
  const notes = [
    recording?.redacted ? 'redacted: command lines, host names, label values and /home paths were replaced' : null,
    recording?.truncated ? 'the file ends early' : null,
  ].filter((x): x is string => x !== null);
  return (
    <div className="rec-badge" data-testid="recording-badge" role="status" title={notes.join('; ') || undefined}>
      <span className="rec-word">
        <span className="rec-dot" aria-hidden="true" />
        RECORDING
      </span>
      {recording && (
        <span className="rec-meta">
          <b data-testid="recording-file">{recording.file}</b> · {recording.host.hostname} · {formatDateTime(recording.startedAt)}
          {recording.redacted && <span className="rec-redacted"> · redacted</span>}
        </span>
      )}
    </div>
  );
}
