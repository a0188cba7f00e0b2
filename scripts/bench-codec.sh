#!/usr/bin/env bash
# Runs the Reed-Solomon codec JMH benchmark of cluster-core (no fat jar needed) and
# prints throughput in MB/s of data. Arguments go to JMH, e.g. a short run:
#   scripts/bench-codec.sh -f 1 -wi 2 -i 3 -w 1 -r 2
# Set MVN_FLAGS= to allow Maven online (default: offline).
set -euo pipefail
cd "$(dirname "$0")/.."
MVN_FLAGS=${MVN_FLAGS--o}
CP_FILE="$PWD/cluster-core/target/bench-classpath.txt"

mvn -B -q $MVN_FLAGS -pl cluster-core test-compile
mvn -B -q $MVN_FLAGS -pl cluster-core dependency:build-classpath \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
exec java -cp "$(cat "$CP_FILE"):cluster-core/target/classes:cluster-core/target/test-classes" \
    io.mooseng.core.chunk.ec.ReedSolomonBenchmark "$@"
