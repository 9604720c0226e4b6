// "Is there an OS inside?": what a container's root filesystem holds, what its init runs, and
// which image layers the bytes came from. Plain data, JSON on the wire (ContainerInfo.rootfs,
// ContainerInfo.imageInfo).

/** The operating system a root filesystem names in os-release(5) (/etc/os-release, else /usr/lib/os-release). */
export interface OsRelease {
  /** NAME (os-release(5) default "Linux"). */
  readonly name: string;
  /** ID (default "linux"). */
  readonly id: string;
  readonly versionId: string | null;
  /** PRETTY_NAME (default "Linux"). */
  readonly prettyName: string;
  /** Path inside the container it was read from. */
  readonly source: string;
}

/** A script the init runs through its #! line (execve(2) "Interpreter scripts"). */
export interface ScriptInfo {
  /** The script's path inside the container. */
  readonly path: string;
  /** The interpreter named on the #! line, e.g. /bin/sh. */
  readonly interpreter: string;
  /** The optional single argument after the interpreter on the #! line. */
  readonly argument: string | null;
}

/** The init process's executable (/proc/PID/exe), read through the container's root and parsed as elf(5). */
export interface EntrypointInfo {
  /** Path inside the container: the script when the init runs one, else the executable. */
  readonly path: string;
  /** The executable the kernel runs (readlink /proc/PID/exe; for a script, its interpreter). */
  readonly executable: string;
  /** elf(5) EI_CLASS, null when not an ELF file. */
  readonly elfClass: 'ELF32' | 'ELF64' | null;
  /** elf(5) EI_DATA. */
  readonly endian: 'little' | 'big' | null;
  /** elf(5) e_machine as `file` names it ("x86-64", "AArch64"…). */
  readonly machine: string | null;
  /** True without PT_INTERP (static, or static-pie); null when not an ELF file. */
  readonly static: boolean | null;
  /** PT_INTERP: the dynamic loader's path, e.g. /lib64/ld-linux-x86-64.so.2. */
  readonly interpreter: string | null;
  /** DT_NEEDED entries, in order. */
  readonly needed: readonly string[];
  /** The interpreter and DT_NEEDED libraries not found in the container's root. */
  readonly missing: readonly string[];
  /** DT_RUNPATH, else DT_RPATH, split at ':'. */
  readonly runpath: readonly string[];
  readonly script: ScriptInfo | null;
  /** Why the executable could not be read or parsed, null when it was. */
  readonly error: string | null;
}

/** What a root filesystem holds, as seen through /proc/PID/root of the container's init. */
export interface RootfsInfo {
  readonly os: OsRelease | null;
  /** Regular files (hard links counted once), on the root's own filesystem only. */
  readonly files: number;
  /** Sum of their sizes (st_size). */
  readonly bytes: number;
  /** Regular files with an execute bit. */
  readonly executables: number;
  readonly directories: number;
  readonly symlinks: number;
  /** Shells found in the usual bin directories, by path (/bin/sh, /bin/bash…). */
  readonly shells: readonly string[];
  /** Package managers found, by name (apt, dpkg, apk, dnf, yum, rpm, microdnf…). */
  readonly packageManagers: readonly string[];
  /** Common tools found, by name (ps, cat, ls, curl, wget…). */
  readonly tools: readonly string[];
  /** A /bin/busybox binary, or /bin/sh resolving to busybox. */
  readonly busybox: boolean;
  readonly entrypoint: EntrypointInfo | null;
  /** One line, e.g. "one static binary, no OS", "Debian GNU/Linux 12 userland (3,412 files, shell, apt)". */
  readonly verdict: string;
  /** True when the walk stopped at its time or entry budget: the counts are lower bounds. */
  readonly partial: boolean;
  /** Mount points inside the root that were not walked (/proc, /sys, /dev, bind mounts, volumes). */
  readonly skippedMounts: readonly string[];
  /** Why the root could not be read at all (e.g. EACCES without root), null when it could. */
  readonly error: string | null;
  /** Milliseconds the inspection took. */
  readonly tookMs: number;
}

/** One row of an image's history (Engine API GET /images/{name}/history), oldest first. */
export interface ImageLayer {
  /** Image id of that step, null where Docker says "<missing>" (pulled or imported layers). */
  readonly id: string | null;
  /** Bytes the step added (0 for metadata-only steps such as ENV, CMD, LABEL). */
  readonly size: number;
  /** The instruction, without the "/bin/sh -c #(nop) " prefix: "COPY file:… in /hello", "ADD rootfs.tar.xz /". */
  readonly createdBy: string;
  /** RFC 3339 time of the step, null if unknown. */
  readonly created: string | null;
  readonly comment: string | null;
  /** Tags that name this step's image locally (the base image, for the row where it ends). */
  readonly tags: readonly string[];
  /** The layer's diff id (RootFS.Layers) when the history rows can be matched to layers; null for empty steps. */
  readonly diffId: string | null;
}

/** An image and its layers (Engine API ImageInspect + ImageHistory). Not `ContainerInfo.image`, which stays the name string. */
export interface ImageInfo {
  /** Content id, "sha256:…". */
  readonly id: string;
  /** First repo tag, else the id. */
  readonly name: string;
  readonly tags: readonly string[];
  /** History rows, oldest first. */
  readonly layers: readonly ImageLayer[];
  /** RootFS.Layers count: the filesystem layers (history rows include metadata-only steps). */
  readonly layerCount: number;
  /** Image Size (the sum of the layer sizes). */
  readonly totalBytes: number;
  /** The image it was built FROM, when a label (org.opencontainers.image.base.name) or a tagged history row shows it. */
  readonly base: string | null;
  readonly created: string | null;
  readonly os: string | null;
  readonly architecture: string | null;
}

/** One file or directory a layer adds, changes or removes (a layer's tar, OCI image-spec layer.md). */
export interface LayerChange {
  readonly path: string;
  readonly kind: 'added' | 'changed' | 'removed';
  /** Size of the file in this layer; for removals, the bytes that were removed. */
  readonly size: number;
}

/** What one filesystem layer does to the tree (dive-like). */
export interface LayerDiff {
  /** Index among the filesystem layers, 0 = bottom. */
  readonly index: number;
  /** Path of the layer tar inside the `docker save` archive. */
  readonly source: string;
  readonly diffId: string | null;
  /** History instruction that made it, when known. */
  readonly createdBy: string | null;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** Sum of regular file sizes in the layer tar. */
  readonly bytes: number;
  /** Up to `changesLimit` changes, largest first. */
  readonly changes: readonly LayerChange[];
  readonly changesTruncated: boolean;
}

/** A file whose bytes are stored in a layer but not visible in the final tree (overwritten or removed later). */
export interface WastedFile {
  readonly path: string;
  /** Bytes stored in total across layers minus the bytes visible at the end. */
  readonly bytes: number;
  readonly layers: readonly number[];
}

/** The layers of an image, file by file, from its `docker save` archive (docker-image-save(1)). */
export interface LayerAnalysis {
  readonly imageId: string;
  readonly layers: readonly LayerDiff[];
  /** Sum of regular file sizes over all layers. */
  readonly totalBytes: number;
  /** Bytes visible in the final tree. */
  readonly finalBytes: number;
  /** totalBytes − finalBytes: bytes of files overwritten or removed by later layers. */
  readonly wastedBytes: number;
  /** finalBytes / totalBytes (1 for an empty image), as dive's "image efficiency". */
  readonly efficiency: number;
  /** Largest wasted files first (at most 50). */
  readonly wasted: readonly WastedFile[];
  /** True when a cap (entries, bytes, time) cut the analysis short. */
  readonly partial: boolean;
  readonly warnings: readonly string[];
}
