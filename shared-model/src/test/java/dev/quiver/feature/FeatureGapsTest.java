package dev.quiver.feature;

import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.requirement.RequirementText;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.team.CheckedChannel;
import dev.quiver.testing.FeatureFixtures;
import dev.quiver.testing.Problems;
import dev.quiver.testing.SimClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.quiver.testing.FeatureFixtures.DRIVER_STATS;
import static org.assertj.core.api.Assertions.assertThat;

class FeatureGapsTest {

    private static final List<String> ALL = List.of("conv_rate", "trips", "city");

    private final CheckedChannel team = new CheckedChannel();
    private final SimClock clock = new SimClock();

    @TempDir
    Path dir;

    /** More than 10% of windows of 100 rows. */
    private FeatureGaps gaps() {
        return new FeatureGaps(new FeatureGaps.Settings(0.1, 100), Map.of("driver_stats", "ranker"), team, clock);
    }

    /** A healthy read of {@code rows} rows of driver_stats. */
    private static void healthy(FeatureGaps g, int rows) {
        g.read(DRIVER_STATS, ALL, rows, 0, 0, null);
    }

    @Test
    void aWindowAboveTheMissingShareAsksForTheFeaturesRowsLackedOnce() {
        FeatureGaps g = gaps();

        g.read(DRIVER_STATS, ALL, 50, 6, 0, new int[] {0, 6, 0});
        assertThat(team.sent()).as("the window is not full").isEmpty();
        g.read(DRIVER_STATS, ALL, 50, 6, 0, new int[] {0, 2, 6});

        assertThat(team.featureRequests()).singleElement().satisfies(r -> {
            assertThat(r.header().recipient()).isEqualTo("data_engineer_id");
            assertThat(r.header().sender()).isEqualTo("quiver_ml_engineer");
            assertThat(r.header().sentAt()).isEqualTo(clock.instant());
            assertThat(r.request().features()).as("in the view's order")
                    .containsExactly("driver_stats:trips", "driver_stats:city");
            assertThat(r.request().latencyRequirement()).isEqualTo("real-time");
            assertThat(r.request().updateFrequency()).as("the view's TTL, one hour").isEqualTo("hourly");
            assertThat(r.request().modelId()).isEqualTo("ranker");
        });
        assertThat(g.inIncident("driver_stats")).isTrue();
        g.read(DRIVER_STATS, ALL, 100, 50, 0, new int[] {50, 0, 0});
        assertThat(team.featureRequests()).as("once per incident, not per window").hasSize(1);
    }

    @Test
    void theShareMustBeAboveTheSettingAndTheIncidentEndsWhenItRecovers() {
        FeatureGaps g = gaps();

        g.read(DRIVER_STATS, ALL, 100, 10, 10, new int[] {10, 0, 0});
        assertThat(team.sent()).as("10% is not above 10%").isEmpty();

        g.read(DRIVER_STATS, ALL, 100, 0, 11, null);
        assertThat(team.featureRequests()).singleElement().satisfies(r -> assertThat(r.request().features())
                .as("every feature read stale").containsExactly("driver_stats:conv_rate", "driver_stats:trips",
                        "driver_stats:city"));
        String first = team.featureRequests().get(0).header().correlationId();

        healthy(g, 100);
        assertThat(g.inIncident("driver_stats")).isFalse();
        g.read(DRIVER_STATS, ALL, 100, 0, 30, null);
        assertThat(team.featureRequests()).hasSize(2);
        assertThat(team.featureRequests().get(1).header().correlationId()).as("a new incident").isNotEqualTo(first);
    }

    @Test
    void aStaleGapDoesNotListFeaturesMissingBelowTheShare() {
        FeatureGaps g = gaps();

        g.read(DRIVER_STATS, List.of("conv_rate", "city"), 100, 2, 40, new int[] {0, 2});

        assertThat(team.featureRequests()).singleElement().satisfies(r -> assertThat(r.request().features())
                .containsExactly("driver_stats:conv_rate", "driver_stats:city"));
    }

    @Test
    void ttlsAreWrittenAsTheTeamsUpdateFrequenciesAndReadBack() {
        for (Duration ttl : List.of(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7),
                Duration.ofDays(90), Duration.ofHours(6), Duration.ofMinutes(15), Duration.ofSeconds(90))) {
            String text = FeatureGaps.updateFrequency(ttl);
            assertThat(RequirementText.updateFrequency(text, "update_frequency")).as(text).isEqualTo(ttl);
        }
        assertThat(FeatureGaps.updateFrequency(Duration.ofDays(90))).isEqualTo("every 90 days");
        assertThat(FeatureGaps.updateFrequency(Duration.ZERO)).isNull();
    }

    @Test
    void settingsRefuseSharesOutsideZeroAndOneAndEmptyWindows() {
        Problems.expect(QuiverException.Kind.BAD_INPUT, "share", () -> new FeatureGaps.Settings(0, 10));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "share", () -> new FeatureGaps.Settings(1, 10));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "window_rows", () -> new FeatureGaps.Settings(0.1, 0));
    }

    @Test
    void theModelOfAViewIsTheOneModelWhoseServiceReadsIt() {
        FeatureDefinitions defs = FeatureFixtures.definitions();

        assertThat(FeatureGaps.modelByView(Map.of("ranker", "ranking"), defs))
                .isEqualTo(Map.of("driver_stats", "ranker", "driver_profile", "ranker"));
        assertThat(FeatureGaps.modelByView(Map.of("ranker", "ranking", "other", "ranking"), defs)).isEmpty();
    }

    @Test
    void onlineReadsCountRowsThatLackAFeatureOrAreOlderThanTheTtl() {
        Instant now = Instant.parse("2026-11-28T03:00:00Z");
        FeatureDefinitions defs = FeatureFixtures.definitions();
        FileOnlineStore store = new FileOnlineStore(dir, defs);
        List<FeatureRow> rows = new ArrayList<>();
        for (long id = 1; id <= 8; id++) {
            // 1-2 stale, 3 lacks city, 9-10 not stored at all
            Instant at = id <= 2 ? now.minus(Duration.ofHours(2)) : now;
            Map<String, Object> values = id == 3 ? Map.of("conv_rate", 0.5f, "trips", 3L)
                    : Map.of("conv_rate", 0.5f, "trips", 3L, "city", "Oslo");
            rows.add(new FeatureRow(EntityKey.of("driver_id", id), at, values));
        }
        store.write(DRIVER_STATS, rows);
        List<Object[]> seen = new ArrayList<>();
        GapObserver spy = (view, features, n, missing, stale, byFeature) ->
                seen.add(new Object[] {view.name(), features, n, missing, stale, byFeature == null ? null : byFeature.clone()});
        OnlineFeatures online = new OnlineFeatures(defs, store, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC), 100,
                FetchObserver.NONE, spy);
        List<FeatureRef> refs = List.of(new FeatureRef("driver_stats", "trips"), new FeatureRef("driver_stats", "city"));
        List<Object> ids = new ArrayList<>();
        for (long id = 1; id <= 10; id++) {
            ids.add(id);
        }

        Stages.join(online.fetch(refs, online.keys(Map.of("driver_id", ids), refs)));

        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s[0]).isEqualTo("driver_stats");
            assertThat(s[1]).isEqualTo(List.of("trips", "city"));
            assertThat(s[2]).as("rows").isEqualTo(10);
            assertThat(s[3]).as("missing rows: 3, 9, 10").isEqualTo(3);
            assertThat(s[4]).as("stale rows: 1, 2").isEqualTo(2);
            assertThat((int[]) s[5]).containsExactly(2, 3);
        });
        seen.clear();
        Stages.join(online.fetch(refs, online.keys(Map.of("driver_id", List.of(4L, 5L)), refs)));
        assertThat(seen).singleElement().satisfies(s -> assertThat(s[5]).as("a healthy read").isNull());
    }

    @Test
    void everyRequestPassesTheSchema() {
        FeatureGaps g = new FeatureGaps(FeatureGaps.Settings.DEFAULT, Map.of(), team, clock);

        g.read(FeatureFixtures.DRIVER_PROFILE, List.of("rating"), 1000, 1000, 0, new int[] {1000});

        FeatureRequest r = team.featureRequests().get(0);
        assertThat(r.request().modelId()).isNull();
        assertThat(r.request().updateFrequency()).as("no TTL").isNull();
        assertThat(r.request().features()).containsExactly("driver_profile:rating");
    }
}
