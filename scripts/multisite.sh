#!/usr/bin/env bash
# Three MooseNG zones on this machine that replicate to each other, active/active/active: each
# zone a `mooseng server` with its own data folder under DIR, the three made one zonegroup.
#
#   scripts/multisite.sh up DIR [--rtt-ms N]   start the zones and make them a zonegroup. As root, each zone runs
#                                              in its own network namespace (mooseng-z1..3, at 10.77.0.1..3) linked
#                                              through a bridge (no --rtt-ms: loopback, no namespaces). With N, the
#                                              zones see each other N ms apart (round trip): netem delays every packet
#                                              a zone sends by N/2 ms; on a kernel without netem, each zone is reached
#                                              by the others through a relay that holds every byte N/2 ms each way
#                                              (`mooseng bench wan-relay`; clients reach the zones directly)
#   scripts/multisite.sh env DIR               shell assignments: ZONEk_S3, ZONEk_MASTERS (k = 1..3),
#                                              MOOSENG_ACCESS_KEY, MOOSENG_SECRET_KEY (valid in every zone),
#                                              MOOSENG_TLS_DIR (an admin certificate: `up` gives each zone a
#                                              certificate of a CA in DIR/ca, so the zones' internal ports run TLS),
#                                              AWS_CA_BUNDLE and MOOSENG_PEER_CA (DIR/ca/ca.pem: in namespaces the
#                                              zones' S3 endpoints, which other zones reach over the bridge, are HTTPS)
#   scripts/multisite.sh down DIR              stop every process, namespace and link it started
#   scripts/multisite.sh stop|start DIR zoneK  stop one zone's server (SIGTERM, SIGKILL after 10 s) / start it again
#   scripts/multisite.sh kill DIR zoneK        kill -9 one zone's server
#   scripts/multisite.sh cut|heal DIR zoneK    take a zone's network link down / up again (namespaces only)
#
# Settings (environment, read by `up`): MOOSENG_ACCESS_KEY / MOOSENG_SECRET_KEY (random when unset),
# MOOSENG_MULTISITE_BASE_PORT (19500: zone k serves S3 on BASE+10k and Raft on BASE+10k+1 on loopback),
# MOOSENG_MULTISITE_CHUNKSERVERS (3), MOOSENG_MULTISITE_CLASS (REPLICATED_2), MOOSENG_JAVA_OPTS (-Xmx768m),
# MOOSENG_CLASSPATH (run `java -cp` on it instead of ./mooseng, as the tests do).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ZONES=3

die() { echo "multisite.sh: $*" >&2; exit 1; }
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 2 ] || usage
CMD="$1"; DIR="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2
ENV_FILE="$DIR/multisite.env"

command_line() {  # command_line NETNS ARGS...: sets CMD to the CLI's command line (in the namespace, if any)
  local ns="$1"; shift
  CMD=(env MOOSENG_JAVA_OPTS="${MOOSENG_JAVA_OPTS:--Xmx768m}")
  [ -n "$ns" ] && CMD=(ip netns exec "$ns" "${CMD[@]}")
  if [ -n "${MOOSENG_CLASSPATH:-}" ]; then
    source "$ROOT/scripts/jdk.sh"
    # shellcheck disable=SC2206
    CMD+=("$MOOSENG_JDK/bin/java" ${MOOSENG_GC:--XX:+UseZGC} $MOOSENG_JVM_FLAGS ${MOOSENG_JAVA_OPTS:--Xmx768m} -cp "$MOOSENG_CLASSPATH" io.mooseng.cli.Main "$@")
  else
    CMD+=("$ROOT/mooseng" "$@")
  fi
}

background() {  # background LOG PIDFILE NETNS ARGS...: starts the CLI in the background as its own process
  local log="$1" pidfile="$2"; shift 2
  command_line "$@"
  ( exec "${CMD[@]}" ) >> "$log" 2>&1 &
  echo $! > "$pidfile"
}

mooseng() {  # mooseng NETNS ARGS...: runs the CLI in the foreground
  command_line "$@"
  "${CMD[@]}"
}

zone_var() { grep "^$1=" "$ENV_FILE" | cut -d= -f2-; }  # zone_var NAME: a value of multisite.env

zone_number() {
  [[ "$1" =~ ^zone([1-9])$ ]] && [ "${BASH_REMATCH[1]}" -le $ZONES ] || die "no zone '$1' (zone1..zone$ZONES)"
  echo "${BASH_REMATCH[1]}"
}

live_pid() {  # live_pid K: the pid of zone K's server if it runs
  local f="$DIR/zone$1.pid" pid
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$DIR/zone$1" || return 1
  echo "$pid"
}

launch_zone() {  # launch_zone K: the server of zone K, in the background, logging to DIR/zoneK.log
  local k="$1" ns s3 raft
  live_pid "$k" > /dev/null && die "zone$k already runs (pid $(cat "$DIR/zone$k.pid"))"
  ns="$(zone_var NETNS)"; [ "$ns" = none ] && ns="" || ns="mooseng-z$k"
  s3="$(zone_var "ZONE${k}_S3")"; raft="$(zone_var "ZONE${k}_MASTERS")"
  local https=()
  [[ "$s3" == https://* ]] && https=(--s3-tls-cert "$DIR/zone$k/s3-tls/node.pem" --s3-tls-key "$DIR/zone$k/s3-tls/node.key")
  # peers' HTTPS endpoints are trusted through the zones' CA
  MOOSENG_ACCESS_KEY="$(zone_var MOOSENG_ACCESS_KEY)" MOOSENG_SECRET_KEY="$(zone_var MOOSENG_SECRET_KEY)" MOOSENG_PEER_CA="$DIR/ca/ca.pem" \
    background "$DIR/zone$k.log" "$DIR/zone$k.pid" "$ns" server --data "$DIR/zone$k" --s3-address "${s3#*://}" \
    --raft-address "$raft" --chunkservers "${MOOSENG_MULTISITE_CHUNKSERVERS:-3}" \
    --storage-class "${MOOSENG_MULTISITE_CLASS:-REPLICATED_2}" "${https[@]}"
  # the pid is ours once the launcher has exec'd java: its command line then names the zone's folder
  for _ in $(seq 1 100); do
    live_pid "$k" > /dev/null && break
    kill -0 "$(cat "$DIR/zone$k.pid")" 2>/dev/null || break
    sleep 0.05
  done
}

await_zone() {  # await_zone K: until zone K's S3 port answers
  local k="$1" s3
  s3="$(zone_var "ZONE${k}_S3")"
  local deadline=$(( $(date +%s) + 120 ))
  until [ "$(curl -s --cacert "$DIR/ca/ca.pem" -o /dev/null -w '%{http_code}' "$s3/" 2>/dev/null)" != 000 ]; do
    # the launcher's pid, java's once exec'd (on a loaded machine that may take longer than the wait above)
    kill -0 "$(cat "$DIR/zone$k.pid")" 2>/dev/null || { tail -n 30 "$DIR/zone$k.log" >&2; die "zone$k exited during start-up"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$DIR/zone$k.log" >&2; die "zone$k not ready after 120 s"; }
    sleep 0.3
  done
}

stop_zone() {  # stop_zone K SIGNAL
  local pid
  pid="$(live_pid "$1")" || { rm -f "$DIR/zone$1.pid"; return 0; }
  kill "-$2" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$DIR/zone$1.pid"
}

make_network() {  # make_network HALF_RTT_MS: a bridge and one namespace per zone behind a veth; sets delay=netem if netem delays
  ip link show mooseng-br > /dev/null 2>&1 && die "a multisite network exists already (scripts/multisite.sh down its DIR first)"
  ip link add mooseng-br type bridge
  ip addr add 10.77.0.254/24 dev mooseng-br
  ip link set mooseng-br up
  for k in $(seq 1 $ZONES); do
    ip netns add "mooseng-z$k"
    ip link add "mz$k-h" type veth peer name "mz$k-n"
    ip link set "mz$k-n" netns "mooseng-z$k"
    ip link set "mz$k-h" master mooseng-br up
    ip netns exec "mooseng-z$k" ip addr add "10.77.0.$k/24" dev "mz$k-n"
    ip netns exec "mooseng-z$k" ip link set "mz$k-n" up
    ip netns exec "mooseng-z$k" ip link set lo up
  done
  if [ "$1" -gt 0 ]; then
    for k in $(seq 1 $ZONES); do
      ip netns exec "mooseng-z$k" tc qdisc add dev "mz$k-n" root netem delay "${1}ms" 2>/dev/null || return 0
    done
    delay=netem
  fi
}

start_relay() {  # start_relay K HALF_RTT_MS: the relay the other zones reach zone K through
  local listen to
  listen="$(zone_var "RELAY$1")"; to="$(zone_var "ZONE${1}_S3")"
  background "$DIR/relay$1.log" "$DIR/relay$1.pid" "" bench wan-relay --listen "$listen" --to "${to#*://}" --delay-ms "$2"
}

remove_network() {
  for k in $(seq 1 $ZONES); do
    ip netns del "mooseng-z$k" 2>/dev/null || true
    ip link del "mz$k-h" 2>/dev/null || true
  done
  ip link del mooseng-br 2>/dev/null || true
}

up() {
  local rtt=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --rtt-ms) rtt="${2:?--rtt-ms needs a number}"; shift 2 ;;
      *) usage ;;
    esac
  done
  local ak="${MOOSENG_ACCESS_KEY:-MSITE$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F)}"
  local sk="${MOOSENG_SECRET_KEY:-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')}"
  local base="${MOOSENG_MULTISITE_BASE_PORT:-19500}" netns=none delay=none
  [ "$(id -u)" = 0 ] && netns=yes
  {
    echo "NETNS=$netns"
    for k in $(seq 1 $ZONES); do
      if [ "$netns" = yes ]; then
        echo "ZONE${k}_S3=https://10.77.0.$k:9000"; echo "ZONE${k}_MASTERS=10.77.0.$k:9419"; echo "RELAY$k=10.77.0.254:$((base + 10 * k + 5))"
      else
        echo "ZONE${k}_S3=http://127.0.0.1:$((base + 10 * k))"; echo "ZONE${k}_MASTERS=127.0.0.1:$((base + 10 * k + 1))"
        echo "RELAY$k=127.0.0.1:$((base + 10 * k + 5))"
      fi
    done
    echo "MOOSENG_ACCESS_KEY=$ak"; echo "MOOSENG_SECRET_KEY=$sk"
    if [ "$netns" = yes ]; then echo "AWS_CA_BUNDLE=$DIR/ca/ca.pem"; echo "MOOSENG_PEER_CA=$DIR/ca/ca.pem"; fi
  } > "$ENV_FILE"
  chmod 600 "$ENV_FILE"
  # each zone's server is master, chunkservers and gateway at once: a master certificate; the operator's is an admin's
  # (the certificates are issued side by side: each is a JVM's start-up, a second or two of CPU)
  mooseng "" admin ca init "$DIR/ca" > /dev/null
  local issuing=() p
  for k in $(seq 1 $ZONES); do
    mooseng "" admin cert issue --ca "$DIR/ca" --role master --name "zone$k" --host "$(zone_var "ZONE${k}_MASTERS" | cut -d: -f1)" \
      --out "$DIR/zone$k/tls" > /dev/null &
    issuing+=($!)
  done
  mooseng "" admin cert issue --ca "$DIR/ca" --role admin --name operator --out "$DIR/admin-tls" > /dev/null &
  issuing+=($!)
  if [ "$netns" = yes ]; then
    # the S3 endpoints the other zones reach (directly or through the relay) over the bridge: HTTPS
    for k in $(seq 1 $ZONES); do
      mooseng "" admin cert issue --ca "$DIR/ca" --role gateway --name "zone$k-s3" --host "10.77.0.$k,10.77.0.254" \
        --out "$DIR/zone$k/s3-tls" > /dev/null &
      issuing+=($!)
    done
  fi
  for p in "${issuing[@]}"; do wait "$p" || die "issuing a certificate failed"; done
  echo "MOOSENG_TLS_DIR=$DIR/admin-tls" >> "$ENV_FILE"
  if [ "$netns" = yes ]; then
    make_network "$(( ${rtt:-0} / 2 ))"
  fi
  [ -n "$rtt" ] && [ "$delay" = none ] && delay=relay
  echo "DELAY=$delay" >> "$ENV_FILE"
  for k in $(seq 1 $ZONES); do launch_zone "$k"; done
  for k in $(seq 1 $ZONES); do await_zone "$k"; done
  local zones=() endpoint
  for k in $(seq 1 $ZONES); do
    endpoint="$(zone_var "ZONE${k}_S3")"
    if [ "$delay" = relay ]; then
      start_relay "$k" "$(( rtt / 2 ))"
      endpoint="${endpoint%%://*}://$(zone_var "RELAY$k")"
    fi
    zones+=(--zone "zone$k=$endpoint")
  done
  # made in zone 1 only: the zones' sync agents carry the configuration to the others
  MOOSENG_TLS_DIR="$DIR/admin-tls" mooseng "" admin zonegroup create multisite --masters "$(zone_var ZONE1_MASTERS)" \
    --local zone1 "${zones[@]}" --sync-access-key "$ak"
  echo "three zones are up (logs: $DIR/zoneK.log; delay between zones: ${rtt:-0} ms round trip by $delay);"
  echo "their addresses: scripts/multisite.sh env $DIR"
}

down() {
  for k in $(seq 1 $ZONES); do
    stop_zone "$k" TERM
    [ -f "$DIR/relay$k.pid" ] && { kill "$(cat "$DIR/relay$k.pid")" 2>/dev/null || true; rm -f "$DIR/relay$k.pid"; }
  done
  [ "$(zone_var NETNS 2>/dev/null || echo none)" = yes ] && remove_network
  return 0
}

link() {  # link K up|down
  [ "$(zone_var NETNS)" = yes ] || die "cut and heal need the namespaces of 'up --rtt-ms N'"
  ip netns exec "mooseng-z$1" ip link set "mz$1-n" "$2"
}

case "$CMD" in
  up) up "$@" ;;
  env) [ -f "$ENV_FILE" ] || die "nothing started in $DIR"; grep -E '^(ZONE|MOOSENG_)' "$ENV_FILE" ;;
  down) [ -f "$ENV_FILE" ] || exit 0; down ;;
  stop) stop_zone "$(zone_number "${1:?zone}")" TERM ;;
  kill) stop_zone "$(zone_number "${1:?zone}")" KILL ;;
  start) k="$(zone_number "${1:?zone}")"; launch_zone "$k"; await_zone "$k" ;;
  cut) link "$(zone_number "${1:?zone}")" down ;;
  heal) link "$(zone_number "${1:?zone}")" up ;;
  *) usage ;;
esac
