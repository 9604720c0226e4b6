// Processes in one container share their cgroup file, namespace set, credentials and capability
// sets: keeping one copy of each, not one per process, is most of the collector's memory at
// 10,000 processes (a cgroup v1 file alone parses to a dozen entries per process).
import { PROCESS_NAMESPACE_LINKS, type ProcessNamespaces } from '../../../shared/namespaces';

/** A bounded table of shared values: forgets everything when it grows past `max` (values are immutable, so a forgotten one is only a copy more). */
export class InternTable<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly max = 4096) {}

  /** The shared value for `key`, made by `make` the first time. */
  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    if (this.map.size >= this.max) this.map.clear();
    const v = make();
    this.map.set(key, v);
    return v;
  }

  get size(): number {
    return this.map.size;
  }
}

/** Interns a list of numbers (NSpid, an id quad) by value. */
const numberLists = new InternTable<readonly number[]>();
export function internNumbers<T extends readonly number[]>(list: T): T {
  return numberLists.get(list.join(','), () => list) as T;
}

/** Interns a string list (cmdline, controllers) by value; NUL cannot occur inside an element. */
const stringLists = new InternTable<readonly string[]>();
export function internStrings<T extends readonly string[]>(list: T): T {
  if (list.length === 0) return EMPTY as unknown as T;
  return stringLists.get(list.join('\0'), () => list) as T;
}

const EMPTY: readonly string[] = Object.freeze([]);

/** Interns a process's namespace set (namespaces(7) ns links) by its inodes; the set just seen is compared first. */
const namespaceSets = new InternTable<ProcessNamespaces>();
let lastNamespaces: ProcessNamespaces | null = null;
export function internNamespaces(ns: ProcessNamespaces): ProcessNamespaces {
  const last = lastNamespaces;
  if (last !== null && PROCESS_NAMESPACE_LINKS.every((l) => last[l] === ns[l])) return last;
  const shared = namespaceSets.get(PROCESS_NAMESPACE_LINKS.map((l) => ns[l]).join(','), () => ns);
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

/** Interns a bigint (a capability set) by value. */
const bigints = new InternTable<bigint>();
export function internBigint(v: bigint | null): bigint | null {
  return v === null ? null : bigints.get(v.toString(16), () => v);
}
