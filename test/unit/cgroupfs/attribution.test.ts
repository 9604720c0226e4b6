import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CgroupAttribution } from '../../../electron/collector/cgroupfs/attribution';
import { attributeCgroupPath, unescapeUnitName } from '../../../electron/collector/cgroupfs/attribution';

const A = '1d88c2996dd1f2f811f09c70581850665cef0c867a33611d1855a20b96495ce2';
const B = '5a5f27639481d82392bd64fc308915bfc788953f8f1f704942b318a473035ca7';
const C = '18a74f1e44b2831287122c1396ea662172edf56d9c154d2eac260d70643e47ac';
const UID = '5d330bda-1008-44fa-a4cf-2944fdfd5852';
const UID_ = UID.replace(/-/g, '_');

function c(engine: CgroupAttribution['engine'], id: string, extra: Partial<CgroupAttribution> = {}): CgroupAttribution {
  return { engine, id, name: null, pod: null, rootless: false, userUid: null, parents: [], ...extra };
}

const cases: readonly { name: string; path: string; want: CgroupAttribution | null }[] = [
  // Docker
  { name: 'docker, cgroupfs driver (this machine: /proc/PID/cgroup of a docker run)', path: `/docker/${A}`, want: c('docker', A) },
  { name: 'docker, cgroupfs driver, sub-cgroup made inside the container', path: `/docker/${A}/init.scope`, want: c('docker', A) },
  { name: 'docker-in-docker: innermost wins, outer in parents', path: `/docker/${A}/docker/${B}`, want: c('docker', B, { parents: [A] }) },
  { name: 'docker, systemd driver (system.slice/docker-<id>.scope)', path: `/system.slice/docker-${A}.scope`, want: c('docker', A) },
  { name: 'docker rootless, systemd driver under user@1000.service', path: `/user.slice/user-1000.slice/user@1000.service/user.slice/docker-${A}.scope`, want: c('docker', A, { rootless: true, userUid: 1000 }) },
  // Kubernetes (CJLove/rt-operator notes/cgroupv1_notes.md: k3s cgroupfs, kubelet+docker and kubelet+cri-o systemd layouts)
  { name: 'kubelet cgroupfs driver, guaranteed pod (k3s: /kubepods/pod<uid>/<id>)', path: `/kubepods/pod${UID}/${C}`, want: c('containerd', C, { pod: { uid: UID, qos: 'guaranteed' } }) },
  { name: 'kubelet cgroupfs driver, burstable pod', path: `/kubepods/burstable/pod${UID}/${C}`, want: c('containerd', C, { pod: { uid: UID, qos: 'burstable' } }) },
  { name: 'kubelet cgroupfs driver, besteffort pod', path: `/kubepods/besteffort/pod${UID}/${C}`, want: c('containerd', C, { pod: { uid: UID, qos: 'besteffort' } }) },
  { name: 'kubelet systemd driver, burstable pod, containerd (cri-containerd-<id>.scope)', path: `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/cri-containerd-${C}.scope`, want: c('containerd', C, { pod: { uid: UID, qos: 'burstable' } }) },
  { name: 'kubelet systemd driver, besteffort pod, containerd', path: `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID_}.slice/cri-containerd-${C}.scope`, want: c('containerd', C, { pod: { uid: UID, qos: 'besteffort' } }) },
  { name: 'kubelet systemd driver, guaranteed pod, docker runtime (Kubernetes 1.23 + Docker)', path: `/kubepods.slice/kubepods-pod${UID_}.slice/docker-${C}.scope`, want: c('docker', C, { pod: { uid: UID, qos: 'guaranteed' } }) },
  { name: 'kubelet systemd driver, guaranteed pod, CRI-O (Kubernetes 1.25 + cri-o)', path: `/kubepods.slice/kubepods-pod${UID_}.slice/crio-${C}.scope`, want: c('crio', C, { pod: { uid: UID, qos: 'guaranteed' } }) },
  { name: 'kubelet cgroupfs driver, CRI-O (cri-o cgmgr: <parent>/crio-<id>)', path: `/kubepods/burstable/pod${UID}/crio-${C}`, want: c('crio', C, { pod: { uid: UID, qos: 'burstable' } }) },
  { name: 'kind node: kubelet-kubepods slices inside a docker container', path: `/system.slice/docker-${A}.scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod${UID_}.slice/cri-containerd-${C}.scope`, want: c('containerd', C, { pod: { uid: UID, qos: 'burstable' }, parents: [A] }) },
  { name: 'kind node on cgroup v1: /docker/<node>/kubepods/...', path: `/docker/${A}/kubepods/besteffort/pod${UID}/${C}`, want: c('containerd', C, { pod: { uid: UID, qos: 'besteffort' }, parents: [A] }) },
  { name: 'CRI-O conmon (crio-conmon-<id>.scope) is the monitor, not the container', path: `/kubepods.slice/kubepods-pod${UID_}.slice/crio-conmon-${C}.scope`, want: null },
  { name: 'CRI-O, default cgroupfs parent /crio', path: `/crio/crio-${C}`, want: c('crio', C) },
  // Podman
  { name: 'podman root, systemd manager (machine.slice/libpod-<id>.scope)', path: `/machine.slice/libpod-${B}.scope`, want: c('podman', B) },
  { name: 'podman, crun payload sub-cgroup (libpod-<id>.scope/container, crun#305)', path: `/machine.slice/libpod-${B}.scope/container`, want: c('podman', B) },
  { name: 'podman, cgroupfs manager (libpod_parent/libpod-<id>)', path: `/libpod_parent/libpod-${B}`, want: c('podman', B) },
  { name: 'podman rootless (podman#4639: user-UID.slice/user@UID.service/user.slice/libpod-<id>.scope)', path: `/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${B}.scope`, want: c('podman', B, { rootless: true, userUid: 1000 }) },
  { name: 'podman rootless in a pod (podman#6400: user-libpod_pod_<pod>.slice/libpod-<id>.scope/container)', path: `/user.slice/user-1000.slice/user@1000.service/user.slice/user-libpod_pod_${A}.slice/libpod-${B}.scope/container`, want: c('podman', B, { rootless: true, userUid: 1000, pod: { uid: A, qos: null } }) },
  { name: 'podman root in a pod (machine-libpod_pod_<pod>.slice)', path: `/machine.slice/machine-libpod_pod_${A}.slice/libpod-${B}.scope`, want: c('podman', B, { pod: { uid: A, qos: null } }) },
  { name: 'podman conmon (libpod-conmon-<id>.scope) is the monitor: null', path: `/machine.slice/libpod-conmon-${B}.scope`, want: null },
  { name: 'podman conmon inside a docker container belongs to that container', path: `/docker/${A}/libpod-conmon-${B}.scope`, want: c('docker', A) },
  // LXC (lxc/lxc#2782, sysdig#1344, needrestart#215, needrestart#238, lxc/lxc#4376)
  { name: 'LXC < 3.1 (/lxc/<name>)', path: '/lxc/testcontainer', want: c('lxc', 'testcontainer', { name: 'testcontainer' }) },
  { name: 'LXC 3.1-3.x payload (/lxc.payload/<name>)', path: '/lxc.payload/c1', want: c('lxc', 'c1', { name: 'c1' }) },
  { name: 'LXC 3.1-3.x monitor (/lxc.monitor/<name>) is not the container', path: '/lxc.monitor/c1', want: null },
  { name: 'LXC 4.0 (/lxc.payload.<name>)', path: '/lxc.payload.a1', want: c('lxc', 'a1', { name: 'a1' }) },
  { name: 'LXC 4.0, a service inside the container (needrestart#238)', path: '/lxc.payload.focal/system.slice/avahi-daemon.service', want: c('lxc', 'focal', { name: 'focal' }) },
  { name: 'LXC 4.0 lxc-attach sub-cgroup (.lxc, lxc/lxc#3373)', path: '/lxc.payload.test/.lxc', want: c('lxc', 'test', { name: 'test' }) },
  { name: 'LXC 4.0 monitor (/lxc.monitor.<name>) is not the container', path: '/lxc.monitor.a1', want: null },
  { name: 'docker inside an LXC container', path: `/lxc.payload.c1/system.slice/docker-${A}.scope`, want: c('docker', A, { parents: ['c1'] }) },
  // systemd-nspawn / machined
  { name: 'systemd-nspawn via machined (machine-<name>.scope)', path: '/machine.slice/machine-box.scope', want: c('nspawn', 'box', { name: 'box' }) },
  { name: 'systemd-nspawn, escaped name (machine-my\\x2dbox.scope -> my-box)', path: '/machine.slice/machine-my\\x2dbox.scope', want: c('nspawn', 'my-box', { name: 'my-box' }) },
  { name: 'systemd-nspawn payload sub-cgroup (systemd#18104)', path: '/machine.slice/machine-box.scope/payload/system.slice/sshd.service', want: c('nspawn', 'box', { name: 'box' }) },
  { name: 'systemd-nspawn supervisor sub-cgroup is nspawn itself', path: '/machine.slice/machine-box.scope/supervisor', want: null },
  { name: 'systemd-nspawn@.service (machinectl start)', path: '/machine.slice/systemd-nspawn@web\\x2d1.service/payload', want: c('nspawn', 'web-1', { name: 'web-1' }) },
  { name: 'a user session inside an nspawn container is not rootless', path: '/machine.slice/machine-box.scope/payload/user.slice/user-1000.slice/user@1000.service/app.slice', want: c('nspawn', 'box', { name: 'box' }) },
  { name: 'libvirt VM registered with machined is not a container', path: '/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/emulator', want: null },
  // Negative cases
  { name: 'root cgroup', path: '/', want: null },
  { name: 'systemd itself (/init.scope)', path: '/init.scope', want: null },
  { name: 'a login session', path: '/user.slice/user-1000.slice/session-3.scope', want: null },
  { name: 'a user service (rootless, but no container)', path: '/user.slice/user-1000.slice/user@1000.service/app.slice/dbus.service', want: null },
  { name: 'dockerd itself', path: '/system.slice/docker.service', want: null },
  { name: 'bare docker.service', path: 'docker.service', want: null },
  { name: 'containerd itself', path: '/system.slice/containerd.service', want: null },
  { name: 'the /docker parent cgroup', path: '/docker', want: null },
  { name: 'a 63-hex id is not a container id', path: `/docker/${A.slice(1)}`, want: null },
  { name: 'a 63-hex id in a docker scope', path: `/system.slice/docker-${A.slice(1)}.scope`, want: null },
  { name: 'upper-case hex is not an engine id', path: `/docker/${A.toUpperCase()}`, want: null },
  { name: 'plain containerd namespace (/default/<id>) is ambiguous', path: `/default/${A}`, want: null },
  { name: 'a bare id under an unknown parent', path: `/my-parent/${A}`, want: null },
  { name: 'buildkit cgroup (random 25-char id)', path: '/docker/buildkit/k7y1ciz6ix8xotkwc8y3kopz6', want: null },
  { name: 'a pod slice without a container', path: `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice`, want: null },
  { name: 'path outside our cgroup namespace', path: '/../../system.slice/cron.service', want: null },
];

describe('attributeCgroupPath', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      assert.deepEqual(attributeCgroupPath(tc.path), tc.want);
    });
  }
});

describe('unescapeUnitName (systemd.unit(5) string escaping)', () => {
  const table: readonly [string, string, string][] = [
    ['no escapes', 'box', 'box'],
    ['\\x2d is a dash', 'my\\x2dbox', 'my-box'],
    ['\\x2f is a slash, \\x20 a space', 'a\\x2fb\\x20c', 'a/b c'],
    ['UTF-8 bytes are joined', 'caf\\xc3\\xa9', 'café'],
    ['a lone backslash stays', 'a\\b', 'a\\b'],
  ];
  for (const [name, input, want] of table) it(name, () => assert.equal(unescapeUnitName(input), want));
});
