import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rootfsVerdict, type VerdictInput } from '../../../electron/collector/rootfs/verdict';
import type { EntrypointInfo } from '../../../shared/rootfs';

const ep = (over: Partial<EntrypointInfo>): EntrypointInfo => ({
  path: '/x', executable: '/x', elfClass: 'ELF64', endian: 'little', machine: 'x86-64', static: true, interpreter: null,
  needed: [], missing: [], runpath: [], script: null, error: null, ...over,
});
const base: VerdictInput = { os: null, files: 0, emptyFiles: 0, shells: [], packageManagers: [], busybox: false, entrypoint: null, partial: false, error: null };
const debian = { name: 'Debian GNU/Linux', id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', source: '/usr/lib/os-release' };

describe('rootfsVerdict', () => {
  const cases: Array<{ name: string; input: Partial<VerdictInput>; want: string }> = [
    { name: 'FROM scratch + one static binary (+ /.dockerenv)', input: { files: 2, emptyFiles: 1, entrypoint: ep({}) }, want: 'one static binary, no OS' },
    { name: 'a dynamic binary with its loader and libraries', input: { files: 5, emptyFiles: 1, entrypoint: ep({ static: false, interpreter: '/lib64/ld-linux-x86-64.so.2', needed: ['libm.so.6', 'libc.so.6'] }) }, want: 'one dynamically linked binary and its libraries, no OS (5 files)' },
    { name: 'the same with a library missing', input: { files: 4, entrypoint: ep({ static: false, needed: ['libm.so.6', 'libc.so.6'], missing: ['libm.so.6'] }) }, want: 'one dynamically linked binary and its libraries, no OS (4 files, 1 missing)' },
    { name: 'busybox', input: { files: 2, busybox: true, shells: ['/bin/sh'] }, want: 'busybox userland (2 files, shell)' },
    { name: 'Debian', input: { os: debian, files: 3412, shells: ['/bin/sh'], packageManagers: ['apt', 'apt-get', 'dpkg'] }, want: 'Debian GNU/Linux 12 userland (3,412 files, shell, apt)' },
    { name: 'Alpine: busybox with an os-release and apk', input: { os: { ...debian, name: 'Alpine Linux', versionId: '3.20.3' }, files: 80, shells: ['/bin/sh'], busybox: true, packageManagers: ['apk'] }, want: 'Alpine Linux 3.20.3 userland (80 files, shell, apk), busybox' },
    { name: 'partial walk: a lower bound', input: { os: debian, files: 200000, partial: true }, want: 'Debian GNU/Linux 12 userland (at least 200,000 files)' },
    { name: 'many files, no OS, no shell', input: { files: 40, entrypoint: ep({}) }, want: 'no OS release (40 files)' },
    { name: 'empty', input: {}, want: 'empty root filesystem' },
    { name: 'unreadable', input: { error: 'cannot open /proc/1/root: EACCES' }, want: 'root filesystem unreadable (cannot open /proc/1/root: EACCES)' },
    { name: 'version already in NAME', input: { os: { ...debian, name: 'Foo 12' }, files: 1 }, want: 'Foo 12 userland (1 file)' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(rootfsVerdict({ ...base, ...c.input }), c.want));
});
