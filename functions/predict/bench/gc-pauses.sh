#!/usr/bin/env bash
# The collector's pauses under a fixed rate (docs/performance.md, "Against a hand-written server"): starts the predict
# function with the run command's options and the ones given, on empty stores, 10 s at full speed, then SECONDS_AT_RATE
# (default 60) of single-row predictions at 1,000/s; prints that run's latency percentiles, the resident memory after
# it, and the young collections' pauses during it (count, median, longest), from -Xlog:gc.
# Needs wrk. From the repository root, after ./mvnw -q -pl functions/predict -am package -DskipTests:
#   functions/predict/bench/gc-pauses.sh                                      # the run command
#   functions/predict/bench/gc-pauses.sh "-Dquiver.capture.enabled=false"    # an A/B: alternate the two by hand
set -euo pipefail
cd "$(dirname "$0")/../../.."
source functions/predict/bench/common.sh
trap stop_all EXIT
PORT=${PORT:-18391}
# shellcheck disable=SC2046,SC2086
start_function "$PORT" /v2/health/ready functions/predict/target/quiver-predict-runner.jar @config/predict.jvm.args \
  ${1:-} -Xlog:gc:file="$BENCH_DIR/gc.log":uptime $(predict_stores "$BENCH_DIR")
URL="http://127.0.0.1:$PORT/predict"
wrk -t1 -c16 -d10s -s functions/predict/bench/predict.lua "$URL" > /dev/null
echo MARK >> "$BENCH_DIR/gc.log"
wrk -t1 -c10 -d"${SECONDS_AT_RATE:-60}s" -s functions/predict/bench/predict-fixed-rate.lua "$URL" | grep '^requests'
awk '/^VmRSS/ { printf "resident %.0f MB\n", $2 / 1024 }' "/proc/$FUNCTION_PID/status"
awk '/MARK/ { at = 1; next } at && /Pause Young/ { sub("ms", "", $NF); print $NF }' "$BENCH_DIR/gc.log" | sort -n \
  | awk '{ p[NR] = $1 } END { if (NR) printf "young pauses at 1,000/s: %d, median %.2f ms, longest %.2f ms\n", NR, p[int((NR + 1) / 2)], p[NR]; else print "no young pause at 1,000/s" }'
