// Run as a script (node --import tsx): reads /proc with isolens-table (dist/native) and with Node,
// and prints as JSON, for the processes both read, how many have the same record and the same
// read errors, and whether the namespace relations isolens-table asked for are isolens-nsinfo's.
// The full-read integration test runs it as another user.
import { findTableHelper, readTableNative } from '../../electron/collector/discover/full-read';
import { findNsinfo, representativePaths, runNsinfo } from '../../electron/collector/nsinfo';
import { listPids, readProcessTable, type ProcessRecord } from '../../electron/collector/procfs/process';

/** What the comparison found. */
export interface TableReadComparison {
  readonly uid: number;
  readonly both: number;
  readonly sameErrors: number;
  readonly sameNamespaces: number;
  /** Records of other users' processes whose ns links could not be read (EACCES). */
  readonly eaccesRecords: number;
  /** Namespaces isolens-table told the relations of, and isolens-nsinfo asked about the same table. */
  readonly relations: number;
  readonly nsinfoRelations: number;
  /** Of those, how many both told alike (type, parent, owner). */
  readonly sameRelations: number;
  readonly examples: readonly string[];
}

const errorsOf = (p: ProcessRecord): string => p.errors.map((e) => `${e.code}:${e.file}`).join(',');

async function main(): Promise<void> {
  const binary = findTableHelper();
  if (binary === null) throw new Error('dist/native/isolens-table is not built');
  const native = await readTableNative('/proc', listPids('/proc'), binary, 2);
  const node = new Map(readProcessTable('/proc').processes.map((p) => [`${p.pid}:${p.startTime}`, p]));
  let both = 0;
  let sameErrors = 0;
  let sameNamespaces = 0;
  const examples: string[] = [];
  for (const p of native.processes) {
    const q = node.get(`${p.pid}:${p.startTime}`);
    if (!q) continue;
    both++;
    if (errorsOf(p) === errorsOf(q)) sameErrors++;
    else if (examples.length < 3) examples.push(`${p.pid}: ${errorsOf(p)} | ${errorsOf(q)}`);
    if (JSON.stringify(p.namespaces) === JSON.stringify(q.namespaces)) sameNamespaces++;
  }
  const eaccesRecords = native.processes.filter((p) => p.errors.some((e) => e.code === 'EACCES')).length;
  const nsinfo = findNsinfo();
  if (nsinfo === null) throw new Error('dist/native/isolens-nsinfo is not built');
  const asked = await runNsinfo(nsinfo, representativePaths('/proc', native.processes, []));
  const told = new Map(native.relations.map((r) => [r.ns, `${r.type} ${r.pns} ${r.ons}`]));
  const sameRelations = asked.filter((r) => told.get(r.ns) === `${r.type} ${r.pns} ${r.ons}`).length;
  const out: TableReadComparison = {
    uid: process.getuid?.() ?? -1, both, sameErrors, sameNamespaces, eaccesRecords,
    relations: told.size, nsinfoRelations: asked.length, sameRelations, examples,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
