#!/usr/bin/env bash
# bench-fuse.sh - ../shared/bench/fsbench.sh on a MooseNG mount, a MooseFS 3 mount (goal 2) and the
# local disk, interleaved round by round so all three see the same machine.
#
#   BF_ROUNDS (2)          rounds; each runs fsbench once per filesystem, order rotated
#   BF_WARMUP (1)          untimed rounds first, on every filesystem alike: MooseNG's JVMs compile
#                          their hot paths over the first ~30,000 changes; 0 measures that too
#   BF_OUT                 results folder (default /tmp/mooseng-bench-fuse/<time>)
#   BF_CLASS (EC_4_2)      storage class of the MooseNG bucket's default (`mooseng server --storage-class`)
#   BF_SHARED (../shared/bench)  the MooseFS harness
#   FSB_*                  passed to fsbench.sh (e.g. FSB_FIO_SIZE=512m for a quick run)
# MooseNG runs as `mooseng server` (1 master, 6 chunkservers, one process) + `mooseng mount`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED=$(cd "${BF_SHARED:-$ROOT/../shared/bench}" && pwd)
OUT=${BF_OUT:-/tmp/mooseng-bench-fuse/$(date +%Y%m%d-%H%M%S)}
ROUNDS=${BF_ROUNDS:-2}
WARMUP=${BF_WARMUP:-1}
CLASS=${BF_CLASS:-EC_4_2}
WORK=$OUT/work
mkdir -p "$OUT/rounds" "$WORK/mnt" "$WORK/local"
exec > >(tee -a "$OUT/run.log") 2>&1
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

server_pid="" mount_pid=""
finish() {
  fusermount -u "$WORK/mnt" 2>/dev/null || true
  [ -n "$mount_pid" ] && kill "$mount_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  "$SHARED/moosefs-down.sh" >/dev/null 2>&1 || true
  rm -rf "$WORK/data"
}
trap finish EXIT

log "MooseNG: server ($CLASS) and mount"
"$ROOT/mooseng" server --data "$WORK/data" --storage-class "$CLASS" --s3-address 127.0.0.1:19000 \
  --raft-address 127.0.0.1:19419 > "$OUT/server.log" 2>&1 &
server_pid=$!
until grep -q 'Try:' "$OUT/server.log"; do
  kill -0 "$server_pid" || { log "server failed"; cat "$OUT/server.log"; exit 1; }
  sleep 1
done
"$ROOT/mooseng" mount --masters 127.0.0.1:19419 "$WORK/mnt" > "$OUT/mount.log" 2>&1 &
mount_pid=$!
until grep -q " $WORK/mnt " /proc/mounts; do
  kill -0 "$mount_pid" || { log "mount failed"; cat "$OUT/mount.log"; exit 1; }
  sleep 1
done
mkdir -p "$WORK/mnt/fsbench"

log "MooseFS: 3 chunkservers, goal 2"
"$SHARED/moosefs-up.sh" /tmp/moosebench/mnt > "$OUT/moosefs-up.log" 2>&1
mkdir -p /tmp/moosebench/mnt/goal2
nsenter --net=/run/netns/moosebench mfssetgoal -r 2 /tmp/moosebench/mnt/goal2 >/dev/null

labels=(mooseng moosefs-goal2 local-disk)
dirs=("$WORK/mnt/fsbench" /tmp/moosebench/mnt/goal2 "$WORK/local")
for l in "${labels[@]}"; do : > "$OUT/$l.samples.tsv"; done
for w in $(seq 1 "$WARMUP"); do
  for i in 0 1 2; do
    l=${labels[$i]}
    log "=== warm-up $w/$WARMUP (not measured): $l"
    FSB_REPS=1 FSB_LABEL=$l FSB_JSON=$OUT/rounds/$l-warmup$w.json \
      "$SHARED/fsbench.sh" "${dirs[$i]}" > "$OUT/rounds/$l-warmup$w.txt"
  done
done
for r in $(seq 1 "$ROUNDS"); do
  for k in 0 1 2; do
    i=$(( (k + r - 1) % 3 ))
    l=${labels[$i]}
    log "=== round $r/$ROUNDS: $l"
    FSB_REPS=1 FSB_REP_OFFSET=$((r - 1)) FSB_LABEL=$l FSB_JSON=$OUT/rounds/$l-r$r.json \
      FSB_SAMPLES_OUT=$OUT/$l.samples.tsv "$SHARED/fsbench.sh" "${dirs[$i]}" > "$OUT/rounds/$l-r$r.txt"
  done
done

jsons=()
for i in 0 1 2; do
  l=${labels[$i]}
  AGG_LABEL=$l AGG_TARGET=${dirs[$i]} "$SHARED/aggregate.sh" "$OUT/$l.samples.tsv" "$OUT/$l.json" > "$OUT/$l.txt" 2> "$OUT/$l.table.txt"
  jsons+=("$OUT/$l.json")
done
"$SHARED/compare.sh" "${jsons[@]}" > "$OUT/summary.md"
cat "$OUT/summary.md"
log "done: $OUT/summary.md"
