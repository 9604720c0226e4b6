// A worker thread that reads part of the process table (procfs/parallel.ts): the kernel's procfs
// work is most of a full read, and a second core can do half of it.
import { parentPort } from 'node:worker_threads';
import { ProcReadError } from './errors';
import { readProcess, type ProcessRecord } from './process';
import { type PlainReadError, type TableRequest, type TableReply, toPlainError } from './table-protocol';

const port = parentPort;
if (!port) throw new Error('table-worker.ts runs only as a worker thread');

port.on('message', (m: TableRequest) => {
  const records: (Omit<ProcessRecord, 'errors'> & { errors: PlainReadError[] })[] = [];
  const lost: PlainReadError[] = [];
  for (const pid of m.pids) {
    const r = readProcess(m.procRoot, pid);
    if (r instanceof ProcReadError) lost.push(toPlainError(r));
    else records.push({ ...r, errors: r.errors.map(toPlainError) });
  }
  const reply: TableReply = { id: m.id, records, lost };
  port.postMessage(reply);
});
