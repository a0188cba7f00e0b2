#!/usr/bin/env bash
# The whole test suite: installs what the tests need, builds, runs unit and integration tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/install-deps.sh" test
source "$ROOT/scripts/jdk.sh"
cd "$ROOT"
exec mvn -B verify "$@"
