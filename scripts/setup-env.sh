#!/usr/bin/env bash
# Prepares a Debian 12 machine (as root) for Isolens' tests, idempotently:
#   1. installs the Debian packages the tests use (only those missing; apt-get update once);
#   2. starts dockerd unless `docker info` already answers (log: /var/log/isolens-dockerd.log);
#   3. builds the fixture images (test/fixtures/images/build.sh) unless they are already there;
#      a full run as root also builds isolens/debian:test (debootstrap from the apt mirror, ~35 s
#      the first time; its rootfs tarball is cached in /var/cache/isolens/).
# usage: bash scripts/setup-env.sh [--rebuild] [--with-debian|--without-debian] [--images-only]
#   --rebuild         rebuild the fixture images even when present
#   --with-debian     build isolens/debian:test even with --images-only
#   --without-debian  do not build isolens/debian:test
#   --images-only     skip steps 1 and 2 (what test/helpers/docker.ts ensureFixtureImages runs);
#                     builds the Debian image only when --with-debian is given
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PACKAGES=(docker.io busybox-static util-linux iproute2 procps gcc libc6-dev chromium debootstrap
  ca-certificates file xz-utils
  # engines besides Docker (test/integration/engines): podman, lxc (lxc-create -t busybox works
  # offline), systemd-nspawn, containerd's ctr; python3 for the namespace-holder tests
  podman lxc systemd-container containerd python3)
DOCKERD_LOG=/var/log/isolens-dockerd.log
DOCKERD_WAIT_S=60

IMAGE_ARGS=()
IMAGES_ONLY=0
DEBIAN=default
for arg in "$@"; do
  case "$arg" in
    --rebuild) IMAGE_ARGS+=("$arg") ;;
    --with-debian) DEBIAN=yes ;;
    --without-debian) DEBIAN=no ;;
    --images-only) IMAGES_ONLY=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "setup-env.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[setup-env] %s\n' "$*"; }
die() { printf '[setup-env] ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [[ "$(id -u)" == 0 ]]; }

installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
  if [[ ${#missing[@]} -eq 0 ]]; then
    log "packages: all ${#PACKAGES[@]} already installed"
    return
  fi
  is_root || die "missing packages (${missing[*]}); run this script as root"
  log "packages: installing ${missing[*]}"
  log "apt-get update"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

docker_answers() { timeout 15 docker info >/dev/null 2>&1; }

wait_for_docker() {
  local waited=0
  while ! docker_answers; do
    if (( waited >= DOCKERD_WAIT_S )); then return 1; fi
    sleep 1
    waited=$((waited + 1))
  done
  log "dockerd: answering after ${waited}s"
}

start_dockerd() {
  command -v docker >/dev/null || die "no docker client on PATH"
  if docker_answers; then
    log "dockerd: already running ($(docker info --format '{{.ServerVersion}}, storage {{.Driver}}, cgroup v{{.CgroupVersion}}' 2>/dev/null)), reusing it"
    return
  fi
  is_root || die "dockerd is not running and starting it needs root"
  if pgrep -x dockerd >/dev/null; then
    log "dockerd: a dockerd process exists but does not answer yet; waiting up to ${DOCKERD_WAIT_S}s"
  else
    command -v dockerd >/dev/null || die "dockerd not found (package docker.io)"
    log "dockerd: starting (dockerd --iptables=false --ip6tables=false --bridge=none), log in $DOCKERD_LOG"
    nohup setsid dockerd --iptables=false --ip6tables=false --bridge=none \
      >>"$DOCKERD_LOG" 2>&1 </dev/null &
    disown || true
  fi
  if ! wait_for_docker; then
    tail -n 40 "$DOCKERD_LOG" >&2 || true
    die "dockerd did not answer \`docker info\` within ${DOCKERD_WAIT_S}s (see $DOCKERD_LOG)"
  fi
}

build_images() {
  log "fixture images: bash test/fixtures/images/build.sh ${IMAGE_ARGS[*]+"${IMAGE_ARGS[*]}"}"
  bash "$ROOT/test/fixtures/images/build.sh" "${IMAGE_ARGS[@]+"${IMAGE_ARGS[@]}"}"
}

if [[ "$IMAGES_ONLY" == 0 ]]; then
  install_packages
  start_dockerd
  if [[ "$DEBIAN" == default ]] && is_root; then DEBIAN=yes; fi
fi
if [[ "$DEBIAN" == yes ]]; then IMAGE_ARGS+=(--with-debian); fi
build_images
log "ready"
