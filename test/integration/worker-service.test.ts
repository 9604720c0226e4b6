import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import type { Delta } from '../../shared/delta';
import { WorkerService } from '../../electron/collector/worker/worker-service';
import { waitFor } from '../helpers/wait';

describe('the collector in a worker thread', () => {
  it('answers the contract and pushes deltas, without stalling the main thread', async () => {
    const service = new WorkerService({ intervalMs: 200, figuresMs: 0 });
    await service.start();
    try {
      const deltas: Delta[] = [];
      service.on('delta', (d) => deltas.push(d));
      const h = monitorEventLoopDelay({ resolution: 10 });
      h.enable();
      const state = await service.invoke('snapshot:get');
      assert.equal(state.snapshot.schema, 1);
      assert.ok(state.snapshot.processes.some((p) => p.pid === process.pid), 'this test process is in it');
      await waitFor('five deltas', () => deltas.length >= 5, 10_000);
      h.disable();
      deltas.forEach((d, i) => i > 0 && assert.equal(d.seq, (deltas[i - 1]?.seq ?? 0) + 1));
      // The main thread only receives messages: its event loop is never held by a /proc scan.
      assert.ok(h.max / 1e6 < 200, `main thread event-loop delay max ${(h.max / 1e6).toFixed(1)} ms`);
      const detail = await service.invoke('process:get', process.pid);
      assert.equal(detail.process.pid, process.pid);
      await assert.rejects(service.invoke('process:get', 0x7ffffff0), /NOT_FOUND|no such|ENOENT|vanished|not/i);
    } finally {
      await service.stop();
    }
  });
});
