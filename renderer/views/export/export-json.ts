// "Export snapshot (JSON)": the snapshot in the shape `isolens snapshot --json` writes, optionally
// redacted (shared/redact.ts) before it leaves the machine. Pure.
import type { Snapshot } from '../../../shared/model';
import { redactSnapshot } from '../../../shared/redact';
import type { RedactOptions } from '../../../shared/redact';

/** What the export's checkbox hides: command lines and host names (label values and /home paths go with them). */
export const EXPORT_REDACTION: RedactOptions = { commandLines: true, hostnames: true, labels: true, homePaths: true };

/**
 * The snapshot as `isolens snapshot --json` has it: without the live service's host figures
 * (HostInfo.figures, absent from `snapshot`), redacted when asked.
 */
export function snapshotForExport(s: Snapshot, redact: boolean): Snapshot {
  const { figures: _figures, ...host } = s.host;
  const plain: Snapshot = { ...s, host };
  return redact ? redactSnapshot(plain, EXPORT_REDACTION) : plain;
}

/** The JSON text of the export (two-space indent, a final newline, like `snapshot --json`). */
export function snapshotExportText(s: Snapshot, redact: boolean): string {
  return `${JSON.stringify(snapshotForExport(s, redact), null, 2)}\n`;
}

/** A file name: isolens-<host>-<UTC time>[-redacted].<ext>, safe on every file system. */
export function exportFileName(s: Pick<Snapshot, 'takenAt' | 'host'>, ext: 'json' | 'png', redacted: boolean, what = 'snapshot'): string {
  const host = redacted ? 'host' : s.host.hostname.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40) || 'host';
  const t = Number.isNaN(Date.parse(s.takenAt)) ? 'unknown-time' : new Date(s.takenAt).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '');
  return `isolens-${what}-${host}-${t}${redacted ? '-redacted' : ''}.${ext}`;
}
