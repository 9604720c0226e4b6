import assert from 'node:assert/strict';
import * as os from 'node:os';
import { describe, it } from 'node:test';
import { CollectorService } from '../../electron/collector/service/collector-service';
import { fetchHostFigures } from '../../electron/collector/service/host-figures';
import { waitFor } from '../helpers/wait';

describe('host figures from systeminformation', () => {
  it('gives the CPU, memory, OS and load of this machine', async () => {
    const f = await fetchHostFigures();
    assert.ok(f.cpuCount >= 1 && f.cpuCount <= os.cpus().length, `cpus ${f.cpuCount}`);
    assert.ok(Math.abs(f.memoryTotalBytes - os.totalmem()) < 64 * 1024 * 1024, 'total memory as the kernel says');
    assert.ok(f.memoryAvailableBytes > 0 && f.memoryAvailableBytes <= f.memoryTotalBytes);
    assert.ok(f.cpuModel.length > 0 && f.os.length > 0);
    assert.ok(Number.isFinite(f.load1) && f.load1 >= 0);
  });

  it('reach the live model at a slow rate, off the tick', async () => {
    const service = new CollectorService({ engines: [], lsns: null, intervalMs: 200, figuresMs: 60_000 });
    await service.start();
    try {
      const figures = await waitFor('host figures in the snapshot', () => service.current().snapshot.host.figures, 10_000);
      assert.ok(figures.cpuCount >= 1);
    } finally {
      await service.stop();
    }
  });
});
