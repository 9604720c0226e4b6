// One process, any process: what /proc says of it now ('process:get'), its pid in every pid
// namespace, its namespaces marked host or own, and the cgroup it is in ('cgroup:get') with that
// cgroup's usage against its limits, read again every 2 s while the panel is open.
import { useEffect, useId, useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import type { CgroupReport, ProcessDetail } from '../../../shared/contract';
import type { HostInfo } from '../../../shared/model';
import { commandOf, formatBytes, formatClock, formatCores, formatUid } from '../../state/format';
import { formatCpuTime, namespaceMarks, nspidSentence, processErrorText, shareOf, stateText } from './process-facts';
import { PROCESS_REFRESH_MS, useProcessPoll } from './use-process-poll';
import type { ProcessPoll } from './use-process-poll';

/** Props of ProcessPanel. */
export interface ProcessPanelProps {
  readonly pid: number;
  /** The host's initial namespaces, to mark each of the process's as host or own; null: unknown. */
  readonly host: HostInfo | null;
  readonly onClose: () => void;
  /** Name of the container the process belongs to, when it does. */
  readonly containerName?: string | null;
  /** How often to ask again (default 2000 ms). */
  readonly refreshMs?: number;
  /** drawer: fixed at the right edge over the page; page: in the flow (a view of its own). */
  readonly variant?: 'drawer' | 'page';
}

const pct = (x: number): string => `${Math.round(x * 100)} %`;

function Bar({ share, label }: { readonly share: number | null; readonly label: string }): ReactNode {
  if (share === null) return null;
  const v = Math.max(0, Math.min(1, share));
  return (
    <span
      className={`pp-bar${share >= 0.9 ? ' pp-bar-high' : ''}`}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(v * 100)}
    >
      <span style={{ width: `${v * 100}%` }} />
    </span>
  );
}

function ProcessFacts({ d, cores, containerName }: { readonly d: ProcessDetail; readonly cores: number | null; readonly containerName: string | null }): ReactNode {
  const p = d.process;
  const kernel = p.cmdline.length === 0;
  return (
    <dl className="conf-facts pp-facts" data-testid="process-facts">
      <div className="fact">
        <dt>State</dt>
        <dd data-testid="process-state">{stateText(d.state)}</dd>
      </div>
      <div className="fact">
        <dt>CPU time</dt>
        <dd data-testid="process-cpu">
          <span className="fact-value">{formatCpuTime(d.cpuMs)}</span> <span className="fact-note">user + system since it started</span>
          {cores !== null && <div className="fact-note">now: {formatCores(Math.round(cores * 100) / 100)}</div>}
        </dd>
      </div>
      <div className="fact">
        <dt>Threads</dt>
        <dd data-testid="process-threads">{d.threads}</dd>
      </div>
      <div className="fact">
        <dt>Memory (RSS)</dt>
        <dd data-testid="process-rss">{d.rssBytes === null ? <span className="muted">none: a kernel thread has no user memory</span> : formatBytes(d.rssBytes)}</dd>
      </div>
      <div className="fact">
        <dt>User</dt>
        <dd>{formatUid(p.uid)}</dd>
      </div>
      <div className="fact">
        <dt>Parent</dt>
        <dd>PID {p.ppid}</dd>
      </div>
      {containerName && (
        <div className="fact">
          <dt>Container</dt>
          <dd>{containerName}</dd>
        </div>
      )}
      <div className="fact">
        <dt>Command line</dt>
        <dd data-testid="process-cmdline">
          <code className="pp-cmdline">{commandOf(p)}</code>
          {kernel && <div className="fact-note">no command line: a kernel thread, or a zombie</div>}
        </dd>
      </div>
    </dl>
  );
}

function Namespaces({ d, host }: { readonly d: ProcessDetail; readonly host: HostInfo | null }): ReactNode {
  const marks = namespaceMarks(d.process, host);
  const own = marks.filter((m) => m.mark === 'own').length;
  return (
    <>
      <h4>
        Namespaces{' '}
        <span className="h-sub muted">
          {own === 0 ? 'all the host’s' : `${own} of ${marks.length} its own`}
        </span>
      </h4>
      <table className="pp-ns" data-testid="process-namespaces">
        <tbody>
          {marks.map((m) => (
            <tr key={m.kind} data-testid={`process-ns-${m.kind}`} data-mark={m.mark}>
              <th scope="row">{m.kind}</th>
              <td>
                <code>{m.id ?? '?'}</code>
              </td>
              <td>
                <span className={`pp-mark pp-mark-${m.mark}`}>{m.mark === 'host' ? 'host' : m.mark === 'own' ? 'own' : 'unknown'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Cgroup({ r }: { readonly r: CgroupReport }): ReactNode {
  const u = r.usage;
  const memLimit = r.limits.memoryBytes ?? u.memoryLimitBytes;
  const quota = r.limits.cpus ?? u.cpuQuotaCores;
  const pidsMax = r.limits.pidsMax ?? u.pidsMax;
  const memShare = shareOf(u.memoryBytes, memLimit);
  const cpuShare = shareOf(u.cpuCores, quota);
  const pidsShare = shareOf(u.pids, pidsMax);
  return (
    <dl className="conf-facts pp-facts">
      <div className="fact">
        <dt>Path</dt>
        <dd data-testid="process-cgroup-path">{r.path !== null ? <code>{r.path}</code> : <span className="muted">unreadable</span>}</dd>
      </div>
      <div className={`fact${memShare !== null && memShare >= 0.9 ? ' risky' : ''}`}>
        <dt>Memory</dt>
        <dd data-testid="process-cgroup-memory">
          <span className="fact-value">{formatBytes(u.memoryBytes)}</span>{' '}
          {memLimit !== null ? (
            <>
              of <b>{formatBytes(memLimit)}</b>
              {memShare !== null && ` (${pct(memShare)})`}
            </>
          ) : (
            <span className="fact-note">no limit</span>
          )}
          <Bar share={memShare} label="memory used of its limit" />
          {(u.memoryPeakBytes !== null || (u.oomKills ?? 0) > 0) && (
            <div className="fact-note">
              {u.memoryPeakBytes !== null && <>peak {formatBytes(u.memoryPeakBytes)}</>}
              {(u.oomKills ?? 0) > 0 && (
                <span className="pp-oom">
                  {u.memoryPeakBytes !== null ? ' · ' : ''}
                  {u.oomKills} OOM {u.oomKills === 1 ? 'kill' : 'kills'}
                </span>
              )}
            </div>
          )}
        </dd>
      </div>
      <div className="fact">
        <dt>CPU</dt>
        <dd data-testid="process-cgroup-cpu">
          {u.cpuCores === null ? <span className="muted">measuring…</span> : <span className="fact-value">{formatCores(Math.round(u.cpuCores * 100) / 100)}</span>}{' '}
          {quota !== null ? (
            <>
              of a <b>{formatCores(quota)}</b> quota
              {cpuShare !== null && ` (${pct(cpuShare)})`}
            </>
          ) : (
            <span className="fact-note">no quota: it may use every CPU</span>
          )}
          <Bar share={cpuShare} label="CPU used of its quota" />
          {(u.throttledPeriods ?? 0) > 0 && (
            <div className="fact-note">
              throttled in {u.throttledPeriods} periods{u.throttledMs !== null ? ` (${formatCpuTime(u.throttledMs)})` : ''} so far
            </div>
          )}
          {r.limits.cpuset && <div className="fact-note">cpuset {r.limits.cpuset}</div>}
        </dd>
      </div>
      <div className="fact">
        <dt>Processes</dt>
        <dd data-testid="process-cgroup-pids">
          <span className="fact-value">{u.pids ?? '—'}</span>{' '}
          {pidsMax !== null ? (
            <>
              of <b>{pidsMax}</b> (pids.max)
            </>
          ) : (
            <span className="fact-note">no pids.max</span>
          )}
          <Bar share={pidsShare} label="processes of pids.max" />
        </dd>
      </div>
    </dl>
  );
}

function goneText(poll: ProcessPoll, pid: number): string | null {
  if (poll.gone === 'exited') return `PID ${pid} has exited. What it was, as last read:`;
  if (poll.gone === 'reused') return `PID ${pid} now names another process: this one exited. What it was, as last read:`;
  return null;
}

/** The detail of one process (data-testid process-panel, process-nspid, process-cgroup). */
export function ProcessPanel(props: ProcessPanelProps): ReactNode {
  const { pid, host, onClose } = props;
  const refreshMs = props.refreshMs ?? PROCESS_REFRESH_MS;
  const poll = useProcessPoll(pid, refreshMs);
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement | null>(null);
  const drawer = (props.variant ?? 'drawer') === 'drawer';
  useEffect(() => {
    if (drawer) closeRef.current?.focus();
  }, [pid, drawer]);
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    // The app's Esc means "back": here it closes the panel only.
    e.preventDefault();
    e.stopPropagation();
    onClose();
  };
  const d = poll.detail;
  const gone = goneText(poll, pid);
  return (
    <aside
      className={`process-panel ${drawer ? 'process-drawer' : 'process-page'}`}
      data-testid="process-panel"
      data-pid={pid}
      data-gone={poll.gone ?? 'no'}
      role={drawer ? 'dialog' : 'region'}
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
    >
      <header className="pp-head">
        <h3 id={titleId}>
          PID {pid} {d && <code className="pp-comm">{d.process.comm}</code>}
        </h3>
        <button type="button" className="pp-close" ref={closeRef} onClick={onClose} aria-label="Close the process panel" data-testid="process-panel-close">
          ×
        </button>
      </header>
      <p className="pp-updated muted" aria-live="polite">
        {poll.gone !== null
          ? 'No longer read.'
          : poll.updatedAt === null
            ? 'Reading /proc…'
            : `Read at ${formatClock(poll.updatedAt)}, again every ${Math.round(refreshMs / 100) / 10} s while this is open.`}
      </p>
      {gone && (
        <p className="pp-gone" data-testid="process-gone" role="status">
          {gone}
        </p>
      )}
      {poll.processError && (
        <p className="bad" data-testid="process-error" data-code={poll.processError.code}>
          {processErrorText(poll.processError, 'process')}
        </p>
      )}
      {d && (
        <>
          <section className="pp-section">
            <p className="pp-nspid" data-testid="process-nspid" data-nspid={d.process.nspid.join(' ')}>
              {nspidSentence(d.process.nspid)}
            </p>
            {d.process.nspid.length > 1 && (
              <p className="fact-note">
                proc(5) <code>NSpid:</code> {d.process.nspid.join(' ')}: one process, a number in each pid namespace from the host&apos;s inwards.
              </p>
            )}
            <ProcessFacts d={d} cores={poll.cores} containerName={props.containerName ?? null} />
          </section>
          <section className="pp-section">
            <Namespaces d={d} host={host} />
          </section>
        </>
      )}
      <section className="pp-section" data-testid="process-cgroup" data-path={poll.cgroup?.path ?? ''}>
        <h4>
          Its cgroup <span className="h-sub muted">the kernel enforces these limits on every process in it, container or not</span>
        </h4>
        {poll.cgroupError && (
          <p className="bad" data-testid="process-cgroup-error" data-code={poll.cgroupError.code}>
            {processErrorText(poll.cgroupError, 'cgroup')}
          </p>
        )}
        {poll.cgroup ? <Cgroup r={poll.cgroup} /> : !poll.cgroupError && <p className="muted">Reading the cgroup…</p>}
      </section>
    </aside>
  );
}
