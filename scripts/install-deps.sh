#!/usr/bin/env bash
# Installs what MooseNG needs on a fresh Debian 12 machine; does nothing if already there.
#   build: Maven (the JDK >= 25 is found or installed by scripts/jdk.sh) and, as root, ISA-L
#          (libisal2), the fastest erasure-coding kernel
#   mount: FUSE for `mooseng mount` (the mount speaks to /dev/fuse itself; fuse3 gives fusermount3, for mounts without root and -u)
#   test:  build + mount + the black-box S3 clients used by the tests (Debian's awscli, boto3, s3cmd, rclone),
#          the programs the mount tests run (rsync, git, a C compiler, attr), docker-compose,
#          which validates docker/compose.yml (no Docker engine needed), headless Chromium,
#          the browser the CORS test fetches from another origin with, and MooseFS 3 (the source
#          `mooseng import` is tested against)
set -euo pipefail
what="${1:-build}"
need=()
command -v mvn >/dev/null || need+=(maven)
command -v curl >/dev/null || need+=(curl)   # scripts/cluster.sh polls readiness with it
# scripts/multisite.sh puts each zone in a network namespace when run as root
if [ "$(id -u)" = 0 ] && ! command -v ip >/dev/null; then need+=(iproute2); fi
# ISA-L is optional (the codec falls back to its Java kernels): only root installs it, and non-root runs are not stopped
if [ "$(id -u)" = 0 ] && [ ! -e /usr/lib/x86_64-linux-gnu/libisal.so.2 ] && ! ldconfig -p 2>/dev/null | grep 'libisal.so.2 ' >/dev/null; then
  need+=(libisal2)
fi
if [ "$what" = "mount" ] || [ "$what" = "test" ]; then
  command -v fusermount3 >/dev/null || need+=(fuse3)
fi
if [ "$what" = "test" ]; then
  command -v rsync >/dev/null || need+=(rsync)
  command -v git >/dev/null || need+=(git)
  command -v cc >/dev/null || need+=(gcc)
  command -v setfattr >/dev/null || need+=(attr)
  [ -x /usr/bin/aws ] || need+=(awscli)
  /usr/bin/python3 -c 'import boto3' 2>/dev/null || need+=(python3-boto3)
  command -v docker-compose >/dev/null || need+=(docker-compose)
  [ -x /usr/bin/s3cmd ] || need+=(s3cmd)
  [ -x /usr/bin/rclone ] || need+=(rclone)   # RcloneTest
  command -v chromium >/dev/null || need+=(chromium)
  # ConsoleTest drives chromium with playwright-core, which npm installs under target/ at test time
  command -v node >/dev/null || need+=(nodejs)
  command -v npm >/dev/null || need+=(npm)
  # a real MooseFS 3 for `mooseng import` to copy from (scripts/moosefs.sh starts one)
  for p in moosefs-master:mfsmaster moosefs-chunkserver:mfschunkserver moosefs-client:mfsmount moosefs-cli:mfscli; do
    command -v "${p#*:}" >/dev/null || need+=("${p%%:*}")
  done
fi
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing packages: ${need[*]} (run as root or install them)" >&2
    exit 1
  fi
  echo "installing: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # packages with daemons (MooseFS) must not start system-wide ones: scripts start their own
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
