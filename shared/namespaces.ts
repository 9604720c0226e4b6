/** A namespace type as named by the links in /proc/PID/ns (namespaces(7)). */
export type NamespaceType =
  | 'cgroup' | 'ipc' | 'mnt' | 'net' | 'pid' | 'pid_for_children' | 'time' | 'time_for_children' | 'user' | 'uts';

/** The ns links read for every process, in `ls /proc/PID/ns` order (namespaces(7)). */
export const PROCESS_NAMESPACE_LINKS = [
  'cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'user', 'uts',
] as const;

/** One of the ns links recorded per process (namespaces(7)). */
export type ProcessNamespaceLink = (typeof PROCESS_NAMESPACE_LINKS)[number];

/** The eight kinds of namespace, as lsns(8) names them in its TYPE column. */
export const NAMESPACE_KINDS = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'] as const;

/** A kind of namespace as lsns(8) reports it (namespaces(7)). */
export type NamespaceKind = (typeof NAMESPACE_KINDS)[number];

/** A namespace's identity: the inode number of its nsfs file, as `readlink /proc/PID/ns/X` shows `X:[inode]` (namespaces(7)). */
export type NamespaceId = number;

/** Inode numbers per ns link; null where the link could not be read (EACCES, or a kernel without that type). */
export type ProcessNamespaces = { readonly [K in ProcessNamespaceLink]: NamespaceId | null };
