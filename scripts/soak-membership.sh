#!/bin/bash
# Soak: add a master and remove another, again and again, under metadata write load, until a
# joining master fails to catch up; then keep its thread dump. Separate from the test suite.
#   scripts/soak-membership.sh [CYCLES]     (default 20; a cluster of 3 masters in $MOOSENG_CLUSTER_DIR)
# Settings: MOOSENG_CLUSTER_DIR (/tmp/mooseng-soak), MOOSENG_BASE_PORT (31000), snapshots every 3000 entries.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/jdk.sh
export MOOSENG_CLUSTER_DIR="${MOOSENG_CLUSTER_DIR:-/tmp/mooseng-soak}" MOOSENG_BASE_PORT="${MOOSENG_BASE_PORT:-31000}"
export MOOSENG_MASTERS=3 MOOSENG_CHUNKSERVERS=0 MOOSENG_GATEWAYS=0 MOOSENG_METALOGGER=0 MOOSENG_SNAPSHOT_EVERY=3000
D="$MOOSENG_CLUSTER_DIR"
scripts/cluster.sh down >/dev/null 2>&1; rm -rf "$D"
scripts/cluster.sh up > /dev/null || exit 1
load() {
  while [ ! -f "$D/stop" ]; do
    . "$D/cluster.env"
    timeout 120 ./mooseng bench metadata --masters "$MOOSENG_MASTERS_LIST" --count 6000 --concurrency 4 >> "$D/load.out" 2>&1
  done
}
load & LOAD=$!
trap 'touch "$D/stop"; wait $LOAD; scripts/cluster.sh down > /dev/null' EXIT
# prints the member's role and lag from `admin status --json`
member() { python3 -c "import json,sys; m=[x for x in json.load(sys.stdin)['masters'] if x['id']=='$1']; print(m[0]['role'], m[0]['lag']) if m else print('ABSENT -1')"; }
rc=0
for i in $(seq 1 "${1:-20}"); do
  scripts/cluster.sh add-master > "$D/add.out" 2>&1 || { echo "cycle $i: add-master failed"; cat "$D/add.out"; rc=1; break; }
  . "$D/cluster.env"; new="m$MOOSENG_MASTER_COUNT"; ok=0
  for t in $(seq 1 60); do
    status=$(./mooseng admin status --masters "$MOOSENG_MASTERS_LIST" --json 2>/dev/null)
    read -r role lag <<< "$(echo "$status" | member "$new")"
    if [ "$role" = FOLLOWER ] && [ "$lag" -ge 0 ] && [ "$lag" -lt 20 ]; then ok=1; break; fi
    sleep 1
  done
  if [ $ok = 0 ]; then
    echo "cycle $i: $new did not catch up in 60 s ($role, lag $lag); threads in $D/$new.threads"
    "$MOOSENG_JDK/bin/jcmd" "$(cat "$D/pids/$new.pid")" Thread.print > "$D/$new.threads" 2>&1
    rc=1; break
  fi
  old=$(echo "$status" | python3 -c "import json,sys; print([x['id'] for x in json.load(sys.stdin)['masters'] if x['role']=='FOLLOWER' and x['id']!='$new'][0])")
  scripts/cluster.sh remove-master "$old" > "$D/remove.out" 2>&1 || { echo "cycle $i: remove-master $old failed"; cat "$D/remove.out"; rc=1; break; }
  echo "cycle $i: $new caught up in ${t}s, $old removed"
done
exit $rc
