// What to show when no container runs: say so, and give the command that starts one.
import type { ReactNode } from 'react';

/** The command the empty state teaches (docker-run(1); the image is built by scripts/setup-env.sh). */
export const START_COMMAND = 'docker run -d --network none --memory 64m isolens/busybox:test sleep 600';

/** "No container is running", with the command to start one. */
export function NoContainers({ compact = false }: { readonly compact?: boolean }): ReactNode {
  return (
    <div className={compact ? 'empty empty-compact' : 'empty'} data-testid="empty-containers">
      <p className="empty-title">No container is running.</p>
      <p>Start one in a terminal, and watch it appear here within a second:</p>
      <pre className="command">
        <code>{START_COMMAND}</code>
      </pre>
      {!compact && (
        <p className="muted">
          It shows up in the process tree as a coloured box: an ordinary host process, a child of <code>containerd-shim</code>, that
          sees itself as PID 1.
        </p>
      )}
    </div>
  );
}
