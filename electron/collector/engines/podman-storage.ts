// Podman's on-disk state as containers/storage keeps it: where it is (containers-storage.conf(5))
// and what its container list says (<graphroot>/<driver>-containers/containers.json).
import fs from 'node:fs';
import path from 'node:path';

/** Malformed containers-storage files: containers.json that is not a JSON array, a storage.conf value that is not a string. */
export class PodmanStorageError extends Error {
  override readonly name = 'PodmanStorageError';
}

/** The [storage] keys of containers-storage.conf(5) that say where containers live. */
export interface StorageConf {
  readonly graphRoot: string | null;
  readonly runRoot: string | null;
  /** Rootless users' graphroot as the system file sets it ($HOME, $UID and $USER expanded by the reader). */
  readonly rootlessStoragePath: string | null;
  readonly driver: string | null;
}

const CONF_KEYS: Readonly<Record<string, keyof StorageConf>> = {
  graphroot: 'graphRoot', runroot: 'runRoot', rootless_storage_path: 'rootlessStoragePath', driver: 'driver',
};

/** Parses the [storage] table of containers-storage.conf(5) (TOML): graphroot, runroot, rootless_storage_path, driver. */
export function parseStorageConf(text: string): StorageConf {
  const out: Record<keyof StorageConf, string | null> = { graphRoot: null, runRoot: null, rootlessStoragePath: null, driver: null };
  let table = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header && header[1] !== undefined) {
      table = header[1];
      continue;
    }
    if (table !== 'storage') continue;
    const kv = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(line);
    const field = kv && kv[1] !== undefined ? CONF_KEYS[kv[1]] : undefined;
    if (!kv || field === undefined) continue;
    const value = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(kv[2] ?? '') ?? /^'([^']*)'\s*(?:#.*)?$/.exec(kv[2] ?? '');
    if (!value || value[1] === undefined) throw new PodmanStorageError(`storage.conf: ${kv[1]} is not a quoted string: ${kv[2] ?? ''}`);
    out[field] = value[1] === '' ? null : value[1].replace(/\\(["\\])/g, '$1');
  }
  return out;
}

/** Where one user's containers/storage lives: graphroot (persistent) and runroot (tmpfs, runtime files). */
export interface StorageRoots {
  readonly graphRoot: string;
  readonly runRoot: string;
  /** containers.json lives in <graphroot>/<driver>-containers; null: look for any *-containers directory. */
  readonly driver: string | null;
}

/** Reads a small config file whole; null when it cannot be read. */
export type TextReader = (file: string) => string | null;

const readText: TextReader = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

function confAt(files: readonly string[], read: TextReader): StorageConf | null {
  for (const f of files) {
    const text = read(f);
    if (text === null) continue;
    try {
      return parseStorageConf(text);
    } catch {
      return null; // a broken file: the defaults, as if it were not there
    }
  }
  return null;
}

/**
 * The storage roots Podman uses for `uid` (containers-storage.conf(5)): $CONTAINERS_STORAGE_CONF,
 * else /etc/containers/storage.conf, else /usr/share/containers/storage.conf; for root the defaults
 * are /var/lib/containers/storage and /run/containers/storage; a rootless user's are
 * $XDG_CONFIG_HOME/containers/storage.conf, the system file's rootless_storage_path, else
 * $XDG_DATA_HOME/containers/storage (~/.local/share/containers/storage) and $XDG_RUNTIME_DIR/containers.
 */
export function podmanStorageRoots(env: NodeJS.ProcessEnv, uid: number, read: TextReader = readText): StorageRoots {
  const system = ['/etc/containers/storage.conf', '/usr/share/containers/storage.conf'];
  const explicit = env.CONTAINERS_STORAGE_CONF ? [env.CONTAINERS_STORAGE_CONF] : [];
  if (uid === 0) {
    const conf = confAt([...explicit, ...system], read);
    return { graphRoot: conf?.graphRoot ?? '/var/lib/containers/storage', runRoot: conf?.runRoot ?? '/run/containers/storage', driver: conf?.driver ?? null };
  }
  const home = env.HOME ?? `/home/${uid}`;
  const configHome = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  const dataHome = env.XDG_DATA_HOME?.startsWith('/') ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  const runtime = env.XDG_RUNTIME_DIR?.startsWith('/') ? env.XDG_RUNTIME_DIR : `/run/user/${uid}`;
  const user = confAt([...explicit, path.join(configHome, 'containers', 'storage.conf')], read);
  const sys = confAt(system, read);
  const expand = (p: string): string => p.replace(/\$HOME/g, home).replace(/\$UID/g, String(uid)).replace(/\$USER/g, env.USER ?? '');
  const rootless = sys?.rootlessStoragePath ? expand(sys.rootlessStoragePath) : null;
  return {
    graphRoot: user?.graphRoot ?? rootless ?? path.join(dataHome, 'containers', 'storage'),
    runRoot: user?.runRoot ?? path.join(runtime, 'containers'),
    driver: user?.driver ?? sys?.driver ?? null,
  };
}

/** One entry of containers/storage's containers.json (containers/storage containers.go Container). */
export interface StorageContainer {
  /** Full 64-hex id. */
  readonly id: string;
  readonly names: readonly string[];
  /** Image id (64 hex, without "sha256:"), null for a container made from a rootfs. */
  readonly imageId: string | null;
  /** The image as the user named it (metadata "image-name"), e.g. "localhost/isolens/busybox:test". */
  readonly imageName: string | null;
  /** RFC 3339 creation time. */
  readonly created: string | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Parses containers.json (containers/storage containers.go): id, names, image, and metadata's image-name; entries without an id are skipped. */
export function parseStorageContainers(text: string): StorageContainer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new PodmanStorageError(`containers.json is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new PodmanStorageError('containers.json is not a JSON array');
  const out: StorageContainer[] = [];
  for (const item of parsed) {
    if (!isRecord(item) || typeof item.id !== 'string' || !/^[0-9a-f]{64}$/.test(item.id)) continue;
    let meta: Record<string, unknown> = {};
    if (typeof item.metadata === 'string') {
      try {
        const m: unknown = JSON.parse(item.metadata);
        if (isRecord(m)) meta = m;
      } catch {
        // metadata is the engine's business: a container without it still has its names
      }
    }
    const names = Array.isArray(item.names) ? item.names.filter((n): n is string => typeof n === 'string' && n !== '') : [];
    const metaName = strOrNull(meta.name);
    out.push({
      id: item.id,
      names: names.length > 0 ? names : metaName !== null ? [metaName] : [],
      imageId: strOrNull(item.image),
      imageName: strOrNull(meta['image-name']),
      created: strOrNull(item.created),
    });
  }
  return out;
}

/**
 * Reads <graphroot>/<driver>-containers/containers.json (any *-containers directory when the
 * driver is not known). Missing storage gives []; a file that cannot be read or parsed throws
 * (PodmanStorageError, or the fs error with its code: EACCES for a normal user on root's storage).
 */
export function readStorageContainers(roots: StorageRoots): StorageContainer[] {
  let dirs: string[];
  if (roots.driver !== null) dirs = [`${roots.driver}-containers`];
  else {
    try {
      dirs = fs.readdirSync(roots.graphRoot).filter((d) => d.endsWith('-containers')).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }
  const out: StorageContainer[] = [];
  for (const d of dirs) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(roots.graphRoot, d, 'containers.json'), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    out.push(...parseStorageContainers(text));
  }
  return out;
}
