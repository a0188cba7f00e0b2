#!/usr/bin/env bash
# What the kernel asked of every FUSE filesystem while a command ran: requests by kind with
# how long each took from the kernel's send to the filesystem's reply (p50/p90/p99/mean), and
# the gap from one reply to the next request (the caller's own time and its next syscall).
# Reads the kernel's fuse:fuse_request_send/end tracepoints with perf (root; Debian: linux-perf).
#   scripts/fuse-upcalls.sh fsbench_meta rename /mnt/mooseng/bucket/dir 10000
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
command -v perf > /dev/null || { echo "perf is needed (apt-get install linux-perf)" >&2; exit 1; }
data=$(mktemp /tmp/fuse-upcalls.XXXXXX)
trap 'rm -f "$data"' EXIT
perf record -q -e fuse:fuse_request_send,fuse:fuse_request_end -a -o "$data" -- "$@"
perf script -i "$data" 2> /dev/null | python3 -c '
import re, statistics, sys
sent, took, gaps, last_end = {}, {}, [], None
for line in sys.stdin:
    m = re.search(r"\s([\d.]+):\s+fuse:fuse_request_(send|end): connection \d+ req (\d+)(?: opcode \d+ \((\w+)\))?", line)
    if not m:
        continue
    t, kind, req = float(m.group(1)) * 1e6, m.group(2), m.group(3)
    if kind == "send":
        sent[req] = (t, m.group(4))
        if last_end is not None:
            gaps.append(t - last_end)
    elif req in sent:
        t0, op = sent.pop(req)
        took.setdefault(op, []).append(t - t0)
        last_end = t
def row(name, v):
    v.sort()
    q = lambda f: v[min(len(v) - 1, int(len(v) * f))]
    print("%-16s %8d %8.0f %8.0f %8.0f %8.0f" % (name, len(v), q(0.5), q(0.9), q(0.99), statistics.mean(v)))
print("%-16s %8s %8s %8s %8s %8s" % ("request", "count", "p50 us", "p90 us", "p99 us", "mean us"))
for op, v in sorted(took.items(), key=lambda kv: -len(kv[1])):
    row(op, v)
if gaps:
    row("(reply to next)", gaps)
'
