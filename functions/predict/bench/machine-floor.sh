#!/usr/bin/env bash
# How late this machine wakes a sleeping thread (docs/performance.md): cyclictest (apt-get install rt-tests) runs
# one thread per vCPU that sleeps 1 ms and records how late it woke, with nothing else running. Every request a
# load test makes needs at least two such wake-ups (the server's event loop, then the load generator), so this
# is a floor under any server's latency percentiles on the machine, whatever the server does.
# Usage: functions/predict/bench/machine-floor.sh [seconds]
set -euo pipefail
SECS=${1:-20}
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
cyclictest --mlockall --smp --interval 1000 --duration "$SECS" --quiet --histogram 20000 > "$OUT"
python3 - "$OUT" <<'PY'
import sys
rows = [list(map(int, line.split())) for line in open(sys.argv[1]) if line[0].isdigit()]
avg = next(line.split()[3:] for line in open(sys.argv[1]) if line.startswith("# Avg Latencies"))
mx = next(line.split()[3:] for line in open(sys.argv[1]) if line.startswith("# Max Latencies"))
for cpu in range(len(rows[0]) - 1):
    total = sum(r[cpu + 1] for r in rows)
    def share_over(us):
        return sum(r[cpu + 1] for r in rows if r[0] >= us) / total * 100
    seen, p99 = 0, None
    for r in rows:
        seen += r[cpu + 1]
        if p99 is None and seen >= 0.99 * total:
            p99 = r[0]
    print(f"vCPU {cpu}: {total} wake-ups, late by avg {int(avg[cpu])} us, p99 {p99} us, max {int(mx[cpu])} us;"
          f" {share_over(1000):.2f}% late by 1 ms or more, {share_over(2000):.2f}% by 2 ms or more")
PY
