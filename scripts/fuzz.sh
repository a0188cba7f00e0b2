#!/usr/bin/env bash
# Runs the parsers' fuzz tests (*FuzzTest in s3-gateway and chunkserver: request parsing, SigV4
# and SigV2, aws-chunked, XML documents, header parsers, the shard frame decoder) for longer than
# CI does: MINUTES (default 10) shared evenly by the properties, each from a random start, so
# every run explores new inputs. A failure names the seed that replays it:
#   mvn -pl s3-gateway test -Dtest=AwsChunkedDecoderFuzzTest -Dmooseng.fuzz.seed=SEED
# Usage: scripts/fuzz.sh [MINUTES]. Set MVN_FLAGS (default: offline, -o) for other Maven flags.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN_FLAGS=${MVN_FLAGS--o}
source scripts/jdk.sh
minutes=${1:-10}
properties=$(grep -rhoE 'Fuzz\.check\(' s3-gateway/src/test chunkserver/src/test | wc -l)
seconds=$(( minutes * 60 / properties > 0 ? minutes * 60 / properties : 1 ))
echo "fuzzing $properties properties for $seconds s each" >&2
mvn -B -q $MVN_FLAGS -pl cluster-core install -DskipTests
mvn -B $MVN_FLAGS -pl s3-gateway,chunkserver test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dmooseng.fuzz.seconds="$seconds" -Djunit.timeout="$(( seconds * 2 + 120 )) s"
