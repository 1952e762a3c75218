package dev.quiver.features;

import dev.quiver.testing.redis.RedisServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.quiver.features.FeastBodies.customer;
import static dev.quiver.features.FeastBodies.get;
import static dev.quiver.features.FeastBodies.push;
import static dev.quiver.features.FeastBodies.refs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The features function in-process over a real {@code redis-server}: each fetch is a {@code quiver.features.fetch}
 * span with {@code quiver.store=redis}, and the Redis round trip is a CLIENT span inside it, made by the adapter with
 * the application's tracer.
 */
@QuarkusTest
@WithTestResource(RedisTracingIT.Redis.class)
class RedisTracingIT {

    /** A redis-server for this class, and the function pointed at it. */
    public static class Redis implements QuarkusTestResourceLifecycleManager {
        private RedisServer server;

        @Override
        public Map<String, String> start() {
            server = RedisServer.start();
            return Map.of("quiver.features.store.kind", "redis", "quiver.features.redis.uri", server.uri(),
                    "quiver.features.definitions", TestDefinitions.file().toString());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
            }
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theRedisRoundTripIsAClientSpanInsideTheFetchSpan() {
        Feast.push(push(customer(985_001, Instant.now().minus(1, ChronoUnit.HOURS)).with("state", "OK"))).statusCode(200);
        spans.reset();

        assertThat(Feast.read(get(refs("state"), 985_001, 985_002)).values("state")).containsExactly("OK", null);

        await().untilAsserted(() -> assertThat(named("quiver.features.fetch")).hasSize(1));
        SpanData fetch = named("quiver.features.fetch").get(0);
        assertThat(fetch.getAttributes().get(AttributeKey.stringKey("quiver.store"))).isEqualTo("redis");
        assertThat(fetch.getAttributes().get(AttributeKey.longKey("quiver.entities"))).isEqualTo(2L);
        List<SpanData> children = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(fetch.getSpanId())).toList();
        assertThat(children).singleElement().satisfies(redis -> {
            assertThat(redis.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(redis.getName()).startsWith("redis");
            assertThat(redis.getTraceId()).isEqualTo(fetch.getTraceId());
        });
    }

    private List<SpanData> named(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }
}
