#!/usr/bin/env bash
# What the predict function allocates per single-row request, and where (docs/performance.md, "Against a hand-written
# server"): JFR allocation samples over 10 s at full speed on 16 connections, after 10 s of warm-up, each sample's
# weight counted in the part its innermost recognised frame belongs to (JSON, OpenTelemetry, Netty, drift capture...),
# divided by the requests served. Small TLABs (-XX:TLABSize=8k -XX:-ResizeTLAB) let JFR sample small objects too; a
# thread's first sample in the recording is left out, since its weight holds what the thread allocated before it.
# Needs wrk and python3. From the repository root, after ./mvnw -q -pl functions/predict -am package -DskipTests:
#   functions/predict/bench/alloc-profile.sh                                  # batching on, as the run command
#   JAVA_ARGS=-Dquiver.predict.batching=false functions/predict/bench/alloc-profile.sh
#   DETAIL=1 functions/predict/bench/alloc-profile.sh   # also each part's heaviest allocation sites
set -euo pipefail
cd "$(dirname "$0")/../../.."
source functions/predict/bench/common.sh
trap stop_all EXIT
PORT=${PORT:-18112}
# shellcheck disable=SC2046,SC2086
start_function "$PORT" /v2/health/ready functions/predict/target/quiver-predict-runner.jar @config/predict.jvm.args \
  -XX:TLABSize=8k -XX:-ResizeTLAB ${JAVA_ARGS:-} $(predict_stores "$BENCH_DIR")
URL="http://127.0.0.1:$PORT/predict"
cat > "$BENCH_DIR/alloc.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ObjectAllocationSample">
    <setting name="enabled">true</setting><setting name="throttle">10000/s</setting>
    <setting name="stackTrace">true</setting>
  </event>
</configuration>
JFC
wrk -t1 -c16 -d10s -s functions/predict/bench/predict.lua "$URL" > /dev/null
jcmd "$FUNCTION_PID" JFR.start name=alloc settings="$BENCH_DIR/alloc.jfc" filename="$BENCH_DIR/alloc.jfr" > /dev/null
requests=$(wrk -t1 -c16 -d10s -s functions/predict/bench/predict.lua "$URL" | awk '/requests in/ { print $1 }')
jcmd "$FUNCTION_PID" JFR.stop name=alloc > /dev/null
jfr print --stack-depth 32 --events jdk.ObjectAllocationSample "$BENCH_DIR/alloc.jfr" > "$BENCH_DIR/samples.txt"
python3 - "$BENCH_DIR/samples.txt" "$requests" "${DETAIL:-0}" <<'PY'
import collections, re, sys
parts = [("OpenTelemetry", "io.opentelemetry"), ("OpenTelemetry", "io.quarkus.opentelemetry"),
         ("Micrometer", "io.micrometer"), ("Micrometer", "io.quarkus.micrometer"),
         ("drift capture", "dev.quiver.drift"), ("JSON (Jackson)", "com.fasterxml.jackson"),
         ("feature encoding", "dev.quiver.inference"), ("Quiver", "dev.quiver"),
         ("Vert.x Web routing", "io.vertx.ext.web"), ("Vert.x core", "io.vertx.core"), ("Netty", "io.netty"),
         ("Quarkus", "io.quarkus")]
units = {"bytes": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}
requests = int(sys.argv[2])
count = collections.Counter(); sites = collections.defaultdict(collections.Counter)
seen = set(); total = 0.0
for sample in open(sys.argv[1]).read().split("jdk.ObjectAllocationSample {")[1:]:
    thread = re.search(r'eventThread = "([^"]*)"', sample)
    if thread and thread.group(1) not in seen:
        seen.add(thread.group(1))
        continue
    w = re.search(r"weight = ([\d.]+) (bytes|kB|MB|GB)", sample)
    if not w:
        continue
    weight = float(w.group(1)) * units[w.group(2)]
    cls = re.search(r"objectClass = (\S+)", sample).group(1)
    frames = re.findall(r"^\s+([\w.$<>]+)\(", sample, re.M)
    part, frame = next(((name, f) for f in frames for name, prefix in parts if f.startswith(prefix)),
                       ("other", frames[0] if frames else "?"))
    total += weight
    count[part] += weight
    sites[part][f"{cls} in {frame}"] += weight
print(f"{requests} requests, {total / requests:,.0f} bytes allocated per request")
for part, b in count.most_common():
    print(f"{100 * b / total:5.1f}%  {b / requests:7,.0f} B  {part}")
    if sys.argv[3] == "1":
        for site, s in sites[part].most_common(6):
            print(f"                 {s / requests:7,.0f} B  {site}")
PY
