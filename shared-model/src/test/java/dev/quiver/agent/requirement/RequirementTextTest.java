package dev.quiver.agent.requirement;

import dev.quiver.error.QuiverException;
import dev.quiver.testing.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static dev.quiver.agent.requirement.ModelFormat.ONNX;
import static dev.quiver.agent.requirement.ModelFormat.TENSORFLOW_SAVEDMODEL;
import static dev.quiver.agent.requirement.ModelFormat.TENSORRT;
import static dev.quiver.agent.requirement.ModelFormat.TORCHSCRIPT;
import static org.assertj.core.api.Assertions.assertThat;

class RequirementTextTest {

    private static final String FIELD = "request.requirements.latency";

    @ParameterizedTest(name = "\"{0}\" is p{1} <= {2} ns")
    @CsvSource(delimiter = '|', value = {
            "< 100ms            | 99   | 100000000",
            "<= 100 ms          | 99   | 100000000",
            "p99 <= 0.1 s       | 99   | 100000000",
            "100ms              | 99   | 100000000",
            "under 1 s          | 99   | 1000000000",
            "real-time          | 99   | 10000000",
            "Real Time          | 99   | 10000000",
            "realtime           | 99   | 10000000",
            "P95 < 250 ms       | 95   | 250000000",
            "p99.9: 20ms        | 99.9 | 20000000",
            "median under 5 ms  | 50   | 5000000",
            "100 ms p95         | 95   | 100000000",
            "100ms (p90)        | 90   | 100000000",
            "at most 2 seconds  | 99   | 2000000000",
            "less than 500 us   | 99   | 500000",
            "≤ 1.5 sec          | 99   | 1500000000",
            "within 250 milliseconds | 99 | 250000000",
            "  <   100   MS     | 99   | 100000000",
            "PT0.1S             | 99   | 100000000",
            ".5 s               | 99   | 500000000",
    })
    void readsLatency(String text, double percentile, long nanos) {
        LatencyBound b = RequirementText.latency(text, FIELD);
        assertThat(b.percentile()).isEqualTo(percentile);
        assertThat(b.bound()).isEqualTo(Duration.ofNanos(nanos));
    }

    @Test
    void realTimeIsTenMillisecondsAtTheDefaultPercentile() {
        assertThat(LatencyBound.REAL_TIME).isEqualTo(new LatencyBound(99, Duration.ofMillis(10)));
        assertThat(LatencyBound.DEFAULT_PERCENTILE).isEqualTo(99);
        assertThat(LatencyBound.REAL_TIME).hasToString("p99 <= 10 ms");
    }

    @ParameterizedTest(name = "\"{0}\" is not a latency")
    @ValueSource(strings = {"100", "fast", "< 100 parsecs", "> 100ms", "p99", "p0 < 1 ms", "p101 < 1 ms",
            "0 ms", "< 0ms", "p99 < 10 ms p95", "-5 ms", "PT0S", "PTxyz", "100ms or less", "1e2 ms"})
    void refusesUnreadableLatency(String text) {
        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, FIELD,
                () -> RequirementText.latency(text, FIELD));
        assertThat(e.reason()).contains("\"" + text + "\"");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void blankRequirementIsRequired(String text) {
        Problems.expect(QuiverException.Kind.BAD_INPUT, "f", () -> RequirementText.latency(text, "f"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "f", () -> RequirementText.throughput(text, "f"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "f", () -> RequirementText.formats(text, "f"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "f", () -> RequirementText.updateFrequency(text, "f"));
    }

    @ParameterizedTest(name = "\"{0}\" is {1} per second")
    @CsvSource(delimiter = '|', value = {
            "1000 req/s            | 1000",
            "60k/min               | 1000",
            "1.5k rps              | 1500",
            "100 per second        | 100",
            "1000 requests/second  | 1000",
            "1,000 req/s           | 1000",
            "2M requests per hour  | 555.5555555555555",
            "500 qps               | 500",
            "120 rpm               | 2",
            ">= 200 req/s          | 200",
            "at least 50 predictions per sec | 50",
            "3600 calls an hour    | 1",
            "10 /s                 | 10",
            "0.5 req/s             | 0.5",
            "1K RPS                | 1000",
    })
    void readsThroughput(String text, double perSecond) {
        assertThat(RequirementText.throughput(text, "t")).isCloseTo(perSecond, org.assertj.core.data.Offset.offset(1e-9));
    }

    @ParameterizedTest(name = "\"{0}\" is not a throughput")
    @ValueSource(strings = {"1000", "lots", "1000 req", "0 req/s", "1000 req/fortnight", "1000 req/s please",
            "-5 rps", "1,00 req/s", "k rps"})
    void refusesUnreadableThroughput(String text) {
        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, "request.requirements.throughput",
                () -> RequirementText.throughput(text, "request.requirements.throughput"));
        assertThat(e.reason()).contains("\"" + text + "\"");
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "ONNX or TensorRT               | ONNX TENSORRT",
            "ONNX, TensorRT                 | ONNX TENSORRT",
            "onnx                           | ONNX",
            "TensorRT or ONNX               | TENSORRT ONNX",
            "onnx / trt                     | ONNX TENSORRT",
            "TorchScript; TF SavedModel     | TORCHSCRIPT TENSORFLOW_SAVEDMODEL",
            "ONNX or onnx                   | ONNX",
            "tensor-rt and ONNX             | TENSORRT ONNX",
            "tensorflow_savedmodel          | TENSORFLOW_SAVEDMODEL",
            "ONNX, TensorRT, or TorchScript | ONNX TENSORRT TORCHSCRIPT",
    })
    void readsFormatLists(String text, String expected) {
        List<ModelFormat> want = Arrays.stream(expected.split(" ")).map(ModelFormat::valueOf).toList();
        assertThat(RequirementText.formats(text, "request.requirements.format")).containsExactlyElementsOf(want);
    }

    @Test
    void unknownFormatListsTheKnownOnes() {
        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, "request.requirements.format",
                () -> RequirementText.formats("ONNX or Pickle", "request.requirements.format"));
        assertThat(e.reason()).contains("\"Pickle\"", "\"ONNX or Pickle\"", "onnx", "tensorrt", "torchscript",
                "tensorflow_savedmodel");
    }

    @ParameterizedTest(name = "\"{0}\" is not a format list")
    @ValueSource(strings = {"ONNX,", ", ONNX", "ONNX or or TensorRT", "pytorch", "GGUF"})
    void refusesUnreadableFormats(String text) {
        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, "fmt",
                () -> RequirementText.formats(text, "fmt"));
        assertThat(e.reason()).contains("\"" + text + "\"");
    }

    @Test
    void readsOneFormat() {
        assertThat(RequirementText.format("TensorRT", "delivery.format")).isEqualTo(TENSORRT);
        assertThat(RequirementText.format("onnx", "delivery.format")).isEqualTo(ONNX);
        Problems.expect(QuiverException.Kind.BAD_INPUT, "delivery.format",
                () -> RequirementText.format("ONNX or TensorRT", "delivery.format"));
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "hourly            | PT1H",
            "daily             | PT24H",
            "Weekly            | PT168H",
            "minutely          | PT1M",
            "every 15 minutes  | PT15M",
            "every minute      | PT1M",
            "every hour        | PT1H",
            "every 2 h         | PT2H",
            "every 30 s        | PT30S",
            "every 1.5 hours   | PT1H30M",
            "every day         | PT24H",
            "PT1H              | PT1H",
            "pt15m             | PT15M",
            "P1D               | PT24H",
            "real-time         | PT0S",
            "streaming         | PT0S",
    })
    void readsUpdateFrequency(String text, String iso) {
        assertThat(RequirementText.updateFrequency(text, "request.update_frequency")).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest(name = "\"{0}\" is not a frequency")
    @ValueSource(strings = {"sometimes", "every", "every 0 minutes", "PT0S", "P1W", "every 15", "15 minutes",
            "every -1 hours", "hourly-ish"})
    void refusesUnreadableUpdateFrequency(String text) {
        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, "request.update_frequency",
                () -> RequirementText.updateFrequency(text, "request.update_frequency"));
        assertThat(e.reason()).contains("\"" + text + "\"");
    }
}
