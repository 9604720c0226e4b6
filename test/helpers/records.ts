import type { ProcessNamespaces } from '../../shared/namespaces';
import type { ProcessRecord } from '../../electron/collector/procfs/process';

/** The initial namespaces of the machine the fixture records were taken on (readlink /proc/2/ns/*). */
export const HOST_NS: ProcessNamespaces = {
  cgroup: 4026531835, ipc: 4026531839, mnt: 4026531832, net: 4026531833, pid: 4026531836,
  pid_for_children: 4026531836, time: 4026531834, user: 4026531837, uts: 4026531838,
};

/** A process record for pure discovery tests: host namespaces unless overridden. */
export function record(pid: number, ppid: number, over: Partial<ProcessRecord> & { ns?: Partial<ProcessNamespaces> } = {}): ProcessRecord {
  const { ns, ...rest } = over;
  return {
    pid, ppid, comm: `p${pid}`, state: 'S', cmdline: [`/bin/p${pid}`], uid: 0, startTime: 1000 + pid, utime: 0, stime: 0,
    numThreads: 1, nspid: [pid], namespaces: { ...HOST_NS, ...ns }, cgroups: [], cgroup: '/', status: null, errors: [],
    ...rest,
  };
}
