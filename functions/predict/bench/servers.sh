# Starts the servers that functions/predict/bench/vs-hand-written.sh and memory-at-rate.sh compare (source it from
# the repository root; it only defines functions).
#
# servers_prepare DIR
#   Writes DIR/baseline.jvm.args: config/predict.jvm.args without Quiver's class-data archive, for the hand-written
#   server (the same JVM options for both, but the archive, which is recorded from Quiver's own jar). Sets
#   BASELINE_ARGS to its path.
# server_start WHICH WORK PORT
#   Starts WHICH on PORT with its stores emptied under WORK/store and its log in WORK/WHICH.log, and waits for its
#   first answered prediction. WHICH: quiver (the README's run command), quiver-unbatched
#   (quiver.predict.batching=false), quiver-alt (ALT_OPTS after the run command's options, from ALT_JAR when set), or
#   hand (dev.quiver.predict.bench.HandWrittenServer, with HAND_OPTS after the baseline options). Sets SERVER_PID and
#   STARTUP (ms from launch to the first answer); fails if the server exits first.
# server_stop PID

servers_prepare() {
  BASELINE_ARGS=$1/baseline.jvm.args
  grep -v '^#' config/predict.jvm.args | grep -v SharedArchiveFile | grep -v '^$' > "$BASELINE_ARGS"
}

server_start() {
  local which=$1 work=$2 port=$3
  rm -rf "$work/store"
  local t0; t0=$(date +%s%3N)
  case $which in
    quiver|quiver-unbatched|quiver-alt)
      local extra="" jar=functions/predict/target/quiver-predict-runner.jar
      [ "$which" = quiver-unbatched ] && extra=-Dquiver.predict.batching=false
      [ "$which" = quiver-alt ] && extra=${ALT_OPTS:-} && jar=${ALT_JAR:-$jar}
      # shellcheck disable=SC2086
      java @config/predict.jvm.args $extra -Dquarkus.http.port="$port" -Dquiver.store.path="$work/store/models" \
        -Dquiver.rollouts.path="$work/store/rollouts" -Dquiver.capture.path="$work/store/capture" \
        -Dquiver.features.store.path="$work/store/features" -jar "$jar" \
        > "$work/$which.log" 2>&1 &
      ;;
    hand)
      # shellcheck disable=SC2086
      java @"$BASELINE_ARGS" ${HAND_OPTS:-} \
        -cp "functions/predict/target/test-classes:functions/predict/target/classes:$(cat functions/predict/target/bench.cp)" \
        dev.quiver.predict.bench.HandWrittenServer "$port" config/models/churn/1 > "$work/$which.log" 2>&1 &
      ;;
    *) echo "unknown server: $which" >&2; return 1 ;;
  esac
  SERVER_PID=$!
  until curl -sf -o "$work/first.json" -H 'Content-Type: application/json' -d @functions/predict/bench/one-row.json \
      "http://127.0.0.1:$port/predict"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$which exited; its log:" >&2; tail -20 "$work/$which.log" >&2; return 1; }
    sleep 0.01
  done
  STARTUP=$(( $(date +%s%3N) - t0 ))
}

server_stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
