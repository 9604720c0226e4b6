// dive's view of a container's image, on demand: 'image:analyze' reads the whole image through
// `docker save` (seconds for a big one), then each layer's files added, changed and removed, the
// bytes stored but hidden by a later layer (wasted), and the image's efficiency.
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { WireError } from '../../../shared/contract';
import type { ContainerInfo } from '../../../shared/model';
import type { LayerAnalysis } from '../../../shared/rootfs';
import { formatBytes } from '../../state/format';
import { useInvoke } from '../process/client';
import { displayPath, LayerAnalysisLayer, laterFates } from './LayerAnalysisLayer';

/** Wasted files shown before "+N more". */
const WASTED_SHOWN = 8;

/**
 * dive's "image efficiency" (finalBytes / totalBytes) as a percentage with one decimal, rounded
 * down so that an image with any waste never reads "100 %".
 */
export function formatEfficiency(e: number): string {
  if (!Number.isFinite(e)) return '—';
  if (e >= 1) return '100 %';
  return `${(Math.floor(Math.max(0, e) * 1000) / 10).toFixed(1)} %`;
}

/** How good an efficiency is, for its colour: dive's CI default fails below 90 %. */
export function efficiencyGrade(e: number): 'good' | 'fair' | 'poor' {
  return e >= 0.95 ? 'good' : e >= 0.9 ? 'fair' : 'poor';
}

/** A sentence with 64-hex-digit ids cut to the 12 `docker ps` shows. */
export function shortenIds(s: string): string {
  return s.replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1');
}

/** Why an analysis failed, in plain words (shared/contract.ts WireError codes); the collector's own message is kept as the title. */
export function layerAnalysisErrorText(e: WireError): string {
  switch (e.code) {
    case 'UNAVAILABLE':
      return 'Docker is not reachable, so its image cannot be read. Is dockerd running, and may isolens use its socket?';
    case 'NOT_FOUND':
      return `Nothing to analyse: ${shortenIds(e.message)}${/^no running/i.test(e.message) ? ' (it stopped, or was removed)' : ''}.`;
    case 'BAD_REQUEST':
      return `The collector refused the request: ${e.message}.`;
    case 'UNAUTHORIZED':
      return `Not allowed: ${e.message}. Reload the page with its token.`;
    case 'INTERNAL':
      return `Reading the image failed: ${e.message}.`;
  }
}

type Phase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading'; readonly since: number }
  | { readonly kind: 'done'; readonly analysis: LayerAnalysis }
  | { readonly kind: 'error'; readonly error: WireError };

function Elapsed({ since }: { readonly since: number }): ReactNode {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const s = Math.max(0, Math.floor((now - since) / 1000));
  return s > 0 ? <span className="muted"> {s} s</span> : null;
}

function Wasted({ a }: { readonly a: LayerAnalysis }): ReactNode {
  const [all, setAll] = useState(false);
  if (a.wastedBytes <= 0 || a.wasted.length === 0) {
    return (
      <p className="la-nowaste" data-testid="layer-analysis-wasted">
        Nothing wasted: no layer overwrites or removes a file an earlier layer stored.
      </p>
    );
  }
  const shown = all ? a.wasted : a.wasted.slice(0, WASTED_SHOWN);
  const more = a.wasted.length - shown.length;
  return (
    <div className="la-wasted" data-testid="layer-analysis-wasted">
      <h5>
        Wasted: <b>{formatBytes(a.wastedBytes)}</b>{' '}
        <span className="muted">
          stored in a layer, then overwritten or removed by a later one: still shipped with the image
          {a.wasted.length >= 50 ? ' (largest 50 files)' : ''}
        </span>
      </h5>
      <table className="la-wasted-list">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Wasted</th>
            <th scope="col">Stored in</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((w) => (
            <tr key={w.path}>
              <td>
                <code title={displayPath(w.path)}>{displayPath(w.path)}</code>
              </td>
              <td className="la-wasted-bytes">{formatBytes(w.bytes)}</td>
              <td className="muted">{w.layers.map((i) => `#${i + 1}`).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more > 0 && (
        <button type="button" className="la-more" onClick={() => setAll(true)}>
          +{more} more
        </button>
      )}
    </div>
  );
}

/** A finished analysis (data-testid layer-analysis, layer-analysis-efficiency, layer-analysis-layer-<i>). */
export function LayerAnalysisView({ analysis: a }: { readonly analysis: LayerAnalysis }): ReactNode {
  const layers = [...a.layers].sort((x, y) => x.index - y.index);
  const maxBytes = Math.max(0, ...layers.map((l) => l.bytes));
  const fates = laterFates(a);
  const grade = efficiencyGrade(a.efficiency);
  return (
    <div className="la-result" data-testid="layer-analysis" data-partial={String(a.partial)}>
      <div className="la-summary">
        <div className={`la-efficiency la-${grade}`}>
          <span className="la-efficiency-figure" data-testid="layer-analysis-efficiency" data-efficiency={a.efficiency}>
            {formatEfficiency(a.efficiency)}
          </span>
          <span className="la-efficiency-label">efficiency</span>
        </div>
        <p className="la-summary-text">
          <b>{formatBytes(a.totalBytes)}</b> stored in {layers.length} {layers.length === 1 ? 'layer' : 'layers'}; <b>{formatBytes(a.finalBytes)}</b> of it visible in
          the final tree
          {a.wastedBytes > 0 ? (
            <>
              , <b className="la-waste-figure">{formatBytes(a.wastedBytes)}</b> wasted.
            </>
          ) : (
            '.'
          )}{' '}
          <span className="muted">Efficiency is dive&apos;s figure: bytes visible at the end ÷ bytes stored.</span>
        </p>
      </div>
      {a.partial && (
        <p className="inside-partial" data-testid="layer-analysis-partial">
          Partial: a cap on entries, bytes or time cut the analysis short, so these figures are lower bounds.
        </p>
      )}
      {a.warnings.length > 0 && (
        <ul className="la-warnings">
          {a.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <h5 className="la-layers-title">
        Layers <span className="muted">bottom to top: files added (+), changed (~) and removed (−), largest first</span>
      </h5>
      <ol className="la-layers">
        {layers.map((l) => (
          <LayerAnalysisLayer key={l.index} layer={l} count={layers.length} maxBytes={maxBytes} fates={fates} />
        ))}
      </ol>
      <Wasted a={a} />
    </div>
  );
}

/**
 * The "Analyse layers" box of a Docker container (data-testid layer-analysis-button): nothing is
 * read until asked. While it runs, the button is disabled and Cancel drops the answer (the
 * collector finishes reading `docker save`; a late answer is ignored, as after unmount). Mount it
 * with key={container.id}, so that another container starts from "Analyse layers".
 */
export function LayerAnalysisSection({ container }: { readonly container: ContainerInfo }): ReactNode {
  const invoke = useInvoke();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  // Which request may still write: bumped by a new request, Cancel, a change of container and unmount.
  const ticket = useRef(0);
  const id = container.id;
  useEffect(
    () => () => {
      ticket.current++;
    },
    [],
  );
  if (container.engine !== 'docker') return null;

  const run = (): void => {
    const mine = ++ticket.current;
    setPhase({ kind: 'loading', since: Date.now() });
    void invoke('image:analyze', id).then((r) => {
      if (ticket.current !== mine) return;
      setPhase(r.ok ? { kind: 'done', analysis: r.value } : { kind: 'error', error: r.error });
    });
  };
  const cancel = (): void => {
    ticket.current++;
    setPhase({ kind: 'idle' });
  };
  const image = container.imageInfo?.name ?? container.image;
  const loading = phase.kind === 'loading';
  return (
    <div className="conf-box layer-analysis" data-testid="layer-analysis-section" data-phase={phase.kind} aria-busy={loading}>
      <h4>
        Layer analysis <span className="h-sub muted">file by file, like dive</span>
      </h4>
      <div className="la-actions">
        <button type="button" className="la-button" data-testid="layer-analysis-button" onClick={run} disabled={loading}>
          {loading ? (
            <>
              <span className="spinner" aria-hidden="true" /> Analysing…
            </>
          ) : phase.kind === 'idle' ? (
            'Analyse layers'
          ) : (
            'Analyse again'
          )}
        </button>
        {loading && (
          <button type="button" className="la-cancel" data-testid="layer-analysis-cancel" onClick={cancel}>
            Cancel
          </button>
        )}
        <span className="la-hint muted" role="status">
          {loading ? (
            <>
              Reading {image ? <code>{image}</code> : 'the image'} through <code>docker save</code>
              <Elapsed since={phase.since} />
            </>
          ) : phase.kind === 'idle' ? (
            <>
              Reads the whole image through <code>docker save</code>: seconds for a big one.
            </>
          ) : null}
        </span>
      </div>
      {phase.kind === 'error' && (
        <p className="la-error bad" data-testid="layer-analysis-error" data-code={phase.error.code} title={phase.error.message} role="alert">
          {layerAnalysisErrorText(phase.error)}
        </p>
      )}
      {phase.kind === 'done' && <LayerAnalysisView analysis={phase.analysis} />}
    </div>
  );
}
