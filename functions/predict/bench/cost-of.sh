#!/usr/bin/env bash
# What each part of a prediction's path costs (docs/performance.md, "Against a hand-written server"): CPU per
# single-row request at full speed, batching off, of the README's run command against the same with one part
# switched off at run time, alternated round by round in one sitting.
# Needs wrk. From the repository root, after the build vs-hand-written.sh makes:
#   functions/predict/bench/cost-of.sh [rounds, default 3]
#   PARTS="capture=-Dquiver.capture.enabled=false;http-span=-Dquarkus.otel.instrument.vertx-http=false" \
#     functions/predict/bench/cost-of.sh
# PARTS: name=JVM options pairs, separated by ';'; the run command's configuration is always measured as "all on".
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
cleanup() { [ -z "$PID" ] || server_stop "$PID"; rm -rf "$WORK"; }
trap cleanup EXIT
source "$BENCH/servers.sh"

IFS=';' read -r -a parts <<< "all on=;${PARTS:-$DEFAULT_PARTS}"
URL="http://127.0.0.1:$PORT/predict"
for round in $(seq 1 "$ROUNDS"); do
  for part in "${parts[@]}"; do
    ALT_OPTS="-Dquiver.predict.batching=false ${part#*=}"
    server_start quiver-alt "$WORK" "$PORT"
    PID=$SERVER_PID
    wrk -t1 -c16 -d"${WARMUP}s" -s "$BENCH/predict.lua" "$URL" > /dev/null
    c0=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
    out=$(wrk -t1 -c16 -d"${DURATION}s" -s "$BENCH/predict.lua" "$URL")
    c1=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
    server_stop "$PID"; PID=
    requests=$(echo "$out" | awk '/requests in/ { print $1 }')
    printf '%s\t%s\t%s\t%s\n' "$round" "${part%%=*}" "$(echo "$out" | awk '/Requests\/sec/ { print $2 }')" \
      "$(( (c1 - c0) * 1000000 / $(getconf CLK_TCK) / requests ))" | tee -a "$WORK/results.tsv"
  done
done

python3 - "$WORK/results.tsv" <<'PY'
import statistics, sys
by = {}
for line in open(sys.argv[1]):
    _, part, rps, cpu = line.rstrip("\n").split("\t")
    by.setdefault(part, []).append((float(rps), int(cpu)))
base = statistics.median(c for _, c in by["all on"])
print(f"\n== medians of {len(by['all on'])} rounds, batching off")
print("| switched off | requests/s | CPU µs a request (range) | saved µs a request |")
print("|---|---|---|---|")
for part, v in by.items():
    cpu = statistics.median(c for _, c in v)
    print(f"| {part if part != 'all on' else 'nothing (all on)'} | {statistics.median(r for r, _ in v):,.0f} "
          f"| {cpu:g} ({min(c for _, c in v)}-{max(c for _, c in v)}) | {base - cpu:g} |")
PY
