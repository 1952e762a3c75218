#!/usr/bin/env bash
# HTTP load benchmark of the predict function on loopback (see docs/benchmarks.md).
# Needs wrk (apt-get install wrk). Run from the repository root after building:
#   ./mvnw -q -pl functions/predict -am package -DskipTests && functions/predict/bench/http-load.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
PORT=${PORT:-8080}
STORE=$(mktemp -d)
java -Dquarkus.http.port="$PORT" -Dquiver.store.path="$STORE" -jar functions/predict/target/quarkus-app/quarkus-run.jar \
  > "$STORE/function.log" 2>&1 &
PID=$!
trap 'kill $PID; wait $PID 2>/dev/null; rm -rf "$STORE"' EXIT
until curl -sf -o /dev/null "localhost:$PORT/v2/health/ready"; do sleep 0.2; done
URL="http://127.0.0.1:$PORT/predict"
echo "== warm-up (30 s)"
wrk -t1 -c16 -d30s -s functions/predict/bench/predict.lua "$URL" | grep Requests/sec
echo "== throughput: single-row predictions, 16 keep-alive connections, 30 s"
wrk -t1 -c16 -d30s --latency -s functions/predict/bench/predict.lua "$URL"
echo "== latency at about 1,000 requests a second (10 connections x 100/s), 60 s"
wrk -t1 -c10 -d60s --latency -s functions/predict/bench/predict-fixed-rate.lua "$URL"
