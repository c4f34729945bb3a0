#!/usr/bin/env bash
# A long fuzzing run in one command: builds the release binary and the fuzzer, then fuzzes.
#   bash Tools/fuzz/run.sh [SECONDS] [SEED] [more slope-fuzz options...]
# defaults: an hour, seed 1, one worker per core; findings go to .build/fuzz (summary.txt lists them).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-3600}"
seed="${2:-1}"
shift $(( $# < 2 ? $# : 2 ))
swift build -c release --product slope
swift build -c release --product slope-fuzz
exec .build/release/slope-fuzz --slope .build/release/slope --seed "$seed" --time-limit "$seconds" \
    --jobs "$(nproc 2>/dev/null || echo 1)" --known Tools/fuzz/known-issues.txt --out .build/fuzz "$@"
