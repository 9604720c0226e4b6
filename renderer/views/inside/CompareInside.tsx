// The comparison's "Inside" section: the two subjects' root filesystems and images side by side
// (a FROM scratch binary against a whole Debian userland makes the attack-surface point).
import type { ReactNode } from 'react';
import type { CompareSubject } from '../../../shared/compare';
import type { ContainerInfo, HostInfo } from '../../../shared/model';
import type { RootfsInfo } from '../../../shared/rootfs';
import type { ViewModel } from '../../state/derive';
import { formatBytes } from '../../state/format';
import { countText, kernelSentence } from './inside-facts';

/** One aspect of the two root filesystems. */
export interface InsideRow {
  readonly aspect: string;
  readonly a: string;
  readonly b: string;
  /** null when either side is unknown. */
  readonly same: boolean | null;
}

/** Whose root filesystem a subject has: its own container's, a process's container's, or none (the host, a host process). */
export function insideContainerOf(s: CompareSubject, model: ViewModel): ContainerInfo | null {
  if (s.kind === 'container' && s.id !== null) return model.containerById.get(s.id)?.info ?? null;
  if (s.pid === null) return null;
  const owner = model.processByPid.get(s.pid)?.containerId;
  return owner ? (model.containerById.get(owner)?.info ?? null) : null;
}

const list = (xs: readonly string[]): string => (xs.length === 0 ? 'none' : xs.join(', '));
const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

function entrypointText(r: RootfsInfo): string | null {
  const e = r.entrypoint;
  if (e === null) return null;
  if (e.error !== null) return `${e.path} (unreadable)`;
  if (e.static === null) return `${e.path} (not ELF)`;
  if (e.static) return `${e.path} (static)`;
  const n = e.needed.length;
  const missing = e.missing.length > 0 ? `, ${e.missing.length} missing` : '';
  return `${e.path} (dynamic, ${n} ${n === 1 ? 'library' : 'libraries'}${missing})`;
}

/** The rows of the side-by-side: verdict, OS, files, bytes, shells, package managers, tools, entrypoint, image, layers, base. */
export function insideRows(a: ContainerInfo | null, b: ContainerInfo | null): InsideRow[] {
  const ra = a?.rootfs && a.rootfs.error === null ? a.rootfs : null;
  const rb = b?.rootfs && b.rootfs.error === null ? b.rootfs : null;
  const fs = (f: (r: RootfsInfo) => string | null): [string | null, string | null] => [ra ? f(ra) : null, rb ? f(rb) : null];
  const row = (aspect: string, [x, y]: [string | null, string | null]): InsideRow => ({
    aspect,
    a: x ?? 'unknown',
    b: y ?? 'unknown',
    same: x === null || y === null ? null : x === y,
  });
  const ia = a?.imageInfo ?? null;
  const ib = b?.imageInfo ?? null;
  const img = (f: (i: NonNullable<ContainerInfo['imageInfo']>) => string): [string | null, string | null] => [ia ? f(ia) : null, ib ? f(ib) : null];
  return [
    row('root filesystem', [a?.rootfs?.verdict ?? null, b?.rootfs?.verdict ?? null]),
    row('OS release', fs((r) => r.os?.prettyName ?? 'none')),
    row('files', fs((r) => countText(r.files, r.partial))),
    row('bytes', fs((r) => formatBytes(r.bytes))),
    row('shells', fs((r) => list(r.shells.map(base)))),
    row('package managers', fs((r) => list(r.packageManagers))),
    row('tools', fs((r) => (r.tools.length === 0 ? 'none' : `${r.tools.length}: ${r.tools.join(', ')}`))),
    row('entrypoint', fs(entrypointText)),
    row('image', [a?.image ?? ia?.name ?? null, b?.image ?? ib?.name ?? null]),
    row('layers', img((i) => `${i.layerCount} ${i.layerCount === 1 ? 'layer' : 'layers'}, ${formatBytes(i.totalBytes)}`)),
    row('base image', img((i) => i.base ?? 'none (scratch or imported)')),
  ];
}

/** The side-by-side section (data-testid compare-inside, compare-inside-verdict-A/B in large type, then compare-inside-<aspect> rows with data-same); null when neither side has a root filesystem record or image. */
export function CompareInside({ a, b, model, host }: { readonly a: CompareSubject; readonly b: CompareSubject; readonly model: ViewModel; readonly host: HostInfo }): ReactNode {
  const ca = insideContainerOf(a, model);
  const cb = insideContainerOf(b, model);
  if (!ca?.rootfs && !cb?.rootfs && !ca?.imageInfo && !cb?.imageInfo) return null;
  const rows = insideRows(ca, cb);
  const whose = (s: CompareSubject, c: ContainerInfo | null): string =>
    c === null ? 'the host\u2019s own files' : s.kind === 'container' ? '' : `its container ${c.name}`;
  const wa = whose(a, ca);
  const wb = whose(b, cb);
  return (
    <div className="cmp-box cmp-inside" data-testid="compare-inside">
      <h3>Inside: what each root filesystem holds</h3>
      <p className="cmp-inside-verdicts">
        <span className="cmp-inside-side" data-testid="compare-inside-verdict-A">
          <span className="cmp-slot">A</span> {ca?.rootfs?.verdict ?? <span className="muted">{wa || 'not inspected'}</span>}
        </span>
        <span className="cmp-inside-side" data-testid="compare-inside-verdict-B">
          <span className="cmp-slot">B</span> {cb?.rootfs?.verdict ?? <span className="muted">{wb || 'not inspected'}</span>}
        </span>
      </p>
      <table className="cmp-table cmp-aspects">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">A{wa && ca ? <span className="muted"> ({wa})</span> : null}</th>
            <th scope="col">B{wb && cb ? <span className="muted"> ({wb})</span> : null}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {rows.filter((r) => r.aspect !== 'root filesystem').map((r) => {
            const state = r.same === null ? 'unknown' : r.same ? 'same' : 'other';
            return (
              <tr key={r.aspect} className={`aspect-${state}`} data-testid={`compare-inside-${r.aspect.replace(/[^a-z0-9]+/gi, '-')}`} data-same={String(r.same)}>
                <th scope="row">{r.aspect}</th>
                <td title={r.a}>{r.a}</td>
                <td title={r.b}>{r.b}</td>
                <td className="aspect-mark">{state === 'same' ? '= same' : state === 'other' ? '≠' : '?'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted cmp-note">{kernelSentence(host)} Side by side, what differs is files, not kernels.</p>
    </div>
  );
}
