#!/usr/bin/env bash
# The four headline figures of docs/performance.md for two builds, alternated in one sitting so that both sides see
# the same machine: in-process overhead at 1 and 100 rows (JMH, service / faster raw ONNX Runtime run), single-row
# predictions/s over HTTP (wrk, 16 connections) and p99 at a fixed 1,000 requests/s.
# Usage, from the repository root (needs wrk):
#   functions/predict/bench/before-after.sh REV [pairs]
# REV is built in a temporary worktree; "after" is this working tree. Each pair runs REV first, then this tree.
set -euo pipefail
cd "$(dirname "$0")/../../.."
REV=${1:?usage: before-after.sh REV [pairs]}
PAIRS=${2:-2}
AFTER=$PWD
BEFORE=$(mktemp -d)/before
git worktree add -q --detach "$BEFORE" "$REV"
trap 'git -C "$AFTER" worktree remove --force "$BEFORE"' EXIT

# Builds the predict function's jar and writes the benchmark classpath from the reactor's own classes, so that
# nothing is installed into the local Maven repository and the two builds cannot see each other's modules.
build() {
  (cd "$1" && ./mvnw -q -o -pl functions/predict -am package -DskipTests \
    && ./mvnw -q -o -pl functions/predict -am test-compile dependency:build-classpath \
         -Dmdep.outputFile="$1/functions/predict/target/bench.cp" -Dmdep.includeScope=test)
}

overhead() { # tree rows
  local cp
  cp="$1/functions/predict/target/test-classes:$1/functions/predict/target/classes:$(cat "$1/functions/predict/target/bench.cp")"
  (cd "$1" && java -cp "$cp" -Drepo.root="$1" org.openjdk.jmh.Main \
      "PredictionBenchmark.(rawOrt|rawOrtBoth|service)\$" -p rows="$2" -f 1 -wi 3 -w 1s -i 5 -r 1s -tu us) \
    | awk '/^PredictionBenchmark/ {sub("PredictionBenchmark.", "", $1); s[$1] = $5}
           END {raw = (s["rawOrt"] < s["rawOrtBoth"]) ? s["rawOrt"] : s["rawOrtBoth"]; printf "%.2f", s["service"] / raw}'
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
