#!/usr/bin/env bash
# The features function's POST /get-online-features on Redis against the raw Redis reads behind it
# (dev.quiver.features.bench.RawRedisHmget: the same pipelined HMGETs of the same keys and fields, sent on one
# connection of the Vert.x Redis client), on the same redis-server, in one sitting, alternating run by run.
# Needs wrk and redis-server. From the repository root:
#   functions/features/bench/vs-raw-redis.sh                  # 3 rounds of 20 s runs
#   ROUNDS=5 SECONDS_EACH=30 functions/features/bench/vs-raw-redis.sh
# Each round: Quiver at 1,000 requests/s with 1 entity x 19 features (wrk, 10 connections, as http-load.sh), the raw
# reads at 1,000/s, Quiver with 100 entities at 100/s (wrk, 1 connection, as http-load.sh), the raw reads at 100/s; each
# run after a warm-up of WARMUP s at full speed. The function runs with JAVA_ARGS (default: the standard run's
# -XX:+UseSerialGC -Xmn256m), capture, metrics, tracing, timeouts and the circuit breaker as configured by default;
# the raw client runs with the same JVM options. It prints every run, then the medians, spreads and ratios of p50, p99
# and p99.9. The raw client's figures are given twice: from the moment its event loop sends a call, as wrk times the
# HTTP call (from its write of the request), and from the call's slot in the schedule (coordinated omission
# corrected; it includes the hand-off from the pacing thread to the loop). NO_BUILD=1 skips the build.
# HAND=1 also times, in each round's 1-entity part and with the same wrk run, two hand-written Vert.x servers
# (dev.quiver.features.bench.HandWrittenFeatures, same JVM options, as many event loops as Quarkus): one that answers
# the function's own answer bytes at once (the HTTP hop alone), one that first sends the same HMGETs on its loop's
# connection (the HTTP hop and the reads, without the function's parsing, checks, answer building and observability).
# ALT_ARGS="<JVM options>" adds a second function, started with JAVA_ARGS and then these, timed in every round right
# after the first: an A/B of a setting in the same sitting (the ratios stay those of the first).
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS=${ROUNDS:-3}
SECONDS_EACH=${SECONDS_EACH:-20}
WARMUP=${WARMUP:-5}
PORT=${PORT:-8081}
JAVA_ARGS=${JAVA_ARGS:--XX:+UseSerialGC -Xmn256m}
BENCH=functions/features/bench
if [ -z "${NO_BUILD:-}" ]; then
  ./mvnw -q -o -pl functions/features -am package test-compile dependency:build-classpath -DskipTests \
    -Djacoco.skip=true -Dmdep.outputFile="$PWD/functions/features/target/bench.cp" -Dmdep.includeScope=test
fi
source functions/predict/bench/common.sh
EXTRA_PIDS=() # the second function and the hand-written servers
cleanup() {
  for p in "${EXTRA_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  stop_all
}
trap cleanup EXIT
JAR=functions/features/target/quarkus-app/quarkus-run.jar
CP="functions/features/target/test-classes:functions/features/target/classes:$(cat functions/features/target/bench.cp)"

start_redis
PROPS=(-Dquiver.features.store.path="$BENCH_DIR/store" -Dquiver.features.store.kind=redis
  -Dquiver.features.redis.uri="redis://127.0.0.1:$REDIS_PORT")
java "${PROPS[@]}" -jar "$JAR" materialize > "$BENCH_DIR/materialize.log" 2>&1 || { cat "$BENCH_DIR/materialize.log"; exit 1; }
# shellcheck disable=SC2086
start_function "$PORT" /q/health/ready "$JAR" "${PROPS[@]}" $JAVA_ARGS
URL="http://127.0.0.1:$PORT/get-online-features"
ALT_ARGS=${ALT_ARGS:-}
ALT_URL="http://127.0.0.1:$((PORT + 10))/get-online-features"
if [ -n "$ALT_ARGS" ]; then
  main_pid=$FUNCTION_PID
  # shellcheck disable=SC2086
  start_function "$((PORT + 10))" /q/health/ready "$JAR" "${PROPS[@]}" $JAVA_ARGS $ALT_ARGS
  EXTRA_PIDS+=("$FUNCTION_PID")
  FUNCTION_PID=$main_pid
  wrk -t1 -c16 -d"${SECONDS_EACH}s" -s "$BENCH/load.lua" "$ALT_URL" > /dev/null
  BODY="$BENCH/hundred-entities.json" wrk -t1 -c4 -d"${SECONDS_EACH}s" -s "$BENCH/load.lua" "$ALT_URL" > /dev/null
  echo "== the second function (quiver-alt) adds: $ALT_ARGS"
fi
echo "== redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), TCP congestion control: $(sysctl -n net.ipv4.tcp_congestion_control 2>/dev/null || echo unknown), JVM options: $JAVA_ARGS"
HAND=${HAND:-0}
if [ "$HAND" = 1 ]; then
  curl -sf -H 'Content-Type: application/json' -d @"$BENCH/one-entity.json" "$URL" > "$BENCH_DIR/answer-1.json"
  for which in http-only hand; do
    port=$((PORT + 1)); [ "$which" = hand ] && port=$((PORT + 2))
    redis=none; [ "$which" = hand ] && redis="redis://127.0.0.1:$REDIS_PORT"
    # shellcheck disable=SC2086
    java $JAVA_ARGS -cp "$CP" dev.quiver.features.bench.HandWrittenFeatures "$port" "$redis" \
      "$BENCH/one-entity.json" "$BENCH_DIR/answer-1.json" > "$BENCH_DIR/$which.log" 2>&1 &
    EXTRA_PIDS+=($!)
    # --data-binary: the server matches the body byte for byte, and -d would drop its newline
    tries=0
    until curl -sf -o /dev/null --data-binary @"$BENCH/one-entity.json" "http://127.0.0.1:$port/get-online-features"; do
      tries=$((tries + 1))
      if [ "$tries" -gt 150 ]; then echo "$which did not answer; its log:" >&2; cat "$BENCH_DIR/$which.log" >&2; exit 1; fi
      sleep 0.2
    done
    wrk -t1 -c16 -d"${SECONDS_EACH}s" -s "$BENCH/load.lua" "http://127.0.0.1:$port/get-online-features" > /dev/null
  done
fi
# the function's first warm-up, as http-load.sh's runs before its paced ones
wrk -t1 -c16 -d"${SECONDS_EACH}s" -s "$BENCH/load.lua" "$URL" > /dev/null
BODY="$BENCH/hundred-entities.json" wrk -t1 -c4 -d"${SECONDS_EACH}s" -s "$BENCH/load.lua" "$URL" > /dev/null

quiver() { # BODY RATE CONNECTIONS WARM_CONNECTIONS [URL]: the paced wrk run of http-load.sh, after a full-speed warm-up
  BODY=$1 wrk -t1 -c"$4" -d"${WARMUP}s" -s "$BENCH/load.lua" "${5:-$URL}" > /dev/null
  RATE=$2 BODY=$1 wrk -t1 -c"$3" -d"${SECONDS_EACH}s" --latency -s "$BENCH/load.lua" "${5:-$URL}" | grep '^requests'
}
raw() { # BODY RATE: the raw client, after its own full-speed warm-up; prints its line from the send, then from the slot
  # shellcheck disable=SC2086
  java $JAVA_ARGS -cp "$CP" dev.quiver.features.bench.RawRedisHmget "redis://127.0.0.1:$REDIS_PORT" "$1" "$2" \
    "$SECONDS_EACH" "$WARMUP" > "$BENCH_DIR/raw.out"
  sed -n 's/^from the send: //p' "$BENCH_DIR/raw.out"
  grep '^requests' "$BENCH_DIR/raw.out"
}
figures() { # a pace.lua line: p50 p99 p99.9
  sed 's/.*p50 \([0-9.]*\) ms.*p99 \([0-9.]*\) ms.*p99.9 \([0-9.]*\) ms.*/\1\t\2\t\3/'
}

RESULTS="$BENCH_DIR/results.tsv"
: > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for call in "1 $BENCH/one-entity.json 1000 10 16" "100 $BENCH/hundred-entities.json 100 1 4"; do
    read -r entities body rate connections warm <<< "$call"
    line=$(quiver "$body" "$rate" "$connections" "$warm")
    echo "round $round, $entities entities at $rate/s, quiver: $line"
    printf '%s\t%s\tquiver\t%s\n' "$round" "$entities" "$(echo "$line" | figures)" >> "$RESULTS"
    if [ -n "$ALT_ARGS" ]; then
      line=$(quiver "$body" "$rate" "$connections" "$warm" "$ALT_URL")
      echo "round $round, $entities entities at $rate/s, quiver-alt: $line"
      printf '%s\t%s\tquiver-alt\t%s\n' "$round" "$entities" "$(echo "$line" | figures)" >> "$RESULTS"
    fi
    lines=$(raw "$body" "$rate")
    echo "round $round, $entities entities at $rate/s, raw from the send: $(echo "$lines" | sed -n 1p)"
    echo "round $round, $entities entities at $rate/s, raw from the slot: $(echo "$lines" | sed -n 2p)"
    printf '%s\t%s\traw-send\t%s\n' "$round" "$entities" "$(echo "$lines" | sed -n 1p | figures)" >> "$RESULTS"
    printf '%s\t%s\traw-slot\t%s\n' "$round" "$entities" "$(echo "$lines" | sed -n 2p | figures)" >> "$RESULTS"
    if [ "$HAND" = 1 ] && [ "$entities" = 1 ]; then
      for i in 0 1; do
        which=http-only; [ "$i" = 1 ] && which=hand
        line=$(quiver "$body" "$rate" "$connections" "$warm" "http://127.0.0.1:$((PORT + i + 1))/get-online-features")
        echo "round $round, $entities entities at $rate/s, $which: $line"
        printf '%s\t%s\t%s\t%s\n' "$round" "$entities" "$which" "$(echo "$line" | figures)" >> "$RESULTS"
      done
    fi
  done
done

python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in rows:
    by.setdefault((r[1], r[2]), []).append([float(v) for v in r[3:6]])
def med(k, i):
    return statistics.median(v[i] for v in by[k])
def cell(k, i):
    vs = sorted(v[i] for v in by[k])
    return f"{med(k, i):.2f} ({vs[0]:.2f}-{vs[-1]:.2f})"
n = len(by[("1", "quiver")])
print(f"\n== medians of {n} rounds, ms (spread in brackets); ratio = Quiver / raw")
print("| call | figure | Quiver | raw, from the send | raw, from the slot | ratio (send) | ratio (slot) |")
print("|---|---|---|---|---|---|---|")
for entities, what in (("1", "1 entity at 1,000/s"), ("100", "100 entities at 100/s")):
    for i, figure in enumerate(("p50", "p99", "p99.9")):
        q, s, t = ((entities, w) for w in ("quiver", "raw-send", "raw-slot"))
        print(f"| {what} | {figure} | {cell(q, i)} | {cell(s, i)} | {cell(t, i)} | "
              f"{med(q, i) / med(s, i):.2f} | {med(q, i) / med(t, i):.2f} |")
if ("1", "quiver-alt") in by:
    print("\n== A/B: the second function (ALT_ARGS) against the first, ms; ratio = alt / first")
    print("| call | figure | Quiver | Quiver-alt | ratio |")
    print("|---|---|---|---|---|")
    for entities, what in (("1", "1 entity at 1,000/s"), ("100", "100 entities at 100/s")):
        for i, figure in enumerate(("p50", "p99", "p99.9")):
            q, a = (entities, "quiver"), (entities, "quiver-alt")
            print(f"| {what} | {figure} | {cell(q, i)} | {cell(a, i)} | {med(a, i) / med(q, i):.2f} |")
if ("1", "hand") in by:
    print("\n== the 1-entity call against hand-written HTTP servers (HAND=1), ms; ratio = server / raw from the send")
    print("| figure | HTTP hop alone | HTTP hop + HMGETs | Quiver | raw, from the send |")
    print("|---|---|---|---|---|")
    for i, figure in enumerate(("p50", "p99", "p99.9")):
        cells = [f"{cell(('1', w), i)} [{med(('1', w), i) / med(('1', 'raw-send'), i):.2f}]"
                 for w in ("http-only", "hand", "quiver")]
        print(f"| {figure} | " + " | ".join(cells) + f" | {cell(('1', 'raw-send'), i)} |")
PY
