#!/usr/bin/env bash
# The four headline figures of docs/performance.md for two builds, alternated in one sitting so that both sides see
# the same machine: in-process overhead at 1 and 100 rows (JMH, service / faster raw ONNX Runtime run), single-row
# predictions/s over HTTP (wrk, 16 connections) and p99 at a fixed 1,000 requests/s.
# Usage, from the repository root (needs wrk):
#   functions/predict/bench/before-after.sh REV [pairs]
# REV is built in a temporary worktree; "after" is this working tree. Each pair measures REV first, then this tree.
set -euo pipefail
cd "$(dirname "$0")/../../.."
REV=${1:?usage: before-after.sh REV [pairs]}
PAIRS=${2:-2}
AFTER=$PWD
BENCH=$AFTER/functions/predict/bench
BEFORE=$(mktemp -d)/before
git worktree add -q --detach "$BEFORE" "$REV"
trap 'git -C "$AFTER" worktree remove --force "$BEFORE"' EXIT

build() {
  (cd "$1" && ./mvnw -q -o -pl functions/predict -am package -DskipTests) >&2
  TREE=$1 "$BENCH/jmh.sh" -l > /dev/null
}

overhead() { # tree rows
  TREE=$1 NO_BUILD=1 "$BENCH/overhead-pairs.sh" "$2" 1 | sed 's/.*= //'
}

http() { # tree -> "requests/s p99"
  "$1/functions/predict/bench/http-load.sh" 2>&1 | awk '
    /^== throughput/ {part = "t"} /^== latency/ {part = "l"}
    part == "t" && /^Requests\/sec/ {rps = $2}
    part == "l" && $1 == "99%" {p99 = $2}
    END {printf "%.0f %s", rps, p99}'
}

build "$BEFORE"
build "$AFTER"
echo "pair side    overhead@1 overhead@100 requests/s p99@1000/s"
for i in $(seq 1 "$PAIRS"); do
  for side in before after; do
    tree=$BEFORE; [ "$side" = after ] && tree=$AFTER
    printf "%-4s %-7s %10s %12s %s\n" "$i" "$side" "$(overhead "$tree" 1)" "$(overhead "$tree" 100)" "$(http "$tree")"
  done
done
