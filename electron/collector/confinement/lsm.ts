import * as fs from 'node:fs';
import type { LsmLabel } from '../../../shared/confinement';
import { type AttrSource, readAttrLabel } from '../procfs/attr';
import type { ProcReadError } from '../procfs/errors';
import { toProcReadError } from '../procfs/errors';
import { readProcText } from '../procfs/read';

/** The LSMs that label processes and confine them with profiles or policy (the "major" LSMs of the kernel's LSM list). */
export type HostLsmKind = 'apparmor' | 'selinux' | 'smack' | 'tomoyo' | 'none';

const MAJOR: readonly HostLsmKind[] = ['selinux', 'apparmor', 'smack', 'tomoyo'];

/** The Linux Security Modules the host kernel runs (Documentation/admin-guide/LSM: /sys/kernel/security/lsm). */
export interface HostLsm {
  /** The profile/policy LSM that labels processes, 'none' when the kernel runs none of them, null when it cannot be told. */
  readonly kind: HostLsmKind | null;
  /** Every active LSM in order ("lockdown", "capability", "landlock", "bpf" …), null when securityfs is not mounted. */
  readonly active: readonly string[] | null;
  /** SELinux enforcing (/sys/fs/selinux/enforce = 1) or permissive; null when not SELinux or unknown. */
  readonly selinuxEnforcing: boolean | null;
  /** Where this was learnt, in words (shown to the user). */
  readonly source: string;
}

/** Parses /sys/kernel/security/lsm: a comma-separated list without a trailing newline (Documentation/admin-guide/LSM/index.rst). */
export function parseLsmList(text: string): string[] {
  return text.trim().split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** The first labelling LSM in an active list, or 'none' (e.g. "lockdown,capability,landlock,bpf"). */
export function majorLsm(active: readonly string[]): HostLsmKind {
  for (const name of active) if ((MAJOR as readonly string[]).includes(name)) return name as HostLsmKind;
  return 'none';
}

function readSmall(path: string): string | null {
  try {
    return readProcText(path);
  } catch {
    return null;
  }
}

/**
 * Detects the host's LSMs: SYSROOT/kernel/security/lsm (securityfs) when mounted; else probes
 * SYSROOT/module/apparmor/parameters/enabled and SYSROOT/fs/selinux/enforce; else the errno of
 * PROCROOT/self/attr/current: EINVAL or ENOENT means no LSM gives processes a label ('none').
 */
export function readHostLsm(sysRoot: string, procRoot: string): HostLsm {
  const enforce = readSmall(`${sysRoot}/fs/selinux/enforce`);
  const selinuxEnforcing = enforce === null ? null : enforce.trim() === '1';
  const list = readSmall(`${sysRoot}/kernel/security/lsm`);
  if (list !== null) {
    const active = parseLsmList(list);
    const kind = majorLsm(active);
    return { kind, active, selinuxEnforcing: kind === 'selinux' ? selinuxEnforcing : null, source: `${sysRoot}/kernel/security/lsm: ${active.join(',')}` };
  }
  const why = `${sysRoot}/kernel/security/lsm is unreadable (securityfs not mounted)`;
  if (readSmall(`${sysRoot}/module/apparmor/parameters/enabled`)?.trim() === 'Y') {
    return { kind: 'apparmor', active: null, selinuxEnforcing: null, source: `${why}; ${sysRoot}/module/apparmor/parameters/enabled = Y` };
  }
  if (enforce !== null) {
    return { kind: 'selinux', active: null, selinuxEnforcing, source: `${why}; ${sysRoot}/fs/selinux is mounted` };
  }
  const path = `${procRoot}/self/attr/current`;
  try {
    const text = readProcText(path).replace(/[\0\n]+$/, '');
    const kind: HostLsmKind | null = / \(\w+\)$/.test(text) || text === 'unconfined' ? 'apparmor' : text.split(':').length >= 3 ? 'selinux' : null;
    return { kind, active: null, selinuxEnforcing: null, source: `${why}; ${path} = ${JSON.stringify(text)}` };
  } catch (err) {
    const code = toProcReadError(err, null, path).code;
    if (code === 'EINVAL' || (code === 'ENOENT' && fs.existsSync(`${procRoot}/self`))) {
      return { kind: 'none', active: null, selinuxEnforcing: null, source: `${why}; no LSM provides ${path} (${code}): the kernel runs no AppArmor, SELinux or Smack` };
    }
    return { kind: null, active: null, selinuxEnforcing: null, source: `${why}; ${path}: ${code}` };
  }
}

const APPARMOR = /^(.+) \(([a-z_]+)\)$/;
/** SELinux types that confine nothing: spc_t is the "super privileged container" type. */
const UNCONFINED_SELINUX_TYPES = new Set(['unconfined_t', 'spc_t', 'kernel_t', 'unconfined_service_t', 'initrc_t']);

/**
 * Interprets a label from attr/apparmor/current or attr/current: AppArmor "profile (mode)" or
 * "unconfined" (apparmor(7)), SELinux "user:role:type:level" (selinux(8)). The host's LSM breaks ties.
 */
export function parseLsmLabel(text: string, source: AttrSource, host: Pick<HostLsm, 'kind' | 'selinuxEnforcing'>): LsmLabel {
  const aa = APPARMOR.exec(text);
  if (source === 'apparmor' || host.kind === 'apparmor' || aa) {
    if (aa) return { kind: 'apparmor', label: aa[1] ?? text, mode: aa[2] ?? null };
    return { kind: 'apparmor', label: text, mode: null };
  }
  if (host.kind === 'selinux' || text.split(':').length >= 4) {
    return { kind: 'selinux', label: text, mode: host.selinuxEnforcing === null ? null : host.selinuxEnforcing ? 'enforcing' : 'permissive' };
  }
  return { kind: null, label: text, mode: null };
}

/** True when a label confines nothing: AppArmor "unconfined", an SELinux unconfined type, or no label at all. */
export function isUnconfined(l: LsmLabel): boolean {
  if (l.label === null || l.mode === 'unconfined') return true;
  if (l.kind === 'apparmor') return l.label === 'unconfined';
  if (l.kind === 'selinux') return UNCONFINED_SELINUX_TYPES.has(l.label.split(':')[2] ?? '');
  return false;
}

/** Reads and interprets a process's LSM label; with no labelling LSM the label is { kind: 'none' } (or null kind when the host's LSM is unknown). */
export function readLsmLabel(procRoot: string, pid: number, host: HostLsm): { lsm: LsmLabel; error: ProcReadError | null } {
  const attr = readAttrLabel(procRoot, pid);
  if (attr.ok) return { lsm: parseLsmLabel(attr.text, attr.source, host), error: null };
  if (attr.reason === 'no-lsm') {
    const kind = host.kind === 'none' ? 'none' : host.kind === 'apparmor' || host.kind === 'selinux' ? host.kind : null;
    return { lsm: { kind, label: null, mode: null }, error: null };
  }
  return { lsm: { kind: null, label: null, mode: null }, error: attr.error };
}
