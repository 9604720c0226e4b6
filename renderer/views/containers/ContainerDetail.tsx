// One container: who it is, "host PID N = PID 1 inside", live cgroup charts, namespaces, processes,
// what is inside its root filesystem, and what it may do.
import { useEffect } from 'react';
import { useViewReporter } from '../common/view-reporter';
import type { ReactNode } from 'react';
import type { UsageSample } from '../../../shared/usage';
import type { ViewModel } from '../../state/derive';
import { formatBytes, formatCores, shortId } from '../../state/format';
import { ConfinementPanel } from '../confinement/ConfinementPanel';
import { FindingsBadge } from '../confinement/FindingsList';
import { ExplainStrip } from '../explain/Explain';
import { InsidePanel } from '../inside/InsidePanel';
import { ContainerProcesses } from '../process/ContainerProcesses';
import { CpuChart, MemoryChart, PidsChart } from './charts';
import { DetailNamespaces } from './DetailNamespaces';
import { pidSentence } from './pid-sentence';

/** Props of ContainerDetail. */
export interface ContainerDetailProps {
  readonly model: ViewModel;
  readonly containerId: string;
  readonly samples: readonly UsageSample[];
  /** Called once when the detail opens, to top up the history ('history:get'). */
  readonly onLoadHistory: (id: string) => void;
  readonly onOpenContainer: (id: string) => void;
  readonly onBack: () => void;
}

/** The detail page of one container. */
const NO_PIDS: readonly number[] = [];

export function ContainerDetail(props: ContainerDetailProps): ReactNode {
  const { model, containerId, samples, onLoadHistory } = props;
  useEffect(() => {
    onLoadHistory(containerId);
  }, [containerId, onLoadHistory]);
  // Its processes are what this page shows: the collector keeps their stat fresh.
  useViewReporter({ pids: NO_PIDS, containerId });

  const c = model.containerById.get(containerId);
  if (!c) {
    return (
      <section className="view detail" data-testid="container-detail">
        <button type="button" className="back" onClick={props.onBack}>
          ← All containers
        </button>
        <p className="empty-title">This container is gone: it stopped or was removed.</p>
      </section>
    );
  }
  const i = c.info;
  const sentence = pidSentence(c);
  const sameNumber = c.initInsidePid !== null && c.initInsidePid === i.pid;
  const row = model.matrix.find((r) => r.container?.info.id === i.id);
  const cfg = i.config;
  return (
    <section className="view detail" data-testid="container-detail" aria-label={`Container ${i.name}`}>
      <button type="button" className="back" onClick={props.onBack}>
        ← All containers
      </button>
      <header className="detail-head" style={{ borderLeftColor: c.color.solid, background: c.color.tint }}>
        <h2>{i.name}</h2>
        <p className="detail-meta">
          <span className="tag">{i.engine === 'none' ? 'no engine' : i.engine}</span> {i.image ?? <span className="muted">no image</span>} ·{' '}
          <span className={`state state-${i.state}`}>{i.state}</span> · <code>{shortId(i.id)}</code>{' '}
          <FindingsBadge findings={i.findings} testId="detail-findings-badge" />
        </p>
        {sentence && (
          <p className="pid-sentence" data-testid="detail-pid-sentence">
            {sentence}
          </p>
        )}
        {sentence && (
          <p className="muted">
            {sameNumber
              ? "Same number inside and out: it shares the host's pid namespace, so it sees every host process."
              : `One process, two numbers: the host sees PID ${i.pid}; inside its own pid namespace it is PID ${c.initInsidePid}.`}
          </p>
        )}
        <p className="limits">
          Limits: memory <b>{formatBytes(i.limits.memoryBytes)}</b> · CPU <b>{formatCores(i.limits.cpus)}</b> · pids <b>{i.limits.pidsMax ?? '—'}</b>
          {i.limits.cpuset && (
            <>
              {' '}
              · cpuset <b>{i.limits.cpuset}</b>
            </>
          )}
          {i.cgroup && (
            <>
              {' '}
              · cgroup <code>{i.cgroup}</code>
            </>
          )}
        </p>
        <ExplainStrip concepts={['nspid', 'cgroup', 'memory-limit', 'cpu-quota']} />
      </header>

      <div className="charts">
        <MemoryChart samples={samples} limitBytes={i.limits.memoryBytes} />
        <CpuChart samples={samples} quota={i.limits.cpus} />
        <PidsChart samples={samples} pidsMax={i.limits.pidsMax} />
      </div>

      <div className="detail-cols">
        <div>
          <h3>Namespaces</h3>
          {row && <DetailNamespaces row={row} onOpen={props.onOpenContainer} />}
          {cfg && (
            <>
              <h3>Asked of the engine</h3>
              <ul className="confinement" data-testid="detail-config">
                <li className={cfg.privileged ? 'risky' : ''}>{cfg.privileged ? '⚠ privileged: every capability, every device' : 'not privileged'}</li>
                <li>user: {cfg.user ?? <span className="muted">image default</span>}</li>
                {cfg.capAdd.length > 0 && <li className="risky">capabilities added: {cfg.capAdd.join(', ')}</li>}
                {cfg.capDrop.length > 0 && <li>capabilities dropped: {cfg.capDrop.join(', ')}</li>}
                {cfg.securityOpt.length > 0 && <li>security options: {cfg.securityOpt.join(', ')}</li>}
                <li>root filesystem: {cfg.readOnlyRootfs ? 'read-only' : 'writable'}</li>
              </ul>
            </>
          )}
        </div>
        <div>
          <h3>Processes</h3>
          <ContainerProcesses model={model} containerId={i.id} />
        </div>
      </div>

      <InsidePanel container={i} host={model.host} />

      <ConfinementPanel container={i} />
    </section>
  );
}
