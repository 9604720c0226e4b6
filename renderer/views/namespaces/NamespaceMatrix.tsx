// The matrix: containers × the 8 namespace kinds, each cell coloured by the namespace's identity.
import type { ReactNode } from 'react';
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import type { MatrixCell, MatrixRow } from '../../state/derive';
import { ContainerLink } from '../common/ContainerLink';
import { PickButton, pickOnC, rowPick } from '../compare/PickButton';
import { Explain } from '../explain/Explain';
import { HOST_REF } from '../compare/refs';

/** A cell picked by hover or click: the row's name and the cell. */
export interface PickedCell {
  readonly rowName: string;
  readonly cell: MatrixCell;
}

const LABEL: Readonly<Record<MatrixCell['sharing'], string>> = { host: 'host', own: 'own', shared: 'shared', unknown: '?' };

function tail(id: number | null): string {
  return id === null ? '' : `…${String(id).slice(-4)}`;
}

/** The namespace matrix; `onPick` is called on hover (pinned false) and click (pinned true); rows can be picked for a comparison. */
export function NamespaceMatrix({ rows, onOpen, onPick, picked, comparePicks, onToggleComparePick }: {
  readonly rows: readonly MatrixRow[];
  readonly onOpen: (id: string) => void;
  readonly onPick: (p: PickedCell | null, pinned: boolean) => void;
  readonly picked: PickedCell | null;
  /** Refs picked for the comparison (views/compare/refs.ts), A first. */
  readonly comparePicks?: readonly string[];
  /** Toggles a row's comparison pick; without it the rows have no compare toggle. */
  readonly onToggleComparePick?: (ref: string) => void;
}): ReactNode {
  return (
    <table className="ns-matrix" data-testid="ns-matrix">
      <thead>
        <tr>
          <th scope="col">Container</th>
          {NAMESPACE_KINDS.map((k) => (
            <th scope="col" key={k}>
              {k} <Explain concept={`ns-${k}`} />
            </th>
          ))}
        </tr>
      </thead>
      <tbody onMouseLeave={() => onPick(null, false)}>
        {rows.map((row) => {
          const name = row.container ? row.container.info.name : 'host';
          const pick = rowPick(row.container ? row.container.info.id : HOST_REF, comparePicks, onToggleComparePick);
          return (
            <tr
              key={row.container?.info.id ?? 'host'}
              className={`${row.container ? '' : 'host-row'}${pick?.slot ? ' picked-row' : ''}`}
              tabIndex={pick ? -1 : undefined}
              onKeyDown={pickOnC(pick?.onToggle)}
              data-testid={`ns-row-${name}`}
            >
              <th scope="row">
                {pick && <PickButton slot={pick.slot} label={row.container ? row.container.info.name : 'the host'} onToggle={pick.onToggle} testId={`pick-ns-${name}`} />}
                {row.container ? (
                  <>
                    <ContainerLink container={row.container} onOpen={onOpen} />
                    {row.container.info.engine === 'none' && <span className="tag">no engine</span>}
                  </>
                ) : (
                  <span className="host-label">the host</span>
                )}
              </th>
              {NAMESPACE_KINDS.map((k) => {
                const cell = row.cells[k];
                const selected = picked !== null && picked.cell.id !== null && picked.cell.id === cell.id;
                const with_ = cell.sharedWith.map((c) => c.info.name).join(', ');
                const title =
                  cell.id === null
                    ? `${k}: unreadable (run as root)`
                    : `${k} namespace ${cell.id}: ` +
                      (cell.sharing === 'host' ? "the host's" : cell.sharing === 'shared' ? `shared with ${with_}` : 'its own');
                return (
                  <td
                    key={k}
                    data-testid={`ns-cell-${name}-${k}`}
                    data-shared={cell.sharing}
                    data-ns={cell.id ?? ''}
                    className={`ns-cell ns-${cell.sharing}${selected ? ' selected' : ''}`}
                    style={{ background: cell.color }}
                    title={title}
                    onMouseEnter={() => onPick({ rowName: name, cell }, false)}
                  >
                    <button type="button" onClick={() => onPick({ rowName: name, cell }, true)} aria-label={`${LABEL[cell.sharing]}${tail(cell.id)}: ${title}`}>
                      <span className="ns-label">{LABEL[cell.sharing]}</span>
                      <span className="ns-inode">{tail(cell.id)}</span>
                    </button>
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
