#!/usr/bin/env bash
# HTTP load benchmark of POST /get-online-features on loopback, with the embedded store (default) or Redis
# (STORE=redis: starts a redis-server on a free port and loads the demo into it with the materialize command).
# Needs wrk (and redis-server for STORE=redis). Run from the repository root after building:
#   ./mvnw -q -pl functions/features -am package -DskipTests && functions/features/bench/http-load.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
source functions/predict/bench/common.sh
trap stop_all EXIT
PORT=${PORT:-8081}
STORE=${STORE:-embedded}
SECONDS_EACH=${SECONDS_EACH:-30}
# GZIP=1: the function compresses large answers (quiver.features.compress-large-answers), and the 100-entity call is
# also measured with Accept-Encoding: gzip
GZIP=${GZIP:-0}
# The kernel's TCP congestion control shapes the 100-entity answer (96 KB): under BBR, which paces loopback too,
# an answer handed to the kernel in one write can leave in two halves about 4 ms apart; the function writes large
# answers in 32 KB parts to avoid it (docs/performance.md, Online features).
# CC=cubic (or another allowed algorithm) sets net.ipv4.tcp_congestion_control for the run and puts the machine's
# own back on exit; it needs root. Without CC the machine's setting is used, and printed.
CC=${CC:-}
MACHINE_CC=$(sysctl -n net.ipv4.tcp_congestion_control 2>/dev/null || echo unknown)
if [ -n "$CC" ] && [ "$CC" != "$MACHINE_CC" ]; then
  sysctl -qw net.ipv4.tcp_congestion_control="$CC"
  trap 'stop_all; sysctl -qw net.ipv4.tcp_congestion_control="$MACHINE_CC"' EXIT
fi
JAR=functions/features/target/quarkus-app/quarkus-run.jar
PROPS=(-Dquiver.features.store.path="$BENCH_DIR/store")
if [ "$GZIP" = 1 ]; then PROPS+=(-Dquiver.features.compress-large-answers=true); fi
if [ "$STORE" = redis ]; then
  start_redis
  PROPS+=(-Dquiver.features.store.kind=redis -Dquiver.features.redis.uri="redis://127.0.0.1:$REDIS_PORT")
  java "${PROPS[@]}" -jar "$JAR" materialize
fi
start_function "$PORT" /q/health/ready "$JAR" "${PROPS[@]}" ${JAVA_ARGS:-}
URL="http://127.0.0.1:$PORT/get-online-features"
echo "== store: $STORE; TCP congestion control: $(sysctl -n net.ipv4.tcp_congestion_control 2>/dev/null || echo unknown); warm-up ($SECONDS_EACH s)"
wrk -t1 -c16 -d"${SECONDS_EACH}s" -s functions/features/bench/load.lua "$URL" | grep Requests/sec
echo "== throughput: 1 entity x 19 features, 16 keep-alive connections"
wrk -t1 -c16 -d"${SECONDS_EACH}s" --latency -s functions/features/bench/load.lua "$URL"
echo "== latency at a fixed 1,000 requests a second (spread over 10 connections): 1 entity x 19 features"
RATE=1000 wrk -t1 -c10 -d"${SECONDS_EACH}s" --latency -s functions/features/bench/load.lua "$URL"
# the 100-entity call runs code paths (and loop lengths) the 1-entity runs did not compile: warm it up on its own,
# as the 1-entity latency run is warmed up by the runs before it. At full speed: paced at 100 a second, its per-call
# code takes minutes to reach the JIT's thresholds (docs/performance.md, Online features).
echo "== warm-up: 100 entities x 19 features, 4 connections at full speed ($SECONDS_EACH s)"
BODY=functions/features/bench/hundred-entities.json wrk -t1 -c4 -d"${SECONDS_EACH}s" \
  -s functions/features/bench/load.lua "$URL" | grep Requests/sec
echo "== latency at a fixed 100 requests a second (1 connection): 100 entities x 19 features in one call"
RATE=100 BODY=functions/features/bench/hundred-entities.json wrk -t1 -c1 -d"${SECONDS_EACH}s" --latency \
  -s functions/features/bench/load.lua "$URL"
echo "== the same, measured by a plain keep-alive client (paced-client.py says why)"
python3 functions/features/bench/paced-client.py "$PORT" functions/features/bench/hundred-entities.json 100 "$SECONDS_EACH"
if [ "$GZIP" = 1 ]; then
  # the 96 KB answer is 5 KB gzipped, for a caller that accepts gzip (Feast's Python client does)
  echo "== the same with Accept-Encoding: gzip, wrk"
  ACCEPT_ENCODING=gzip RATE=100 BODY=functions/features/bench/hundred-entities.json wrk -t1 -c1 -d"${SECONDS_EACH}s" \
    --latency -s functions/features/bench/load.lua "$URL"
fi
