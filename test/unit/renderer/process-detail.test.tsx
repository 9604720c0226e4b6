import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { CgroupReport, InvokeChannel, IsolensClient, ProcessDetail, Result } from '../../../shared/contract';
import type { ProcessInfo } from '../../../shared/model';
import { deriveModel } from '../../../renderer/state/derive';
import { ContainerDetail } from '../../../renderer/views/containers/ContainerDetail';
import { IsolensClientContext } from '../../../renderer/views/process/client';
import { coresBetween, formatCpuTime, namespaceMarks, nspidSentence, processErrorText, shareOf, stateText } from '../../../renderer/views/process/process-facts';
import { ProcessPanel } from '../../../renderer/views/process/ProcessPanel';
import { containerNamed, fakeClient, loadSnapshot, sample, tick } from './fixtures';

afterEach(() => cleanup());

// test/fixtures/snapshots/demo.json: isolens-demo-web runs `sh -c 'sleep 600 & sleep 600 & wait'`
// with --memory 64m --cpus 0.5 --pids-limit 64 (host PIDs 30315, 30344, 30345 = 1, 7, 8 inside).
const s = loadSnapshot('demo');
const model = deriveModel(s);
const web = containerNamed(s, 'isolens-demo-web');
const MiB = 1024 * 1024;

function processOf(pid: number): ProcessInfo {
  const p = s.processes.find((x) => x.pid === pid);
  assert.ok(p, `demo.json has PID ${pid}`);
  return p;
}
const init = processOf(30315);
const dockerd = processOf(5520);
/** PID 1 of the recording: its ns links were unreadable (the sandbox's init). */
const pid1 = processOf(1);

/** What 'process:get' answers for a process of the fixture (the figures a collector would read). */
function detailOf(p: ProcessInfo, over: Partial<ProcessDetail> = {}): ProcessDetail {
  return { process: p, state: 'S', cpuMs: 1240, threads: 1, rssBytes: 2 * MiB + 512 * 1024, ...over };
}

/** What 'cgroup:get' answers for a process of isolens-demo-web. */
function webCgroup(pid: number, over: Partial<CgroupReport['usage']> = {}): CgroupReport {
  return {
    pid,
    path: web.cgroup,
    limits: web.limits,
    usage: sample(Date.now(), { memoryBytes: 48 * MiB, memoryLimitBytes: 64 * MiB, memoryPeakBytes: 60 * MiB, oomKills: 2, cpuCores: 0.25, cpuQuotaCores: 0.5, throttledPeriods: 12, throttledMs: 340, pids: 3, pidsMax: 64, ...over }),
  };
}

interface Answers {
  process: (pid: number, call: number) => Result<ProcessDetail>;
  cgroup: (pid: number, call: number) => Result<CgroupReport>;
}

/** A client answering 'process:get' and 'cgroup:get' (n-th call counted per channel); records the calls. */
function panelClient(answers: Answers): IsolensClient & { calls: { channel: InvokeChannel; args: readonly unknown[] }[]; count: (c: InvokeChannel) => number } {
  const base = fakeClient(s);
  const calls: { channel: InvokeChannel; args: readonly unknown[] }[] = [];
  const count = (c: InvokeChannel): number => calls.filter((x) => x.channel === c).length;
  return {
    calls,
    count,
    on: base.on,
    invoke: ((channel: InvokeChannel, ...args: unknown[]) => {
      calls.push({ channel, args });
      const pid = Number(args[0]);
      if (channel === 'process:get') return Promise.resolve(answers.process(pid, count(channel)));
      if (channel === 'cgroup:get') return Promise.resolve(answers.cgroup(pid, count(channel)));
      return (base.invoke as (c: InvokeChannel, ...a: unknown[]) => Promise<unknown>)(channel, ...args);
    }) as IsolensClient['invoke'],
  };
}

const webAnswers: Answers = {
  process: (pid) => {
    const p = s.processes.find((x) => x.pid === pid);
    return p ? { ok: true, value: detailOf(p) } : { ok: false, error: { code: 'NOT_FOUND', message: `no process ${pid}` } };
  },
  cgroup: (pid) => ({ ok: true, value: webCgroup(pid) }),
};

const withClient = (client: IsolensClient, node: ReactNode): ReturnType<typeof render> => render(<IsolensClientContext.Provider value={client}>{node}</IsolensClientContext.Provider>);
const text = (id: string): string => screen.getByTestId(id).textContent ?? '';
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function settle(ms = 0): Promise<void> {
  await act(async () => {
    await wait(ms);
    await tick();
  });
}
/** Lets timers and answers run until `ok()` holds (at most 5 s: a loaded machine is slow). */
async function settleUntil(ok: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await settle(10);
  }
}

describe('process facts', () => {
  const nspid: readonly { name: string; nspid: readonly number[]; want: string }[] = [
    { name: 'a container init', nspid: [4211, 1], want: 'PID 4211 on the host = PID 1 in its namespace' },
    { name: 'a host process', nspid: [812], want: "PID 812 on the host, and only that: it is in the host's pid namespace." },
    { name: 'nested pid namespaces (docker in docker)', nspid: [9001, 57, 1], want: 'PID 9001 on the host = PID 57 in a nested namespace (level 1) = PID 1 in its namespace' },
    { name: 'status unreadable', nspid: [], want: 'Its pid numbers are unknown (/proc/PID/status could not be read).' },
  ];
  for (const c of nspid) it(`NSpid: ${c.name}`, () => assert.equal(nspidSentence(c.nspid), c.want));

  const cpu: readonly { name: string; ms: number | null; want: string }[] = [
    { name: 'under a second', ms: 850, want: '850 ms' },
    { name: 'seconds', ms: 1240, want: '1.24 s' },
    { name: 'tens of seconds', ms: 42_460, want: '42.5 s' },
    { name: 'minutes', ms: 187_000, want: '3 min 07 s' },
    { name: 'hours', ms: 7_500_000, want: '2 h 05 min' },
    { name: 'unknown', ms: null, want: '—' },
  ];
  for (const c of cpu) it(`CPU time: ${c.name}`, () => assert.equal(formatCpuTime(c.ms), c.want));

  it('states in words, unknown letters kept', () => {
    assert.equal(stateText('S'), 'S (sleeping)');
    assert.equal(stateText('Z'), 'Z (zombie: exited, not yet reaped by its parent)');
    assert.equal(stateText('?'), '?');
  });

  it('marks each namespace host or own, unknown where a link or the host is unreadable', () => {
    const marks = namespaceMarks(init, s.host);
    const by = Object.fromEntries(marks.map((m) => [m.kind, m.mark]));
    assert.deepEqual(by, { cgroup: 'host', ipc: 'own', mnt: 'own', net: 'own', pid: 'own', time: 'host', user: 'host', uts: 'own' });
    assert.ok(namespaceMarks(dockerd, s.host).every((m) => m.mark === 'host'));
    assert.ok(namespaceMarks(pid1, s.host).every((m) => m.mark === 'unknown' && m.id === null));
    assert.ok(namespaceMarks(init, null).every((m) => m.mark === 'unknown'));
    const unreadable = namespaceMarks({ namespaces: { ...init.namespaces, net: null } }, s.host);
    assert.deepEqual(unreadable.find((m) => m.kind === 'net'), { kind: 'net', id: null, mark: 'unknown' });
  });

  it('CPU between two readings, shares against limits, errors in words', () => {
    assert.equal(coresBetween(null, { cpuMs: 100, at: 1000 }), null);
    assert.equal(coresBetween({ cpuMs: 100, at: 1000 }, { cpuMs: 600, at: 3000 }), 0.25);
    assert.equal(coresBetween({ cpuMs: 600, at: 1000 }, { cpuMs: 100, at: 3000 }), null, 'a counter going back: another process');
    assert.equal(shareOf(48, 64), 0.75);
    assert.equal(shareOf(48, null), null);
    assert.equal(processErrorText({ code: 'NOT_FOUND', message: 'no process 5' }, 'process'), 'The process is gone: it exited (no process 5).');
    assert.equal(
      processErrorText({ code: 'NOT_FOUND', message: 'a recording holds no live cgroup: see the container\'s usage history instead' }, 'cgroup'),
      "No cgroup to show: a recording holds no live cgroup: see the container's usage history instead.",
    );
  });
});

describe('ProcessPanel', () => {
  it('a container init: its state, CPU, threads, RSS, command line, NSpid chain, namespaces and cgroup', async () => {
    const client = panelClient(webAnswers);
    withClient(client, <ProcessPanel pid={init.pid} host={s.host} containerName={web.name} onClose={() => undefined} refreshMs={60_000} />);
    await settle();
    assert.equal(text('process-nspid'), 'PID 30315 on the host = PID 1 in its namespace');
    assert.equal(text('process-state'), 'S (sleeping)');
    assert.match(text('process-cpu'), /^1\.24 s user \+ system/);
    assert.equal(text('process-threads'), '1');
    assert.equal(text('process-rss'), '2.5 MiB');
    assert.equal(text('process-cmdline'), "sh -c sleep 600 & sleep 600 & wait");
    assert.match(text('process-panel'), /Containerisolens-demo-web/);
    assert.equal(screen.getByTestId('process-ns-pid').dataset.mark, 'own');
    assert.equal(screen.getByTestId('process-ns-user').dataset.mark, 'host');
    assert.match(text('process-ns-net'), /^net4026532254own$/);

    const cg = screen.getByTestId('process-cgroup');
    assert.equal(cg.dataset.path, web.cgroup);
    assert.equal(text('process-cgroup-path'), web.cgroup);
    assert.equal(text('process-cgroup-memory'), '48 MiB of 64 MiB (75 %)peak 60 MiB · 2 OOM kills');
    assert.match(text('process-cgroup-cpu'), /^0\.25 cores of a 0\.5 cores quota \(50 %\)throttled in 12 periods \(340 ms\) so far$/);
    assert.equal(text('process-cgroup-pids'), '3 of 64 (pids.max)');
    const meters = within(cg).getAllByRole('meter');
    assert.deepEqual(meters.map((m) => m.getAttribute('aria-valuenow')), ['75', '50', '5']);
    assert.deepEqual(client.calls.map((c) => [c.channel, c.args[0]]), [['process:get', init.pid], ['cgroup:get', init.pid]]);
  });

  it('any process: a host process, its cgroup without limits', async () => {
    const client = panelClient({
      process: () => ({ ok: true, value: detailOf(dockerd, { cpuMs: 187_000, threads: 14, rssBytes: 12 * MiB }) }),
      cgroup: (pid) => ({
        ok: true,
        value: { pid, path: dockerd.cgroup, limits: { memoryBytes: null, cpus: null, pidsMax: null, cpuset: null }, usage: sample(Date.now(), { memoryBytes: 30 * MiB, memoryLimitBytes: null, cpuCores: null, pids: 1, pidsMax: null }) },
      }),
    });
    withClient(client, <ProcessPanel pid={dockerd.pid} host={s.host} onClose={() => undefined} refreshMs={60_000} />);
    await settle();
    assert.equal(text('process-nspid'), "PID 5520 on the host, and only that: it is in the host's pid namespace.");
    assert.equal(text('process-cpu'), '3 min 07 s user + system since it started');
    assert.equal(text('process-threads'), '14');
    assert.equal(text('process-cgroup-path'), dockerd.cgroup);
    assert.ok(screen.getAllByTestId(/^process-ns-/).every((r) => r.dataset.mark === 'host'));
    assert.equal(text('process-cgroup-memory'), '30 MiB no limit');
    assert.equal(text('process-cgroup-cpu'), 'measuring… no quota: it may use every CPU');
    assert.equal(text('process-cgroup-pids'), '1 no pids.max');
    assert.equal(within(screen.getByTestId('process-cgroup')).queryAllByRole('meter').length, 0);
  });

  it('reads again every refreshMs while open, with the CPU now from two readings; stops when closed', async () => {
    const client = panelClient({
      process: (pid, n) => ({ ok: true, value: detailOf(processOf(pid), { cpuMs: 1000 + (n - 1) * 30 }) }),
      cgroup: (pid, n) => ({ ok: true, value: webCgroup(pid, { memoryBytes: (40 + n) * MiB }) }),
    });
    const { unmount } = withClient(client, <ProcessPanel pid={init.pid} host={s.host} onClose={() => undefined} refreshMs={40} />);
    await settle();
    assert.equal(client.count('cgroup:get'), 1);
    await settleUntil(() => client.count('cgroup:get') >= 3 && /now:/.test(text('process-cpu')), 'three readings');
    const n = client.count('cgroup:get');
    assert.equal(client.count('process:get'), n, 'one process:get with each cgroup:get');
    assert.match(text('process-cgroup-memory'), new RegExp(`^${40 + n} MiB of 64 MiB`));
    assert.match(text('process-cpu'), /now: [\d.]+ cores?/);
    unmount();
    const after = client.calls.length;
    await settle(120);
    assert.equal(client.calls.length, after, 'nothing asked after the panel closed');
  });

  it('when the process exits: says so, keeps its last picture, stops asking', async () => {
    const client = panelClient({
      process: (pid, n) => (n === 1 ? { ok: true, value: detailOf(processOf(pid)) } : { ok: false, error: { code: 'NOT_FOUND', message: `no process ${pid}` } }),
      cgroup: (pid) => ({ ok: true, value: webCgroup(pid) }),
    });
    withClient(client, <ProcessPanel pid={init.pid} host={s.host} onClose={() => undefined} refreshMs={30} />);
    await settleUntil(() => screen.getByTestId('process-panel').dataset.gone === 'exited', 'the second answer');
    assert.match(text('process-gone'), /^PID 30315 has exited\./);
    assert.equal(text('process-nspid'), 'PID 30315 on the host = PID 1 in its namespace', 'the last picture stays');
    assert.equal(screen.queryByTestId('process-error'), null);
    const after = client.calls.length;
    await settle(100);
    assert.equal(client.calls.length, after);
  });

  it('a pid reused by another process (another start time) is not taken for the same one', async () => {
    const client = panelClient({
      process: (pid, n) => ({ ok: true, value: detailOf({ ...processOf(pid), startTime: n === 1 ? 73423 : 99999, comm: n === 1 ? 'sh' : 'other' }) }),
      cgroup: (pid) => ({ ok: true, value: webCgroup(pid) }),
    });
    withClient(client, <ProcessPanel pid={init.pid} host={s.host} onClose={() => undefined} refreshMs={30} />);
    await settleUntil(() => screen.getByTestId('process-panel').dataset.gone === 'reused', 'the second answer');
    assert.match(text('process-panel'), /PID 30315 sh/);
  });

  it('errors in plain words; the cgroup of a recording', async () => {
    const client = panelClient({
      process: () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'the collector has not taken its first snapshot yet' } }),
      cgroup: () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'a recording holds no live cgroup: see the container\'s usage history instead' } }),
    });
    withClient(client, <ProcessPanel pid={init.pid} host={s.host} onClose={() => undefined} refreshMs={60_000} />);
    await settle();
    assert.equal(text('process-error'), 'The collector cannot answer yet: the collector has not taken its first snapshot yet.');
    assert.match(text('process-cgroup-error'), /^No cgroup to show: a recording holds no live cgroup/);
    assert.equal(screen.queryByTestId('process-nspid'), null);
  });

  it('Esc and the close button close it; Esc goes no further (the app\u2019s Esc means "back")', async () => {
    let closed = 0;
    let reachedDocument = 0;
    const onDoc = (): void => void reachedDocument++;
    document.addEventListener('keydown', onDoc);
    try {
      withClient(panelClient(webAnswers), <ProcessPanel pid={init.pid} host={s.host} onClose={() => closed++} refreshMs={60_000} />);
      await settle();
      assert.equal(document.activeElement, screen.getByTestId('process-panel-close'), 'focus moves into the drawer');
      fireEvent.keyDown(screen.getByTestId('process-panel-close'), { key: 'Escape' });
      assert.equal(closed, 1);
      assert.equal(reachedDocument, 0);
      fireEvent.click(screen.getByTestId('process-panel-close'));
      assert.equal(closed, 2);
    } finally {
      document.removeEventListener('keydown', onDoc);
    }
  });
});

describe('the container detail opens the process panel from its process list', () => {
  const detail = (client: IsolensClient, id = web.id): ReactNode => (
    <IsolensClientContext.Provider value={client}>
      <ContainerDetail model={model} containerId={id} samples={[]} onLoadHistory={() => undefined} onOpenContainer={() => undefined} onBack={() => undefined} />
    </IsolensClientContext.Provider>
  );

  it('a row opens its drawer; another row switches; the close button closes it and gives the focus back', async () => {
    const client = panelClient(webAnswers);
    render(detail(client));
    assert.equal(screen.queryByTestId('process-panel'), null);
    assert.equal(client.count('process:get'), 0, 'nothing asked before a row is opened');
    await act(async () => {
      fireEvent.click(screen.getByTestId('detail-proc-30344'));
      await tick();
    });
    assert.equal(screen.getByTestId('process-panel').dataset.pid, '30344');
    assert.equal(text('process-nspid'), 'PID 30344 on the host = PID 7 in its namespace');
    assert.ok(screen.getByTestId('detail-proc-30344').classList.contains('proc-open-row'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('detail-proc-open-30315'));
      await tick();
    });
    assert.equal(screen.getAllByTestId('process-panel').length, 1);
    assert.equal(text('process-nspid'), 'PID 30315 on the host = PID 1 in its namespace');
    assert.equal(screen.getByTestId('detail-proc-open-30315').getAttribute('aria-expanded'), 'true');
    fireEvent.click(screen.getByTestId('process-panel-close'));
    assert.equal(screen.queryByTestId('process-panel'), null);
    assert.equal(document.activeElement, screen.getByTestId('detail-proc-open-30315'));
  });

  it('Esc in the drawer closes it; another container starts closed', async () => {
    const client = panelClient(webAnswers);
    const { rerender } = render(detail(client));
    await act(async () => {
      fireEvent.click(screen.getByTestId('detail-proc-30345'));
      await tick();
    });
    fireEvent.keyDown(screen.getByTestId('process-panel'), { key: 'Escape' });
    assert.equal(screen.queryByTestId('process-panel'), null);
    await act(async () => {
      fireEvent.click(screen.getByTestId('detail-proc-30345'));
      await tick();
    });
    assert.ok(screen.getByTestId('process-panel'));
    rerender(detail(client, containerNamed(s, 'isolens-demo-sidecar').id));
    assert.equal(screen.queryByTestId('process-panel'), null);
  });
});
