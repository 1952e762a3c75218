#!/usr/bin/env bash
# Runs the predict function's JMH benchmarks on the classes of this working tree, compiled by the reactor, so that
# nothing needs installing into the local Maven repository first.
# Usage, from the repository root:  functions/predict/bench/jmh.sh [JMH arguments, e.g. PredictionBenchmark -f 1]
# TREE= runs another checkout's build instead (functions/predict/bench/before-after.sh uses it); NO_BUILD=1 skips
# the compile when the classes are known to be current.
set -euo pipefail
TREE=${TREE:-$(cd "$(dirname "$0")/../../.." && pwd)}
cd "$TREE"
if [ -z "${NO_BUILD:-}" ]; then
  ./mvnw -q -o -pl functions/predict -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$TREE/functions/predict/target/bench.cp" -Dmdep.includeScope=test >&2
fi
exec java -cp "functions/predict/target/test-classes:functions/predict/target/classes:$(cat functions/predict/target/bench.cp)" \
  -Drepo.root="$TREE" org.openjdk.jmh.Main "$@"
