#!/usr/bin/env bash
# The topology of the compose demo (docker/compose.yml) as processes on this machine, through
# scripts/cluster.sh: 3 masters, 6 chunkservers in 3 zones (2 racks each), 2 S3 gateways, a metalogger
# and a FUSE mount of every bucket at DIR/mnt1 (as root, or with fusermount3; MOOSENG_MOUNT=0 leaves it out),
# every internal port on mutual TLS as in the compose demo (certificates in DIR/tls; MOOSENG_CLUSTER_TLS=0 leaves it out).
#
#   scripts/demo.sh up        start it; prints the S3 endpoints, the credentials file and the mountpoint
#   scripts/demo.sh status    mooseng admin status
#   scripts/demo.sh down      stop it (the data stays in DIR; `up` again serves it)
#
# DIR is MOOSENG_CLUSTER_DIR (./demo-data); any other cluster.sh command and setting works too.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MOOSENG_CLUSTER_DIR="${MOOSENG_CLUSTER_DIR:-$ROOT/demo-data}"
export MOOSENG_ZONES="${MOOSENG_ZONES:-3}" MOOSENG_MOUNT="${MOOSENG_MOUNT:-1}" MOOSENG_CLUSTER_TLS="${MOOSENG_CLUSTER_TLS:-1}"
exec "$ROOT/scripts/cluster.sh" "$@"
