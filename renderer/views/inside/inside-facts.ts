// What the "inside" panel says about a root filesystem and its image, as plain values (pure):
// the tools a person could run, the entrypoint's linking in words, the layers as bar segments.
import type { HostInfo } from '../../../shared/model';
import type { EntrypointInfo, ImageInfo, ImageLayer, RootfsInfo } from '../../../shared/rootfs';

/** Shells shown as chips, found or not (shells(5)); the collector's list is longer, and any other it finds is added. */
export const SHELL_NAMES: readonly string[] = ['sh', 'bash', 'ash', 'dash', 'zsh'];
/** Package managers shown as chips, found or not. */
export const PACKAGE_MANAGER_NAMES: readonly string[] = ['apt', 'dpkg', 'apk', 'dnf', 'yum', 'rpm'];
/** The tools the collector looks for (electron/collector/rootfs/userland.ts TOOLS), found or not. */
export const TOOL_NAMES: readonly string[] = ['ps', 'cat', 'ls', 'curl', 'wget', 'nc', 'ip', 'mount', 'vi', 'python3', 'perl'];

/** One chip: a command, and whether the root filesystem has it. */
export interface ToolChip {
  readonly name: string;
  readonly present: boolean;
  /** Where it was found (a shell's path), or why it is shown. */
  readonly title: string;
}

/** A row of chips: shells, package managers or tools. */
export interface ToolGroup {
  readonly id: 'shells' | 'package-managers' | 'tools';
  readonly label: string;
  readonly chips: readonly ToolChip[];
}

const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

function chips(candidates: readonly string[], found: readonly string[], where: (name: string) => string): ToolChip[] {
  const present = new Set(found);
  const names = [...candidates, ...found.filter((f) => !candidates.includes(f))];
  return names.map((name) => ({ name, present: present.has(name), title: present.has(name) ? where(name) : `no ${name} in its bin directories` }));
}

/** The shells, package managers and tools a person exec'ing into the container would find, or not (RootfsInfo). */
export function toolGroups(r: RootfsInfo): ToolGroup[] {
  const shellPath = new Map<string, string>();
  for (const p of r.shells) if (!shellPath.has(basename(p))) shellPath.set(basename(p), p);
  return [
    { id: 'shells', label: 'shells', chips: chips(SHELL_NAMES, [...shellPath.keys()], (n) => shellPath.get(n) ?? n) },
    { id: 'package-managers', label: 'package managers', chips: chips(PACKAGE_MANAGER_NAMES, r.packageManagers, (n) => `${n}: can install more software`) },
    { id: 'tools', label: 'tools', chips: chips(TOOL_NAMES, r.tools, (n) => `${n}${r.busybox ? ' (a busybox applet, or its own binary)' : ''}`) },
  ];
}

const joinWords = (xs: readonly string[]): string =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1] ?? ''}`;

/** The attack-surface point in one sentence: what someone who got in could run. */
export function surfaceSentence(r: RootfsInfo): string {
  const shells = r.shells.map(basename);
  const pm = r.packageManagers.includes('apt') || r.packageManagers.includes('apt-get') ? 'apt' : (r.packageManagers[0] ?? null);
  if (shells.length === 0 && pm === null && r.tools.length === 0) {
    return 'Nothing to run but its own program: no shell, no package manager, none of the usual tools. There is no shell to exec into, and whoever takes it over has no tools to hand.';
  }
  const tools = r.tools.length > 0 ? `${r.tools.length} of the usual tools (${r.tools.join(', ')})` : 'none of the usual tools';
  const shell = shells.length > 0 ? `a shell (${joinWords(shells)})` : 'no shell';
  if (pm !== null) return `${shell[0]?.toUpperCase() ?? ''}${shell.slice(1)}, ${tools} and a package manager (${pm}): whoever gets in can install whatever else they need, if the network lets them.`;
  return `${shell[0]?.toUpperCase() ?? ''}${shell.slice(1)} and ${tools}, but no package manager: whoever gets in can look around with these, and only these.`;
}

/** How the entrypoint is linked, in words (elf(5) PT_INTERP, DT_NEEDED; execve(2) for scripts). */
export function linkingText(e: EntrypointInfo): string {
  if (e.error !== null) return `could not be read: ${e.error}`;
  if (e.static === null) return 'not an ELF executable';
  if (e.static) return 'statically linked: no loader, no shared library; it needs nothing else from the image';
  const n = e.needed.length;
  const loader = e.interpreter ?? 'a dynamic loader';
  return `dynamically linked: the kernel first starts ${loader}, which loads ${n} ${n === 1 ? 'library' : 'libraries'} from the image`;
}

/** "ELF64 · x86-64 · little-endian", or null when not an ELF file. */
export function elfText(e: EntrypointInfo): string | null {
  if (e.elfClass === null) return null;
  return [e.elfClass, e.machine, e.endian === null ? null : `${e.endian}-endian`].filter((x): x is string => x !== null).join(' · ');
}

/** The line that makes the point: there is no kernel inside a container. */
export function kernelSentence(host: HostInfo): string {
  return `There is no kernel inside. Every container runs on the host's kernel: Linux ${host.kernel}.`;
}

/** One history row of an image as the bar draws it. */
export interface LayerSegment {
  readonly index: number;
  readonly layer: ImageLayer;
  /** Its share of the summed layer sizes, 0..1. */
  readonly share: number;
  /** True for rows that come from the base image (at or below the row its tag names). */
  readonly fromBase: boolean;
}

/** The image's layers, oldest first, with their share of the bytes and whether the base image made them (Engine API ImageHistory). */
export function layerSegments(info: ImageInfo): { readonly segments: readonly LayerSegment[]; readonly sum: number; readonly baseIndex: number | null } {
  const sum = info.layers.reduce((a, l) => a + Math.max(0, l.size), 0);
  let baseIndex: number | null = null;
  if (info.base !== null) {
    for (let i = info.layers.length - 1; i >= 0; i--) {
      const l = info.layers[i];
      if (l && l.id !== info.id && l.tags.includes(info.base)) {
        baseIndex = i;
        break;
      }
    }
  }
  const segments = info.layers.map((layer, index) => ({
    index,
    layer,
    share: sum > 0 ? Math.max(0, layer.size) / sum : 0,
    fromBase: baseIndex !== null && index <= baseIndex,
  }));
  return { segments, sum, baseIndex };
}

/** A count with thousands separators, "at least" when the walk stopped early; with a noun, "1 directory", "778 directories". */
export function countText(n: number, partial: boolean, noun?: readonly [string, string]): string {
  const word = noun ? ` ${n === 1 && !partial ? noun[0] : noun[1]}` : '';
  return `${partial ? 'at least ' : ''}${n.toLocaleString('en-US')}${word}`;
}

/** What made a history row: its instruction, else its comment (a `docker import` leaves only that), else a placeholder. */
export function layerInstruction(l: ImageLayer): string {
  if (l.createdBy !== '') return l.createdBy;
  return l.comment !== null && l.comment !== '' ? `imported: ${l.comment}` : '(no instruction recorded)';
}
