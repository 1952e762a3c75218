package dev.quiver.feature;

import dev.quiver.error.QuiverException;
import dev.quiver.testing.FeatureFixtures;
import dev.quiver.testing.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks a read's {@code entities} and a push's {@code df} share, as their callers see them. */
class ColumnsTest {

    @TempDir
    Path dir;

    private static Map<String, List<Object>> table(String first, List<Object> a, String second, List<Object> b) {
        Map<String, List<Object>> t = new LinkedHashMap<>();
        t.put(first, a);
        t.put(second, b);
        return t;
    }

    @Test
    void columnsOfDifferentLengthsAreNamedWithTheFirstColumnsLength() {
        FeatureDefinitions defs = FeatureFixtures.definitions();
        OnlineFeatures reader = new OnlineFeatures(defs, new FileOnlineStore(dir, defs), Clock.systemUTC(), 100,
                FetchObserver.NONE);
        QuiverException read = Problems.expect(QuiverException.Kind.BAD_INPUT, "entities.customer_id",
                () -> reader.keys(table("driver_id", List.of(1, 2), "customer_id", List.of("c1")),
                        List.of(new FeatureRef("driver_customer", "rides_together"))));
        assertThat(read.reason()).isEqualTo("holds 1 values, but driver_id holds 2; every join key needs one value per row");

        FeatureWriter writer = new FeatureWriter(defs, new FileOnlineStore(dir, defs), 100);
        QuiverException push = Problems.expect(QuiverException.Kind.BAD_INPUT, "df.conv_rate",
                () -> writer.push(new PushRequest("driver_push",
                        table("driver_id", List.of(1, 2), "conv_rate", List.of(0.5)), null)));
        assertThat(push.reason()).isEqualTo("holds 1 values, but driver_id holds 2; every column needs one value per row");
    }

    @Test
    void moreRowsThanTheLimitAreTooLarge() {
        List<Object> three = List.of(1, 2, 3);
        QuiverException e = Problems.expect(QuiverException.Kind.TOO_LARGE, "df",
                () -> Columns.withinLimit(three.size(), 2, "df", "rows"));
        assertThat(e.reason()).isEqualTo("3 rows is more than the limit of 2");
        Columns.withinLimit(2, 2, "df", "rows");
    }
}
