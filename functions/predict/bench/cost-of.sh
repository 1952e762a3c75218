#!/usr/bin/env bash
# What each part of a prediction's path costs (docs/performance.md, "Against a hand-written server"): CPU per
# single-row request at full speed of the README's run command against the same with one part switched off at run
# time, or against another build of the function, alternated round by round in one sitting.
# Needs wrk. From the repository root, after the build vs-hand-written.sh makes:
#   functions/predict/bench/cost-of.sh [rounds, default 3]
#   PARTS="capture=-Dquiver.capture.enabled=false;http-span=-Dquarkus.otel.instrument.vertx-http=false" \
#     functions/predict/bench/cost-of.sh
#   REV=HEAD~1 PARTS= BATCHING="false true" functions/predict/bench/cost-of.sh   # this build against HEAD~1's
# PARTS: name=JVM options pairs, separated by ';'; the run command's configuration is always measured as "all on".
# REV: a revision, built in a temporary worktree and measured as one more part, named after it.
# BATCHING: the values of quiver.predict.batching to measure, each with every part (default false).
# "saved" is what a request costs with everything on less what it costs with the part off (or in the build at REV):
# negative where that costs more.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS=${1:-3}
WARMUP=${WARMUP:-15}
DURATION=${DURATION:-15}
PORT=${PORT:-18290}
BENCH=functions/predict/bench
DEFAULT_PARTS="http-span=-Dquarkus.otel.instrument.vertx-http=false"
DEFAULT_PARTS+=";tracing=-Dquarkus.otel.sdk.disabled=true"
DEFAULT_PARTS+=";capture=-Dquiver.capture.enabled=false"
DEFAULT_PARTS+=";tracing and capture=-Dquarkus.otel.sdk.disabled=true -Dquiver.capture.enabled=false"
WORK=$(mktemp -d)
PID=
TREE=
cleanup() {
  [ -z "$PID" ] || server_stop "$PID"
  [ -z "$TREE" ] || git worktree remove --force "$TREE"
  rm -rf "$WORK"
}
trap cleanup EXIT
source "$BENCH/servers.sh"

parts=("all on=")
if [ -n "${PARTS-$DEFAULT_PARTS}" ]; then
  IFS=';' read -r -a more <<< "${PARTS-$DEFAULT_PARTS}"
  parts+=("${more[@]}")
fi
if [ -n "${REV:-}" ]; then
  TREE=$WORK/rev
  git worktree add -q --detach "$TREE" "$REV"
  (cd "$TREE" && ./mvnw -q -o -pl functions/predict -am package -DskipTests -Djacoco.skip=true) >&2
  # its own jar, with the class-data archive recorded from that jar (a later -XX:SharedArchiveFile wins)
  parts+=("$REV=-XX:SharedArchiveFile=$TREE/functions/predict/target/predict.jsa")
fi

URL="http://127.0.0.1:$PORT/predict"
for round in $(seq 1 "$ROUNDS"); do
  for batching in ${BATCHING:-false}; do
    for part in "${parts[@]}"; do
      ALT_JAR=
      [ -n "${REV:-}" ] && [ "${part%%=*}" = "$REV" ] && ALT_JAR=$TREE/functions/predict/target/quiver-predict-runner.jar
      ALT_OPTS="-Dquiver.predict.batching=$batching ${part#*=}"
      ALT_JAR=$ALT_JAR server_start quiver-alt "$WORK" "$PORT"
      PID=$SERVER_PID
      wrk -t1 -c16 -d"${WARMUP}s" -s "$BENCH/predict.lua" "$URL" > /dev/null
      c0=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
      out=$(wrk -t1 -c16 -d"${DURATION}s" -s "$BENCH/predict.lua" "$URL")
      c1=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
      server_stop "$PID"; PID=
      requests=$(echo "$out" | awk '/requests in/ { print $1 }')
      printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$batching" "${part%%=*}" \
        "$(echo "$out" | awk '/Requests\/sec/ { print $2 }')" \
        "$(( (c1 - c0) * 1000000 / $(getconf CLK_TCK) / requests ))" | tee -a "$WORK/results.tsv"
    done
  done
done

python3 - "$WORK/results.tsv" <<'PY'
import statistics, sys
by = {}
for line in open(sys.argv[1]):
    _, batching, part, rps, cpu = line.rstrip("\n").split("\t")
    by.setdefault(batching, {}).setdefault(part, []).append((float(rps), int(cpu)))
for batching, parts in by.items():
    base = statistics.median(c for _, c in parts["all on"])
    print(f"\n== medians of {len(parts['all on'])} rounds, batching {'on' if batching == 'true' else 'off'}")
    print("| switched off, or the build measured | requests/s | CPU µs a request (range) | saved µs a request |")
    print("|---|---|---|---|")
    for part, v in parts.items():
        cpu = statistics.median(c for _, c in v)
        print(f"| {part if part != 'all on' else 'nothing (all on)'} | {statistics.median(r for r, _ in v):,.0f} "
              f"| {cpu:g} ({min(c for _, c in v)}-{max(c for _, c in v)}) | {base - cpu:g} |")
PY
