package dev.quiver.wiring.features;

import dev.quiver.error.Stages;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.OnlineStore;
import dev.quiver.feature.ValueType;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ready ({@code /q/health/ready}) when the feature definitions are loaded and the online store answers a read:
 * one entity of the first view that no client uses, so the probe costs Redis one {@code HMGET} and the embedded
 * store a map lookup. A store that is down or slow fails the read within its timeout, and the probe says why.
 */
@Readiness
public class StoreReadiness implements HealthCheck {

    private final FeatureDefinitions definitions;
    private final OnlineStore store;
    private final boolean enabled;

    public StoreReadiness(FeatureDefinitions definitions, OnlineStore store, FeatureStoreConfig config) {
        this.definitions = definitions;
        this.store = store;
        this.enabled = config.readiness();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("online store").withData("store", store.kind())
                .withData("views", definitions.views().size());
        if (!enabled || definitions.views().isEmpty()) {
            return r.up().build();
        }
        FeatureView view = definitions.views().get(0);
        try {
            // health checks run on a worker thread, which may wait; the read's own timeout bounds the wait
            Stages.join(store.read(List.of(new OnlineStore.ViewRead(view, List.of(probeKey(view)),
                    List.of(view.features().get(0).name())))));
            return r.up().build();
        } catch (RuntimeException e) {
            return r.down().withData("reason", String.valueOf(e.getMessage())).build();
        }
    }

    /** A key of the view's types that names no real entity. */
    private static EntityKey probeKey(FeatureView view) {
        Map<String, Object> key = new HashMap<>();
        view.entities().forEach(e -> key.put(e.joinKey(), probeValue(e.valueType())));
        return EntityKey.of(key);
    }

    private static Object probeValue(ValueType type) {
        return switch (type) {
            case INT32 -> Integer.MIN_VALUE;
            case INT64, UNIX_TIMESTAMP -> Long.MIN_VALUE;
            case BYTES -> "quiver-readiness-probe".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            default -> "quiver-readiness-probe";
        };
    }
}
