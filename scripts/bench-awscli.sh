#!/usr/bin/env bash
# awscli `cp` of one large file up and down, MooseNG and S3Proxy 4.1.0 (filesystem backend)
# side by side in one run, rounds interleaved (who goes first alternates); prints each run,
# the medians and the ratios.
#   scripts/bench-awscli.sh [SIZE_MIB] [ROUNDS]         (default 2048 MiB, 3 rounds)
# Starts `mooseng server` on a fresh folder (MOOSENG_JAVA_OPTS applies, e.g. -Xmx256m) and
# S3Proxy through ../shared/bench/s3proxy.sh; stops both at the end. Needs Debian's awscli.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE_MIB="${1:-2048}"
ROUNDS="${2:-3}"
S3PROXY="${S3PROXY_SCRIPT:-$ROOT/../shared/bench/s3proxy.sh}"
AWS=/usr/bin/aws
if [ ! -x "$AWS" ] || ! command -v bc >/dev/null; then
  apt-get update -qq >/dev/null; apt-get install -y -qq awscli bc >/dev/null
fi
work="$(mktemp -d /tmp/bench-awscli.XXXX)"
server_pid=""
cleanup() {
  # the server exits 143 on SIGTERM: no step of the cleanup may end it early
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  "$S3PROXY" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

export MOOSENG_ACCESS_KEY="bench$RANDOM$RANDOM" MOOSENG_SECRET_KEY="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
"$ROOT/mooseng" server --data "$work/data" --s3-address 127.0.0.1:19500 --raft-address 127.0.0.1:19519 \
    > "$work/server.log" 2>&1 &
server_pid=$!
"$S3PROXY" start filesystem 19580 >/dev/null
for i in $(seq 1 120); do
  curl -sf http://127.0.0.1:19500/health/ready >/dev/null && break
  sleep 1
done

head -c $((SIZE_MIB << 20)) /dev/urandom > "$work/src.bin"
awsrun() { # NAME ENDPOINT KEY SECRET args...
  local endpoint=$2 key=$3 secret=$4; shift 4
  AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null \
    "$AWS" --endpoint-url "$endpoint" s3 "$@" >/dev/null
}
# each step starts with nothing dirty: S3Proxy does not fsync, and its deferred writeback would
# otherwise land in whichever step runs next (the other server's, as often as its own)
timed() { local t0 t1; sync; t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
declare -A ep=([mooseng]=http://127.0.0.1:19500 [s3proxy]=http://127.0.0.1:19580)
declare -A ak=([mooseng]=$MOOSENG_ACCESS_KEY [s3proxy]=local-identity)
declare -A sk=([mooseng]=$MOOSENG_SECRET_KEY [s3proxy]=local-credential)
for t in mooseng s3proxy; do awsrun "$t" "${ep[$t]}" "${ak[$t]}" "${sk[$t]}" mb s3://bench-awscli; done

results="$work/results.tsv"
for r in $(seq 1 "$ROUNDS"); do
  # who goes first alternates, so that neither always runs on what the other left behind
  order="mooseng s3proxy"; [ $((r % 2)) -eq 0 ] && order="s3proxy mooseng"
  for t in $order; do
    up=$(timed awsrun "$t" "${ep[$t]}" "${ak[$t]}" "${sk[$t]}" cp --no-progress "$work/src.bin" s3://bench-awscli/big)
    down=$(timed awsrun "$t" "${ep[$t]}" "${ak[$t]}" "${sk[$t]}" cp --no-progress s3://bench-awscli/big "$work/back.bin")
    cmp -s "$work/src.bin" "$work/back.bin" || { echo "$t: downloaded copy differs" >&2; exit 1; }
    rm -f "$work/back.bin"
    printf '%s\t%s\t%.1f\t%.1f\n' "$t" "$r" "$(echo "$SIZE_MIB / $up" | bc -l)" "$(echo "$SIZE_MIB / $down" | bc -l)" | tee -a "$results"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mu=$(awk '$1=="mooseng"{print $3}' "$results" | median); md=$(awk '$1=="mooseng"{print $4}' "$results" | median)
pu=$(awk '$1=="s3proxy"{print $3}' "$results" | median); pd=$(awk '$1=="s3proxy"{print $4}' "$results" | median)
echo "== awscli cp ${SIZE_MIB} MiB, median of $ROUNDS rounds (MiB/s): MooseNG up $mu down $md; S3Proxy up $pu down $pd"
printf '== ratio MooseNG/S3Proxy: up %.2fx, down %.2fx\n' "$(echo "$mu / $pu" | bc -l)" "$(echo "$md / $pd" | bc -l)"
