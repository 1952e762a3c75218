#!/usr/bin/env bash
# HTTP load benchmark of predictions by customer id (see docs/benchmarks.md): the predict function reads the
# model's features from the online store in process, then scores. STORE=embedded (default: the demo customers are
# loaded into an empty embedded store at start) or STORE=redis (a redis-server on a free port, loaded with the
# features function's materialize command). Needs wrk (and redis-server for STORE=redis). Run from the
# repository root after building:
#   ./mvnw -q -pl functions/predict,functions/features -am package -DskipTests && functions/predict/bench/by-entity-load.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
PORT=${PORT:-8080}
STORE=${STORE:-embedded}
SECONDS_EACH=${SECONDS_EACH:-30}
DIR=$(mktemp -d)
PROPS=(-Dquarkus.http.port="$PORT" -Dquiver.store.path="$DIR/models" -Dquiver.features.store.path="$DIR/features")
PID= RPID=
cleanup() {
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
  java "${PROPS[@]}" -jar functions/features/target/quarkus-app/quarkus-run.jar materialize
fi
java "${PROPS[@]}" -jar functions/predict/target/quarkus-app/quarkus-run.jar > "$DIR/function.log" 2>&1 &
PID=$!
until curl -sf -o /dev/null "localhost:$PORT/v2/health/ready"; do sleep 0.2; done
URL="http://127.0.0.1:$PORT/predict"
echo "== store: $STORE; warm-up ($SECONDS_EACH s)"
wrk -t1 -c16 -d"${SECONDS_EACH}s" -s functions/predict/bench/by-entity.lua "$URL" | grep Requests/sec
echo "== throughput: predictions by customer id, 16 keep-alive connections"
wrk -t1 -c16 -d"${SECONDS_EACH}s" --latency -s functions/predict/bench/by-entity.lua "$URL"
echo "== latency at about 1,000 requests a second (10 connections x 100/s)"
DELAY_MS=10 wrk -t1 -c10 -d"${SECONDS_EACH}s" --latency -s functions/predict/bench/by-entity.lua "$URL"
