#!/usr/bin/env bash
# HTTP load benchmark of POST /get-online-features on loopback, with the embedded store (default) or Redis
# (STORE=redis: starts a redis-server on a free port and loads the demo into it with the materialize command).
# Needs wrk (and redis-server for STORE=redis). Run from the repository root after building:
#   ./mvnw -q -pl functions/features -am package -DskipTests && functions/features/bench/http-load.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
PORT=${PORT:-8081}
STORE=${STORE:-embedded}
SECONDS_EACH=${SECONDS_EACH:-30}
DIR=$(mktemp -d)
JAR=functions/features/target/quarkus-app/quarkus-run.jar
PROPS=(-Dquarkus.http.port="$PORT" -Dquiver.features.store.path="$DIR/store")
PID= RPID=
cleanup() {
  # the function exits 143 on SIGTERM: '|| true' keeps errexit from ending the cleanup early
  if [ -n "$PID" ]; then kill "$PID" || true; wait "$PID" 2>/dev/null || true; fi
  if [ -n "$RPID" ]; then kill "$RPID" || true; fi
  rm -rf "$DIR"
}
trap cleanup EXIT
if [ "$STORE" = redis ]; then
  RPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no > "$DIR/redis.log" 2>&1 &
  RPID=$!
  until redis-cli -p "$RPORT" ping > /dev/null 2>&1; do sleep 0.1; done
  PROPS+=(-Dquiver.features.store.kind=redis -Dquiver.features.redis.uri="redis://127.0.0.1:$RPORT")
  java "${PROPS[@]}" -jar "$JAR" materialize
fi
java "${PROPS[@]}" -jar "$JAR" > "$DIR/function.log" 2>&1 &
PID=$!
until curl -sf -o /dev/null "localhost:$PORT/q/health/ready"; do sleep 0.2; done
URL="http://127.0.0.1:$PORT/get-online-features"
echo "== store: $STORE; warm-up ($SECONDS_EACH s)"
wrk -t1 -c16 -d"${SECONDS_EACH}s" -s functions/features/bench/load.lua "$URL" | grep Requests/sec
echo "== throughput: 1 entity x 19 features, 16 keep-alive connections"
wrk -t1 -c16 -d"${SECONDS_EACH}s" --latency -s functions/features/bench/load.lua "$URL"
echo "== latency at about 1,000 requests a second (10 connections x 100/s): 1 entity x 19 features"
DELAY_MS=10 wrk -t1 -c10 -d"${SECONDS_EACH}s" --latency -s functions/features/bench/load.lua "$URL"
echo "== latency at about 100 requests a second (1 connection): 100 entities x 19 features in one call"
DELAY_MS=10 BODY=functions/features/bench/hundred-entities.json wrk -t1 -c1 -d"${SECONDS_EACH}s" --latency \
  -s functions/features/bench/load.lua "$URL"
