import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RingBuffer } from '../../../electron/collector/service/ring-buffer';
import { toSample } from '../../../electron/collector/service/usage-sampler';

describe('RingBuffer', () => {
  it('keeps the newest items, oldest first', () => {
    const r = new RingBuffer<number>(3);
    for (const x of [1, 2, 3, 4, 5]) r.push(x);
    assert.deepEqual(r.toArray(), [3, 4, 5]);
    assert.equal(r.last(), 5);
    assert.equal(r.length, 3);
  });
  it('refuses a capacity that is not a positive integer', () => assert.throws(() => new RingBuffer(0), RangeError));
});

describe('toSample', () => {
  const usage = (nanos: number) => ({
    memory: { usageBytes: 10, limitBytes: 100, peakBytes: 50, oomKills: 1 },
    cpu: { usageNanos: nanos, quotaCores: 0.5, periods: 10, throttledPeriods: 4, throttledNanos: 2e6 },
    pids: { current: 3, max: 50 },
  });
  it('the first sample has no CPU rate', () => {
    const { sample, counter } = toSample(usage(1e9), 1000, undefined);
    assert.equal(sample.cpuCores, null);
    assert.deepEqual(counter, { t: 1000, usageNanos: 1e9 });
    assert.equal(sample.throttledMs, 2);
    assert.equal(sample.pidsMax, 50);
  });
  it('half a second of CPU over one second is 0.5 cores', () => {
    assert.equal(toSample(usage(1.5e9), 2000, { t: 1000, usageNanos: 1e9 }).sample.cpuCores, 0.5);
  });
  it('a counter that went backwards (a new cgroup) gives no rate', () => {
    assert.equal(toSample(usage(1), 2000, { t: 1000, usageNanos: 1e9 }).sample.cpuCores, null);
  });
});
