// The Export menu in the top bar: the snapshot as JSON (optionally redacted) and the view as PNG.
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Snapshot } from '../../../shared/model';
import { downloadBlob } from './download';
import { exportFileName, snapshotExportText } from './export-json';
import { PngExportError, renderViewToPng } from './export-png';

/** Props of ExportMenu. */
export interface ExportMenuProps {
  readonly snapshot: Snapshot | null;
  /** The element exported as PNG (the main panel). */
  readonly getView: () => HTMLElement | null;
  /** Saves a file (tests replace it). */
  readonly save?: (blob: Blob, name: string) => void;
  /** Renders the view (tests replace it). */
  readonly renderPng?: (el: HTMLElement) => Promise<Blob>;
}

/** The Export button and its panel (data-testid export-button, export-menu, export-redact, export-json, export-png, export-status). */
export function ExportMenu({ snapshot, getView, save = downloadBlob, renderPng = renderViewToPng }: ExportMenuProps): ReactNode {
  const [open, setOpen] = useState(false);
  const [redact, setRedact] = useState(false);
  const [status, setStatus] = useState<{ readonly ok: boolean; readonly text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const panel = useRef<HTMLDivElement | null>(null);
  const button = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    if (!open) return undefined;
    const onDown = (e: MouseEvent): void => {
      const t = e.target as Node | null;
      if (t && (panel.current?.contains(t) || button.current?.contains(t))) return;
      setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    panel.current?.querySelector<HTMLElement>('input, button')?.focus();
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const exportJson = (): void => {
    if (!snapshot) {
      setStatus({ ok: false, text: 'No snapshot yet.' });
      return;
    }
    const name = exportFileName(snapshot, 'json', redact);
    save(new Blob([snapshotExportText(snapshot, redact)], { type: 'application/json' }), name);
    setStatus({ ok: true, text: `Saved ${name}${redact ? ' (redacted)' : ''}.` });
  };

  const exportPng = async (): Promise<void> => {
    const el = getView();
    if (!el) {
      setStatus({ ok: false, text: 'Nothing to export.' });
      return;
    }
    setBusy(true);
    try {
      const blob = await renderPng(el);
      const name = snapshot ? exportFileName(snapshot, 'png', false, 'view') : 'isolens-view.png';
      save(blob, name);
      setStatus({ ok: true, text: `Saved ${name}.` });
    } catch (err) {
      const why = err instanceof PngExportError ? err.message : err instanceof Error ? err.message : String(err);
      setStatus({ ok: false, text: `Could not export the view as PNG: ${why}.` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export">
      <button
        ref={button}
        type="button"
        className="tool-button"
        data-testid="export-button"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen((o) => !o)}
      >
        Export
      </button>
      {open && (
        <div
          ref={panel}
          className="export-menu"
          role="dialog"
          aria-label="Export"
          data-testid="export-menu"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              setOpen(false);
              button.current?.focus();
            }
          }}
        >
          <label className="export-redact">
            <input type="checkbox" data-testid="export-redact" checked={redact} onChange={(e) => setRedact(e.currentTarget.checked)} /> Redact before export:
            command lines, host names, label values and /home paths are replaced
          </label>
          <button type="button" data-testid="export-json" onClick={exportJson}>
            Export snapshot (JSON)
          </button>
          <button type="button" data-testid="export-png" onClick={() => void exportPng()} disabled={busy}>
            {busy ? 'Drawing…' : 'Export view (PNG)'}
          </button>
          <p className="muted export-note">The JSON has the shape of <code>isolens snapshot --json</code>. The PNG is the panel below the top bar, as shown.</p>
          {status && (
            <p className={status.ok ? 'ok' : 'bad'} data-testid="export-status" role="status">
              {status.text}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
