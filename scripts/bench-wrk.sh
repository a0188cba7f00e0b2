#!/usr/bin/env bash
# 4 KiB PUT and GET through wrk (a C load generator that costs little CPU) over presigned
# URLs, against a running `mooseng server`. Usage:
#   MOOSENG_ACCESS_KEY=... MOOSENG_SECRET_KEY=... scripts/bench-wrk.sh [ENDPOINT] [SECONDS] [CONNECTIONS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENDPOINT="${1:-http://127.0.0.1:9000}"
SECONDS_RUN="${2:-15}"
CONNS="${3:-16}"
SIZE="${SIZE:-4096}"
KEYS="${KEYS:-20000}"
command -v wrk >/dev/null || { apt-get update -qq >/dev/null; apt-get install -y -qq wrk >/dev/null; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
bucket="wrk-$(date +%s)"
run() { "$ROOT/mooseng" bench presign --endpoint "$ENDPOINT" --bucket "$bucket" --count "$KEYS" "$@"; }
# the bucket itself: a presigned PUT on the bucket path
"$ROOT/mooseng" bench presign --endpoint "$ENDPOINT" --bucket "$bucket" --bucket-only --method PUT > "$work/mb"
curl -sf -X PUT "$ENDPOINT$(cat "$work/mb")" >/dev/null
run --method PUT > "$work/put"
run --method GET > "$work/get"
echo "== PUT ${SIZE} B, $CONNS connections, ${SECONDS_RUN}s"
URLS="$work/put" METHOD=PUT SIZE="$SIZE" THREADS=2 wrk -t2 -c"$CONNS" -d"${SECONDS_RUN}s" --latency \
  -s "$ROOT/scripts/wrk-presigned.lua" "$ENDPOINT" | tee "$work/put.out"
# GET only keys the PUT run wrote: its threads wrote the list's first N paths (N ~ requests;
# 90% of it leaves room for the threads' uneven progress), except each thread's first path,
# which wrk takes for its static-request probe and never sends
written="$(sed -n 's/^requests \([0-9]*\),.*/\1/p' "$work/put.out")"
present=$(( written * 9 / 10 < KEYS ? written * 9 / 10 : KEYS ))
[ "$present" -gt 0 ] || { echo "bench-wrk: the PUT run wrote nothing" >&2; exit 1; }
head -n "$present" "$work/get" | tail -n +3 > "$work/get-present"
echo "== GET ${SIZE} B, $CONNS connections, ${SECONDS_RUN}s, over $((present - 2)) keys written"
URLS="$work/get-present" METHOD=GET THREADS=2 wrk -t2 -c"$CONNS" -d"${SECONDS_RUN}s" --latency \
  -s "$ROOT/scripts/wrk-presigned.lua" "$ENDPOINT"
