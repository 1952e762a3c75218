#!/usr/bin/env bash
# Resident memory and tail latency over a long run at a fixed rate (docs/performance.md, "Against a hand-written
# server"): Quiver and the hand-written server side by side, each started on empty stores and answering one
# prediction, then MINUTES minutes of single-row predictions at RATE a second (default 1,000) to each, from a wrk of
# its own, both at once on the same machine. Prints, for every minute and server, its resident memory and that
# minute's p99 and p99.9, then a summary.
# Needs wrk and python3. From the repository root, after the build vs-hand-written.sh makes (NO_BUILD=1 there):
#   functions/predict/bench/memory-at-rate.sh [minutes, default 10]
#   SERVERS="quiver quiver-alt hand" ALT_OPTS="-Xmn48m" HAND_OPTS="-Xmn48m" functions/predict/bench/memory-at-rate.sh
# SERVERS, ALT_OPTS, ALT_JAR and HAND_OPTS as in vs-hand-written.sh (functions/predict/bench/servers.sh).
set -euo pipefail
cd "$(dirname "$0")/../../.."
MINUTES=${1:-10}
PORT=${PORT:-18190}
export RATE=${RATE:-1000}
BENCH=functions/predict/bench
WORK=$(mktemp -d)
declare -A PIDS=()
cleanup() { for p in "${PIDS[@]}"; do server_stop "$p"; done; rm -rf "$WORK"; }
trap cleanup EXIT
source "$BENCH/servers.sh"
servers_prepare "$WORK"

rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
SERVERS=${SERVERS:-quiver hand}
declare -A PORTS=()
i=0
for which in $SERVERS; do
  mkdir -p "$WORK/$which"
  PORTS[$which]=$((PORT + i)); i=$((i + 1))
  server_start "$which" "$WORK/$which" "${PORTS[$which]}"
  PIDS[$which]=$SERVER_PID
  printf '%s\t0\t%s\t%s\t\t\n' "$which" "$STARTUP" "$(rss_mb "$SERVER_PID")" | tee -a "$WORK/results.tsv"
done
for minute in $(seq 1 "$MINUTES"); do
  loads=()
  for which in $SERVERS; do
    wrk -t1 -c10 -d60s -s "$BENCH/predict-fixed-rate.lua" "http://127.0.0.1:${PORTS[$which]}/predict" \
      > "$WORK/$which/minute" &
    loads+=($!)
  done
  wait "${loads[@]}"
  for which in $SERVERS; do
    line=$(grep '^requests' "$WORK/$which/minute")
    printf '%s\t%s\t\t%s\t%s\t%s\n' "$which" "$minute" "$(rss_mb "${PIDS[$which]}")" \
      "$(echo "$line" | sed 's/.*p99 \([0-9.]*\) ms.*/\1/')" "$(echo "$line" | sed 's/.*p99.9 \([0-9.]*\) ms.*/\1/')" \
      | tee -a "$WORK/results.tsv"
  done
done

python3 - "$WORK/results.tsv" <<'PY'
import statistics, sys
by = {}
for line in open(sys.argv[1]):
    which, minute, start, rss, p99, p999 = line.rstrip("\n").split("\t")
    s = by.setdefault(which, {"minutes": []})
    if minute == "0":
        s["start"], s["rss0"] = int(start), int(rss)
    else:
        s["minutes"].append((int(rss), float(p99), float(p999)))
print(f"\n== {len(next(iter(by.values()))['minutes'])} minutes at the fixed rate, side by side")
print("| server | start ms | RSS after start MB | RSS at the end MB | highest RSS MB | p99 ms, median of minutes "
      "| p99.9 ms, median of minutes (range) |")
print("|---|---|---|---|---|---|---|")
for which, s in by.items():
    m = s["minutes"]
    p999 = [x[2] for x in m]
    print(f"| {which} | {s['start']} | {s['rss0']} | {m[-1][0]} | {max(x[0] for x in m)} "
          f"| {statistics.median(x[1] for x in m):g} | {statistics.median(p999):g} ({min(p999):g}-{max(p999):g}) |")
PY
