// The list of keyboard shortcuts (the `?` key), so a class can drive the app without a mouse.
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { SHORTCUTS } from '../../app/keyboard';

/** The shortcuts overlay (data-testid shortcuts-help); Esc or ? closes it. */
export function ShortcutsHelp({ onClose }: { readonly onClose: () => void }): ReactNode {
  const ref = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div className="shortcuts-help" role="dialog" aria-labelledby="shortcuts-title" data-testid="shortcuts-help">
      <h2 id="shortcuts-title">Keyboard</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                {s.keys.split(' ').map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </th>
              <td>{s.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" ref={ref} onClick={onClose}>
        Close
      </button>
    </div>
  );
}
