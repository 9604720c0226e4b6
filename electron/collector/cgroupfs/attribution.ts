import type { EngineKind } from '../../../shared/model';

/** Kubernetes pod QoS class, as kubelet names its cgroups (kubepods / kubepods-burstable / kubepods-besteffort). */
export type PodQos = 'guaranteed' | 'burstable' | 'besteffort';

/** The pod a container's cgroup sits in: a Kubernetes pod (with QoS) or a Podman pod (qos null). */
export interface CgroupPod {
  /** Kubernetes pod UID with dashes (slice names carry it with '_'), or the Podman pod id. */
  readonly uid: string;
  readonly qos: PodQos | null;
}

/** Which container a cgroup path belongs to, as read from the naming conventions of engines and systemd (systemd.unit(5) escaping, cgroups(7)). */
export interface CgroupAttribution {
  readonly engine: EngineKind;
  /** Full 64-hex container id; the container name for lxc and nspawn. */
  readonly id: string;
  /** Name when the path carries one (lxc, nspawn), else null. */
  readonly name: string | null;
  readonly pod: CgroupPod | null;
  /** Under a user's systemd instance (user@UID.service): a rootless engine. */
  readonly rootless: boolean;
  readonly userUid: number | null;
  /** Ids of the enclosing containers, outermost first (docker-in-docker, kind nodes); empty when not nested. */
  readonly parents: readonly string[];
}

const HEX64 = '[0-9a-f]{64}';

/** Segment -> container, for names that carry a 64-hex id. Order matters only for readability: the patterns are disjoint. */
const ID_SEGMENTS: readonly { readonly re: RegExp; readonly engine: EngineKind }[] = [
  { re: new RegExp(`^docker-(${HEX64})\\.scope$`), engine: 'docker' }, // docker, systemd cgroup driver
  { re: new RegExp(`^cri-containerd-(${HEX64})\\.scope$`), engine: 'containerd' }, // containerd CRI, systemd driver
  { re: new RegExp(`^crio-(${HEX64})(?:\\.scope)?$`), engine: 'crio' }, // CRI-O, systemd / cgroupfs manager
  { re: new RegExp(`^libpod-(${HEX64})(?:\\.scope)?$`), engine: 'podman' }, // Podman, systemd / cgroupfs manager
];

/** Monitor processes that sit beside a container but are not in it (conmon, lxc monitor, nspawn supervisor). */
const MONITOR_SEGMENTS: readonly RegExp[] = [
  new RegExp(`^libpod-conmon-${HEX64}\\.scope$`),
  new RegExp(`^crio-conmon-${HEX64}(?:\\.scope)?$`),
  /^lxc\.monitor\..+$/,
  /^lxc\.monitor$/,
];

const BARE_ID = new RegExp(`^${HEX64}$`);
/** kubelet systemd driver pod slice: kubepods[-burstable|-besteffort]-pod<uid with _>.slice, possibly prefixed (kind: kubelet-kubepods-...). */
const K8S_POD_SLICE = /(?:^|-)kubepods(?:-(burstable|besteffort))?-pod([0-9a-f_]{32,36})\.slice$/;
/** kubelet cgroupfs driver pod directory: pod<uid>. */
const K8S_POD_DIR = /^pod([0-9a-f-]{32,36})$/;
/** Podman pod slice: machine-libpod_pod_<id>.slice (root) or user-libpod_pod_<id>.slice (rootless). */
const PODMAN_POD_SLICE = new RegExp(`(?:^|-)libpod_pod_(${HEX64})\\.slice$`);
const USER_SERVICE = /^user@(\d+)\.service$/;
const NSPAWN_SCOPE = /^machine-(.+)\.scope$/;
const NSPAWN_SERVICE = /^systemd-nspawn@(.+)\.service$/;
const LXC_PAYLOAD = /^lxc\.payload\.(.+)$/;

/** Undoes systemd unit-name escaping ("\x2d" -> "-", bytes decoded as UTF-8), systemd.unit(5) "STRING ESCAPING FOR INCLUSION IN UNIT NAMES". */
export function unescapeUnitName(s: string): string {
  if (!s.includes('\\x')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const m = /^\\x([0-9a-fA-F]{2})/.exec(s.slice(i, i + 4));
    if (m && m[1] !== undefined) {
      bytes.push(parseInt(m[1], 16));
      i += 3;
    } else {
      bytes.push(...Buffer.from(s[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

interface Found {
  readonly engine: EngineKind;
  readonly id: string;
  readonly name: string | null;
}

function qosOf(parentSegment: string | undefined): PodQos | null {
  if (parentSegment === 'burstable' || parentSegment === 'besteffort') return parentSegment;
  if (parentSegment === 'kubepods') return 'guaranteed';
  return null;
}

/** A container named by this segment (given the segment before it), 'monitor', or null. */
function classify(seg: string, prev: string | undefined, prevIsPod: boolean): Found | 'monitor' | null {
  for (const { re, engine } of ID_SEGMENTS) {
    const m = re.exec(seg);
    if (m && m[1] !== undefined) return { engine, id: m[1], name: null };
  }
  if (MONITOR_SEGMENTS.some((re) => re.test(seg))) return 'monitor';
  if (BARE_ID.test(seg)) {
    if (prev === 'docker') return { engine: 'docker', id: seg, name: null }; // docker, cgroupfs driver: /docker/<id>
    // kubelet cgroupfs driver: /kubepods/[qos/]pod<uid>/<id>; the CRI runtime is not named here (containerd is the default since dockershim's removal).
    if (prevIsPod) return { engine: 'containerd', id: seg, name: null };
    return null;
  }
  if (prev === 'lxc.monitor') return 'monitor'; // LXC 3.1-3.x: /lxc.monitor/<name>
  if (prev === 'lxc' || prev === 'lxc.payload') return { engine: 'lxc', id: seg, name: seg }; // LXC < 3.1: /lxc/<name>; 3.1-3.x: /lxc.payload/<name>
  const payload = LXC_PAYLOAD.exec(seg); // LXC >= 4.0: /lxc.payload.<name>
  if (payload && payload[1] !== undefined) return { engine: 'lxc', id: payload[1], name: payload[1] };
  const machine = NSPAWN_SCOPE.exec(seg) ?? NSPAWN_SERVICE.exec(seg);
  if (machine && machine[1] !== undefined) {
    const name = unescapeUnitName(machine[1]);
    // machined also registers libvirt VMs (machine-qemu\x2d1\x2dvm.scope): those are not containers.
    if (/^qemu-\d+-/.test(name)) return null;
    return { engine: 'nspawn', id: name, name };
  }
  return null;
}

interface FoundInPod extends Found {
  readonly pod: CgroupPod | null;
  /** uid of the user@UID.service above this container's cgroup, if any. */
  readonly userUid: number | null;
}

/** A pod named by this segment (kubelet systemd slice, kubelet cgroupfs directory, Podman pod slice or libpod_parent directory), or null. */
function podOf(segs: readonly string[], i: number): CgroupPod | null {
  const seg = segs[i] ?? '';
  const slice = K8S_POD_SLICE.exec(seg);
  if (slice && slice[2] !== undefined) {
    const q = slice[1];
    return { uid: slice[2].replace(/_/g, '-'), qos: q === 'burstable' || q === 'besteffort' ? q : 'guaranteed' };
  }
  const dir = K8S_POD_DIR.exec(seg);
  const qos = qosOf(segs[i - 1]);
  if (dir && dir[1] !== undefined && qos !== null && segs.slice(0, i).includes('kubepods')) return { uid: dir[1], qos };
  const podman = PODMAN_POD_SLICE.exec(seg);
  if (podman && podman[1] !== undefined) return { uid: podman[1], qos: null };
  // Podman pod, cgroupfs manager: /libpod_parent/<pod id>/libpod-<id> (its conmons in /libpod_parent/<pod id>/conmon).
  if (segs[i - 1] === 'libpod_parent' && BARE_ID.test(seg)) return { uid: seg, qos: null };
  return null;
}

/**
 * Which container a cgroup path (a /proc/PID/cgroup path) belongs to, from the cgroup naming of Docker,
 * containerd, CRI-O, kubelet, Podman, LXC and systemd-nspawn. Sub-cgroups of a container (e.g.
 * libpod-<id>.scope/container, lxc.payload.c1/system.slice/...) belong to it; for nested containers the
 * innermost wins and the outer ones are listed in `parents`. Monitor cgroups (libpod-conmon-*, crio-conmon-*,
 * lxc.monitor*, nspawn's `supervisor`) are not containers: their processes belong to the enclosing container
 * if any, else null. Ambiguous layouts (plain containerd namespaces like /default/<id>, custom cgroup parents) give null.
 */
export function attributeCgroupPath(cgroupPath: string): CgroupAttribution | null {
  // Thousands of processes share a few dozen cgroup paths: each path is classified once.
  const hit = memo.get(cgroupPath);
  if (hit !== undefined) return hit;
  const a = attributeUncached(cgroupPath);
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(cgroupPath, a);
  return a;
}

const MEMO_MAX = 4096;
const memo = new Map<string, CgroupAttribution | null>();

function attributeUncached(cgroupPath: string): CgroupAttribution | null {
  const segs = cgroupPath.split('/').filter((s) => s !== '');
  const found: FoundInPod[] = [];
  let pod: CgroupPod | null = null;
  let userUid: number | null = null;
  let prevIsPod = false;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] ?? '';
    const user = USER_SERVICE.exec(seg);
    if (user && user[1] !== undefined) userUid = Number(user[1]);
    const p = user ? null : podOf(segs, i);
    if (p !== null) {
      pod = p;
      prevIsPod = true;
      continue;
    }
    const c = user ? null : classify(seg, segs[i - 1], prevIsPod);
    prevIsPod = false;
    if (c === 'monitor') break; // the monitor is not in a container itself: keep what encloses it
    // systemd-nspawn splits its unit into payload/ and supervisor/ (the nspawn process itself).
    if (c !== null && c.engine === 'nspawn' && segs[i + 1] === 'supervisor') break;
    if (c !== null) {
      found.push({ ...c, pod, userUid });
      pod = null;
    }
  }
  const inner = found[found.length - 1];
  if (!inner) return null;
  return {
    engine: inner.engine,
    id: inner.id,
    name: inner.name,
    pod: inner.pod,
    rootless: inner.userUid !== null,
    userUid: inner.userUid,
    parents: found.slice(0, -1).map((f) => f.id),
  };
}
