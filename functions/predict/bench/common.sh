# Shared by the load scripts under functions/*/bench (source it; it defines functions and sets nothing else).
#
# start_function PORT READY_PATH JAR [java args...]
#   Refuses a port that something already listens on (a leftover server there would be measured instead of the
#   build under test), starts the jar in the background with its log in $BENCH_DIR/function.log, and waits until
#   READY_PATH answers 200. Fails if the process exits first or is not ready within 60 s. Sets FUNCTION_PID.
# predict_stores DIR
#   Prints the options that keep the predict function's stores (models, rollouts, capture, online features) under DIR,
#   for a start on empty stores that leaves nothing behind: start_function ... $(predict_stores "$BENCH_DIR").
# start_redis
#   Starts a redis-server without persistence on a free loopback port. Sets REDIS_PORT and REDIS_PID.
# stop_all
#   Stops what the two above started and removes $BENCH_DIR; meant for `trap stop_all EXIT`.

BENCH_DIR=${BENCH_DIR:-$(mktemp -d)}
FUNCTION_PID=
REDIS_PID=

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_function() {
  local port=$1 ready=$2 jar=$3
  shift 3
  if port_in_use "$port"; then
    echo "port $port is already in use: stop what listens there, or set PORT" >&2
    return 1
  fi
  java -Dquarkus.http.port="$port" "$@" -jar "$jar" > "$BENCH_DIR/function.log" 2>&1 &
  FUNCTION_PID=$!
  local waited=0
  until curl -sf -o /dev/null "http://127.0.0.1:$port$ready"; do
    if ! kill -0 "$FUNCTION_PID" 2>/dev/null; then
      echo "the function exited before it was ready; its log:" >&2
      tail -20 "$BENCH_DIR/function.log" >&2
      FUNCTION_PID=
      return 1
    fi
    waited=$((waited + 1))
    if [ "$waited" -gt 300 ]; then echo "not ready after 60 s" >&2; return 1; fi
    sleep 0.2
  done
}

predict_stores() {
  echo "-Dquiver.store.path=$1/models -Dquiver.rollouts.path=$1/rollouts -Dquiver.capture.path=$1/capture" \
    "-Dquiver.features.store.path=$1/features"
}

start_redis() {
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no > "$BENCH_DIR/redis.log" 2>&1 &
  REDIS_PID=$!
  until redis-cli -p "$REDIS_PORT" ping > /dev/null 2>&1; do sleep 0.1; done
}

stop_all() {
  # the function exits 143 on SIGTERM: '|| true' keeps errexit from ending the cleanup early
  if [ -n "$FUNCTION_PID" ]; then kill "$FUNCTION_PID" || true; wait "$FUNCTION_PID" 2>/dev/null || true; fi
  if [ -n "$REDIS_PID" ]; then kill "$REDIS_PID" || true; wait "$REDIS_PID" 2>/dev/null || true; fi
  rm -rf "$BENCH_DIR"
}
