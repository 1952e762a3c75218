package dev.quiver.feature;

import dev.quiver.error.Stages;
import dev.quiver.error.QuiverException;
import dev.quiver.testing.FeatureFixtures;
import dev.quiver.testing.Problems;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OnlineFeaturesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private FileOnlineStore store;
    private OnlineFeatures features;
    private FeatureWriter writer;
    private final List<String> observed = new ArrayList<>();

    @BeforeEach
    void setUp() {
        FeatureDefinitions defs = FeatureFixtures.definitions();
        store = new FileOnlineStore(dir, defs);
        features = new OnlineFeatures(defs, store, clock, 100,
                (s, view, n, nanos, statuses, ok) -> observed.add(s + ":" + view + ":" + n + ":" + ok));
        writer = new FeatureWriter(defs, store, 100);
    }

    private PushResult pushDriver(long id, String ts, double conv, long trips, String city) {
        Map<String, List<Object>> df = new LinkedHashMap<>();
        df.put("driver_id", List.of(id));
        df.put("event_timestamp", List.of(ts));
        df.put("conv_rate", List.of(conv));
        df.put("trips", List.of(trips));
        df.put("city", city == null ? java.util.Collections.singletonList(null) : List.of(city));
        return writer.push(new PushRequest("driver_push", df, null));
    }

    private OnlineFeaturesResponse get(List<String> refs, Object... driverIds) {
        return answer(new OnlineFeaturesRequest(refs, null, Map.of("driver_id", List.of(driverIds)), null));
    }

    /** The answer to {@code request}, or what its stage failed with, thrown. */
    private OnlineFeaturesResponse answer(OnlineFeaturesRequest request) {
        return Stages.join(features.get(request));
    }

    @Test
    void answersColumnMajorWithEntityColumnsFirstAndAStatusPerValue() {
        pushDriver(1001, "2026-01-01T09:30:00Z", 0.5, 12, "Lisbon");
        OnlineFeaturesResponse r = get(List.of("driver_stats:conv_rate", "driver_stats:city"), 1001, 1002);

        assertThat(r.metadata().featureNames()).containsExactly("driver_id", "conv_rate", "city");
        assertThat(r.results().get(0).values()).containsExactly(1001L, 1002L);
        assertThat(r.results().get(0).statuses()).containsOnly(FeatureStatus.PRESENT);
        assertThat(r.results().get(1).values()).containsExactly(0.5f, null);
        assertThat(r.results().get(1).statuses()).containsExactly(FeatureStatus.PRESENT, FeatureStatus.NOT_FOUND);
        assertThat(r.results().get(1).eventTimestamps()).containsExactly(Instant.parse("2026-01-01T09:30:00Z"), Instant.EPOCH);
        assertThat(r.results().get(2).values()).containsExactly("Lisbon", null);
        assertThat(observed).containsExactly("embedded:driver_stats:2:true");
    }

    @Test
    void theViewsTtlIsEnforcedOnReadAndTheStaleValueStillReturned() {
        pushDriver(7, "2026-01-01T09:00:00Z", 0.25, 3, "Porto");
        assertThat(get(List.of("driver_stats:conv_rate"), 7).results().get(1).statuses()).containsExactly(FeatureStatus.PRESENT);
        clock.now = T0.plus(Duration.ofMinutes(1));
        OnlineFeaturesResponse r = get(List.of("driver_stats:conv_rate"), 7);
        assertThat(r.results().get(1).statuses()).containsExactly(FeatureStatus.OUTSIDE_MAX_AGE);
        assertThat(r.results().get(1).values()).containsExactly(0.25f);
    }

    @Test
    void aViewWithoutTtlNeverGoesStaleAndAStoredNullIsNullValue() {
        store.write(FeatureFixtures.DRIVER_PROFILE, List.of(new FeatureRow(EntityKey.of("driver_id", 5L),
                Instant.parse("2000-01-01T00:00:00Z"), new java.util.HashMap<>(Map.of("rating", 4.5, "trips", 10L)) {{
                    put("active", null);
                }})));
        OnlineFeaturesResponse r = get(List.of("driver_profile:rating", "driver_profile:active"), 5);
        assertThat(r.results().get(1).statuses()).containsExactly(FeatureStatus.PRESENT);
        assertThat(r.results().get(2).statuses()).containsExactly(FeatureStatus.NULL_VALUE);
    }

    @Test
    void aValueTheStoreCannotDecodeIsInvalidWithANullValueAndTheRestOfTheReadIsAnsweredAsUsual() {
        Instant written = T0.minus(Duration.ofMinutes(10));
        Instant stale = T0.minus(Duration.ofHours(2));
        Map<String, Object> fresh = new java.util.HashMap<>();
        fresh.put("conv_rate", 0.5f);
        fresh.put("city", StoredRow.INVALID);
        Map<String, Object> old = new java.util.HashMap<>();
        old.put("conv_rate", StoredRow.INVALID);
        old.put("city", "Porto");
        OnlineStore oneBadValuePerRow = new OnlineStore() {
            @Override
            public String kind() {
                return "stub";
            }

            @Override
            public java.util.concurrent.CompletionStage<List<List<StoredRow>>> read(List<ViewRead> reads) {
                return java.util.concurrent.CompletableFuture.completedFuture(
                        List.of(java.util.Arrays.asList(new StoredRow(written, fresh), new StoredRow(stale, old), null)));
            }

            @Override
            public int write(FeatureView view, List<FeatureRow> rows) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
            }
        };
        List<int[]> counts = new ArrayList<>();
        OnlineFeatures reader = new OnlineFeatures(FeatureFixtures.definitions(), oneBadValuePerRow, clock, 100,
                (s, view, n, nanos, statuses, ok) -> counts.add(statuses.clone()));

        OnlineFeaturesResponse r = Stages.join(reader.get(new OnlineFeaturesRequest(List.of("driver_stats:conv_rate",
                "driver_stats:city"), null, Map.of("driver_id", List.of(1, 2, 3)), null)));

        assertThat(r.results().get(1).values()).containsExactly(0.5f, null, null);
        assertThat(r.results().get(1).statuses()).as("even in a row older than the view's TTL").containsExactly(
                FeatureStatus.PRESENT, FeatureStatus.INVALID, FeatureStatus.NOT_FOUND);
        assertThat(r.results().get(1).eventTimestamps()).containsExactly(written, stale, Instant.EPOCH);
        assertThat(r.results().get(2).values()).containsExactly(null, "Porto", null);
        assertThat(r.results().get(2).statuses()).containsExactly(
                FeatureStatus.INVALID, FeatureStatus.OUTSIDE_MAX_AGE, FeatureStatus.NOT_FOUND);
        int[] expected = new int[FeatureStatus.values().length];
        expected[FeatureStatus.PRESENT.ordinal()] = 1;
        expected[FeatureStatus.INVALID.ordinal()] = 2;
        expected[FeatureStatus.OUTSIDE_MAX_AGE.ordinal()] = 1;
        expected[FeatureStatus.NOT_FOUND.ordinal()] = 2;
        assertThat(counts).singleElement().isEqualTo(expected);
    }

    @Test
    void statusesAreNumberedAsFeastsFieldStatus() {
        // protos/feast/serving/ServingService.proto: INVALID = 0, PRESENT = 1, NULL_VALUE = 2, NOT_FOUND = 3,
        // OUTSIDE_MAX_AGE = 4
        assertThat(FeatureStatus.values()).containsExactly(FeatureStatus.INVALID, FeatureStatus.PRESENT,
                FeatureStatus.NULL_VALUE, FeatureStatus.NOT_FOUND, FeatureStatus.OUTSIDE_MAX_AGE);
    }

    @Test
    void anOlderEventNeverOverwritesANewerOne() {
        assertThat(pushDriver(1, "2026-01-01T09:00:00Z", 0.9, 1, "A").written()).isEqualTo(1);
        PushResult older = pushDriver(1, "2026-01-01T08:00:00Z", 0.1, 2, "B");
        assertThat(older.written()).isZero();
        assertThat(older.skipped()).isEqualTo(1);
        assertThat(pushDriver(1, "2026-01-01T09:00:00Z", 0.2, 3, "C").written()).as("an equal time is skipped, as Feast skips it").isZero();
        assertThat(get(List.of("driver_stats:city"), 1).results().get(1).values()).containsExactly("A");
        assertThat(pushDriver(1, "2026-01-01T09:00:01Z", 0.3, 4, "D").written()).isEqualTo(1);
        assertThat(get(List.of("driver_stats:city"), 1).results().get(1).values()).containsExactly("D");
    }

    @Test
    void aFeatureServiceReadsAcrossViewsAndFullNamesDisambiguate() {
        pushDriver(3, "2026-01-01T09:59:00Z", 0.7, 9, "X");
        OnlineFeaturesResponse r = answer(new OnlineFeaturesRequest(null, "ranking", Map.of("driver_id", List.of(3)), true));
        assertThat(r.metadata().featureNames()).containsExactly("driver_id", "driver_stats__conv_rate", "driver_profile__rating");
        assertThat(r.results().get(1).values()).containsExactly(0.7f);
        assertThat(r.results().get(2).statuses()).containsExactly(FeatureStatus.NOT_FOUND);
        Problems.expect(QuiverException.Kind.BAD_INPUT, "features", () -> get(List.of("driver_stats:trips", "driver_profile:trips"), 3));
    }

    @Test
    void aViewKeyedByTwoEntitiesReadsByBoth() {
        store.write(FeatureFixtures.PAIR, List.of(new FeatureRow(EntityKey.of(Map.of("driver_id", 1L, "customer_id", "c9")), T0,
                Map.of("rides_together", 4))));
        Map<String, List<Object>> entities = new LinkedHashMap<>();
        entities.put("driver_id", List.of(1, 1));
        entities.put("customer_id", List.of("c9", "c8"));
        OnlineFeaturesResponse r = answer(new OnlineFeaturesRequest(List.of("driver_customer:rides_together"), null, entities, false));
        assertThat(r.metadata().featureNames()).containsExactly("driver_id", "customer_id", "rides_together");
        assertThat(r.results().get(2).values()).containsExactly(4, null);
    }

    @Test
    void aBadReadFailsItsStageAndThrowsNothing() {
        java.util.concurrent.CompletionStage<OnlineFeaturesResponse> answer = features.get(
                new OnlineFeaturesRequest(List.of("driver_stats:nope"), null, Map.of("driver_id", List.of(1)), null));
        assertThat(answer.toCompletableFuture()).isCompletedExceptionally();
        java.util.concurrent.CompletionStage<FeatureMatrix> read = features.fetch(
                List.of(new FeatureRef("nope", "conv_rate")), List.of(EntityKey.of("driver_id", 1L)));
        Problems.expect(QuiverException.Kind.NOT_FOUND, "features", () -> Stages.join(read));
    }

    @Test
    void badReadsAre4xxNamingTheProblem() {
        List<String> conv = List.of("driver_stats:conv_rate");
        Problems.expect(QuiverException.Kind.NOT_FOUND, "features[0]", () -> get(List.of("driver_stats:nope"), 1));
        Problems.expect(QuiverException.Kind.NOT_FOUND, "features[0]", () -> get(List.of("nope:conv_rate"), 1));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "features[0]", () -> get(List.of("conv_rate"), 1));
        Problems.expect(QuiverException.Kind.NOT_FOUND, "feature_service",
                () -> answer(new OnlineFeaturesRequest(null, "nope", Map.of("driver_id", List.of(1)), null)));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "features",
                () -> answer(new OnlineFeaturesRequest(conv, "ranking", Map.of("driver_id", List.of(1)), null)));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "entities.rider_id",
                () -> answer(new OnlineFeaturesRequest(conv, null, Map.of("rider_id", List.of(1)), null)));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "entities.driver_id[1]", () -> get(conv, 1, "two"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "entities.driver_id",
                () -> answer(new OnlineFeaturesRequest(conv, null, Map.of("driver_id", List.of()), null)));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "entities",
                () -> answer(new OnlineFeaturesRequest(conv, null, Map.of(), null)));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "entities",
                () -> answer(new OnlineFeaturesRequest(List.of("driver_customer:rides_together"), null, Map.of("driver_id", List.of(1)), null)));
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(i);
        }
        Problems.expect(QuiverException.Kind.TOO_LARGE, "entities",
                () -> answer(new OnlineFeaturesRequest(conv, null, Map.of("driver_id", many), null)));
    }

    @Test
    void aPushWithABadRowIsRejectedWholeWithNothingWritten() {
        Map<String, List<Object>> df = new LinkedHashMap<>();
        df.put("driver_id", List.of(1, 2));
        df.put("event_timestamp", java.util.Arrays.asList("2026-01-01T09:00:00Z", null));
        df.put("conv_rate", List.of(0.1, 0.2));
        df.put("trips", List.of(1, 2));
        df.put("city", List.of("a", "b"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "df[1].event_timestamp",
                () -> writer.push(new PushRequest("driver_push", df, "online")));
        assertThat(store.size("driver_stats")).isZero();

        df.put("event_timestamp", List.of("2026-01-01T09:00:00Z", "2026-01-01 09:00:00+00:00"));
        df.put("driver_id", java.util.Arrays.asList(1, null));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "df[1].driver_id", () -> writer.push(new PushRequest("driver_push", df, null)));
        df.put("driver_id", List.of(1, 2));
        df.put("speed", List.of(1, 2));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "df.speed", () -> writer.push(new PushRequest("driver_push", df, null)));
        df.remove("speed");
        df.remove("city");
        Problems.expect(QuiverException.Kind.BAD_INPUT, "df[0].city", () -> writer.push(new PushRequest("driver_push", df, null)));
        df.put("city", List.of("a"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "df.city", () -> writer.push(new PushRequest("driver_push", df, null)));
        df.put("city", List.of("a", "b"));
        Problems.expect(QuiverException.Kind.NOT_FOUND, "push_source_name", () -> writer.push(new PushRequest("nope", df, null)));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "to", () -> writer.push(new PushRequest("driver_push", df, "offline")));
        assertThat(store.size("driver_stats")).isZero();

        assertThat(writer.push(new PushRequest("driver_push", df, "online_and_offline")).written()).isEqualTo(2);
        assertThat(store.size("driver_stats")).isEqualTo(2);
    }

    @Test
    void theEmbeddedStoreSurvivesARestartAndSeesAnotherProcesssWrites() {
        pushDriver(1, "2026-01-01T09:00:00Z", 0.5, 1, "A");
        FileOnlineStore second = new FileOnlineStore(dir, FeatureFixtures.definitions());
        assertThat(second.size("driver_stats")).isEqualTo(1);
        second.write(FeatureFixtures.DRIVER_STATS, List.of(new FeatureRow(EntityKey.of("driver_id", 1L),
                Instant.parse("2026-01-01T09:10:00Z"), Map.of("conv_rate", 0.75f, "trips", 2L, "city", "B"))));
        assertThat(get(List.of("driver_stats:conv_rate"), 1).results().get(1).values())
                .as("the first store reads what the second appended").containsExactly(0.75f);
        assertThat(pushDriver(1, "2026-01-01T09:05:00Z", 0.1, 1, "C").written())
                .as("and checks its own writes against it").isZero();
    }

    @Test
    void aStoreOpenedWithoutAReplayAtStartReadsTheWholeLogAtItsFirstReadAndKnowsItWasWritten() {
        assertThat(new FileOnlineStore(dir.resolve("fresh"), FeatureFixtures.definitions(), false).neverWritten()).isTrue();
        pushDriver(1, "2026-01-01T09:00:00Z", 0.5, 1, "A");
        pushDriver(2, "2026-01-01T09:00:00Z", 0.25, 3, "B");

        FileOnlineStore deferred = new FileOnlineStore(dir, FeatureFixtures.definitions(), false);

        assertThat(deferred.neverWritten()).isFalse();
        assertThat(Stages.join(deferred.read(List.of(new OnlineStore.ViewRead(FeatureFixtures.DRIVER_STATS,
                List.of(EntityKey.of("driver_id", 2L)), List.of("city"))))).get(0).get(0).values())
                .containsEntry("city", "B");
        assertThat(deferred.size("driver_stats")).isEqualTo(2);
    }

    @Test
    void aStoreOpenedOnALongLogAnswersItsFirstReadFromTheWholeLog() {
        List<FeatureRow> rows = new ArrayList<>();
        for (long id = 0; id < 20_000; id++) {
            rows.add(new FeatureRow(EntityKey.of("driver_id", id), Instant.parse("2026-01-01T09:00:00Z"),
                    Map.of("conv_rate", 0.5f, "trips", id, "city", "A")));
        }
        store.write(FeatureFixtures.DRIVER_STATS, rows);
        for (int attempt = 0; attempt < 5; attempt++) {
            // the log is replayed on another thread: the first read must wait for it, never see part of it
            FileOnlineStore reopened = new FileOnlineStore(dir, FeatureFixtures.definitions());
            List<StoredRow> last = Stages.join(reopened.read(List.of(new OnlineStore.ViewRead(FeatureFixtures.DRIVER_STATS,
                    List.of(EntityKey.of("driver_id", 19_999L)), List.of("trips"))))).get(0);
            assertThat(last.get(0)).as("attempt " + attempt).isNotNull();
            assertThat(last.get(0).values()).containsEntry("trips", 19_999L);
            assertThat(new FileOnlineStore(dir, FeatureFixtures.definitions()).size("driver_stats")).isEqualTo(20_000);
        }
    }

    @Test
    void materializeLoadsTheChurnDataKeyedByRowNumber() {
        Path root = FeatureFixtures.repositoryRoot();
        FeatureDefinitions defs = FeatureDefinitions.read(root.resolve("config/features.yaml"));
        FileOnlineStore churnStore = new FileOnlineStore(dir.resolve("churn"), defs);
        OnlineFeatures churn = new OnlineFeatures(defs, churnStore, clock, 100, FetchObserver.NONE);
        FeatureWriter churnWriter = new FeatureWriter(defs, churnStore, 100);
        FeatureView view = defs.view("churn_features", "x");
        Materializer.Result result = new Materializer(churnWriter, 1000).load(view, defs.sourceFile(view), view.source(), T0);
        assertThat(result.rows()).isEqualTo(5000);
        assertThat(result.written()).isEqualTo(5000);
        OnlineFeaturesResponse r = Stages.join(churn.get(new OnlineFeaturesRequest(null, "churn_model", Map.of("customer_id", List.of(1, 5000, 5001)), false)));
        int state = r.metadata().featureNames().indexOf("state");
        int day = r.metadata().featureNames().indexOf("total_day_minutes");
        assertThat(r.results().get(state).values()).containsExactly("KS", r.results().get(state).values().get(1), null);
        assertThat(r.results().get(day).values().get(0)).isEqualTo(265.1);
        assertThat(r.results().get(day).statuses()).containsExactly(FeatureStatus.PRESENT, FeatureStatus.PRESENT, FeatureStatus.NOT_FOUND);
        assertThat(new Materializer(churnWriter, 1000).load(view, defs.sourceFile(view), view.source(), T0).written())
                .as("loading the same data again changes nothing").isZero();
    }

    @Test
    void materializeRefusesAFileWithABadRowAndWritesNothing() throws Exception {
        Path f = dir.resolve("drivers.jsonl");
        java.nio.file.Files.writeString(f, """
                {"driver_id": 1, "event_timestamp": "2026-01-01T09:00:00Z", "conv_rate": 0.5, "trips": 3, "city": "A"}
                {"driver_id": 2, "event_timestamp": "2026-01-01T09:00:00Z", "conv_rate": "fast", "trips": 3, "city": "B"}
                """);
        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, "drivers.jsonl line 2.conv_rate",
                () -> new Materializer(writer, 1).load(FeatureFixtures.DRIVER_STATS, f, null, T0));
        assertThat(e.reason()).contains("number");
        assertThat(store.size("driver_stats")).isZero();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
