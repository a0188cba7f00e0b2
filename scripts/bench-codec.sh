#!/usr/bin/env bash
# Runs the Reed-Solomon codec JMH benchmark of cluster-core (no fat jar needed) on every
# erasure-coding kernel available here, and in the same invocation ISA-L's own C loop on the
# same work (scripts/isal-bench.c; installs gcc and libisal-dev where apt can, else Java figures only). Prints
# MB/s of data (k x 1 MiB coded per operation, MB = 10^6 bytes) side by side with the ratio.
# Arguments go to JMH, e.g. a short run:
#   scripts/bench-codec.sh -f 1 -wi 2 -i 3 -w 1 -r 1
# Set MVN_FLAGS= to allow Maven online (default: offline).
set -euo pipefail
cd "$(dirname "$0")/.."
MVN_FLAGS=${MVN_FLAGS--o}
source scripts/jdk.sh
CP_FILE="$PWD/cluster-core/target/bench-classpath.txt"
C_BENCH="$PWD/cluster-core/target/isal-bench"
C_RESULTS="$PWD/cluster-core/target/isal-bench.txt"

mvn -B -q $MVN_FLAGS -pl cluster-core test-compile
mvn -B -q $MVN_FLAGS -pl cluster-core dependency:build-classpath \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
: > "$C_RESULTS"
# the C reference needs ISA-L's headers (the runtime library alone is what the server uses)
[ -f /usr/include/isa-l/erasure_code.h ] && command -v gcc >/dev/null || \
  { apt-get update -qq >/dev/null && apt-get install -y -qq gcc libisal-dev >/dev/null; } || true
if gcc -O2 -Wall -o "$C_BENCH" scripts/isal-bench.c -lisal; then
  echo "isa-l C loop, MB/s of data:"
  "$C_BENCH" | tee "$C_RESULTS"
else
  echo "bench-codec: scripts/isal-bench.c not built (needs gcc and libisal-dev); Java figures only" >&2
fi
exec "$MOOSENG_JDK/bin/java" $MOOSENG_JVM_FLAGS -Dmooseng.bench.isal-c="$C_RESULTS" \
    -cp "$(cat "$CP_FILE"):cluster-core/target/classes:cluster-core/target/test-classes" \
    io.mooseng.core.chunk.ec.ReedSolomonBenchmark "$@"
