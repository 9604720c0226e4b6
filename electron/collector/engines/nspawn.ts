import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ContainerConfig, EngineStatus } from '../../../shared/model';
import { childrenOf, findExecutable, findProcesses, namespaceOf, runCommand } from './host-tools';
import type { EngineAdapter, EngineContainer } from './types';

/** Where systemd-machined keeps one state file per registered machine (systemd-machined.service(8)). */
export const MACHINES_DIR = '/run/systemd/machines';

/** The systemd-nspawn(1) options this tool reads from a running nspawn's argv. */
export interface NspawnArgs {
  readonly directory: string | null;
  readonly image: string | null;
  readonly machine: string | null;
  /** --register=no: no machined registration (false), else true (nspawn's default). */
  readonly register: boolean;
  readonly privateNetwork: boolean;
  /** --private-users / -U value ('' when given without one), null when absent. */
  readonly privateUsers: string | null;
  readonly capabilities: readonly string[];
  readonly dropCapabilities: readonly string[];
  readonly readOnly: boolean;
  readonly user: string | null;
}

/** Options that take a value in the next argument when not given as --opt=value (systemd-nspawn(1)). */
const WITH_VALUE = new Set([
  '-D', '--directory', '-i', '--image', '-M', '--machine', '-u', '--user', '--register', '--capability', '--drop-capability',
  '--template', '--chdir', '-E', '--setenv', '--bind', '--bind-ro', '--tmpfs', '--overlay', '--overlay-ro', '--network-interface',
  '--network-macvlan', '--network-ipvlan', '--network-veth-extra', '--network-bridge', '--network-zone', '--port', '-p',
  '--property', '--slice', '--uuid', '--kill-signal', '--link-journal', '--resolv-conf', '--timezone', '--console',
  '--setcredential', '--load-credential', '--personality', '--root-hash', '--root-hash-sig', '--verity-data', '--pivot-root',
  '--inaccessible', '--oci-bundle', '--rlimit', '--oom-score-adjust', '--cpu-affinity', '--hostname', '--no-new-privileges',
  '--system-call-filter', '--selinux-context', '-Z', '--selinux-apifs-context', '-L', '--private-users-ownership', '--notify-ready',
  '--network-namespace-path', '--mount', '-S',
]);

const bool = (v: string | undefined): boolean => v === undefined || !/^(no|false|0|off)$/i.test(v);

/**
 * Parses a systemd-nspawn(1) argv (argv[0] included) up to the command to run in the container:
 * -D/--directory, -i/--image, -M/--machine, --register, -n/--private-network, -U/--private-users,
 * --capability, --drop-capability, --read-only, -u/--user. Unknown options are skipped.
 */
export function parseNspawnArgs(argv: readonly string[]): NspawnArgs {
  let directory: string | null = null;
  let image: string | null = null;
  let machine: string | null = null;
  let register = true;
  let privateNetwork = false;
  let privateUsers: string | null = null;
  const capabilities: string[] = [];
  const dropCapabilities: string[] = [];
  let readOnly = false;
  let user: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    if (!a.startsWith('-')) break; // the command line of the container starts here
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const opt = eq > 0 ? a.slice(0, eq) : a;
    let value: string | undefined = eq > 0 ? a.slice(eq + 1) : undefined;
    if (value === undefined && WITH_VALUE.has(opt)) value = argv[++i];
    switch (opt) {
      case '-D': case '--directory': directory = value ?? null; break;
      case '-i': case '--image': image = value ?? null; break;
      case '-M': case '--machine': machine = value ?? null; break;
      case '-u': case '--user': user = value ?? null; break;
      case '--register': register = bool(value); break;
      case '-n': case '--private-network': privateNetwork = true; break;
      case '-U': privateUsers = 'pick'; break;
      case '--private-users': privateUsers = value ?? ''; break;
      case '--read-only': readOnly = true; break;
      case '--capability': capabilities.push(...(value ?? '').split(',').filter((c) => c !== '')); break;
      case '--drop-capability': dropCapabilities.push(...(value ?? '').split(',').filter((c) => c !== '')); break;
      default:
        // Network options other than -n imply a private network namespace too (systemd-nspawn(1)).
        if (/^--network-(interface|macvlan|ipvlan|veth|bridge|zone|namespace-path)/.test(opt)) privateNetwork = true;
        break;
    }
  }
  return { directory, image, machine, register, privateNetwork, privateUsers, capabilities, dropCapabilities, readOnly, user };
}

/** The machine name nspawn uses: -M, else the last component of the directory or image without its suffix (systemd-nspawn(1) -M). */
export function nspawnMachineName(a: NspawnArgs): string | null {
  if (a.machine) return a.machine;
  const src = a.directory ?? a.image;
  if (!src) return null;
  const base = path.basename(src.replace(/\/+$/, ''));
  return (a.image ? base.replace(/\.(raw|img)$/, '') : base) || null;
}

/** Parses a systemd-machined state file (/run/systemd/machines/NAME: env-file KEY=VALUE lines). */
export function parseMachineFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m && m[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  return out;
}

const capName = (c: string): string => c.toUpperCase().replace(/^CAP_/, '');

/** Maps a running nspawn (its argv and the pid of the container's init) to the engine-neutral form; id `nspawn:NAME`. */
export function nspawnContainer(name: string, args: NspawnArgs, pid: number | null, nspawnPid: number | null): EngineContainer {
  const config: ContainerConfig = {
    privileged: false,
    capAdd: args.capabilities.map(capName),
    capDrop: args.dropCapabilities.map(capName),
    securityOpt: [],
    namespaceModes: {
      pid: '', ipc: '', uts: '', cgroup: '',
      net: args.privateNetwork ? '' : 'host', // without --private-network nspawn shares the host's network
      user: args.privateUsers === null || args.privateUsers === 'no' ? 'host' : 'private',
    },
    user: args.user,
    readOnlyRootfs: args.readOnly,
  };
  const labels: Record<string, string> = {};
  if (args.directory) labels['nspawn.directory'] = args.directory;
  if (args.image) labels['nspawn.image'] = args.image;
  labels['nspawn.register'] = args.register ? 'yes' : 'no';
  if (nspawnPid !== null) labels['nspawn.pid'] = String(nspawnPid);
  return {
    id: `nspawn:${name}`, name, engine: 'nspawn', image: args.directory ?? args.image, imageId: null,
    state: pid === null ? 'starting' : 'running', pid, labels, config, createdAt: null, startedAt: null,
  };
}

/** Options of NspawnEngine: where /proc and machined's state directory are. */
export interface NspawnEngineOptions {
  readonly procRoot?: string;
  readonly machinesDir?: string;
}

/**
 * systemd-nspawn(1) containers, without relying on machined: each running `systemd-nspawn`
 * process (found in /proc) is a container whose init is its child in a new pid namespace; its
 * argv gives -D/-i and -M. Machines registered with systemd-machined (/run/systemd/machines/NAME,
 * CLASS=container, LEADER=pid) are added when their nspawn process is not visible.
 */
export class NspawnEngine implements EngineAdapter {
  readonly kind = 'nspawn' as const;
  readonly readsProcessTable = true;
  readonly endpoint: string;
  private readonly procRoot: string;
  private readonly machinesDir: string;
  private version: string | null | undefined;

  constructor(opts: NspawnEngineOptions = {}) {
    this.procRoot = opts.procRoot ?? '/proc';
    this.machinesDir = opts.machinesDir ?? MACHINES_DIR;
    this.endpoint = `proc://${this.procRoot}`;
  }

  async probe(): Promise<EngineStatus> {
    const installed = findExecutable('systemd-nspawn') !== null;
    if (this.version === undefined) {
      this.version = null;
      if (installed) {
        try {
          const first = (await runCommand('systemd-nspawn', ['--version'], 3000)).split('\n')[0] ?? '';
          this.version = /^systemd (\S+)/.exec(first)?.[1] ?? null;
        } catch {
          // informative only
        }
      }
    }
    const running = this.nspawns().length > 0;
    if (!installed && !running && !fs.existsSync(this.machinesDir)) {
      return { name: this.kind, available: false, endpoint: this.endpoint, version: null, error: 'not installed' };
    }
    return { name: this.kind, available: true, endpoint: this.endpoint, version: this.version, error: null };
  }

  private nspawns(): { pid: number; args: NspawnArgs }[] {
    return findProcesses(this.procRoot, (comm) => comm === 'systemd-nspawn')
      .filter((p) => p.cmdline.length > 0)
      .map((p) => ({ pid: p.pid, args: parseNspawnArgs(p.cmdline) }));
  }

  /** The container's init: the nspawn's child in another pid namespace (nspawn forks once more inside for its own stub). */
  private initOf(nspawnPid: number): number | null {
    const own = namespaceOf(this.procRoot, nspawnPid, 'pid');
    for (const kid of childrenOf(this.procRoot, nspawnPid)) {
      const ns = namespaceOf(this.procRoot, kid, 'pid');
      if (ns !== null && ns !== own) return kid;
    }
    return null;
  }

  async listContainers(): Promise<EngineContainer[]> {
    const out: EngineContainer[] = [];
    const seen = new Set<string>();
    for (const n of this.nspawns()) {
      const name = nspawnMachineName(n.args) ?? `nspawn-${n.pid}`;
      seen.add(name);
      out.push(nspawnContainer(name, n.args, this.initOf(n.pid), n.pid));
    }
    let files: string[] = [];
    try {
      files = fs.readdirSync(this.machinesDir);
    } catch {
      // no machined here
    }
    for (const f of files) {
      if (f.startsWith('.') || f.startsWith('unit:') || seen.has(f)) continue;
      let m: Record<string, string>;
      try {
        m = parseMachineFile(fs.readFileSync(path.join(this.machinesDir, f), 'utf8'));
      } catch {
        continue;
      }
      if (m.CLASS !== 'container') continue; // machined also registers VMs
      const leader = /^\d+$/.test(m.LEADER ?? '') ? Number(m.LEADER) : null;
      const args = parseNspawnArgs(['systemd-nspawn', ...(m.ROOT ? ['-D', m.ROOT] : []), '-M', m.NAME ?? f]);
      const c = nspawnContainer(m.NAME ?? f, args, leader, null);
      out.push({ ...c, labels: { ...c.labels, 'machined.service': m.SERVICE ?? '', 'machined.scope': m.SCOPE ?? '' } });
    }
    return out;
  }
}

/** Whether systemd-nspawn is present, or machined keeps state here. */
export function nspawnPresent(env: NodeJS.ProcessEnv = process.env): boolean {
  return findExecutable('systemd-nspawn', env) !== null || fs.existsSync(MACHINES_DIR);
}
