package dev.quiver.features.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.quiver.feature.FeatureStatus;
import dev.quiver.feature.OnlineFeaturesResponse;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code get-online-features} answer's JSON, against {@code java.time} and Feast's rendering rules. */
class OnlineFeaturesJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(OnlineFeaturesResponse.class, new OnlineFeaturesJson()));

    @Test
    void timestampsAreWrittenAsInstantToStringWritesThem() {
        SplittableRandom random = new SplittableRandom(7);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(1_700_000_000, 500_000_000), Instant.ofEpochSecond(1_700_000_000, 123_456_000),
                Instant.ofEpochSecond(1_700_000_000, 123_456_789), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.parse("2024-02-29T12:00:00Z")));
        for (int i = 0; i < 10_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(random.nextLong(-100_000_000_000L, 300_000_000_000L), nanos));
        }
        for (Instant t : instants) {
            assertThat(OnlineFeaturesJson.rfc3339(t)).as("%s", t).isEqualTo(t.toString());
        }
    }

    @Test
    void writesFeastsColumnMajorShapeWithBareValuesStatusNamesAndRfc3339Times() throws Exception {
        Instant t = Instant.parse("2021-12-31T23:00:00Z");
        OnlineFeaturesResponse r = new OnlineFeaturesResponse(
                new OnlineFeaturesResponse.Metadata(List.of("driver_id", "conv_rate", "rating", "active", "photo", "trips")),
                List.of(column(List.of(1001L, 1002L), FeatureStatus.PRESENT, Instant.EPOCH, Instant.EPOCH),
                        column(Arrays.asList(0.5, null), FeatureStatus.PRESENT, t, Instant.EPOCH, FeatureStatus.NOT_FOUND),
                        column(List.of(0.7037264f, 4.0f), FeatureStatus.PRESENT, t, t),
                        column(List.of(true, false), FeatureStatus.OUTSIDE_MAX_AGE, t, t),
                        column(List.of(new byte[] {1, 2}, new byte[0]), FeatureStatus.PRESENT, t, t),
                        column(Arrays.asList(7, null), FeatureStatus.NULL_VALUE, t, t)));

        JsonNode json = JSON.readTree(JSON.writeValueAsString(r));

        assertThat(json.path("metadata").path("feature_names").toString())
                .isEqualTo("[\"driver_id\",\"conv_rate\",\"rating\",\"active\",\"photo\",\"trips\"]");
        JsonNode results = json.path("results");
        assertThat(results.get(0).toString()).isEqualTo("{\"values\":[1001,1002],\"statuses\":[\"PRESENT\",\"PRESENT\"],"
                + "\"event_timestamps\":[\"1970-01-01T00:00:00Z\",\"1970-01-01T00:00:00Z\"]}");
        assertThat(results.get(1).path("values").toString()).isEqualTo("[0.5,null]");
        assertThat(results.get(1).path("statuses").toString()).isEqualTo("[\"PRESENT\",\"NOT_FOUND\"]");
        assertThat(results.get(1).path("event_timestamps").toString())
                .isEqualTo("[\"2021-12-31T23:00:00Z\",\"1970-01-01T00:00:00Z\"]");
        // Feast's Python server prints a float32 widened to a double
        assertThat(results.get(2).path("values").toString()).isEqualTo("[0.7037264108657837,4.0]");
        assertThat(results.get(3).path("values").toString()).isEqualTo("[true,false]");
        assertThat(results.get(3).path("statuses").get(0).asText()).isEqualTo("OUTSIDE_MAX_AGE");
        assertThat(results.get(4).path("values").toString()).isEqualTo("[\"AQI=\",\"\"]");
        assertThat(results.get(5).path("values").toString()).isEqualTo("[7,null]");
    }

    private static OnlineFeaturesResponse.FeatureVector column(List<?> values, FeatureStatus first, Instant t0,
                                                               Instant t1, FeatureStatus... second) {
        FeatureStatus s1 = second.length > 0 ? second[0] : first;
        return new OnlineFeaturesResponse.FeatureVector(new ArrayList<>(values), List.of(first, s1), List.of(t0, t1));
    }
}
