#!/usr/bin/env bash
# Where the predict function's CPU goes under single-row load (docs/performance.md, "Against a hand-written server"):
# JFR execution samples of 15 s at full speed on 16 connections, after 15 s of warm-up, each sample counted once, in
# the part its innermost recognised frame belongs to (ONNX Runtime, DJL, OpenTelemetry, JSON, Netty, ...).
# Needs wrk and python3. From the repository root, after ./mvnw -q -pl functions/predict -am package -DskipTests:
#   functions/predict/bench/cpu-profile.sh                                    # batching off
#   JAVA_ARGS=-Dquiver.predict.batching=true functions/predict/bench/cpu-profile.sh
#   DETAIL=1 functions/predict/bench/cpu-profile.sh    # also each part's most sampled methods
# JFR's profile settings cost throughput of their own: read the shares, not the requests a second it prints.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source functions/predict/bench/common.sh
trap stop_all EXIT
PORT=${PORT:-18111}
# shellcheck disable=SC2046,SC2086
start_function "$PORT" /v2/health/ready functions/predict/target/quiver-predict-runner.jar @config/predict.jvm.args \
  -Dquiver.predict.batching=false ${JAVA_ARGS:-} $(predict_stores "$BENCH_DIR")
URL="http://127.0.0.1:$PORT/predict"
wrk -t1 -c16 -d15s -s functions/predict/bench/predict.lua "$URL" > /dev/null
jcmd "$FUNCTION_PID" JFR.start name=cpu settings=profile filename="$BENCH_DIR/cpu.jfr" > /dev/null
wrk -t1 -c16 -d15s -s functions/predict/bench/predict.lua "$URL" | grep Requests/sec
jcmd "$FUNCTION_PID" JFR.stop name=cpu > /dev/null
jfr print --stack-depth 128 --events jdk.ExecutionSample "$BENCH_DIR/cpu.jfr" > "$BENCH_DIR/samples.txt"
python3 - "$BENCH_DIR/samples.txt" "${DETAIL:-0}" <<'PY'
import collections, re, sys
# a sample's part: the first of these prefixes found walking its stack from the innermost frame outwards
parts = [("ONNX Runtime's run", "ai.onnxruntime.OrtSession.run"), ("DJL (NDManager, NDArray, Block)", "ai.djl."),
         ("OpenTelemetry", "io.opentelemetry"), ("Micrometer", "io.micrometer"), ("drift capture", "dev.quiver.drift"),
         ("rollout routing", "dev.quiver.rollout"), ("the guard", "dev.quiver.function.security"),
         ("feature encoding", "dev.quiver.inference"), ("JSON (Jackson)", "com.fasterxml.jackson"),
         ("the predict service", "dev.quiver.predict"), ("the registry", "dev.quiver.registry"),
         ("Quiver's HTTP door", "dev.quiver.function.http"), ("Vert.x Web routing", "io.vertx.ext.web"),
         ("Netty and Vert.x core", "io.netty"), ("Netty and Vert.x core", "io.vertx.core"),
         ("Quarkus's HTTP layer", "io.quarkus.vertx")]
count = collections.Counter(); total = 0
methods = collections.defaultdict(collections.Counter)
for sample in open(sys.argv[1]).read().split("jdk.ExecutionSample {")[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", sample, re.M)
    if not frames:
        continue
    total += 1
    part, frame = next(((name, f) for f in frames for name, prefix in parts if f.startswith(prefix)),
                       ("other", frames[0]))
    count[part] += 1
    methods[part][frame] += 1
print(f"{total} samples")
for part, n in count.most_common():
    print(f"{100 * n / total:5.1f}%  {part}")
    if sys.argv[2] == "1":
        for frame, m in methods[part].most_common(8):
            print(f"         {100 * m / total:5.1f}%  {frame}")
PY
