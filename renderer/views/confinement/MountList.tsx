// A container's mounts (proc(5) mountinfo of its init): what came from the host first, flagged
// ones highlighted as source → target; its own pseudo filesystems and masked paths folded away.
import type { ReactNode } from 'react';
import type { MountFact, MountFlag, MountKind } from '../../../shared/confinement';

/** What each flag means, in a few words. */
export const MOUNT_FLAG_TEXT: Readonly<Record<MountFlag, string>> = {
  'host-rootfs': "the host's root filesystem",
  'engine-socket': 'container engine socket: whoever holds it controls the host',
  'host-path': 'host path, read-only',
  'host-path-writable': 'host path, writable',
  device: 'host device',
  'proc-sys-writable': 'writable /proc/sys: host kernel settings',
  'sys-writable': 'writable /sys',
};

const KIND_TEXT: Readonly<Record<MountKind, string>> = {
  rootfs: 'its root filesystem',
  pseudo: 'its own pseudo filesystem',
  masked: 'masked by the engine',
  engine: 'written by the engine',
  host: 'host path',
  volume: 'named volume',
  device: 'host device',
  socket: 'socket',
};

/** Where a mount comes from, as the host sees it: its host path, else the path within its filesystem, else its source. */
export function mountSource(m: MountFact): string {
  if (m.hostPath) return m.hostPath;
  if (m.kind === 'pseudo' || m.kind === 'masked') return m.root === '/' ? m.fsType : `${m.fsType}:${m.root}`;
  return m.root !== '/' ? m.root : m.source;
}

/** A stable, readable test id for a mount: its target with slashes as dashes ("/var/run/docker.sock" → "var-run-docker.sock"). */
export function mountKey(target: string): string {
  return target.replace(/^\/+/, '').replace(/\//g, '-') || 'root';
}

function MountRow({ m }: { readonly m: MountFact }): ReactNode {
  const flagged = m.flags.length > 0;
  return (
    <li className={`mount${flagged ? ' mount-flagged' : ''}`} data-testid={`mount-${mountKey(m.target)}`} data-flags={m.flags.join(' ')} data-kind={m.kind}>
      <span className={`mount-rw ${m.readOnly ? 'ro' : 'rw'}`} title={m.readOnly ? 'read-only' : 'writable'}>
        {m.readOnly ? 'ro' : 'rw'}
      </span>
      <code className="mount-path" title={`${mountSource(m)} → ${m.target}`}>
        {mountSource(m)} <span aria-hidden="true">→</span>
        <span className="sr-only"> mounted at </span> <b>{m.target}</b>
      </code>
      <span className="mount-kind">
        {flagged ? (
          m.flags.map((f) => (
            <span key={f} className="mount-flag">
              ⚠ {MOUNT_FLAG_TEXT[f]}
            </span>
          ))
        ) : (
          <span className="muted">
            {KIND_TEXT[m.kind]} · {m.fsType}
          </span>
        )}
      </span>
    </li>
  );
}

/** The mount list. */
export function MountList({ mounts }: { readonly mounts: readonly MountFact[] }): ReactNode {
  if (mounts.length === 0) return <p className="muted">No mounts read (its mountinfo was unreadable).</p>;
  const flagged = mounts.filter((m) => m.flags.length > 0);
  const notable = mounts.filter((m) => m.flags.length === 0 && m.kind !== 'pseudo' && m.kind !== 'masked');
  const rest = mounts.filter((m) => m.flags.length === 0 && (m.kind === 'pseudo' || m.kind === 'masked'));
  return (
    <div className="mounts" data-testid="mounts">
      {flagged.length === 0 ? (
        <p className="mounts-ok">Nothing from the host beyond its own root filesystem and the files the engine writes.</p>
      ) : null}
      <ul className="mount-list">
        {[...flagged, ...notable].map((m, i) => (
          <MountRow key={`${m.target}-${i}`} m={m} />
        ))}
      </ul>
      {rest.length > 0 && (
        <details className="mounts-rest">
          <summary>
            {rest.length} more: its own proc, sysfs, cgroup, devpts, tmpfs, and {rest.filter((m) => m.kind === 'masked').length} paths the engine masked
          </summary>
          <ul className="mount-list">
            {rest.map((m, i) => (
              <MountRow key={`${m.target}-${i}`} m={m} />
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
