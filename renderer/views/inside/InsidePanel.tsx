// "Is there an OS inside?": a container's root filesystem in one line, the host kernel it runs on,
// what its init executes, what a person could run in it, its size, and the image layers it came from.
import type { ReactNode } from 'react';
import type { ContainerInfo, HostInfo } from '../../../shared/model';
import type { EntrypointInfo, RootfsInfo } from '../../../shared/rootfs';
import { formatBytes } from '../../state/format';
import { ExplainStrip } from '../explain/Explain';
import { countText, elfText, linkingText, surfaceSentence, toolGroups } from './inside-facts';
import { LayerAnalysisSection } from './LayerAnalysis';
import { LayerBar } from './LayerBar';

/** Why a container has no rootfs record, in words. */
export function noRootfsReason(c: ContainerInfo): string {
  if (c.engine === 'none') return 'No root filesystem of its own to inspect: an engine-less group runs in the host\u2019s files.';
  if (c.pid === null) return 'Not running: there is no init whose root could be read.';
  return 'Its root filesystem was not inspected (run isolens as root, or wait for the next full pass).';
}

function Entrypoint({ e }: { readonly e: EntrypointInfo | null }): ReactNode {
  if (e === null) {
    return (
      <div className="conf-box" data-testid="inside-entrypoint">
        <h4>What it runs</h4>
        <p className="muted">Its init&apos;s executable could not be read.</p>
      </div>
    );
  }
  const elf = elfText(e);
  const missing = new Set(e.missing);
  return (
    <div className="conf-box" data-testid="inside-entrypoint" data-static={e.static === null ? 'unknown' : String(e.static)}>
      <h4>What it runs</h4>
      <dl className="conf-facts">
        <div className="fact">
          <dt>Entrypoint</dt>
          <dd>
            <code className="fact-value">{e.path}</code>
            {e.script === null && e.executable !== e.path && (
              <div className="fact-note">
                runs <code>{e.executable}</code>
              </div>
            )}
          </dd>
        </div>
        {e.script !== null && (
          <div className="fact" data-testid="inside-script">
            <dt>Script</dt>
            <dd>
              <span className="fact-value">
                <code>
                  #!{e.script.interpreter}
                  {e.script.argument !== null ? ` ${e.script.argument}` : ''}
                </code>
              </span>
              <div className="fact-note">
                a script: the kernel runs its interpreter, <code>{e.executable}</code>
                {missing.has(e.script.interpreter) && <span className="missing"> — missing from the image</span>}
              </div>
            </dd>
          </div>
        )}
        <div className={`fact${e.error !== null || e.missing.length > 0 ? ' risky' : ''}`}>
          <dt>Linking</dt>
          <dd>
            <span className="fact-value" data-testid="inside-linking">
              {e.error !== null ? 'unreadable' : e.static === null ? 'not ELF' : e.static ? 'static' : 'dynamic'}
            </span>
            <div className="fact-note">{linkingText(e)}</div>
          </dd>
        </div>
        {e.interpreter !== null && (
          <div className={`fact${missing.has(e.interpreter) ? ' risky' : ''}`}>
            <dt>Loader</dt>
            <dd>
              <code>{e.interpreter}</code> <span className="fact-note">PT_INTERP</span>
              {missing.has(e.interpreter) && <span className="missing"> — missing from the image: it cannot start</span>}
            </dd>
          </div>
        )}
        {e.needed.length > 0 && (
          <div className={`fact${e.needed.some((n) => missing.has(n)) ? ' risky' : ''}`}>
            <dt>Libraries</dt>
            <dd>
              <ul className="inside-libs" data-testid="inside-libs">
                {e.needed.map((n) => (
                  <li key={n} className={missing.has(n) ? 'lib-missing' : 'lib-found'} data-testid={`inside-lib-${n}`} data-missing={String(missing.has(n))}>
                    <code>{n}</code>
                    {missing.has(n) && <span className="missing"> missing</span>}
                  </li>
                ))}
              </ul>
              {e.runpath.length > 0 && (
                <div className="fact-note">
                  RUNPATH <code>{e.runpath.join(':')}</code>
                </div>
              )}
            </dd>
          </div>
        )}
        {elf !== null && (
          <div className="fact">
            <dt>ELF</dt>
            <dd>{elf}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function Userland({ r }: { readonly r: RootfsInfo }): ReactNode {
  return (
    <div className="conf-box" data-testid="inside-userland">
      <h4>What a person could run inside</h4>
      <p className="inside-surface" data-testid="inside-surface">
        {surfaceSentence(r)}
      </p>
      <div className="tool-groups">
        {toolGroups(r).map((g) => (
          <div key={g.id} className="tool-group" data-testid={`inside-tools-${g.id}`}>
            <span className="tool-group-title">{g.label}</span>
            <span className="tool-chips">
              {g.chips.map((c) => (
                <span
                  key={c.name}
                  className={`tool ${c.present ? 'tool-present' : 'tool-absent'}${c.present && g.id === 'package-managers' ? ' tool-risky' : ''}`}
                  data-testid={`inside-tool-${c.name}`}
                  data-present={String(c.present)}
                  title={c.title}
                >
                  {c.present ? c.name : <s>{c.name}</s>}
                </span>
              ))}
            </span>
          </div>
        ))}
      </div>
      {r.busybox && <p className="fact-note">busybox: one binary answers to a few hundred command names through symlinks.</p>}
    </div>
  );
}

function Size({ r }: { readonly r: RootfsInfo }): ReactNode {
  return (
    <div className="conf-box" data-testid="inside-size" data-partial={String(r.partial)}>
      <h4>Size</h4>
      <dl className="conf-facts">
        <div className="fact">
          <dt>Files</dt>
          <dd>
            <span className="fact-value">{countText(r.files, r.partial, ['regular file', 'regular files'])}</span>, <b>{formatBytes(r.bytes)}</b>
          </dd>
        </div>
        <div className="fact">
          <dt>Executables</dt>
          <dd>{countText(r.executables, r.partial)}</dd>
        </div>
        <div className="fact">
          <dt>Also</dt>
          <dd>
            {countText(r.directories, r.partial, ['directory', 'directories'])}, {countText(r.symlinks, r.partial, ['symlink', 'symlinks'])}
          </dd>
        </div>
        {r.skippedMounts.length > 0 && (
          <div className="fact">
            <dt>Not walked</dt>
            <dd className="fact-note">
              {r.skippedMounts.map((m, i) => (
                <span key={m}>
                  {i > 0 && ', '}
                  <code>{m}</code>
                </span>
              ))}{' '}
              (mounts: not part of the image)
            </dd>
          </div>
        )}
      </dl>
      {r.partial && (
        <p className="inside-partial" data-testid="inside-partial">
          Partial: the walk stopped at its time or entry budget, so these counts are lower bounds.
        </p>
      )}
    </div>
  );
}

/** The inside panel of one container (data-testid inside-panel, inside-verdict, inside-kernel, inside-entrypoint, inside-layers). */
export function InsidePanel({ container, host }: { readonly container: ContainerInfo; readonly host: HostInfo }): ReactNode {
  const r = container.rootfs;
  return (
    <section className="inside-panel" data-testid="inside-panel" aria-label="Inside the container">
      <h3>
        Inside <span className="h-sub muted">its root filesystem, read through /proc/{container.pid ?? 'PID'}/root</span>
      </h3>
      <div className="inside-head">
        <p className={`inside-verdict${r?.error ? ' bad' : ''}`} data-testid="inside-verdict">
          {r ? r.verdict : <span className="muted">{noRootfsReason(container)}</span>}
        </p>
        {r?.os && (
          <p className="inside-os">
            <code>{r.os.source}</code> says: {r.os.prettyName}
          </p>
        )}
        <p className="inside-kernel" data-testid="inside-kernel">
          There is no kernel inside. Every container runs on the host&apos;s kernel: <b>Linux {host.kernel}</b>.
        </p>
        <ExplainStrip concepts={['scratch', 'static']} />
      </div>
      {r && r.error === null && (
        <div className="conf-grid inside-grid">
          <Entrypoint e={r.entrypoint} />
          <Userland r={r} />
          <Size r={r} />
        </div>
      )}
      {container.imageInfo ? (
        <LayerBar info={container.imageInfo} />
      ) : (
        <div className="conf-box inside-layers" data-testid="inside-layers">
          <h4>Image layers</h4>
          <p className="muted">
            {container.engine === 'docker' ? 'Docker did not describe its image (it was removed, or the engine did not answer).' : 'Only Docker images are described layer by layer.'}
          </p>
        </div>
      )}
      <LayerAnalysisSection key={container.id} container={container} />
    </section>
  );
}
