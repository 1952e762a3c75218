#!/usr/bin/env bash
# The acceptance benchmark of a delivered model against the predict function's own JMH benchmark of the same model
# (see docs/performance.md, "Acceptance benchmark against JMH"). Both score the churn demo model
# (config/models/churn/1) with one-row requests through the prediction service, on one ONNX Runtime intra-op
# thread, CONCURRENCY at a time:
#   acceptance  AcceptanceBenchmark as POST /registry/models/churn/candidates runs it (closed loop, HdrHistogram):
#               rows drawn from the model's reference profile ("profile"), and the one row JMH sends ("JMH's row")
#   JMH         PredictionBenchmark.service with rows=1 and CONCURRENCY threads: throughput (thrpt), p50/p99 (sample)
# The three run one after the other ROUNDS times, so that a neighbour's load on a shared machine falls on all of them;
# it prints each round's figures, then the medians and their ratios (acceptance / JMH).
# Usage, from the repository root:  functions/predict/bench/acceptance-vs-jmh.sh
# CONCURRENCY (default 1, the candidates endpoint's), DURATION (each measurement, s, default 10), ROUNDS (default 3), NO_BUILD=1 as jmh.sh.
set -euo pipefail
cd "$(dirname "$0")/../../.."
CONCURRENCY=${CONCURRENCY:-1}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
if [ -z "${NO_BUILD:-}" ]; then
  ./mvnw -q -o -pl functions/predict -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/functions/predict/target/bench.cp" -Dmdep.includeScope=test >&2
fi
CP="functions/predict/target/test-classes:functions/predict/target/classes:$(cat functions/predict/target/bench.cp)"

for ROUND in $(seq 1 "$ROUNDS"); do
  for ROWS in profile jmh; do
    echo "== round $ROUND: acceptance benchmark, $ROWS rows, $CONCURRENCY concurrent, 5 s warm-up, $DURATION s" >&2
    java -cp "$CP" -Drepo.root="$PWD" dev.quiver.predict.bench.AcceptanceRun "$CONCURRENCY" 5 "$DURATION" "$ROWS" \
      2> "$OUT/acceptance-$ROWS-$ROUND.log" | tail -1 > "$OUT/acceptance-$ROWS-$ROUND.json"
  done
  echo "== round $ROUND: JMH PredictionBenchmark.service, rows=1, $CONCURRENCY threads, thrpt and sample" >&2
  # another JMH run on the machine holds JMH's lock: wait for it rather than measure beside it
  for TRY in $(seq 1 60); do
    if java -cp "$CP" -Drepo.root="$PWD" org.openjdk.jmh.Main 'PredictionBenchmark.service$' -p rows=1 \
        -t "$CONCURRENCY" -f 1 -wi 1 -w 5s -i 1 -r "${DURATION}s" -bm thrpt,sample -tu ms \
        -rf json -rff "$OUT/jmh-$ROUND.json" > "$OUT/jmh-$ROUND.log" 2>&1; then
      break
    fi
    grep -q "Unable to acquire the JMH lock" "$OUT/jmh-$ROUND.log" || { cat "$OUT/jmh-$ROUND.log" >&2; exit 1; }
    echo "   JMH's lock is held by another run; waiting" >&2
    sleep 10
  done
done

python3 - "$OUT" "$ROUNDS" "$CONCURRENCY" <<'PY'
import json, statistics, sys
out, rounds, concurrency = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = {"acceptance, profile rows": [], "acceptance, JMH's row": [], "JMH service, rows=1": []}
for r in range(1, rounds + 1):
    for name, kind in (("acceptance, profile rows", "profile"), ("acceptance, JMH's row", "jmh")):
        a = json.load(open(f"{out}/acceptance-{kind}-{r}.json"))
        rows[name].append((a["p50_ms"], a["p99_ms"], a["requests_per_second"]))
    jmh = {b["mode"]: b["primaryMetric"] for b in json.load(open(f"{out}/jmh-{r}.json"))}
    rows["JMH service, rows=1"].append((jmh["sample"]["scorePercentiles"]["50.0"],
                                        jmh["sample"]["scorePercentiles"]["99.0"], jmh["thrpt"]["score"] * 1000))
print(f"concurrency {concurrency}, {rounds} rounds")
print(f"{'':32}{'p50 ms':>10}{'p99 ms':>10}{'requests/s':>12}")
for name, figures in rows.items():
    for r, (p50, p99, rps) in enumerate(figures, 1):
        print(f"{name + ', round ' + str(r):32}{p50:>10.4f}{p99:>10.4f}{rps:>12.0f}")
median = {name: [statistics.median(f[i] for f in figures) for i in range(3)] for name, figures in rows.items()}
for name, (p50, p99, rps) in median.items():
    print(f"{name + ', median':32}{p50:>10.4f}{p99:>10.4f}{rps:>12.0f}")
j = median["JMH service, rows=1"]
for name in ("acceptance, profile rows", "acceptance, JMH's row"):
    a = median[name]
    rp99, rrps = a[1] / j[1], a[2] / j[2]
    ok = abs(rp99 - 1) <= 0.2 and abs(rrps - 1) <= 0.2
    print(f"{'ratio ' + name.split(', ')[1]:32}{a[0] / j[0]:>10.2f}{rp99:>10.2f}{rrps:>12.2f}   within 20%: "
          + ("yes" if ok else "no"))
PY
