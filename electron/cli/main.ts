import * as fs from 'node:fs';
import { defaultEngines } from '../collector/engines/registry';
import { liveSources, takeSnapshot } from '../collector/snapshot';
import { diffCommand } from './diff';
import { serveCommand } from './serve';
import { formatSnapshot, parsePasswd } from './tree';

const USAGE = `usage: isolens <command> [options]

commands:
  snapshot [--json]     print the host process tree with containers and namespaces
                        (--json: the whole model as JSON, schema 1)
  serve [--port N] [--host H] [--allow-remote] [--interval MS]
                        serve the UI and the live stream over HTTP + WebSocket on
                        127.0.0.1 (a random token in the printed URL is required);
                        another --host needs --allow-remote: it shows this host's
                        processes to whoever can reach it
  diff A B [--json]     compare two containers (name, id, id prefix) or host pids:
                        namespaces (shared, the host's), limits, capabilities,
                        seccomp, LSM, user; says why one sees the other
  help                  this text

Run as root to see every process's namespaces; as a normal user, other users'
processes show null namespaces and a warning says so.
`;

/** Entry point of `bin/isolens`: returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'snapshot':
      return snapshotCommand(rest);
    case 'serve':
      return serveCommand(rest);
    case 'diff':
      return diffCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`isolens: unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}

async function snapshotCommand(args: readonly string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--json');
  if (unknown.length > 0) {
    process.stderr.write(`isolens snapshot: unknown option ${unknown.join(' ')}\n`);
    return 2;
  }
  const snap = await takeSnapshot(liveSources(defaultEngines()));
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify(snap, null, 2) + '\n');
  } else {
    let passwd = '';
    try {
      passwd = fs.readFileSync('/etc/passwd', 'utf8');
    } catch {
      // no user names: numeric uids are shown
    }
    process.stdout.write(formatSnapshot(snap, parsePasswd(passwd), process.stdout.columns ?? 200));
  }
  return 0;
}
