import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EngineKind, EngineStatus } from '../../../shared/model';
import { collectEngines } from '../../../electron/collector/engines/collect';
import type { EngineAdapter, EngineContainer, EngineReport } from '../../../electron/collector/engines/types';

/** An adapter that records when it was asked (no engine behind it). */
function adapter(kind: EngineKind, asked: string[], opts: { readsProcessTable?: boolean; multi?: boolean } = {}): EngineAdapter {
  const status: EngineStatus = { name: kind, endpoint: `test://${kind}`, available: true, version: '1', error: null };
  const base = {
    kind,
    endpoint: status.endpoint,
    ...(opts.readsProcessTable ? { readsProcessTable: true } : {}),
    probe: async (): Promise<EngineStatus> => {
      asked.push(`probe ${kind}`);
      return status;
    },
    listContainers: async (): Promise<EngineContainer[]> => [],
  };
  return opts.multi
    ? { ...base, collectAll: async (): Promise<EngineReport[]> => {
        asked.push(`collectAll ${kind}`);
        return [{ status, containers: [] }];
      } }
    : base;
}

describe('collectEngines', () => {
  it('asks the APIs at once, and the adapters that search the process table only once it is read; the order of the statuses stays that of the adapters', async () => {
    const asked: string[] = [];
    let tableRead = (): void => undefined;
    const gate = new Promise<void>((resolve) => (tableRead = resolve));
    const done = collectEngines([adapter('docker', asked), adapter('lxc', asked, { readsProcessTable: true }), adapter('podman', asked), adapter('nspawn', asked, { readsProcessTable: true, multi: true })], gate);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(asked, ['probe docker', 'probe podman'], 'the table is not read yet');
    tableRead();
    const got = await done;
    assert.deepEqual([...asked].sort(), ['collectAll nspawn', 'probe docker', 'probe lxc', 'probe podman']);
    assert.deepEqual(got.statuses.map((s) => s.name), ['docker', 'lxc', 'podman', 'nspawn']);
  });

  it('without a table to wait for, asks every adapter at once', async () => {
    const asked: string[] = [];
    await collectEngines([adapter('lxc', asked, { readsProcessTable: true }), adapter('docker', asked)]);
    assert.deepEqual(asked.sort(), ['probe docker', 'probe lxc']);
  });
});
