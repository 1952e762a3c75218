#!/usr/bin/env bash
# Quiver's predict function against a hand-written server on the same model, JVM options and machine
# (dev.quiver.predict.bench.HandWrittenServer: Vert.x core, two event loops, Jackson, ONNX Runtime's Java API), in one
# sitting, alternating the servers round by round (docs/performance.md, "Against a hand-written server").
# Needs wrk and python3. From the repository root:
#   functions/predict/bench/vs-hand-written.sh            # 3 rounds
#   ROUNDS=5 DURATION=30 functions/predict/bench/vs-hand-written.sh
# Per server and round: start to first prediction, resident memory after it, single-row predictions/s at 16
# connections (and CPU per request), rows/s with 100-row requests, p99 and p99.9 at a fixed 1,000/s, resident memory
# after that. Quiver runs as the README's run command starts it (capture, rollouts, metrics, tracing and the guard on),
# once with dynamic batching (the default) and once with quiver.predict.batching=false. Before measuring, the script
# checks that both servers answer the same probabilities for the same rows. NO_BUILD=1 skips the build.
# ALT_OPTS="<JVM options>" adds a fourth server, Quiver with those options after config/predict.jvm.args, for an A/B of
# a setting in the same sitting; ALT_JAR=<path> runs that server from another build of the jar (give its own archive
# in ALT_OPTS, -XX:SharedArchiveFile=..., recorded by functions/predict/src/build/RecordArchive.java); SERVERS="quiver
# hand" measures a subset; HAND_OPTS="<JVM options>" go to the hand-written server after the shared ones. The servers
# are started by functions/predict/bench/servers.sh.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-20}
DURATION=${DURATION:-20}
FIXED=${FIXED:-30}
PORT=${PORT:-18090}
BENCH=functions/predict/bench
if [ -z "${NO_BUILD:-}" ]; then
  ./mvnw -q -o -pl functions/predict -am package test-compile dependency:build-classpath -DskipTests \
    -Djacoco.skip=true -Dmdep.outputFile="$PWD/functions/predict/target/bench.cp" -Dmdep.includeScope=test
fi
WORK=$(mktemp -d)
PID=
cleanup() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT

source "$BENCH/servers.sh"
servers_prepare "$WORK"
python3 - "$BENCH/one-row.json" "$WORK/rows100.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
body["rows"] = body["rows"] * 100
json.dump(body, open(sys.argv[2], "w"))
PY

rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$PID/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }

start() {
  server_start "$1" "$WORK" "$PORT"
  PID=$SERVER_PID
}

stop() { server_stop "$PID"; PID=; }

# the same probabilities for the same rows, or the comparison is void
for which in quiver hand; do
  start "$which"
  curl -sf -H 'Content-Type: application/json' -d @"$WORK/rows100.json" "http://127.0.0.1:$PORT/predict" > "$WORK/$which.answer"
  stop
done
python3 - "$WORK/quiver.answer" "$WORK/hand.answer" <<'PY'
import json, sys
q, h = (json.load(open(p))["predictions"] for p in sys.argv[1:3])
assert len(q) == len(h) == 100, (len(q), len(h))
for a, b in zip(q, h):
    assert a["label"] == b["label"] and a["probabilities"] == b["probabilities"], (a, b)
print("== same labels and probabilities, bit for bit, on 100 rows")
PY

URL="http://127.0.0.1:$PORT/predict"
RESULTS="$WORK/results.tsv"
: > "$RESULTS"
DEFAULT_SERVERS="quiver quiver-unbatched hand"
[ -n "${ALT_OPTS:-}" ] && DEFAULT_SERVERS="quiver quiver-alt quiver-unbatched hand"
for round in $(seq 1 "$ROUNDS"); do
  for which in ${SERVERS:-$DEFAULT_SERVERS}; do
    start "$which"
    rss_start=$(rss_mb)
    wrk -t1 -c16 -d"${WARMUP}s" -s "$BENCH/predict.lua" "$URL" > /dev/null
    c0=$(cpu_ticks)
    one=$(wrk -t1 -c16 -d"${DURATION}s" -s "$BENCH/predict.lua" "$URL")
    c1=$(cpu_ticks)
    rps=$(echo "$one" | awk '/Requests\/sec/ { print $2 }')
    requests=$(echo "$one" | awk '/requests in/ { print $1 }')
    hundred=$(BODY="$WORK/rows100.json" wrk -t1 -c16 -d"${DURATION}s" -s "$BENCH/predict.lua" "$URL" \
      | awk '/Requests\/sec/ { print $2 }')
    fixed=$(wrk -t1 -c10 -d"${FIXED}s" -s "$BENCH/predict-fixed-rate.lua" "$URL" | grep '^requests')
    p99=$(echo "$fixed" | sed 's/.*p99 \([0-9.]*\) ms.*/\1/')
    p999=$(echo "$fixed" | sed 's/.*p99.9 \([0-9.]*\) ms.*/\1/')
    rss_after=$(rss_mb)
    tick_hz=$(getconf CLK_TCK)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$which" "$STARTUP" "$rss_start" "$rps" \
      "$(( (c1 - c0) * 1000000 / tick_hz / requests ))" "$hundred" "$p99" "$p999" "$rss_after" | tee -a "$RESULTS"
    stop
  done
done

python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
cols = ["start ms", "RSS after start MB", "single-row req/s", "CPU us/req", "rows/s (100-row)", "p99 ms @1000/s",
        "p99.9 ms @1000/s", "RSS after load MB"]
by = {}
for r in rows:
    vals = [float(v) for v in r[2:]]
    vals[4] *= 100
    by.setdefault(r[1], []).append(vals)
def med(which, i):
    return statistics.median(v[i] for v in by[which])
def spread(which, i):
    vs = sorted(v[i] for v in by[which])
    return f"{vs[0]:g}-{vs[-1]:g}" if len(vs) > 1 else f"{vs[0]:g}"
print(f"\n== medians of {len(by['hand'])} rounds (spread in brackets); ratio = the server / hand-written")
names = [n for n in ("quiver", "quiver-alt", "quiver-unbatched") if n in by]
print("| figure | " + " | ".join(names) + " | hand-written | " + " | ".join("ratio " + n for n in names) + " |")
print("|---" * (2 * len(names) + 2) + "|")
for i, c in enumerate(cols):
    h = med("hand", i)
    cells = [f"{med(n, i):g} ({spread(n, i)})" for n in names]
    ratios = [f"{med(n, i) / h:.2f}" for n in names]
    print(f"| {c} | " + " | ".join(cells) + f" | {h:g} ({spread('hand', i)}) | " + " | ".join(ratios) + " |")
PY
