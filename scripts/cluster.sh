#!/usr/bin/env bash
# A MooseNG cluster of separate processes on loopback: masters, chunkservers, gateways, a
# metalogger and optionally a FUSE mount, each with its own data folder, log and pid file under one directory.
#
#   scripts/cluster.sh up                 start everything, wait until both gateways answer
#   scripts/cluster.sh down               stop everything (SIGTERM, then SIGKILL after 10 s)
#   scripts/cluster.sh status [--json]    mooseng admin status against the masters
#   scripts/cluster.sh start NAME         (re)start one process with its original arguments
#   scripts/cluster.sh signal NAME SIG    send a signal to one process (KILL, STOP, CONT, TERM)
#   scripts/cluster.sh pid NAME           print its pid
#   scripts/cluster.sh env                print the cluster's addresses (sourceable)
#   scripts/cluster.sh add-master         start one more master and add it to the group
#   scripts/cluster.sh remove-master NAME remove a master from the group, then stop it
#   scripts/cluster.sh restore            lose every master: stop them and the metalogger, rebuild
#                                         fresh master folders from the metalogger, start them again
#
# Names: m1..mN, ml1, cs1..csN, gw1..gwN, mnt1. Settings (environment, read by `up`):
#   MOOSENG_CLUSTER_DIR (./cluster-data)  MOOSENG_MASTERS (3)  MOOSENG_CHUNKSERVERS (6)
#   MOOSENG_GATEWAYS (2)  MOOSENG_METALOGGER (1)  MOOSENG_BASE_PORT (19400)
#   MOOSENG_ZONES (0): chunkserver i gets --labels zone=zK,rack=zK-rJ,host=hi, zones round-robin
#     (K = (i-1) % ZONES + 1, J = (i-1) / ZONES + 1); 0 = host labels only
#   MOOSENG_MOUNT (0): 1 = also mount every bucket at DIR/mnt1 (process mnt1; root, or fusermount3)
#   MOOSENG_CLUSTER_TLS (0): 1 = a CA in DIR/ca and a certificate per process in DIR/tls/NAME (admin commands:
#     DIR/tls/admin), so every internal port runs mutual TLS and /metrics HTTPS that wants a client certificate
#     (a scraper's: DIR/tls/monitor, role monitor, named in cluster.env as MOOSENG_MONITOR_TLS_DIR)
#   MOOSENG_STORAGE_CLASS (EC_4_2)  MOOSENG_SNAPSHOT_EVERY (100000)  MOOSENG_ELECTION_TIMEOUT_MS (150)
#   MOOSENG_MAINTENANCE_INTERVAL_MS (10000)  MOOSENG_CHUNKSERVER_TIMEOUT_MS (60000)  MOOSENG_GC_GRACE_MS (3600000)
#   MOOSENG_GC, MOOSENG_JAVA_OPTS: as for ./mooseng, for every process (read at each start)
#   MOOSENG_CLASSPATH: run `java -cp $MOOSENG_CLASSPATH io.mooseng.cli.Main` instead of ./mooseng
#   (the tests use their own classpath this way).
# Ports: masters BASE+1.., metalogger BASE+10, chunkservers BASE+20.., gateways (S3) BASE+40..;
# /metrics (cluster.env: MOOSENG_METRICS_ADDRESSES) 100 above a process's port: masters BASE+101..,
# metalogger BASE+110, chunkservers BASE+121.., the mount BASE+100; gateways serve it on their S3 port.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$(mkdir -p "${MOOSENG_CLUSTER_DIR:-$ROOT/cluster-data}" && cd "${MOOSENG_CLUSTER_DIR:-$ROOT/cluster-data}" && pwd)"
source "$ROOT/scripts/jdk.sh"
JAVA="$MOOSENG_JDK/bin/java"

die() { echo "cluster.sh: $*" >&2; exit 1; }

# launch NAME JVM_OPTS ARGS...: starts one process in the background, records how to restart it
launch() {
  local name="$1" opts="$2"; shift 2
  mkdir -p "$DIR/logs" "$DIR/pids" "$DIR/cmd"
  printf '%q ' "$opts" "$@" > "$DIR/cmd/$name"
  start_recorded "$name"
}

start_recorded() {
  local name="$1"
  [ -f "$DIR/cmd/$name" ] || die "no process named $name in $DIR"
  if is_running "$name"; then die "$name is already running (pid $(cat "$DIR/pids/$name.pid"))"; fi
  eval "set -- $(cat "$DIR/cmd/$name")"
  local opts="$1 ${MOOSENG_JAVA_OPTS:-}"; shift
  # where this run's output starts, so readiness is not read from an earlier run's lines
  touch "$DIR/logs/$name.log"
  stat -c %s "$DIR/logs/$name.log" > "$DIR/pids/$name.logpos"
  if [ -n "${MOOSENG_CLASSPATH:-}" ]; then
    # shellcheck disable=SC2086
    ( exec "$JAVA" ${MOOSENG_GC:--XX:+UseZGC} $MOOSENG_JVM_FLAGS $opts -cp "$MOOSENG_CLASSPATH" io.mooseng.cli.Main "$@" ) >> "$DIR/logs/$name.log" 2>&1 &
  else
    ( MOOSENG_JAVA_OPTS="$opts" exec "$ROOT/mooseng" "$@" ) >> "$DIR/logs/$name.log" 2>&1 &
  fi
  local pid=$!
  echo "$pid" > "$DIR/pids/$name.pid"
  # until the background shell has exec'd java its command line is the shell's, and
  # is_running (which checks it) would call the process gone: wait for the exec (or its end)
  for _ in $(seq 1 100); do
    is_running "$name" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
}

tls_args() {  # tls_args NAME: the process's --tls-dir when the cluster runs TLS
  [ -d "$DIR/tls/$1" ] && echo "--tls-dir $DIR/tls/$1"
  return 0
}

cli() {  # runs a mooseng command in the foreground (admin commands with the admin's certificate when there is one)
  [ -d "$DIR/tls/admin" ] && export MOOSENG_TLS_DIR="${MOOSENG_TLS_DIR:-$DIR/tls/admin}"
  if [ -n "${MOOSENG_CLASSPATH:-}" ]; then
    "$JAVA" $MOOSENG_JVM_FLAGS -cp "$MOOSENG_CLASSPATH" io.mooseng.cli.Main "$@"
  else
    "$ROOT/mooseng" "$@"
  fi
}

stop_one() {  # stop_one NAME: SIGTERM, SIGKILL after 10 s
  local f="$DIR/pids/$1.pid" pid
  pid="$(live_pid "$1")" || { rm -f "$f"; return 0; }
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$f"
}

set_env() {  # set_env KEY VALUE: rewrite one line of cluster.env
  sed -i "s#^$1=.*#$1=$2#" "$DIR/cluster.env"
}

# live_pid NAME: prints the pid of NAME if that process is alive. PIDs wrap quickly on a busy
# machine (every JVM thread takes one), so a pid file alone proves nothing: the pid must be a
# process (not a thread) whose command line has this cluster's folder and --id NAME (the mount,
# which has no id: its mountpoint DIR/NAME).
live_pid() {
  local f="$DIR/pids/$1.pid" pid args
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [ "$(awk '/^Tgid:/{print $2}' "/proc/$pid/status" 2>/dev/null)" = "$pid" ] || return 1
  args="$(tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  { grep -A1 -x -- "--id" <<< "$args" | grep -qx -- "$1" || grep -qxF -- "$DIR/$1" <<< "$args"; } || return 1
  grep -q -- "^$DIR/" <<< "$args" || return 1
  echo "$pid"
}

is_running() {
  live_pid "$1" > /dev/null
}

wait_until() {  # wait_until NAME SECONDS WHAT COMMAND...: until COMMAND succeeds; fails saying WHAT if NAME exits or time runs out
  local name="$1" secs="$2" what="$3"; shift 3
  local deadline=$(( $(date +%s) + secs ))
  until "$@"; do
    is_running "$name" || { tail -n 40 "$DIR/logs/$name.log" >&2; die "$name exited during start-up"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 40 "$DIR/logs/$name.log" >&2; die "$name $what after $secs s"; }
    sleep 0.2
  done
}

logged() {  # logged NAME PATTERN: the process has logged PATTERN in its latest run
  tail -c +"$(( $(cat "$DIR/pids/$1.logpos" 2>/dev/null || echo 0) + 1 ))" "$DIR/logs/$1.log" 2>/dev/null | grep -q "$2"
}

wait_http() { wait_until "$2" "$3" "not ready" curl -fsS -o /dev/null "$1"; }   # wait_http URL NAME SECONDS
wait_line() { wait_until "$1" "$3" "not running" logged "$1" "$2"; }             # wait_line NAME PATTERN SECONDS
wait_file() { wait_until "$2" "$3" "made no $1" test -f "$1"; }                  # wait_file FILE NAME SECONDS

up() {
  local masters="${MOOSENG_MASTERS:-3}" chunkservers="${MOOSENG_CHUNKSERVERS:-6}" gateways="${MOOSENG_GATEWAYS:-2}"
  local metalogger="${MOOSENG_METALOGGER:-1}" base="${MOOSENG_BASE_PORT:-19400}"
  local class="${MOOSENG_STORAGE_CLASS:-EC_4_2}" snap="${MOOSENG_SNAPSHOT_EVERY:-}"
  local election="${MOOSENG_ELECTION_TIMEOUT_MS:-150}"
  local maintenance="${MOOSENG_MAINTENANCE_INTERVAL_MS:-10000}" cstimeout="${MOOSENG_CHUNKSERVER_TIMEOUT_MS:-60000}"
  local gcgrace="${MOOSENG_GC_GRACE_MS:-3600000}" zones="${MOOSENG_ZONES:-0}" mount="${MOOSENG_MOUNT:-0}"
  # the masters keep their group in their data: started with another count they would wait forever
  local before
  before="$(sed -n 's/^MOOSENG_MASTER_COUNT=//p' "$DIR/cluster.env" 2>/dev/null || true)"
  if [ -n "$before" ] && [ "$before" != "$masters" ] && [ -n "$(ls -A "$DIR/m1" 2>/dev/null)" ]; then
    die "$DIR holds a cluster of $before masters, not $masters: run 'down' and remove $DIR, or set MOOSENG_CLUSTER_DIR"
  fi
  [ -z "${MOOSENG_CLASSPATH:-}" ] && "$ROOT/mooseng" --version > /dev/null   # build once, before starting many
  local peers="" list="" i
  for i in $(seq 1 "$masters"); do
    peers+="${peers:+,}m$i=127.0.0.1:$((base + i))"; list+="${list:+,}127.0.0.1:$((base + i))"
  done
  {
    echo "MOOSENG_BASE_PORT=$base"
    echo "MOOSENG_MASTER_COUNT=$masters"
    [ -n "$snap" ] && echo "MOOSENG_SNAPSHOT_EVERY=$snap"
    echo "MOOSENG_ELECTION_TIMEOUT_MS=$election"
    echo "MOOSENG_MAINTENANCE_INTERVAL_MS=$maintenance"
    echo "MOOSENG_CHUNKSERVER_TIMEOUT_MS=$cstimeout"
    echo "MOOSENG_GC_GRACE_MS=$gcgrace"
    echo "MOOSENG_MASTERS_LIST=$list"
    echo "MOOSENG_PEERS=$peers"
    local gws=""
    for i in $(seq 1 "$gateways"); do gws+="${gws:+,}http://127.0.0.1:$((base + 40 + i))"; done
    echo "MOOSENG_ENDPOINTS=$gws"
    local metrics="" p
    for p in $(seq $((base + 101)) $((base + 100 + masters))) $([ "$metalogger" = 1 ] && echo $((base + 110))) \
        $(seq $((base + 121)) $((base + 120 + chunkservers))) $([ "$mount" = 1 ] && echo $((base + 100))); do
      metrics+="${metrics:+,}127.0.0.1:$p"
    done
    echo "MOOSENG_METRICS_ADDRESSES=$metrics"
    echo "MOOSENG_CREDENTIALS=$DIR/gateway/credentials"
    if [ "$mount" = 1 ]; then echo "MOOSENG_MOUNTPOINT=$DIR/mnt1"; fi
  } > "$DIR/cluster.env"
  if [ "${MOOSENG_CLUSTER_TLS:-0}" = 1 ]; then
    local names=(admin=admin monitor=monitor mnt1=mount ml1=metalogger)
    for i in $(seq 1 "$masters"); do names+=("m$i=master"); done
    for i in $(seq 1 "$chunkservers"); do names+=("cs$i=chunkserver"); done
    for i in $(seq 1 "$gateways"); do names+=("gw$i=gateway"); done
    # 127.0.0.1 in every certificate: HTTPS clients of /metrics check the name they reach
    cli admin cert bootstrap --ca "$DIR/ca" --out "$DIR/tls" --host 127.0.0.1 "${names[@]}" > /dev/null
    echo "MOOSENG_TLS_DIR=$DIR/tls/admin" >> "$DIR/cluster.env"
    echo "MOOSENG_MONITOR_TLS_DIR=$DIR/tls/monitor" >> "$DIR/cluster.env"
  fi
  # every process starts at once (start-up is CPU-bound class loading and compiling; waiting on each
  # role in turn leaves cores idle): the others retry the masters until they answer
  for i in $(seq 1 "$masters"); do
    # shellcheck disable=SC2046
    launch "m$i" "-Xmx512m" master $(tls_args "m$i") --id "m$i" --data "$DIR/m$i" --raft-address "127.0.0.1:$((base + i))" \
      --metrics-address "127.0.0.1:$((base + 100 + i))" --peers "$peers" ${snap:+--snapshot-every "$snap"} --election-timeout-ms "$election" \
      --maintenance-interval-ms "$maintenance" --chunkserver-timeout-ms "$cstimeout" --gc-grace-ms "$gcgrace"
  done
  for i in $(seq 1 "$chunkservers"); do
    local labels="host=h$i"
    if [ "$zones" -gt 0 ]; then
      local zone="z$(( (i - 1) % zones + 1 ))"
      labels="zone=$zone,rack=$zone-r$(( (i - 1) / zones + 1 )),$labels"
    fi
    # shellcheck disable=SC2046
    launch "cs$i" "-Xmx256m" chunkserver $(tls_args "cs$i") --masters "$list" --id "cs$i" --data "$DIR/cs$i" \
      --address "127.0.0.1:$((base + 20 + i))" --labels "$labels" --metrics-address "127.0.0.1:$((base + 120 + i))"
  done
  if [ "$metalogger" = 1 ]; then
    # shellcheck disable=SC2046
    launch ml1 "-Xmx256m" metalogger $(tls_args ml1) --masters "$list" --id ml1 --data "$DIR/ml1" --raft-address "127.0.0.1:$((base + 10))" \
      --metrics-address "127.0.0.1:$((base + 110))" \
      ${snap:+--snapshot-every "$snap"}
  fi
  for i in $(seq 1 "$gateways"); do
    # shellcheck disable=SC2046
    launch "gw$i" "-Xmx1g" gateway $(tls_args "gw$i") --masters "$list" --id "gw$i" --data "$DIR/gateway" \
      --s3-address "127.0.0.1:$((base + 40 + i))" --storage-class "$class"
    # the first gateway creates the shared credentials file (atomically); later ones read it
    [ "$i" = 1 ] && [ -z "${MOOSENG_ACCESS_KEY:-}" ] && wait_file "$DIR/gateway/credentials" gw1 90
  done
  for i in $(seq 1 "$masters"); do wait_line "m$i" "is running" 60; done
  for i in $(seq 1 "$chunkservers"); do wait_line "cs$i" "is running" 90; done
  for i in $(seq 1 "$gateways"); do wait_http "http://127.0.0.1:$((base + 40 + i))/health/ready" "gw$i" 90; done
  [ "$metalogger" = 1 ] && wait_line ml1 "is running" 60
  if [ "$mount" = 1 ]; then
    mkdir -p "$DIR/mnt1"
    # shellcheck disable=SC2046
    launch mnt1 "-Xmx512m" mount $(tls_args mnt1) --masters "$list" --metrics-address "127.0.0.1:$((base + 100))" "$DIR/mnt1"
    wait_line mnt1 "mounted at" 60
  fi
  echo "cluster up in $DIR"
  cat "$DIR/cluster.env"
}

add_master() {
  # shellcheck disable=SC1091
  . "$DIR/cluster.env"
  local n=$((MOOSENG_MASTER_COUNT + 1))
  local addr="127.0.0.1:$((MOOSENG_BASE_PORT + n))"
  local metrics="127.0.0.1:$((MOOSENG_BASE_PORT + 100 + n))"
  [ -d "$DIR/ca" ] && cli admin cert issue --ca "$DIR/ca" --role master --name "m$n" --host 127.0.0.1 --out "$DIR/tls/m$n" > /dev/null
  # shellcheck disable=SC2046
  launch "m$n" "-Xmx512m" master $(tls_args "m$n") --id "m$n" --data "$DIR/m$n" --raft-address "$addr" --join \
    --metrics-address "$metrics" \
    --peers "$MOOSENG_PEERS" ${MOOSENG_SNAPSHOT_EVERY:+--snapshot-every "$MOOSENG_SNAPSHOT_EVERY"} \
    --election-timeout-ms "${MOOSENG_ELECTION_TIMEOUT_MS:-150}" \
    --maintenance-interval-ms "${MOOSENG_MAINTENANCE_INTERVAL_MS:-10000}" \
    --chunkserver-timeout-ms "${MOOSENG_CHUNKSERVER_TIMEOUT_MS:-60000}" --gc-grace-ms "${MOOSENG_GC_GRACE_MS:-3600000}"
  wait_line "m$n" "is running" 60
  cli admin master add --masters "$MOOSENG_MASTERS_LIST" --id "m$n" --address "$addr"
  set_env MOOSENG_MASTER_COUNT "$n"
  set_env MOOSENG_PEERS "$MOOSENG_PEERS,m$n=$addr"
  set_env MOOSENG_MASTERS_LIST "$MOOSENG_MASTERS_LIST,$addr"
  set_env MOOSENG_METRICS_ADDRESSES "$metrics,$MOOSENG_METRICS_ADDRESSES"
}

remove_master() {
  # shellcheck disable=SC1091
  . "$DIR/cluster.env"
  local name="$1" addr
  addr="$(echo "$MOOSENG_PEERS" | tr ',' '\n' | sed -n "s/^$name=//p")"
  [ -n "$addr" ] || die "no master $name in $MOOSENG_PEERS"
  cli admin master remove --masters "$MOOSENG_MASTERS_LIST" --id "$name"
  stop_one "$name"
  set_env MOOSENG_PEERS "$(echo "$MOOSENG_PEERS" | tr ',' '\n' | grep -v "^$name=" | paste -sd,)"
  set_env MOOSENG_MASTERS_LIST "$(echo "$MOOSENG_MASTERS_LIST" | tr ',' '\n' | grep -vx "$addr" | paste -sd,)"
  set_env MOOSENG_METRICS_ADDRESSES "$(echo "$MOOSENG_METRICS_ADDRESSES" | tr ',' '\n' | grep -vx "127.0.0.1:$(( ${addr##*:} + 100 ))" | paste -sd,)"
}

restore() {
  # shellcheck disable=SC1091
  . "$DIR/cluster.env"
  local stamp names="" to=() m
  stamp="$(date +%s)"
  for m in $(echo "$MOOSENG_PEERS" | tr ',' '\n' | cut -d= -f1); do names+=" $m"; done
  for m in $names; do stop_one "$m"; done
  stop_one ml1
  for m in $names; do
    mv "$DIR/$m" "$DIR/$m.lost-$stamp"
    to+=(--to "$DIR/$m")
  done
  cli admin metadata restore --from "$DIR/ml1" "${to[@]}"
  # the restored group is the current membership, whatever each master was first started with
  for m in $names; do
    local addr
    addr="$(echo "$MOOSENG_PEERS" | tr ',' '\n' | sed -n "s/^$m=//p")"
    launch "$m" "-Xmx512m" master --id "$m" --data "$DIR/$m" --raft-address "$addr" --peers "$MOOSENG_PEERS" \
      ${MOOSENG_SNAPSHOT_EVERY:+--snapshot-every "$MOOSENG_SNAPSHOT_EVERY"} --election-timeout-ms "$MOOSENG_ELECTION_TIMEOUT_MS" \
      --maintenance-interval-ms "$MOOSENG_MAINTENANCE_INTERVAL_MS" --chunkserver-timeout-ms "$MOOSENG_CHUNKSERVER_TIMEOUT_MS" \
      --gc-grace-ms "$MOOSENG_GC_GRACE_MS"
  done
  # the source copy has applied entries of the lost group's last term (e.g. its no-op) that
  # the restored group's log replaces: retire it and start a fresh metalogger, which the new
  # leader fills by snapshot install
  mv "$DIR/ml1" "$DIR/ml1.used-$stamp"
  start_recorded ml1
  for m in $names; do wait_line "$m" "is running" 60; done
  wait_line ml1 "is running" 60
}

down() {
  local f name pid
  for f in "$DIR"/pids/*.pid; do
    [ -e "$f" ] || continue
    name="$(basename "$f" .pid)"
    pid="$(live_pid "$name")" || continue
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 100); do
    local alive=0
    for f in "$DIR"/pids/*.pid; do [ -e "$f" ] && is_running "$(basename "$f" .pid)" && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for f in "$DIR"/pids/*.pid; do
    [ -e "$f" ] || continue
    pid="$(live_pid "$(basename "$f" .pid)")" && kill -KILL "$pid" 2>/dev/null
    rm -f "$f"
  done
  # a mount killed before it unmounted leaves its mountpoint dead ("transport endpoint is not connected",
  # which mountpoint(1) cannot stat): look it up in the mount table
  if awk -v m="$DIR/mnt1" '$2 == m { found = 1 } END { exit !found }' /proc/self/mounts; then
    fusermount3 -uz "$DIR/mnt1" 2>/dev/null || umount -l "$DIR/mnt1"
  fi
  echo "cluster down ($DIR)"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  up) up ;;
  down) down ;;
  status)
    # shellcheck disable=SC1091
    . "$DIR/cluster.env"
    [ -d "$DIR/tls/admin" ] && export MOOSENG_TLS_DIR="${MOOSENG_TLS_DIR:-$DIR/tls/admin}"
    if [ -n "${MOOSENG_CLASSPATH:-}" ]; then
      exec "$JAVA" $MOOSENG_JVM_FLAGS -cp "$MOOSENG_CLASSPATH" io.mooseng.cli.Main admin status --masters "$MOOSENG_MASTERS_LIST" "$@"
    fi
    exec "$ROOT/mooseng" admin status --masters "$MOOSENG_MASTERS_LIST" "$@" ;;
  start) [ $# -eq 1 ] || die "usage: start NAME"; start_recorded "$1" ;;
  signal) [ $# -eq 2 ] || die "usage: signal NAME SIG"; pid="$(live_pid "$1")" || die "$1 is not running"; kill -"$2" "$pid" ;;
  pid) live_pid "$1" || die "$1 is not running" ;;
  env) cat "$DIR/cluster.env" ;;
  add-master) add_master ;;
  remove-master) [ $# -eq 1 ] || die "usage: remove-master NAME"; remove_master "$1" ;;
  restore) restore ;;
  *) sed -n '2,28p' "$0"; exit 2 ;;
esac
