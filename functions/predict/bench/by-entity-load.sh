#!/usr/bin/env bash
# HTTP load benchmark of predictions by customer id (see docs/performance.md, Online features): the predict function reads the
# model's features from the online store in process, then scores. STORE=embedded (default: the demo customers are
# loaded into an empty embedded store at start) or STORE=redis (a redis-server on a free port, loaded with the
# features function's materialize command). Needs wrk (and redis-server for STORE=redis). Run from the
# repository root after building:
#   ./mvnw -q -pl functions/predict,functions/features -am package -DskipTests && functions/predict/bench/by-entity-load.sh
# The function starts with @config/predict.jvm.args, as the README's run command does (JVM_ARGS_FILE= starts it
# without). JAVA_ARGS adds JVM options, e.g. JAVA_ARGS=-Dquiver.predict.batching=false.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source functions/predict/bench/common.sh
trap stop_all EXIT
PORT=${PORT:-8080}
STORE=${STORE:-embedded}
SECONDS_EACH=${SECONDS_EACH:-30}
PROPS=(-Dquiver.store.path="$BENCH_DIR/models" -Dquiver.rollouts.path="$BENCH_DIR/rollouts"
  -Dquiver.capture.path="$BENCH_DIR/capture" -Dquiver.features.store.path="$BENCH_DIR/features")
if [ "$STORE" = redis ]; then
  start_redis
  PROPS+=(-Dquiver.features.store.kind=redis -Dquiver.features.redis.uri="redis://127.0.0.1:$REDIS_PORT")
  java "${PROPS[@]}" -jar functions/features/target/quarkus-app/quarkus-run.jar materialize
fi
start_function "$PORT" /v2/health/ready functions/predict/target/quiver-predict-runner.jar ${JVM_ARGS_FILE-@config/predict.jvm.args} \
  "${PROPS[@]}" ${JAVA_ARGS:-}
URL="http://127.0.0.1:$PORT/predict"
echo "== store: $STORE; warm-up ($SECONDS_EACH s)"
wrk -t1 -c16 -d"${SECONDS_EACH}s" -s functions/predict/bench/by-entity.lua "$URL" | grep Requests/sec
echo "== throughput: predictions by customer id, 16 keep-alive connections"
wrk -t1 -c16 -d"${SECONDS_EACH}s" --latency -s functions/predict/bench/by-entity.lua "$URL"
echo "== latency at a fixed 1,000 requests a second (spread over 10 connections)"
RATE=1000 wrk -t1 -c10 -d"${SECONDS_EACH}s" --latency -s functions/predict/bench/by-entity.lua "$URL"
