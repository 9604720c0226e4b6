// The ns-holders fixture trees (test/fixtures/ns-holders/{good,broken}) and the process records of
// the good one, shared by the JS scan's tests and the isolens-holders helper's tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProcessNamespaces } from '../../shared/namespaces';
import type { ProcessRecord } from '../../electron/collector/procfs/process';
import { record } from './records';

/** test/fixtures/ns-holders. */
export const NS_HOLDER_FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'ns-holders');
/** A procfs tree with fd, thread and bind-mount holders. */
export const GOOD_HOLDERS_TREE = path.join(NS_HOLDER_FIXTURES, 'good');
/** A procfs tree with unreadable and malformed entries. */
export const BROKEN_HOLDERS_TREE = path.join(NS_HOLDER_FIXTURES, 'broken');

interface FixtureProcess {
  pid: number;
  ppid: number;
  comm: string;
  numThreads: number;
  namespaces: ProcessNamespaces;
}

/** The process records of the good tree (its processes.json). */
export function goodHolderProcesses(): ProcessRecord[] {
  return (JSON.parse(fs.readFileSync(path.join(GOOD_HOLDERS_TREE, 'processes.json'), 'utf8')) as FixtureProcess[])
    .map((p) => record(p.pid, p.ppid, { comm: p.comm, numThreads: p.numThreads, namespaces: p.namespaces }));
}
