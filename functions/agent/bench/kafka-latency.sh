#!/usr/bin/env bash
# The Kafka door's latency: feature_store_request in on quiver.agent.in -> handled -> feature_availability out on
# quiver.agent.answers, at a fixed rate, against a real broker started in the benchmark's JVM (KafkaBroker) and the
# packaged agent in a JVM of its own. Both share the machine with the load generator. The figure is the steady state,
# after the JIT compilers of the two JVMs have settled; the warm-up's own latency is printed before it.
#   functions/agent/bench/kafka-latency.sh             # 500/s, 120 s warm-up, 60 s measured
#   BENCH_OPTS=... options for the broker's and generator's JVM
#   RATE=1000 WARMUP=10 DURATION=30 SKIP_BUILD=1 AGENT_OPTS="-XX:StartFlightRecording=filename=/tmp/agent.jfr" \
#     functions/agent/bench/kafka-latency.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
RATE=${RATE:-500}
WARMUP=${WARMUP:-120}
DURATION=${DURATION:-60}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # the agent's jar, and the test classpath (KafkaBroker, kafka_2.13, HdrHistogram) written per module
  ./mvnw -o -q package dependency:build-classpath -pl functions/agent -am -DskipTests -Djacoco.skip=true \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi
exec java ${BENCH_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "functions/agent/target/test-classes:$(cat functions/agent/target/bench.classpath)" \
  dev.quiver.agent.function.kafka.KafkaLatencyBench functions/agent/target/quarkus-app/quarkus-run.jar \
  "$RATE" "$WARMUP" "$DURATION" ${AGENT_OPTS:-}
