// One filesystem layer of a layer analysis (dive's left pane): the instruction that made it, what
// it adds, changes and removes, its bytes, and its largest changes, marked when a later layer
// overwrites or removes them (their bytes are then wasted).
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { LayerAnalysis, LayerChange, LayerDiff } from '../../../shared/rootfs';
import { formatBytes } from '../../state/format';

/** Changes shown before "+N more". */
export const CHANGES_SHOWN = 5;

/** What a later layer does to a file a layer stores: overwrite it (changed) or remove it (a whiteout). */
export interface LaterFate {
  readonly kind: 'overwritten' | 'removed';
  /** Index of the later layer. */
  readonly layer: number;
}

const norm = (p: string): string => p.replace(/^\.?\/+/, '').replace(/\/+$/, '');

/**
 * For every listed added or changed file, the next listed layer that overwrites or removes it (a
 * removed directory removes what is under it; OCI image-spec layer.md whiteouts). Keyed by
 * `${layer}\0${path}`. Built from the listed changes only, so a lower bound when lists were cut.
 */
export function laterFates(a: Pick<LayerAnalysis, 'layers'>): ReadonlyMap<string, LaterFate> {
  const out = new Map<string, LaterFate>();
  const layers = [...a.layers].sort((x, y) => x.index - y.index);
  layers.forEach((l, k) => {
    for (const c of l.changes) {
      if (c.kind === 'removed' || c.size === 0) continue;
      const path = norm(c.path);
      for (const later of layers.slice(k + 1)) {
        const hit = later.changes.find((d) => {
          const q = norm(d.path);
          return q === path || (d.kind === 'removed' && path.startsWith(`${q}/`));
        });
        if (hit) {
          out.set(`${l.index}\0${c.path}`, { kind: hit.kind === 'removed' ? 'removed' : 'overwritten', layer: later.index });
          break;
        }
      }
    }
  });
  return out;
}

/** Changes the layer made that its list leaves out (the collector keeps the largest ones). */
export function unlistedChanges(l: LayerDiff): number {
  return Math.max(0, l.added + l.changed + l.removed - l.changes.length);
}

const SIGN: Readonly<Record<LayerChange['kind'], string>> = { added: '+', changed: '~', removed: '−' };

/** "2 MiB", or for a removal "2 MiB" with what it means; directories and links have no bytes. */
function sizeText(c: LayerChange): string {
  if (c.size === 0) return '';
  return formatBytes(c.size);
}

/** The path as the container sees it (layer tars name paths without the leading slash). */
export function displayPath(p: string): string {
  return `/${norm(p)}`;
}

function ChangeItem({ c, fate }: { readonly c: LayerChange; readonly fate: LaterFate | undefined }): ReactNode {
  return (
    <li className={`la-change la-${c.kind}${fate ? ' la-doomed' : ''}`} data-kind={c.kind}>
      <span className="la-sign" aria-hidden="true">
        {SIGN[c.kind]}
      </span>
      <span className="sr-only">{c.kind} </span>
      <code className="la-path" title={displayPath(c.path)}>
        {displayPath(c.path)}
      </code>
      <span className="la-size">{sizeText(c)}</span>
      {fate && (
        <span className="la-fate">
          {fate.kind} in #{fate.layer + 1}: wasted
        </span>
      )}
    </li>
  );
}

/** Props of LayerAnalysisLayer. */
export interface LayerAnalysisLayerProps {
  readonly layer: LayerDiff;
  /** Number of layers (the last one is the top). */
  readonly count: number;
  /** Bytes of the largest layer, for the size bar. */
  readonly maxBytes: number;
  readonly fates: ReadonlyMap<string, LaterFate>;
}

/** One layer (data-testid layer-analysis-layer-<i>, with data-added, data-changed, data-removed, data-bytes). */
export function LayerAnalysisLayer({ layer: l, count, maxBytes, fates }: LayerAnalysisLayerProps): ReactNode {
  const [all, setAll] = useState(false);
  const shown = all ? l.changes : l.changes.slice(0, CHANGES_SHOWN);
  const hiddenListed = l.changes.length - shown.length;
  const unlisted = unlistedChanges(l);
  const more = hiddenListed + unlisted;
  const place = count === 1 ? 'only layer' : l.index === 0 ? 'bottom' : l.index === count - 1 ? 'top' : null;
  return (
    <li
      className="la-layer"
      data-testid={`layer-analysis-layer-${l.index}`}
      data-added={l.added}
      data-changed={l.changed}
      data-removed={l.removed}
      data-bytes={l.bytes}
    >
      <span className="la-n">
        #{l.index + 1}
        {place && <span className="la-place">{place}</span>}
      </span>
      <div className="la-body">
        <div className="la-layer-head">
          <code className="la-cmd" title={l.createdBy ?? l.source}>
            {l.createdBy ?? <span className="muted">instruction not recorded ({l.diffId ? l.diffId.slice(0, 19) : l.source})</span>}
          </code>
          <span className="la-bytes">{formatBytes(l.bytes)}</span>
        </div>
        <div className="la-layer-sub">
          <span className="la-counts">
            <span className={l.added > 0 ? 'la-added' : 'la-zero'}>+{l.added} added</span> <span className={l.changed > 0 ? 'la-changed' : 'la-zero'}>~{l.changed} changed</span>{' '}
            <span className={l.removed > 0 ? 'la-removed' : 'la-zero'}>−{l.removed} removed</span>
          </span>
          <span className="la-sizebar" aria-hidden="true">
            <span style={{ width: `${maxBytes > 0 ? Math.max(l.bytes > 0 ? 1 : 0, (100 * l.bytes) / maxBytes) : 0}%` }} />
          </span>
        </div>
        {shown.length > 0 && (
          <ul className="la-changes" aria-label={`largest changes of layer ${l.index + 1}`}>
            {shown.map((c) => (
              <ChangeItem key={`${c.kind}:${c.path}`} c={c} fate={fates.get(`${l.index}\0${c.path}`)} />
            ))}
          </ul>
        )}
        {more > 0 &&
          (hiddenListed > 0 ? (
            <button type="button" className="la-more" data-testid={`layer-analysis-more-${l.index}`} onClick={() => setAll(true)} aria-expanded={false}>
              +{more} more
            </button>
          ) : (
            <p className="la-more-note" data-testid={`layer-analysis-more-${l.index}`}>
              +{more} more, not listed (the collector keeps the {l.changes.length} largest)
            </p>
          ))}
        {all && l.changes.length > CHANGES_SHOWN && (
          <button type="button" className="la-more" onClick={() => setAll(false)} aria-expanded={true}>
            show fewer
          </button>
        )}
      </div>
    </li>
  );
}
