import type { NsfsMount } from './discover/nsfs-mounts';
import type { LsnsNamespace } from './lsns';
import { runLsns } from './lsns';
import { findNsinfo, representativePaths, runNsinfo } from './nsinfo';
import type { ProcessRecord } from './procfs/process';

/** What a relations lookup may use: the process table and bind mounts just read, and the ids already known. */
export interface RelationsContext {
  readonly procRoot: string;
  readonly processes: readonly ProcessRecord[];
  readonly nsfs: readonly NsfsMount[];
  /** Namespaces whose relations are already known: an incremental provider skips them. */
  readonly known?: ReadonlySet<number>;
}

/**
 * Where namespace parents and owning user namespaces come from (ioctl_ns(2) NS_GET_PARENT /
 * NS_GET_USERNS): the isolens-nsinfo helper (incremental: a few syscalls per new namespace), or
 * lsns(8) (a full scan of every process: slow, run in the background).
 */
export interface NamespaceRelations {
  readonly name: string;
  /** True when lookup() asks only about namespaces not in ctx.known (cheap enough for every tick). */
  readonly incremental: boolean;
  lookup(ctx: RelationsContext): Promise<LsnsNamespace[]>;
}

/** The helper compiled by `npm run build` (scripts/build-native.js). */
export function nsinfoRelations(binary: string): NamespaceRelations {
  return {
    name: 'isolens-nsinfo',
    incremental: true,
    lookup: async (ctx) => {
      const paths = representativePaths(ctx.procRoot, ctx.processes, ctx.nsfs, ctx.known);
      return paths.length === 0 ? [] : runNsinfo(binary, paths);
    },
  };
}

/** lsns(8): every namespace every time; the fallback where the helper could not be built. */
export function lsnsRelations(): NamespaceRelations {
  return { name: 'lsns', incremental: false, lookup: () => runLsns() };
}

/** The helper when it was built, else lsns. */
export function defaultRelations(): NamespaceRelations {
  const binary = findNsinfo();
  return binary ? nsinfoRelations(binary) : lsnsRelations();
}
