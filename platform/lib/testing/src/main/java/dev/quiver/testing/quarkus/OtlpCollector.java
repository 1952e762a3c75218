package dev.quiver.testing.quarkus;

import dev.quiver.testing.http.RecordingEndpoint;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP collector for a test run: a real HTTP endpoint on a free port that answers every export with 200 and keeps
 * it, named to the function as its OTLP endpoint ({@code http/protobuf}). The spans' text (names, attribute keys
 * and string values) and raw trace ids can be found in what it received; nothing decodes the protobuf.
 */
public class OtlpCollector implements QuarkusTestResourceLifecycleManager {

    private static final List<RecordingEndpoint.Request> RECEIVED = new CopyOnWriteArrayList<>();

    private RecordingEndpoint endpoint;

    @Override
    public Map<String, String> start() {
        RECEIVED.clear();
        endpoint = RecordingEndpoint.start(200, RECEIVED);
        return Map.of("quarkus.otel.exporter.otlp.endpoint", endpoint.url(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
    }

    @Override
    public void stop() {
        endpoint.close();
    }

    /**
     * The settings of a test whose spans only an explicit flush can bring to the collector in time: the batch
     * processor's schedule is an hour, and the in-memory exporter of the other tests is left out.
     */
    public static Map<String, String> heldSpans() {
        return Map.of("quarkus.otel.bsp.schedule.delay", "1h",
                "quarkus.arc.exclude-types", InMemorySpans.class.getName());
    }

    /** Every trace export received so far, one after another. */
    public static byte[] traces() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        RECEIVED.stream().filter(r -> r.path().equals("/v1/traces")).forEach(r -> all.writeBytes(r.bytes()));
        return all.toByteArray();
    }

    /** The trace exports received so far as Latin-1 text, in which span names and attributes can be found. */
    public static String tracesText() {
        return new String(traces(), StandardCharsets.ISO_8859_1);
    }

    /** Whether an export received so far holds the trace id {@code hex} (32 hex digits), as OTLP sends it raw. */
    public static boolean holdsTrace(String hex) {
        byte[] sent = traces();
        byte[] id = HexFormat.of().parseHex(hex);
        outer:
        for (int i = 0; i <= sent.length - id.length; i++) {
            for (int j = 0; j < id.length; j++) {
                if (sent[i + j] != id[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
