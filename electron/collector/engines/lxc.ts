import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ContainerConfig, EngineStatus } from '../../../shared/model';
import { childrenOf, findExecutable, findProcesses, runCommand } from './host-tools';
import type { EngineAdapter, EngineContainer } from './types';

/** LXC's default container directory (lxc.container.conf(5) lxc.lxcpath; `lxc-config lxc.lxcpath`). */
export const DEFAULT_LXC_PATH = '/var/lib/lxc';

/** A malformed lxc.container.conf(5) line (not `key = value`, not a comment). */
export class LxcConfigError extends Error {
  override readonly name = 'LxcConfigError';
}

/** An lxc.container.conf(5) file: each key's values in order (lxc.idmap, lxc.mount.entry… repeat). */
export type LxcConfig = ReadonlyMap<string, readonly string[]>;

/**
 * Parses lxc.container.conf(5) text: `key = value` lines, `#` comments and blank lines. An empty
 * value resets the key (as LXC does for lists). Throws LxcConfigError on a line without `=`.
 */
export function parseLxcConfig(text: string): LxcConfig {
  const out = new Map<string, string[]>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new LxcConfigError(`line ${i + 1}: expected "key = value", got ${JSON.stringify(line)}`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (value === '') {
      out.delete(key);
      continue;
    }
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

/** A running LXC container's monitor process: `[lxc monitor] LXCPATH NAME` (LXC >= 1.0 sets this title). */
export interface LxcMonitor {
  readonly pid: number;
  readonly lxcpath: string;
  readonly name: string;
}

/** Parses the argv of an LXC monitor (`[lxc monitor] /var/lib/lxc c1`); null for any other process. */
export function parseLxcMonitor(pid: number, cmdline: readonly string[]): LxcMonitor | null {
  const m = /^\[lxc monitor\] (\/.*) ([^ /]+)$/.exec(cmdline.join(' ').trim());
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return { pid, lxcpath: m[1], name: m[2] };
}

const last = (c: LxcConfig, key: string): string | null => {
  const v = c.get(key);
  return v && v.length > 0 ? (v[v.length - 1] ?? null) : null;
};

/** The keys copied into labels: limits, id maps, rootfs and network type, as written in the config. */
const LABEL_KEYS = /^(lxc\.cgroup2?\.[a-z_.]+|lxc\.idmap|lxc\.rootfs\.path|lxc\.net\.\d+\.type|lxc\.apparmor\.profile|lxc\.seccomp\.profile|lxc\.namespace\.(keep|share\.[a-z]+)|lxc\.init\.(cmd|uid|gid))$/;

const NS_NAMES: Readonly<Record<string, string>> = { net: 'net', pid: 'pid', ipc: 'ipc', uts: 'uts', user: 'user', cgroup: 'cgroup', mnt: 'mnt' };

/**
 * Maps an LXC container's config (lxc.container.conf(5)) to the engine-neutral form: capabilities
 * (lxc.cap.drop / lxc.cap.keep), AppArmor and seccomp profiles, namespace modes (no lxc.idmap =
 * host user namespace, lxc.net.0.type = none/empty, lxc.namespace.keep/share.*), the limits and id
 * maps as labels. Its id is `lxc:NAME` (LXC names are unique per lxcpath, not across engines): the
 * join meets it through the name its cgroup path carries (lxc.payload.NAME).
 */
export function lxcContainer(name: string, lxcpath: string, config: LxcConfig, pid: number | null): EngineContainer {
  const labels: Record<string, string> = { 'lxc.lxcpath': lxcpath };
  for (const [k, v] of config) if (LABEL_KEYS.test(k)) labels[k] = v.join('; ');
  const caps = (key: string): string[] => (config.get(key) ?? []).flatMap((v) => v.split(/\s+/)).filter((c) => c !== '').map((c) => c.toUpperCase().replace(/^CAP_/, ''));
  const securityOpt: string[] = [];
  const apparmor = last(config, 'lxc.apparmor.profile') ?? last(config, 'lxc.aa_profile');
  if (apparmor !== null) securityOpt.push(`apparmor=${apparmor}`);
  const seccomp = last(config, 'lxc.seccomp.profile') ?? last(config, 'lxc.seccomp');
  if (seccomp !== null) securityOpt.push(`seccomp=${seccomp}`);
  const keep = (last(config, 'lxc.namespace.keep') ?? '').split(/\s+/).filter((k) => k !== '');
  const modes: Record<string, string> = { pid: '', net: '', ipc: '', uts: '', user: '', cgroup: '' };
  const netType = last(config, 'lxc.net.0.type') ?? last(config, 'lxc.network.type');
  if (netType === 'none') modes.net = 'host'; // lxc.container.conf(5): "none" shares the host's network namespace
  else if (netType === 'empty') modes.net = 'none'; // only loopback
  modes.user = (config.get('lxc.idmap') ?? config.get('lxc.id_map') ?? []).length > 0 ? 'private' : 'host';
  for (const k of keep) if (NS_NAMES[k] !== undefined) modes[NS_NAMES[k]] = 'host';
  for (const k of Object.keys(NS_NAMES)) {
    const share = last(config, `lxc.namespace.share.${k}`);
    if (share !== null) modes[k] = `container:${share}`;
  }
  const rootfsOptions = last(config, 'lxc.rootfs.options') ?? '';
  const keepCaps = caps('lxc.cap.keep');
  const cfg: ContainerConfig = {
    privileged: false,
    capAdd: keepCaps,
    capDrop: keepCaps.length > 0 ? ['ALL'] : caps('lxc.cap.drop'),
    securityOpt,
    namespaceModes: modes,
    user: last(config, 'lxc.init.uid'),
    readOnlyRootfs: rootfsOptions.split(',').includes('ro'),
  };
  const rootfs = last(config, 'lxc.rootfs.path') ?? last(config, 'lxc.rootfs');
  return {
    id: `lxc:${name}`, name, engine: 'lxc', image: rootfs, imageId: null,
    state: pid === null ? 'stopped' : 'running', pid, labels, config: cfg, createdAt: null, startedAt: null,
  };
}

/** Options of LxcEngine: where /proc is, the lxcpaths to list besides those running monitors name. */
export interface LxcEngineOptions {
  readonly procRoot?: string;
  readonly lxcpaths?: readonly string[];
  /** Ask `lxc-info -n NAME -P PATH -p -H` when the monitor's child cannot be read (default true). */
  readonly useLxcInfo?: boolean;
  /** Prefix for reading LXCPATH/NAME/config (tests point it at a fixture tree); default ''. */
  readonly fsRoot?: string;
}

/**
 * LXC containers (lxc-start(1), also LXD/Incus, whose monitors carry the same title), found
 * without a daemon: each running container has a monitor process `[lxc monitor] LXCPATH NAME`
 * whose child is the container's init; its config is LXCPATH/NAME/config. Without an API, there
 * are no events: the live service's periodic relist picks up changes.
 */
export class LxcEngine implements EngineAdapter {
  readonly kind = 'lxc' as const;
  readonly readsProcessTable = true;
  readonly endpoint: string;
  private readonly procRoot: string;
  private readonly lxcpaths: readonly string[];
  private readonly useLxcInfo: boolean;
  private readonly fsRoot: string;
  private version: string | null | undefined;

  constructor(opts: LxcEngineOptions = {}) {
    this.procRoot = opts.procRoot ?? '/proc';
    this.lxcpaths = opts.lxcpaths ?? [DEFAULT_LXC_PATH];
    this.useLxcInfo = opts.useLxcInfo ?? true;
    this.fsRoot = opts.fsRoot ?? '';
    this.endpoint = `file://${this.lxcpaths[0] ?? DEFAULT_LXC_PATH}`;
  }

  async probe(): Promise<EngineStatus> {
    const status = (available: boolean, error: string | null): EngineStatus => ({ name: this.kind, available, endpoint: this.endpoint, version: this.version ?? null, error });
    const hasPath = this.lxcpaths.some((p) => fs.existsSync(this.fsRoot + p));
    if (this.version === undefined) {
      this.version = null;
      if (findExecutable('lxc-start') !== null) {
        try {
          this.version = (await runCommand('lxc-start', ['--version'], 3000)).trim() || null;
        } catch {
          // the version is only informative
        }
      }
    }
    if (!hasPath && this.version === null && this.monitors().length === 0) return status(false, 'not installed');
    return status(true, null);
  }

  private monitors(): LxcMonitor[] {
    return findProcesses(this.procRoot, (comm) => comm.startsWith('lxc monitor') || comm === 'lxc-start')
      .map((p) => parseLxcMonitor(p.pid, p.cmdline))
      .filter((m): m is LxcMonitor => m !== null);
  }

  private async initPid(m: LxcMonitor): Promise<number | null> {
    const kids = childrenOf(this.procRoot, m.pid);
    if (kids.length > 0) return kids[0] ?? null;
    if (!this.useLxcInfo || findExecutable('lxc-info') === null) return null;
    try {
      const out = (await runCommand('lxc-info', ['-n', m.name, '-P', m.lxcpath, '-p', '-H'], 3000)).trim();
      return /^\d+$/.test(out) ? Number(out) : null;
    } catch {
      return null;
    }
  }

  /** Running containers only (those with a monitor); a config that cannot be read or parsed leaves only the labels it can. */
  async listContainers(): Promise<EngineContainer[]> {
    const out: EngineContainer[] = [];
    for (const m of this.monitors()) {
      let config: LxcConfig = new Map();
      try {
        config = parseLxcConfig(fs.readFileSync(this.fsRoot + path.join(m.lxcpath, m.name, 'config'), 'utf8'));
      } catch {
        // unreadable (EACCES for a normal user, LXD keeps no such file) or malformed: name and pid only
      }
      out.push(lxcContainer(m.name, m.lxcpath, config, await this.initPid(m)));
    }
    return out;
  }
}

/** Whether LXC is present: its tools or its default directory. */
export function lxcPresent(env: NodeJS.ProcessEnv = process.env): boolean {
  return findExecutable('lxc-start', env) !== null || fs.existsSync(DEFAULT_LXC_PATH);
}
