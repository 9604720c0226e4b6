// Processes in one container share their cgroup file, namespace set, credentials and capability
// sets: keeping one copy of each, not one per process, is most of the collector's memory at
// 10,000 processes (a cgroup v1 file alone parses to a dozen entries per process).
import { PROCESS_NAMESPACE_LINKS, type ProcessNamespaces } from '../../../shared/namespaces';

/** A bounded table of shared values: forgets everything when it grows past `max` (values are immutable, so a forgotten one is only a copy more). */
export class InternTable<V, K = string> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max = 4096) {}

  /** The shared value for `key`, made by `make` the first time. */
  get(key: K, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const v = make();
    this.put(key, v);
    return v;
  }

  /** The shared value for `key`: `value` itself the first time (no closure to make it). */
  share(key: K, value: V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    this.put(key, value);
    return value;
  }

  private put(key: K, v: V): void {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, v);
  }

  get size(): number {
    return this.map.size;
  }
}

/** Lists shared last (the next process's is often one of them): compared element by element before building a key. */
class RecentLists<T> {
  private readonly lists: (readonly T[])[] = [];
  private readonly table = new InternTable<readonly T[]>();

  constructor(private readonly keyOf: (list: readonly T[]) => string, private readonly max = 4) {}

  share(list: readonly T[]): readonly T[] {
    for (const r of this.lists) if (sameItems(r, list)) return r;
    const shared = this.table.share(this.keyOf(list), list);
    if (this.lists.unshift(shared) > this.max) this.lists.pop();
    return shared;
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Interns a list of numbers (NSpid, an id quad) by value. */
const numberLists = new RecentLists<number>((l) => l.join(','));
export function internNumbers<T extends readonly number[]>(list: T): T {
  return numberLists.share(list) as T;
}

/** Interns a string list (cmdline, controllers) by value; NUL cannot occur inside an element. */
const stringLists = new RecentLists<string>((l) => l.join('\0'));
export function internStrings<T extends readonly string[]>(list: T): T {
  if (list.length === 0) return EMPTY as unknown as T;
  return stringLists.share(list) as T;
}

const EMPTY: readonly string[] = Object.freeze([]);

/** Interns a process's namespace set (namespaces(7) ns links) by its inodes; the set just seen is compared first. */
const namespaceSets = new InternTable<ProcessNamespaces>();
let lastNamespaces: ProcessNamespaces | null = null;
function sameNamespaces(a: ProcessNamespaces, b: ProcessNamespaces): boolean {
  for (const l of PROCESS_NAMESPACE_LINKS) if (a[l] !== b[l]) return false;
  return true;
}
export function internNamespaces(ns: ProcessNamespaces): ProcessNamespaces {
  const last = lastNamespaces;
  if (last !== null && sameNamespaces(last, ns)) return last;
  const shared = namespaceSets.share(PROCESS_NAMESPACE_LINKS.map((l) => ns[l]).join(','), ns);
  lastNamespaces = shared;
  return shared;
}

/** Interns a value parsed from a file's whole text: the same text gives the very same value. */
export class TextIntern<V> {
  private readonly table: InternTable<V>;
  // Processes are read in pid order, and a container's processes are mostly neighbours: the text
  // just seen is compared first, which costs less than hashing a fresh string for the table.
  private lastText: string | null = null;
  private lastValue: V | undefined;

  constructor(private readonly parse: (text: string) => V, max = 4096) {
    this.table = new InternTable<V>(max);
  }

  /** Parses `text`, or hands back what the same text parsed to before. */
  parseText(text: string): V {
    if (text === this.lastText) return this.lastValue as V;
    const v = this.table.get(text, () => this.parse(text));
    this.lastText = text;
    this.lastValue = v;
    return v;
  }
}

/** Interns a bigint (a capability set) by value (a Map compares bigint keys by value: no key string). */
const bigints = new InternTable<bigint, bigint>();
export function internBigint(v: bigint | null): bigint | null {
  return v === null ? null : bigints.share(v, v);
}
