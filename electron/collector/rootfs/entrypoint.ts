import * as fs from 'node:fs';
import type { EntrypointInfo, ScriptInfo } from '../../../shared/rootfs';
import { isElf, parseElf, type ElfInfo } from './elf';
import { listDirInRoot, openFileInRoot, preadSafe, readFileInRoot, statInRoot, type RootHandle } from './resolve';

/** execve(2): the kernel reads at most this much of a #! line (BINPRM_BUF_SIZE, Linux >= 5.1). */
export const SHEBANG_MAX = 256;
/** How many #! interpreters the kernel follows in a chain (fs/exec.c: 5 levels); we stop at 4. */
const MAX_SCRIPT_DEPTH = 4;

/** A #! line: the interpreter and its optional single argument (execve(2) "Interpreter scripts"). */
export interface Shebang {
  readonly interpreter: string;
  readonly argument: string | null;
}

/** Parses the #! line at the start of a file (execve(2)); null if the bytes do not start with "#!" or name no interpreter. */
export function parseShebang(head: Buffer): Shebang | null {
  if (head.length < 3 || head[0] !== 0x23 || head[1] !== 0x21) return null;
  const slice = head.subarray(2, Math.min(head.length, SHEBANG_MAX));
  const nl = slice.indexOf(0x0a);
  const line = slice.toString('latin1', 0, nl < 0 ? slice.length : nl).replace(/\0.*$/s, '').trim();
  const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line);
  if (!m || m[1] === undefined) return null;
  const argument = m[2]?.trim() ?? '';
  return { interpreter: m[1], argument: argument === '' ? null : argument };
}

/** Debian multiarch tuples per e_machine name, for the default library directories. */
const TRIPLETS: Readonly<Record<string, readonly string[]>> = {
  'x86-64': ['x86_64-linux-gnu'],
  i386: ['i386-linux-gnu'],
  AArch64: ['aarch64-linux-gnu'],
  ARM: ['arm-linux-gnueabihf', 'arm-linux-gnueabi'],
  PowerPC64: ['powerpc64le-linux-gnu', 'powerpc64-linux-gnu'],
  'S/390': ['s390x-linux-gnu'],
  'RISC-V': ['riscv64-linux-gnu'],
  MIPS: ['mips64el-linux-gnuabi64', 'mipsel-linux-gnu', 'mips-linux-gnu'],
  LoongArch: ['loongarch64-linux-gnu'],
};
/** ld.so(8) $PLATFORM per e_machine name. */
const PLATFORMS: Readonly<Record<string, string>> = { 'x86-64': 'x86_64', i386: 'i686', AArch64: 'aarch64', 'S/390': 's390x', PowerPC64: 'powerpc64le' };

/** The directories ld.so(8) and musl's loader search by default, multiarch ones first for the binary's machine. */
export function defaultLibraryDirs(elf: Pick<ElfInfo, 'machine' | 'elfClass'>): string[] {
  const tuples = TRIPLETS[elf.machine] ?? [];
  const multi = tuples.flatMap((t) => [`/lib/${t}`, `/usr/lib/${t}`, `/usr/local/lib/${t}`]);
  const plain = elf.elfClass === 'ELF64' ? ['/lib64', '/usr/lib64', '/lib', '/usr/lib'] : ['/lib', '/usr/lib', '/lib32', '/usr/lib32'];
  return [...multi, ...plain, '/usr/local/lib'];
}

/** Expands ld.so(8) dynamic string tokens $ORIGIN, $LIB and $PLATFORM (also in ${…} form). */
export function expandLibraryDir(dir: string, origin: string, elf: Pick<ElfInfo, 'machine' | 'elfClass'>): string {
  const lib = elf.elfClass === 'ELF64' && elf.machine === 'x86-64' ? 'lib64' : 'lib';
  const platform = PLATFORMS[elf.machine] ?? '';
  return dir.replace(/\$(?:\{ORIGIN\}|ORIGIN)/g, origin).replace(/\$(?:\{LIB\}|LIB)/g, lib).replace(/\$(?:\{PLATFORM\}|PLATFORM)/g, platform);
}

const dirname = (p: string): string => {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
};
const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** Absolute directories listed in /etc/ld.so.conf.d/*.conf inside the root (ldconfig(8)); at most 64 files. */
export function ldSoConfDirs(root: RootHandle): string[] {
  const dirs: string[] = [];
  const addFrom = (path: string): void => {
    const r = readFileInRoot(root, path, 64 * 1024);
    if (!r.ok) return;
    for (const raw of r.data.toString('utf8').split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (line.startsWith('/') && !line.includes(' ') && !dirs.includes(line)) dirs.push(line);
    }
  };
  addFrom('/etc/ld.so.conf');
  const d = listDirInRoot(root, '/etc/ld.so.conf.d', 1000);
  if (d.ok) for (const name of d.names.filter((n) => n.endsWith('.conf')).sort().slice(0, 64)) addFrom(`/etc/ld.so.conf.d/${name}`);
  return dirs;
}

/** Whether a path names (after symlinks, inside the root) a regular file. */
function isFileInRoot(root: RootHandle, path: string): boolean {
  const r = statInRoot(root, path);
  return r.ok && r.stat.isFile();
}

/**
 * Finds a DT_NEEDED library the way ld.so(8) would: a name with a slash as is (relative to
 * nothing we can know: taken from the root), else DT_RPATH (only without DT_RUNPATH),
 * DT_RUNPATH, the ld.so.conf directories, then the default directories.
 */
export function findLibrary(root: RootHandle, name: string, elf: ElfInfo, executable: string, confDirs: readonly string[]): string | null {
  if (name.includes('/')) return isFileInRoot(root, name) ? name : null;
  const origin = dirname(executable);
  const fromElf = [...(elf.runpath.length === 0 ? elf.rpath : []), ...elf.runpath].map((d) => expandLibraryDir(d, origin, elf));
  const seen = new Set<string>();
  for (const dir of [...fromElf, ...confDirs, ...defaultLibraryDirs(elf)]) {
    if (seen.has(dir) || !dir.startsWith('/')) continue;
    seen.add(dir);
    const p = `${dir}/${name}`;
    if (isFileInRoot(root, p)) return p;
  }
  return null;
}

interface ReadExecutable {
  readonly path: string;
  readonly head: Buffer;
  readonly elf: ElfInfo | null;
  readonly error: string | null;
}

/** Opens an executable inside the root and parses it (elf(5)) or reads its #! line; never throws. */
function readExecutable(root: RootHandle, path: string): ReadExecutable | { readonly failed: string } {
  const f = openFileInRoot(root, path);
  if (!f.ok) return { failed: `${path}: ${f.code}` };
  try {
    const size = f.stat.size;
    const head = preadSafe(f.fd, 0, SHEBANG_MAX);
    if (!isElf(head)) return { path: f.path, head, elf: null, error: null };
    try {
      return { path: f.path, head, elf: parseElf((o, n) => preadSafe(f.fd, o, n), size), error: null };
    } catch (e) {
      return { path: f.path, head, elf: null, error: `${path}: ${(e as Error).message}` };
    }
  } finally {
    fs.closeSync(f.fd);
  }
}

const NOT_ELF = { elfClass: null, endian: null, machine: null, static: null, interpreter: null, needed: [], missing: [], runpath: [] } as const;

/** Where the script a process runs could be: argv[1] when the executable is its #! interpreter (execve(2) passes the script path there). */
function scriptFromArgv(root: RootHandle, exe: string, argv: readonly string[], cwd: string | null): { script: ScriptInfo } | null {
  const arg = argv[1];
  if (arg === undefined || arg === '' || !arg.includes('/')) return null;
  const path = arg.startsWith('/') ? arg : cwd !== null ? `${cwd.replace(/\/$/, '')}/${arg}` : null;
  if (path === null) return null;
  const f = readFileInRoot(root, path, SHEBANG_MAX);
  if (!f.ok) return null;
  const sb = parseShebang(f.data);
  if (!sb) return null;
  const exeStat = statInRoot(root, exe);
  const interpStat = statInRoot(root, sb.interpreter);
  const sameInode = exeStat.ok && interpStat.ok && exeStat.stat.dev === interpStat.stat.dev && exeStat.stat.ino === interpStat.stat.ino;
  // `#!/usr/bin/env python3`: the kernel runs env, which execs python3.
  const envTarget = sb.argument?.replace(/^-S\s*/, '').split(/\s+/)[0] ?? '';
  const viaEnv = basename(sb.interpreter) === 'env' && envTarget !== '' && basename(exe).startsWith(envTarget);
  if (!sameInode && !viaEnv) return null;
  return { script: { path, interpreter: sb.interpreter, argument: sb.argument } };
}

/**
 * Describes what a container's init runs: `exePath` is readlink(/proc/PID/exe) (a path inside
 * the container), `argv` its cmdline (to find a #! script it was started with), `cwd` its
 * working directory inside the container. The executable is read through the root and parsed
 * as elf(5); a #! script is shown with its interpreter, whose ELF is then described.
 * DT_NEEDED libraries and the PT_INTERP loader are looked up inside the root. Never throws.
 */
export function inspectEntrypoint(root: RootHandle, exePath: string, argv: readonly string[] = [], cwd: string | null = null): EntrypointInfo {
  let path = exePath;
  let script: ScriptInfo | null = null;
  let current = exePath;
  let read = readExecutable(root, current);
  for (let depth = 0; depth < MAX_SCRIPT_DEPTH && !('failed' in read) && read.elf === null && read.error === null; depth++) {
    const sb = parseShebang(read.head);
    if (!sb) break;
    if (script === null) script = { path: read.path, interpreter: sb.interpreter, argument: sb.argument };
    current = sb.interpreter;
    read = readExecutable(root, current);
  }
  if ('failed' in read) return { path, executable: current, ...NOT_ELF, script, error: read.failed };
  if (read.elf === null) {
    const tooDeep = read.error === null && parseShebang(read.head) !== null;
    const error = read.error ?? (tooDeep ? `${current}: more than ${MAX_SCRIPT_DEPTH} levels of #! interpreters` : `${current}: neither an ELF file nor a #! script`);
    return { path, executable: read.path, ...NOT_ELF, script, error };
  }
  if (script === null) {
    const s = scriptFromArgv(root, read.path, argv, cwd);
    if (s) {
      script = s.script;
      path = s.script.path;
    }
  } else {
    path = script.path;
  }
  const elf = read.elf;
  const missing: string[] = [];
  if (elf.interpreter !== null && !isFileInRoot(root, elf.interpreter)) missing.push(elf.interpreter);
  const confDirs = elf.needed.length > 0 ? ldSoConfDirs(root) : [];
  for (const lib of elf.needed) if (findLibrary(root, lib, elf, read.path, confDirs) === null) missing.push(lib);
  return {
    path,
    executable: read.path,
    elfClass: elf.elfClass,
    endian: elf.endian,
    machine: elf.machine,
    static: elf.interpreter === null,
    interpreter: elf.interpreter,
    needed: elf.needed,
    missing,
    runpath: elf.runpath.length > 0 ? elf.runpath : elf.rpath,
    script,
    error: null,
  };
}
