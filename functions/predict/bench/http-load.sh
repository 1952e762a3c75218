#!/usr/bin/env bash
# HTTP load benchmark of the predict function on loopback (see docs/performance.md).
# Needs wrk (apt-get install wrk). Run from the repository root after building:
#   ./mvnw -q -pl functions/predict -am package -DskipTests && functions/predict/bench/http-load.sh
# The function starts as the README's run command starts it, with @config/predict.jvm.args (JVM_ARGS_FILE= starts it
# without). JAVA_ARGS adds JVM options, e.g. JAVA_ARGS=-Dquiver.predict.batching=false to score each call on its own.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source functions/predict/bench/common.sh
trap stop_all EXIT
PORT=${PORT:-8080}
# shellcheck disable=SC2046,SC2086
start_function "$PORT" /v2/health/ready functions/predict/target/quiver-predict-runner.jar ${JVM_ARGS_FILE-@config/predict.jvm.args} \
  $(predict_stores "$BENCH_DIR") ${JAVA_ARGS:-}
URL="http://127.0.0.1:$PORT/predict"
WARMUP=${WARMUP:-30}
echo "== warm-up ($WARMUP s)"
wrk -t1 -c16 -d"${WARMUP}s" -s functions/predict/bench/predict.lua "$URL" | grep Requests/sec
echo "== throughput: single-row predictions, 16 keep-alive connections, 30 s"
wrk -t1 -c16 -d30s --latency -s functions/predict/bench/predict.lua "$URL"
echo "== latency at a fixed 1,000 requests a second (spread over 10 connections), 60 s"
wrk -t1 -c10 -d60s --latency -s functions/predict/bench/predict-fixed-rate.lua "$URL"
