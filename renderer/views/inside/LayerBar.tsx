// An image's layers: one horizontal bar split by bytes (each layer's instruction and size on
// hover), then the list of every history step, metadata-only steps as 0 B rows.
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { ImageInfo } from '../../../shared/rootfs';
import { formatBytes } from '../../state/format';
import { layerInstruction, layerSegments } from './inside-facts';
import type { LayerSegment } from './inside-facts';

/** Alternating shades, so that neighbouring layers stay apart: the image's own, and its base image's (greyer). */
const OWN = ['#332288', '#6a5fb0'];
const BASE = ['#8a929e', '#b3b9c2'];

/** The colour of a layer with bytes: base or own, alternating along the bar (k = its place among the layers with bytes). */
function colorOf(s: LayerSegment, k: number): string {
  const set = s.fromBase ? BASE : OWN;
  return set[k % 2] ?? '#888888';
}

const label = (s: LayerSegment): string => `${layerInstruction(s.layer)}: ${formatBytes(s.layer.size)}`;

/** The layers of one image (data-testid inside-layers; inside-layer-<i> per history row, with data-bytes). */
export function LayerBar({ info }: { readonly info: ImageInfo }): ReactNode {
  const [hover, setHover] = useState<number | null>(null);
  const { segments, sum, baseIndex } = layerSegments(info);
  const shown = hover !== null ? segments[hover] : undefined;
  const sized = segments.filter((s) => s.layer.size > 0);
  const place = new Map(sized.map((s, k) => [s.index, k]));
  const color = (s: LayerSegment): string => colorOf(s, place.get(s.index) ?? 0);
  return (
    <div className="conf-box inside-layers" data-testid="inside-layers">
      <h4>
        Image layers <span className="h-sub muted">{info.name}</span>
      </h4>
      <p className="inside-layers-sum">
        <b>{formatBytes(info.totalBytes)}</b> in {info.layerCount} filesystem {info.layerCount === 1 ? 'layer' : 'layers'} ({info.layers.length} history{' '}
        {info.layers.length === 1 ? 'step' : 'steps'}) · base image: {info.base ? <code>{info.base}</code> : <span className="muted">none recorded (FROM scratch, or imported)</span>}
      </p>
      {sum > 0 && (
        <div className="layer-bar" role="list" aria-label="Layers by size" onMouseLeave={() => setHover(null)}>
          {sized.map((s) => (
            <span
              key={s.index}
              role="listitem"
              tabIndex={0}
              className={`layer-seg${hover === s.index ? ' hovered' : ''}`}
              data-testid={`inside-layer-bar-${s.index}`}
              style={{ flexGrow: s.layer.size, background: color(s) }}
              title={label(s)}
              aria-label={`layer ${s.index + 1}: ${label(s)}`}
              onMouseEnter={() => setHover(s.index)}
              onFocus={() => setHover(s.index)}
              onBlur={() => setHover(null)}
            >
              {s.share >= 0.12 ? formatBytes(s.layer.size) : ''}
            </span>
          ))}
        </div>
      )}
      <p className="layer-caption" data-testid="inside-layer-caption">
        {shown ? (
          <>
            <b>#{shown.index + 1}</b> <code>{layerInstruction(shown.layer)}</code> · {formatBytes(shown.layer.size)} (
            {Math.round(shown.share * 100)}%)
          </>
        ) : (
          <span className="muted">Point at a layer to see the instruction that made it.{baseIndex !== null ? ' Grey: layers of the base image.' : ''}</span>
        )}
      </p>
      <table className="layer-list">
        <tbody>
          {segments.map((s) => (
            <tr
              key={s.index}
              data-testid={`inside-layer-${s.index}`}
              data-bytes={s.layer.size}
              className={`${s.layer.size === 0 ? 'layer-empty' : ''}${hover === s.index ? ' hovered' : ''}`}
              onMouseEnter={() => setHover(s.index)}
            >
              <td className="layer-n">{s.index + 1}</td>
              <td>{s.layer.size > 0 ? <span className="swatch" style={{ background: color(s) }} aria-hidden="true" /> : <span className="layer-none" title="metadata only: no files">–</span>}</td>
              <td className="layer-cmd" title={layerInstruction(s.layer)}>
                <code>{layerInstruction(s.layer)}</code>
                {s.index === baseIndex && <span className="tag">base: {info.base}</span>}
              </td>
              <td className="layer-size">{formatBytes(s.layer.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
