#!/usr/bin/env bash
# CPU time and context switches per thread of the predict function during one wrk run (docs/performance.md,
# Predictions over HTTP).
# Usage, from the repository root after building the predict function:
#   functions/predict/bench/cpu-per-request.sh ["<JVM options>"] [seconds] [predict-fixed-rate.lua|predict.lua]
# Prints wrk's latency percentiles, then per thread name: voluntary and involuntary context switches and user/system
# CPU ticks (1/100 s) spent during the measured run. Needs wrk and python3.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OPTS=${1:-}; SECS=${2:-20}; LUA=${3:-predict-fixed-rate.lua}
source functions/predict/bench/common.sh
trap stop_all EXIT
PORT=${PORT:-18080}
STORE=$BENCH_DIR
# shellcheck disable=SC2046,SC2086
start_function "$PORT" /v2/health/ready functions/predict/target/quiver-predict-runner.jar @config/predict.jvm.args $OPTS \
  $(predict_stores "$STORE")
PID=$FUNCTION_PID
URL="http://127.0.0.1:$PORT/predict"
echo "== warm-up ($SECS s at full speed)"
wrk -t1 -c16 -d"${SECS}s" -s functions/predict/bench/predict.lua "$URL" | grep Requests/sec
snap() {
  for t in /proc/$PID/task/*; do
    echo "$(cat "$t/comm")|$(awk '/^voluntary_ctxt/{v=$2} /^nonvoluntary_ctxt/{n=$2} END{print v, n}' "$t/status") $(sed 's/.*) //' "$t/stat" | awk '{print $12, $13}')"
  done
}
snap > "$STORE/before"
echo "== measured: $LUA, $SECS s"
wrk -t1 -c10 -d"${SECS}s" --latency -s "functions/predict/bench/$LUA" "$URL" | grep -E 'Requests/sec|requests in|  50%|  90%|  99%'
snap > "$STORE/after"
python3 - "$STORE/before" "$STORE/after" <<'PY'
import collections, sys
def load(path):
    d = collections.defaultdict(lambda: [0, 0, 0, 0])
    for line in open(path):
        name, values = line.rstrip('\n').rsplit('|', 1)
        for i, v in enumerate(map(int, values.split())):
            d[name][i] += v
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
print(f"{'voluntary':>10} {'involuntary':>11} {'user':>6} {'system':>6}  thread (ticks of 1/100 s)")
rows = sorted(((*[b[k][i] - a.get(k, [0] * 4)[i] for i in range(4)], k) for k in b), reverse=True)
for v, n, u, s, k in rows[:12]:
    if v or n or u or s:
        print(f"{v:>10} {n:>11} {u:>6} {s:>6}  {k}")
PY
