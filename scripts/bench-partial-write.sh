#!/usr/bin/env bash
# bench-partial-write.sh [CHECKOUT] - small writes into a large file on a MooseNG mount: `mooseng
# server` and `mooseng mount` of CHECKOUT (default: this one), a 64 MiB file copied in, then
#   appends:  BA_WRITES (20) x `echo 1KiB >> file` (O_APPEND, each its own open and close)
#   in place: BA_WRITES x `dd bs=4k count=1 seek=RANDOM conv=notrunc` (4 KiB at a random offset)
# each phase timed; the content is compared with the same writes on a local copy. Run it on
# two checkouts to compare builds.
set -euo pipefail
ROOT=$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/..}" && pwd)
N=${BA_WRITES:-20}
W=$(mktemp -d /tmp/mooseng-bench-append.XXXXXX)
server_pid="" mount_pid=""
finish() {
  fusermount -u "$W/mnt" 2>/dev/null || true
  [ -n "$mount_pid" ] && kill "$mount_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$W"
}
trap finish EXIT
mkdir -p "$W/mnt"
"$ROOT/mooseng" server --data "$W/data" --s3-address 127.0.0.1:19100 --raft-address 127.0.0.1:19519 > "$W/server.log" 2>&1 &
server_pid=$!
until grep -q 'Try:' "$W/server.log"; do kill -0 "$server_pid"; sleep 1; done
"$ROOT/mooseng" mount --masters 127.0.0.1:19519 "$W/mnt" > "$W/mount.log" 2>&1 &
mount_pid=$!
until grep -q " $W/mnt " /proc/mounts; do kill -0 "$mount_pid"; sleep 1; done
mkdir "$W/mnt/append"
head -c $((64 << 20)) /dev/urandom > "$W/local.bin"
cp "$W/local.bin" "$W/mnt/append/log.bin"
line=$(head -c 1023 /dev/zero | tr '\0' 'x')
rev=$(cd "$ROOT" && git log --oneline -1 | cut -c1-7)
report() { # phase start end
  cmp -s "$W/local.bin" "$W/mnt/append/log.bin" && content=identical || content=DIFFERENT
  awk -v p="$1" -v s="$2" -v e="$3" -v n="$N" -v c="$content" -v r="$rev" \
    'BEGIN { printf "%s %s: %d writes into a 64 MiB file: %.2f s, %.1f ms each; content %s\n", r, p, n, e - s, (e - s) * 1000 / n, c }'
  [ "$content" = identical ]
}

start=$EPOCHREALTIME
for _ in $(seq 1 "$N"); do echo "$line" >> "$W/mnt/append/log.bin"; done
end=$EPOCHREALTIME
for _ in $(seq 1 "$N"); do echo "$line" >> "$W/local.bin"; done
report "appends of 1 KiB" "$start" "$end"

head -c 4096 /dev/urandom > "$W/block"
offsets=$(for _ in $(seq 1 "$N"); do echo $(( (RANDOM * 32768 + RANDOM) % 16384 )); done)
start=$EPOCHREALTIME
for o in $offsets; do dd if="$W/block" of="$W/mnt/append/log.bin" bs=4k count=1 seek="$o" conv=notrunc status=none; done
end=$EPOCHREALTIME
for o in $offsets; do dd if="$W/block" of="$W/local.bin" bs=4k count=1 seek="$o" conv=notrunc status=none; done
report "4 KiB in place" "$start" "$end"
