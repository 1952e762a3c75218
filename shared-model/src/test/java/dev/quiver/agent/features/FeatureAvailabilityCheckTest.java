package dev.quiver.agent.features;

import dev.quiver.agent.FeatureAvailability;
import dev.quiver.agent.FeatureAvailability.Status;
import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.Messages;
import dev.quiver.error.Stages;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureRow;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.FetchObserver;
import dev.quiver.feature.FileOnlineStore;
import dev.quiver.feature.OnlineFeatures;
import dev.quiver.feature.OnlineStore;
import dev.quiver.feature.StoredRow;
import dev.quiver.testing.FeatureFixtures;
import dev.quiver.testing.SimClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;

class FeatureAvailabilityCheckTest {

    @TempDir
    Path dir;

    private final SimClock clock = new SimClock();
    private final FeatureDefinitions defs = FeatureFixtures.definitions();
    private FileOnlineStore store;
    private static final EntityKey DRIVER = EntityKey.of("driver_id", 1001L);

    /** Probe entities for the two driver views; none for the driver-customer view. */
    private static List<EntityKey> probes(FeatureView view) {
        return view.joinKeys().equals(List.of("driver_id")) ? List.of(DRIVER) : List.of();
    }

    @BeforeEach
    void storeOneDriverTwentyMinutesAgo() {
        store = new FileOnlineStore(dir, defs);
        store.write(FeatureFixtures.DRIVER_STATS, List.of(new FeatureRow(DRIVER, clock.now.minus(Duration.ofMinutes(20)),
                Map.of("conv_rate", 0.5f, "trips", 12L, "city", "Lyon"))));
    }

    private FeatureAvailability check(OnlineStore s, String features, String more) {
        FeatureRequest request = (FeatureRequest) Messages.parse("""
                {"action": "feature_store_request", "recipient": "quiver_ml_engineer", "sender": "data_scientist_id",
                 "message_id": "m-9", "request": {"features": %s%s}}
                """.formatted(features, more));
        OnlineFeatures online = new OnlineFeatures(defs, s, clock, 100, FetchObserver.NONE);
        return Stages.join(new FeatureAvailabilityCheck(defs, online, FeatureAvailabilityCheckTest::probes, clock)
                .check(request, "quiver_ml_engineer"));
    }

    private static FeatureAvailability.Feature feature(FeatureAvailability a, String name) {
        return a.availability().features().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void storedFreshFeaturesAreAvailableWithTheirTypeAndAge() {
        FeatureAvailability a = check(store, "[\"conv_rate\", \"driver_stats:city\"]",
                ", \"latency_requirement\": \"< 1 s\", \"update_frequency\": \"hourly\"");

        assertThat(a.availability().features()).extracting(FeatureAvailability.Feature::name)
                .containsExactly("conv_rate", "driver_stats:city");
        FeatureAvailability.Feature conv = feature(a, "conv_rate");
        assertThat(conv.status()).isEqualTo(Status.AVAILABLE);
        assertThat(conv.type()).isEqualTo("float");
        assertThat(conv.freshness()).isEqualTo(Duration.ofMinutes(20));
        assertThat(conv.reason()).contains("reads took");
        assertThat(feature(a, "driver_stats:city").type()).isEqualTo("string");
        assertThat(a.inReplyTo()).isEqualTo("m-9");
        assertThat(a.header().correlationId()).isEqualTo("m-9");
        assertThat(a.header().recipient()).isEqualTo("data_scientist_id");
        Messages.check(a);
    }

    @Test
    void undefinedUnstoredStaleAndSlowFeaturesAreMissingWithTheReason() {
        FeatureAvailability a = check(store, "[\"last_login\", \"rating\", \"conv_rate\"]",
                ", \"update_frequency\": \"every 10 minutes\"");
        assertThat(feature(a, "last_login").status()).isEqualTo(Status.MISSING);
        assertThat(feature(a, "last_login").reason()).contains("no feature view");
        assertThat(feature(a, "rating").reason()).contains("holds no value of it for the 1 probe entities");
        assertThat(feature(a, "conv_rate").status()).isEqualTo(Status.MISSING);
        assertThat(feature(a, "conv_rate").reason()).contains("stale").contains("PT20M").contains("PT10M");

        OnlineStore slow = new OnlineStore() {
            @Override
            public String kind() {
                return "slow";
            }

            @Override
            public CompletionStage<List<List<StoredRow>>> read(List<ViewRead> reads) {
                try {
                    Thread.sleep(15);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return store.read(reads);
            }

            @Override
            public int write(FeatureView view, List<FeatureRow> rows) {
                return store.write(view, rows);
            }

            @Override
            public void close() {
            }
        };
        FeatureAvailability.Feature tooSlow = feature(check(slow, "[\"conv_rate\"]",
                ", \"latency_requirement\": \"real-time\""), "conv_rate");
        assertThat(tooSlow.status()).isEqualTo(Status.MISSING);
        assertThat(tooSlow.reason()).startsWith("too slow").contains("p99 <= 10 ms");
    }

    @Test
    void aViewWithoutProbeEntitiesIsAvailableAndSaysWhatWasNotMeasured() {
        FeatureAvailability.Feature f = feature(check(store, "[\"rides_together\"]", ""), "rides_together");

        assertThat(f.status()).isEqualTo(Status.AVAILABLE);
        assertThat(f.freshness()).isNull();
        assertThat(f.reason()).contains("not measured");
    }

    @Test
    void aPlainNameTwoViewsDefineIsRefusedNamingBoth() {
        var e = expect(BAD_INPUT, "request.features[1]", () -> check(store, "[\"city\", \"trips\"]", ""));

        assertThat(e.reason()).contains("driver_stats:trips").contains("driver_profile:trips");
        expect(BAD_INPUT, "request.features[0]", () -> check(store, "[\"driver_stats:\"]", ""));
    }
}
