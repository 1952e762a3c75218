#!/usr/bin/env bash
# What a shadow rollout costs the caller (see docs/performance.md, Rollouts): p99 at about 1,000 single-row predictions a
# second without a rollout, with a shadow rollout copying every request to a challenger, and without again.
# The challenger is the demo model registered a second time, so it costs what the champion costs.
# Needs wrk. Run from the repository root after building:
#   ./mvnw -q -pl functions/predict -am package -DskipTests && functions/predict/bench/shadow-load.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
source functions/predict/bench/common.sh
trap stop_all EXIT
PORT=${PORT:-8080}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-60}
# shellcheck disable=SC2046,SC2086
start_function "$PORT" /v2/health/ready functions/predict/target/quiver-predict-runner.jar @config/predict.jvm.args \
  $(predict_stores "$BENCH_DIR") -Dquiver.security.local-key.path="$BENCH_DIR/deploy-key" -Dquiver.audit.path="$BENCH_DIR/audit"
BASE="http://127.0.0.1:$PORT"
# registering a version and steering a rollout need the deploy role: the local key the function made at start has it
AUTH="Authorization: Bearer $(cat "$BENCH_DIR/deploy-key")"
curl -sf -o /dev/null -H "$AUTH" -F model=@config/models/churn/1/model.onnx \
  -F "descriptor=$(python3 -c 'import json;d=json.load(open("config/models/churn/1/descriptor.json"));[d.pop(k,None) for k in ("name","version","sha256","created_at")];print(json.dumps(d))')" \
  "$BASE/registry/models/churn/versions"
curl -sf -o /dev/null -H "$AUTH" -X PUT "$BASE/registry/models/churn/aliases/challenger" -H 'Content-Type: application/json' -d '{"version":"2"}'
fixed_rate() {
  wrk -t1 -c10 -d"${SECONDS_PER_RUN}s" --latency -s functions/predict/bench/predict-fixed-rate.lua "$BASE/predict" \
    | grep -E "Requests/sec|^ +(50|90|99)%"
}
echo "== warm-up (30 s), both versions"
wrk -t1 -c16 -d20s -s functions/predict/bench/predict.lua "$BASE/predict" | grep Requests/sec
curl -sf -o /dev/null "$BASE/predict" -H 'Content-Type: application/json' -d "$(sed 's/"model": "churn"/"model": "churn", "version": "2"/' functions/predict/bench/one-row.json)"
echo "== A: no rollout"
fixed_rate
echo "== B: shadow rollout, every request copied to version 2"
curl -sf -o /dev/null -H "$AUTH" -X PUT "$BASE/rollouts/churn" -H 'Content-Type: application/json' -d '{"strategy":"shadow","min_requests":100000000}'
fixed_rate
curl -s "$BASE/rollouts/churn" | python3 -c 'import json,sys; v=json.load(sys.stdin); print("   shadow:", v["shadow"], "champion requests:", v["champion"]["requests"])'
echo "== C: rolled back, no rollout again"
curl -sf -o /dev/null -H "$AUTH" -X POST "$BASE/rollouts/churn/rollback" -H 'Content-Type: application/json' -d '{}'
fixed_rate
