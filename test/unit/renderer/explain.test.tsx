import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { NAMESPACE_KINDS } from '../../../shared/namespaces';
import { App } from '../../../renderer/app/App';
import { parseHash } from '../../../renderer/app/routes';
import { deriveModel } from '../../../renderer/state/derive';
import { CONCEPTS, conceptCommands, conceptOf, fillTemplate, shellQuote } from '../../../renderer/views/explain/concepts';
import type { ConceptId, ExplainSubject } from '../../../renderer/views/explain/concepts';
import { Explain, ExplainContext } from '../../../renderer/views/explain/Explain';
import { containerSubject, processSubject, resolveSubject, selectionOfTestId } from '../../../renderer/views/explain/subject';
import { containerNamed, fakeClient, loadSnapshot, tick } from './fixtures';

afterEach(() => cleanup());

const ID = 'bbef7cbe3e121bd8df47ebb3e68804c0c2e698916798f895150f85b84a2da84d';
/** A container's init, host PID 4211, as the brief's examples have it. */
const v1: ExplainSubject = { pid: 4211, label: 'web', containerName: 'web', containerId: ID, image: 'isolens/busybox:test', cgroup: `/docker/${ID}`, cgroupVersion: 1 };
const v2: ExplainSubject = { ...v1, cgroup: `/system.slice/docker-${ID}.scope`, cgroupVersion: 2 };

const texts = (id: ConceptId, s: ExplainSubject | null, version: 1 | 2): string[] => conceptCommands(conceptOf(id), s, version).map((c) => c.text);

describe('the concept table', () => {
  const wanted: ConceptId[] = [
    ...NAMESPACE_KINDS.map((k) => `ns-${k}` as const),
    'nspid', 'cgroup', 'memory-limit', 'cpu-quota', 'capability', 'seccomp', 'apparmor', 'uid-map', 'scratch', 'static',
  ];
  it('has one entry per concept the UI shows, each with a title, plain text, a command and a reference', () => {
    assert.deepEqual(CONCEPTS.map((c) => c.id).sort(), [...wanted].sort());
    for (const c of CONCEPTS) {
      assert.ok(c.title.length > 3, c.id);
      assert.ok(c.text.length > 60 && c.text.length < 420, `${c.id}: two or three sentences`);
      assert.ok(c.commands.length > 0, c.id);
      assert.ok(c.ref.length > 0, c.id);
      for (const t of [...c.commands, ...(c.commandsV1 ?? [])]) {
        for (const m of t.matchAll(/\{(\w+)\}/g)) assert.ok(['pid', 'name', 'id', 'image', 'cgroup'].includes(m[1] ?? ''), `${c.id}: unknown placeholder ${m[0]}`);
      }
    }
  });
  it('an unknown concept throws', () => {
    assert.throws(() => conceptOf('nope' as ConceptId), /no explanation for nope/);
  });
});

describe('fillTemplate', () => {
  const cases: { name: string; template: string; subject: ExplainSubject | null; want: string; missing: string[] }[] = [
    { name: 'a pid', template: 'readlink /proc/{pid}/ns/pid', subject: v1, want: 'readlink /proc/4211/ns/pid', missing: [] },
    { name: 'twice', template: 'cat /proc/{pid}/uid_map /proc/{pid}/gid_map', subject: v1, want: 'cat /proc/4211/uid_map /proc/4211/gid_map', missing: [] },
    { name: 'an image', template: 'docker history {image}', subject: v1, want: 'docker history isolens/busybox:test', missing: [] },
    { name: 'a cgroup path', template: 'cat /sys/fs/cgroup/memory{cgroup}/memory.limit_in_bytes', subject: v1, want: `cat /sys/fs/cgroup/memory/docker/${ID}/memory.limit_in_bytes`, missing: [] },
    { name: 'the root cgroup adds nothing', template: 'cat /sys/fs/cgroup{cgroup}/memory.max', subject: { ...v2, cgroup: '/' }, want: 'cat /sys/fs/cgroup/memory.max', missing: [] },
    { name: 'no subject', template: 'grep NSpid /proc/{pid}/status', subject: null, want: 'grep NSpid /proc/<PID>/status', missing: ['pid'] },
    { name: 'no image', template: 'docker history {image}', subject: { ...v1, image: null }, want: 'docker history <IMAGE>', missing: ['image'] },
    { name: 'a space is quoted for the shell', template: 'cat /sys/fs/cgroup{cgroup}/cpu.max', subject: { ...v2, cgroup: "/odd name's" }, want: `cat /sys/fs/cgroup'/odd name'\\''s'/cpu.max`, missing: [] },
    { name: 'braces that are not placeholders stay', template: "awk '{print $2}' /proc/{pid}/status", subject: v1, want: "awk '{print $2}' /proc/4211/status", missing: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = fillTemplate(c.template, c.subject);
      assert.equal(r.text, c.want);
      assert.deepEqual(r.missing, c.missing);
    });
  }
  it('shellQuote leaves plain paths alone', () => {
    assert.equal(shellQuote('/docker/abc-1.scope'), '/docker/abc-1.scope');
    assert.equal(shellQuote('a b'), "'a b'");
  });
});

describe('commands filled in with the selected process', () => {
  it('namespaces: readlink, the kind-specific file, lsns', () => {
    assert.deepEqual(texts('ns-pid', v1, 1), ['readlink /proc/4211/ns/pid', 'grep NSpid /proc/4211/status', 'lsns -p 4211']);
    for (const k of NAMESPACE_KINDS) assert.equal(texts(`ns-${k}`, v1, 1)[0], `readlink /proc/4211/ns/${k}`);
  });
  it('NSpid, capabilities, seccomp, uid map, scratch, static', () => {
    assert.equal(texts('nspid', v1, 1)[0], 'grep NSpid /proc/4211/status');
    assert.equal(texts('capability', v1, 1)[0], 'grep Cap /proc/4211/status');
    assert.deepEqual(texts('seccomp', v1, 1), ['grep Seccomp /proc/4211/status']);
    assert.equal(texts('uid-map', v1, 1)[0], 'cat /proc/4211/uid_map');
    assert.equal(texts('scratch', v1, 1)[0], 'docker history isolens/busybox:test');
    assert.equal(texts('static', v1, 1)[0], 'file -L /proc/4211/exe');
  });
  it('memory limit: memory.limit_in_bytes on cgroup v1, memory.max on v2, in the container\'s cgroup', () => {
    assert.equal(texts('memory-limit', v1, 1)[0], `cat /sys/fs/cgroup/memory/docker/${ID}/memory.limit_in_bytes`);
    assert.equal(texts('memory-limit', v2, 2)[0], `cat /sys/fs/cgroup/system.slice/docker-${ID}.scope/memory.max`);
  });
  it('CPU quota and throttling: cfs_quota_us and cpu.stat on v1, cpu.max and cpu.stat on v2', () => {
    assert.match(texts('cpu-quota', v1, 1)[0] ?? '', new RegExp(`^cat /sys/fs/cgroup/cpu/docker/${ID}/cpu.cfs_quota_us `));
    assert.equal(texts('cpu-quota', v1, 1)[1], `cat /sys/fs/cgroup/cpu/docker/${ID}/cpu.stat`);
    assert.deepEqual(texts('cpu-quota', v2, 2), [`cat /sys/fs/cgroup/system.slice/docker-${ID}.scope/cpu.max`, `grep throttled /sys/fs/cgroup/system.slice/docker-${ID}.scope/cpu.stat`]);
  });
});

describe('the subject of an explanation', () => {
  const s = loadSnapshot('demo');
  const model = deriveModel(s);
  const web = containerNamed(s, 'isolens-demo-web');
  it('a container: its init, name, image and cgroup, and the host\'s cgroup version', () => {
    const c = model.containerById.get(web.id);
    assert.ok(c);
    assert.deepEqual(containerSubject(c, 1), { pid: web.pid, label: web.name, containerName: web.name, containerId: web.id, image: web.image, cgroup: web.cgroup, cgroupVersion: 1 });
  });
  it('a process of a container carries the container; a host process does not', () => {
    const inContainer = processSubject(model, web.pid as number);
    assert.equal(inContainer?.containerName, web.name);
    const host = processSubject(model, 1);
    assert.equal(host?.containerId, null);
    assert.equal(processSubject(model, 999_999_999), null);
  });
  it('the selection wins, then the open container, then the first container', () => {
    assert.equal(resolveSubject(model, { kind: 'process', pid: 1 }, web.id).pid, 1);
    assert.equal(resolveSubject(model, null, web.id).containerId, web.id);
    const first = resolveSubject(model, null, null);
    assert.ok(first.containerId !== null && first.pid !== null);
  });
  it('rows name their selection by data-testid', () => {
    assert.deepEqual(selectionOfTestId('proc-42', model), { kind: 'process', pid: 42 });
    assert.deepEqual(selectionOfTestId(`container-card-${web.name}`, model), { kind: 'container', id: web.id });
    assert.deepEqual(selectionOfTestId(`ns-row-${web.name}`, model), { kind: 'container', id: web.id });
    assert.deepEqual(selectionOfTestId(`container-${web.name}-continued`, model), { kind: 'container', id: web.id });
    assert.equal(selectionOfTestId('container-detail', model), null);
    assert.equal(selectionOfTestId(null, model), null);
  });
});

describe('Explain', () => {
  it('one click opens the explanation with the commands filled in; Esc closes it and gives the focus back', () => {
    render(
      <ExplainContext.Provider value={v1}>
        <Explain concept="ns-pid" />
      </ExplainContext.Provider>,
    );
    const button = screen.getByTestId('explain-ns-pid');
    assert.equal(button.getAttribute('aria-expanded'), 'false');
    fireEvent.click(button);
    const pop = screen.getByTestId('explain-popover');
    assert.equal(pop.getAttribute('role'), 'dialog');
    assert.match(pop.textContent ?? '', /pid namespace/);
    assert.deepEqual(
      screen.getAllByTestId('explain-command').map((e) => e.textContent),
      ['readlink /proc/4211/ns/pid', 'grep NSpid /proc/4211/status', 'lsns -p 4211'],
    );
    assert.equal(button.getAttribute('aria-expanded'), 'true');
    fireEvent.keyDown(pop, { key: 'Escape' });
    assert.equal(screen.queryByTestId('explain-popover'), null);
    assert.equal(document.activeElement, button);
  });

  it('a subject given to it wins over the context; without one, placeholders and a note', () => {
    render(<Explain concept="seccomp" subject={null} />);
    fireEvent.click(screen.getByTestId('explain-seccomp'));
    assert.equal(screen.getByTestId('explain-command').textContent, 'grep Seccomp /proc/<PID>/status');
    assert.ok(screen.getByTestId('explain-missing'));
  });

  it('a click elsewhere closes it', () => {
    render(<Explain concept="cgroup" subject={v2} />);
    fireEvent.click(screen.getByTestId('explain-cgroup'));
    assert.ok(screen.getByTestId('explain-popover'));
    fireEvent.mouseDown(document.body);
    assert.equal(screen.queryByTestId('explain-popover'), null);
  });
});

describe('explanations in place, in the App', () => {
  async function renderApp(hash: string): Promise<void> {
    const s = loadSnapshot('confinement');
    const storeOptions = { schedule: (f: () => void) => void Promise.resolve().then(() => act(f)) };
    render(<App client={fakeClient(s)} storeOptions={storeOptions} initialRoute={parseHash(hash)} treeFallbackHeight={6000} />);
    await act(async () => {
      await tick();
      await tick();
    });
  }

  it('a container detail explains its namespaces, limits and confinement with its own init PID and cgroup', async () => {
    const s = loadSnapshot('confinement');
    const c = containerNamed(s, 'cf-default');
    await renderApp(`#container/${c.id}`);
    for (const id of ['ns-pid', 'ns-net', 'nspid', 'cgroup', 'memory-limit', 'cpu-quota', 'capability', 'seccomp', 'apparmor', 'uid-map']) {
      assert.ok(screen.getAllByTestId(`explain-${id}`).length > 0, `explain-${id}`);
    }
    fireEvent.click(screen.getByTestId('explain-memory-limit'));
    assert.equal(screen.getAllByTestId('explain-command')[0]?.textContent, `cat /sys/fs/cgroup/memory${c.cgroup}/memory.limit_in_bytes`);
    fireEvent.click(screen.getByTestId('explain-ns-pid'));
    assert.equal(screen.getAllByTestId('explain-command')[0]?.textContent, `readlink /proc/${c.pid}/ns/pid`);
  });

  it('the process tree explains PID inside for the row last focused', async () => {
    const s = loadSnapshot('confinement');
    const c = containerNamed(s, 'cf-capadd');
    await renderApp('#tree');
    const row = screen.getByTestId(`proc-${c.pid}`);
    act(() => row.focus());
    fireEvent.click(screen.getByTestId('explain-nspid'));
    assert.equal(screen.getAllByTestId('explain-command')[0]?.textContent, `grep NSpid /proc/${c.pid}/status`);
    assert.match(screen.getByTestId('explain-popover').textContent ?? '', /for cf-capadd, pid/);
  });

  it('the namespace matrix explains each kind in its header', async () => {
    await renderApp('#namespaces');
    for (const k of NAMESPACE_KINDS) assert.ok(screen.getByTestId('ns-matrix').querySelector(`[data-testid="explain-ns-${k}"]`), k);
  });
});
