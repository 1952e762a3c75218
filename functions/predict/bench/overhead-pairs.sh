#!/usr/bin/env bash
# The predict service against a raw ONNX Runtime run, measured in adjacent short JMH runs so that both sides of each
# ratio see the same machine (the development VM's speed drifts by up to 30% between minutes; docs/performance.md,
# In-process overhead). The service is measured twice: on rows built as maps in Java (service), and on the same
# request read from its JSON body as the function reads it (serviceParsed, whose rows are NamedRows).
# Usage, from the repository root:
#   functions/predict/bench/overhead-pairs.sh [rows: 1 or 100] [runs]
# JVM_ARGS: options for the benchmark JVMs (both sides), e.g. the run command's collector:
#   JVM_ARGS="-XX:+UseSerialGC -Xmn256m" functions/predict/bench/overhead-pairs.sh 100 5
# TREE: measure another checkout's build (see jmh.sh).
set -euo pipefail
JMH="$(cd "$(dirname "$0")" && pwd)/jmh.sh"
ROWS=${1:-100}; RUNS=${2:-5}
JVM=()
for a in ${JVM_ARGS:-}; do JVM+=(-jvmArgsAppend "$a"); done
[ -n "${NO_BUILD:-}" ] || "$JMH" -l > /dev/null
for i in $(seq 1 "$RUNS"); do
  NO_BUILD=1 "$JMH" "PredictionBenchmark.(rawOrt|rawOrtBoth|service|serviceParsed)\$" -p rows="$ROWS" -f 1 -wi 3 -w 1s \
      -i 5 -r 1s -tu us "${JVM[@]}" \
    | awk '/^PredictionBenchmark/ {sub("PredictionBenchmark.", "", $1); s[$1] = $5}
           END {raw = (s["rawOrt"] < s["rawOrtBoth"]) ? s["rawOrt"] : s["rawOrtBoth"];
                printf "rawOrt %8.2f  rawOrtBoth %8.2f  service %8.2f  serviceParsed %8.2f  µs   " \
                       "÷ faster raw: service %.2f, serviceParsed %.2f\n", s["rawOrt"], s["rawOrtBoth"], s["service"],
                       s["serviceParsed"], s["service"] / raw, s["serviceParsed"] / raw}'
done
