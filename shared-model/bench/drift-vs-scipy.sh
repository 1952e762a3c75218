#!/usr/bin/env bash
# Exact-mode drift, Quiver against SciPy, on one data set and one machine (see docs/performance.md).
# drift_scipy.py writes 1,000,000 current rows and 100,000 reference rows of 20 normal columns (the even ones
# shifted by 0.1 sd, as DriftBenchmark's) to files; then, ROUNDS times, alternating:
#   Quiver  DriftVsScipy: DataDrift.compute with KS named on every column, then with the defaults (the normed
#           Wasserstein distance at these sizes), WARMUPS untimed runs of each, then one timed
#   SciPy   scipy.stats.ks_2samp (its default method) and scipy.stats.wasserstein_distance (over numpy.std of the
#           reference, as Evidently norms it) over the same 20 columns
# Both sides read the files before their clocks start. The script checks that every column's statistics and
# p-values agree, then prints each round, the medians, the spreads and the ratios SciPy / Quiver.
# Usage, from the repository root:  shared-model/bench/drift-vs-scipy.sh
# ROUNDS (default 3), WARMUPS (default 2), JAVA_OPTS (default -Xmx6g), NO_BUILD=1 skips the compile;
# CPUS=0 runs both sides on that one processor only (taskset), as on a one-vCPU Lambda.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
WARMUPS=${WARMUPS:-2}
JAVA_OPTS=${JAVA_OPTS:--Xmx6g}
PY=/usr/bin/python3   # Debian's, with NumPy and SciPy; a version manager's python3 on PATH has neither
PIN=()
if [ -n "${CPUS:-}" ]; then PIN=(taskset -c "$CPUS"); fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
if [ -z "${NO_BUILD:-}" ]; then
  ./mvnw -q -o -pl shared-model -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/shared-model/target/bench.cp" -Dmdep.includeScope=test >&2
fi
CP="shared-model/target/test-classes:shared-model/target/classes:$(cat shared-model/target/bench.cp)"

echo "== generating the data set in $OUT" >&2
"$PY" shared-model/bench/drift_scipy.py generate "$OUT"
for ROUND in $(seq 1 "$ROUNDS"); do
  echo "== round $ROUND: Quiver (java $JAVA_OPTS ${PIN[*]})" >&2
  "${PIN[@]}" java $JAVA_OPTS -cp "$CP" dev.quiver.drift.bench.DriftVsScipy "$OUT" "$WARMUPS" > "$OUT/java-$ROUND.json"
  echo "== round $ROUND: SciPy ${PIN[*]}" >&2
  "${PIN[@]}" "$PY" shared-model/bench/drift_scipy.py run "$OUT" > "$OUT/scipy-$ROUND.json"
done

"$PY" - "$OUT" "$ROUNDS" "$JAVA_OPTS" "${CPUS:-all}" <<'PY'
import json, statistics, sys
out, rounds, java_opts, cpus = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
java = [json.load(open(f"{out}/java-{r}.json")) for r in range(1, rounds + 1)]
scipy = [json.load(open(f"{out}/scipy-{r}.json")) for r in range(1, rounds + 1)]

# agreement: the KS statistic to 1e-12, p-values and normed distances to a relative 1e-9 (DriftGoldenTest's)
def rel(a, b):
    return 0.0 if a == b else abs(a - b) / max(abs(a), abs(b))
worst = {"ks_statistic": 0.0, "ks_pvalue": 0.0, "wasserstein_normed": 0.0}
limits = {"ks_statistic": 1e-12, "ks_pvalue": 1e-9, "wasserstein_normed": 1e-9}
for j, s in zip(java, scipy):
    worst["ks_statistic"] = max(worst["ks_statistic"], *(abs(a - b) for a, b in zip(j["ks_statistic"], s["ks_statistic"])))
    for key in ("ks_pvalue", "wasserstein_normed"):
        worst[key] = max(worst[key], *(rel(a, b) for a, b in zip(j[key], s[key])))
columns = len(java[0]["ks_statistic"])
print(f"data: {columns} columns, current and reference from drift_scipy.py generate; processors: {cpus}")
print(f"Quiver: Java {java[0]['java']} ({java[0]['processors']} processors seen), {java_opts}; "
      f"SciPy {scipy[0]['scipy']}, NumPy {scipy[0]['numpy']}, Python {scipy[0]['python']}")
agree = all(worst[k] <= limits[k] for k in worst)
print("agreement over every column and round: "
      + ", ".join(f"{k} worst {'abs' if k == 'ks_statistic' else 'rel'} {worst[k]:.1e} (limit {limits[k]:.0e})" for k in worst)
      + (" -> agree" if agree else " -> DISAGREE"))
print(f"{'seconds':28}{'KS':>10}{'Wasserstein':>14}")
for r in range(rounds):
    for name, side in (("Quiver", java), ("SciPy", scipy)):
        print(f"{name + ', round ' + str(r + 1):28}{side[r]['ks_seconds']:>10.3f}{side[r]['wasserstein_seconds']:>14.3f}")
for name, side in (("Quiver", java), ("SciPy", scipy)):
    ks = [x["ks_seconds"] for x in side]
    w = [x["wasserstein_seconds"] for x in side]
    print(f"{name + ', median':28}{statistics.median(ks):>10.3f}{statistics.median(w):>14.3f}"
          f"   (KS {min(ks):.3f}-{max(ks):.3f}, Wasserstein {min(w):.3f}-{max(w):.3f})")
for test in ("ks", "wasserstein"):
    jm = statistics.median(x[f"{test}_seconds"] for x in java)
    sm = statistics.median(x[f"{test}_seconds"] for x in scipy)
    per_round = [s[f"{test}_seconds"] / j[f"{test}_seconds"] for j, s in zip(java, scipy)]
    print(f"ratio SciPy / Quiver, {test:12} {sm / jm:6.2f}x  (per round {min(per_round):.2f}-{max(per_round):.2f}x)"
          f"   at least 5x: {'yes' if sm / jm >= 5 else 'no'}")
sys.exit(0 if agree else 1)
PY
