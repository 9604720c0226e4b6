import * as fs from 'node:fs';
import { defaultEngines } from '../collector/engines/registry';
import { liveSources, takeSnapshot } from '../collector/snapshot';
import { REDACT_ALL, redactSnapshot } from '../../shared/redact';
import { formatSnapshot, parsePasswd } from './tree';

const USAGE = `usage: isolens <command> [options]

commands:
  snapshot [--json] [--redact]
                        print the host process tree with containers and namespaces
                        (--json: the whole model as JSON, schema 1; --redact: hide
                        command-line arguments, host names, label values, /home paths)
  serve [--port N] [--host H] [--allow-remote] [--interval MS] [--classroom]
                        serve the UI and the live stream over HTTP + WebSocket on
                        127.0.0.1 (a random token in the printed URL is required);
                        another --host needs --allow-remote: it shows this host's
                        processes to whoever can reach it; --classroom opens the
                        page in classroom mode (large type, high contrast)
  serve --recording FILE [--speed X] [--paused]
                        serve a recording instead of the live host: reads only
                        FILE (no /proc, no Docker); plays at X times real time
                        when the first page connects (--paused: waits at 0);
                        one playback, shared by every page
  record --seconds N -o FILE [--interval MS] [--redact]
                        record the live host for N seconds (FILE.gz: compressed);
                        --redact as for snapshot. Ctrl-C stops early
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
    // Each other command's modules load only for it (the collector service, the HTTP server and
    // systeminformation cost `snapshot` ~50 ms at start).
    case 'serve':
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded for its command only (above)
      return (require('./serve') as typeof import('./serve')).serveCommand(rest);
    case 'record':
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded for its command only (above)
      return (require('./record') as typeof import('./record')).recordCommand(rest);
    case 'diff':
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded for its command only (above)
      return (require('./diff') as typeof import('./diff')).diffCommand(rest);
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
  const unknown = args.filter((a) => a !== '--json' && a !== '--redact');
  if (unknown.length > 0) {
    process.stderr.write(`isolens snapshot: unknown option ${unknown.join(' ')}\n`);
    return 2;
  }
  const taken = await takeSnapshot(liveSources(defaultEngines()));
  const snap = args.includes('--redact') ? redactSnapshot(taken, REDACT_ALL) : taken;
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
