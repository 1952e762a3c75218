package dev.quiver.agent.bench;

import dev.quiver.agent.Message;
import dev.quiver.agent.Messages;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The agent issue's in-process figure for envelope validation: at least 50,000 messages a second on one core.
 * Measures {@link Messages#parse(String)} of the team's three envelopes, from text to a checked record with its
 * requirement strings read. Run: {@code ./mvnw -pl shared-model -Pbench test-compile exec:exec
 * -Dbench.args="MessagesBenchmark -t 1"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MessagesBenchmark {

    @Param({"model_deployment_request.json", "feature_store_request.json", "model_issue_alert.json"})
    public String envelope;

    private String json;

    @Setup
    public void setUp() throws IOException {
        try (InputStream in = MessagesBenchmark.class.getResourceAsStream("/agent/" + envelope)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public Message parse() {
        return Messages.parse(json);
    }
}
