import * as si from 'systeminformation';
import type { HostFigures } from '../../../shared/model';

/**
 * CPU model and count, memory, OS and load from systeminformation. Slow (tens of ms, spawns
 * nothing here but reads many files): call it once or at a slow rate, never on the tick.
 */
export async function fetchHostFigures(now: () => Date = () => new Date()): Promise<HostFigures> {
  const [cpu, mem, osInfo, load] = await Promise.all([si.cpu(), si.mem(), si.osInfo(), si.currentLoad()]);
  return {
    cpuModel: `${cpu.manufacturer} ${cpu.brand}`.trim(),
    cpuCount: cpu.cores,
    memoryTotalBytes: mem.total,
    memoryAvailableBytes: mem.available,
    os: `${osInfo.distro} ${osInfo.release}`.trim(),
    load1: Math.round(load.avgLoad * 100) / 100,
    fetchedAt: now().toISOString(),
  };
}
