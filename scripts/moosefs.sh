#!/usr/bin/env bash
# A throwaway MooseFS 3 cluster on this machine, from Debian's packages: the source that
# `mooseng import` is tested against (s3-compat-tests MooseFsImportTest) and a way to try it.
#
#   scripts/moosefs.sh up DIR     a new, empty file system: master + 2 chunkservers + mfsmount at DIR/mnt
#                                 (prints the mount point; whatever DIR held of an earlier one is removed)
#   scripts/moosefs.sh down DIR   unmount, stop the daemons, remove the network namespace
#
# Needs root (daemons, FUSE, a network namespace) and the packages moosefs-master,
# moosefs-chunkserver, moosefs-client, moosefs-cli (scripts/install-deps.sh test installs them).
# MooseFS chunkservers refuse a master on 127.0.0.0/8, so the daemons run in a network
# namespace of their own (named after DIR) on an address of its loopback device; the mount
# itself is an ordinary FUSE mount every process sees.
set -euo pipefail
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 up|down DIR" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "$0: must run as root" >&2; exit 1; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
ns="mfs-$(printf '%s' "$dir" | md5sum | cut -c1-8)"
host=198.18.0.77
log() { printf '[moosefs] %s\n' "$*" >&2; }
# nsenter joins only the namespace's network: `ip netns exec` would also give the mount a private mount namespace
in_ns() { nsenter --net="/run/netns/$ns" -- "$@"; }
port_open() { in_ns bash -c "exec 3<>/dev/tcp/$host/$1" 2>/dev/null; }
wait_until() {  # SECONDS WHAT CMD...
  local end=$((SECONDS + $1)) what=$2; shift 2
  until "$@"; do
    [ $SECONDS -lt $end ] || { log "timed out waiting for $what (logs in $dir/logs)"; exit 1; }
    sleep 0.2
  done
}

down() {
  if mountpoint -q "$dir/mnt" 2>/dev/null; then
    umount "$dir/mnt" 2>/dev/null || umount -l "$dir/mnt"
  fi
  for pf in "$dir"/run/*.pid; do
    [ -e "$pf" ] || continue
    pid=$(cat "$pf")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pf"
  done
  ip netns del "$ns" 2>/dev/null || true
}

up() {
  for b in mfsmaster mfschunkserver mfsmount mfscli; do
    command -v $b >/dev/null || { log "$b is missing: apt-get install moosefs-master moosefs-chunkserver moosefs-client moosefs-cli"; exit 1; }
  done
  down
  rm -rf "${dir:?}"/{conf,run,logs,master,cs1,cs2}
  mkdir -p "$dir"/{conf,run,logs,master,mnt}
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$host/32" dev lo

  cat > "$dir/conf/mfsexports.cfg" <<EOF
$host / rw,alldirs,admin,maproot=0:0
EOF
  : > "$dir/conf/mfstopology.cfg"
  cat > "$dir/conf/mfsmaster.cfg" <<EOF
WORKING_USER = root
WORKING_GROUP = root
DATA_PATH = $dir/master
EXPORTS_FILENAME = $dir/conf/mfsexports.cfg
TOPOLOGY_FILENAME = $dir/conf/mfstopology.cfg
MATOML_LISTEN_HOST = $host
MATOCS_LISTEN_HOST = $host
MATOCL_LISTEN_HOST = $host
EOF
  printf 'MFSM NEW' > "$dir/master/metadata.mfs"   # a new, empty file system
  start master mfsmaster -f -c "$dir/conf/mfsmaster.cfg" start
  wait_until 30 "the master" port_open 9421
  for i in 1 2; do
    mkdir -p "$dir/cs$i/var" "$dir/cs$i/hdd"
    echo "$dir/cs$i/hdd" > "$dir/conf/mfshdd$i.cfg"
    cat > "$dir/conf/mfschunkserver$i.cfg" <<EOF
WORKING_USER = root
WORKING_GROUP = root
DATA_PATH = $dir/cs$i/var
HDD_CONF_FILENAME = $dir/conf/mfshdd$i.cfg
BIND_HOST = $host
MASTER_HOST = $host
CSSERV_LISTEN_HOST = $host
CSSERV_LISTEN_PORT = $((9421 + i))
EOF
    start "cs$i" mfschunkserver -f -c "$dir/conf/mfschunkserver$i.cfg" start
  done
  wait_until 120 "2 chunkservers to register" chunkservers_ready 2
  start mount mfsmount "$dir/mnt" -f -H "$host" -P 9421
  wait_until 30 "mfsmount at $dir/mnt" mountpoint -q "$dir/mnt"
  log "MooseFS is mounted at $dir/mnt"
  echo "$dir/mnt"
}

# start NAME PROGRAM ARGS...: in the foreground (-f) inside the namespace, in the background
start() {
  local name=$1 program; program=$(command -v "$2"); shift 2
  setsid nsenter --net="/run/netns/$ns" -- "$program" "$@" >> "$dir/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/run/$name.pid"
}

chunkservers_ready() {  # N: that many chunkservers connected with space
  [ "$(in_ns mfscli -H "$host" -P 9421 -SCS -s '|' 2>/dev/null | awk -F'|' '$1 == "chunk servers:" && $11 > 0' | wc -l)" -ge "$1" ]
}

case "$cmd" in
  up) up;;
  down) down;;
  *) echo "usage: $0 up|down DIR" >&2; exit 2;;
esac
