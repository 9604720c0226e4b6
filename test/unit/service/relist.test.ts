import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { EngineStatus } from '../../../shared/model';
import type { EngineAdapter, EngineContainer, EngineWatchListener } from '../../../electron/collector/engines/types';
import { CollectorService } from '../../../electron/collector/service/collector-service';

const procRoot = path.resolve(__dirname, '..', '..', 'fixtures', 'proc');

/** An engine adapter that counts how often it is asked and lets the test emit its events. */
class CountingEngine implements EngineAdapter {
  readonly endpoint: string;
  lists = 0;
  listener: EngineWatchListener | null = null;
  constructor(readonly kind: 'docker' | 'lxc', private readonly containers: EngineContainer[] = []) {
    this.endpoint = `test://${kind}`;
  }
  probe(): Promise<EngineStatus> {
    return Promise.resolve({ name: this.kind, available: true, endpoint: this.endpoint, version: '1', error: null });
  }
  listContainers(): Promise<EngineContainer[]> {
    this.lists++;
    return Promise.resolve(this.containers);
  }
  watch(listener: EngineWatchListener): () => void {
    this.listener = listener;
    return () => undefined;
  }
}

describe('relisting engines', () => {
  it('an engine event asks that engine again, not the others; a full pass asks all', async () => {
    const docker = new CountingEngine('docker');
    const lxc = new CountingEngine('lxc');
    const service = new CollectorService({ procRoot, engines: [docker, lxc], lsns: null, intervalMs: 3_600_000, resyncMs: 3_600_000, figuresMs: 0, cgroupMounts: { v2: null, v1: new Map() } });
    await service.start();
    try {
      assert.deepEqual([docker.lists, lxc.lists], [1, 1], 'the first (full) pass lists every engine once');
      await service.tickNow();
      assert.deepEqual([docker.lists, lxc.lists], [1, 1], 'a steady tick asks no engine');
      docker.listener?.changed('start', 'abc');
      await service.tickNow();
      assert.deepEqual([docker.lists, lxc.lists], [2, 1], 'docker\'s event relists docker only');
      assert.deepEqual(service.current().snapshot.engines.map((e) => e.name), ['docker', 'lxc'], 'both engines still reported, in order');
      await new Promise((r) => setTimeout(r, 50));
      const before = docker.lists;
      const seqBefore = service.current().seq;
      for (const action of ['kill', 'die', 'stop', 'destroy']) docker.listener?.changed(action, 'abc');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(docker.lists - before, 1, 'a burst of four events: one relist');
      assert.equal(service.current().seq - seqBefore, 1, 'and one tick');
    } finally {
      await service.stop();
    }
  });
});
