package dev.quiver.feature;

import dev.quiver.error.QuiverException;
import dev.quiver.testing.FeatureFixtures;
import dev.quiver.testing.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureDefinitionsTest {

    @Test
    void theRepositoryDefinitionsDeclareTheChurnViewWithTheModelsNineteenFeatures() {
        FeatureDefinitions defs = FeatureDefinitions.read(FeatureFixtures.repositoryRoot().resolve("config/features.yaml"));
        assertThat(defs.project()).isEqualTo("quiver_demo");
        FeatureView view = defs.view("churn_features", "x");
        assertThat(view.joinKeys()).containsExactly("customer_id");
        assertThat(view.features()).hasSize(19);
        assertThat(view.ttl()).isEqualTo(Duration.ofDays(90));
        assertThat(view.feature("state").dtype()).isEqualTo(ValueType.STRING);
        assertThat(view.feature("total_day_minutes").dtype()).isEqualTo(ValueType.DOUBLE);
        assertThat(view.source().rowNumberKey()).isEqualTo("customer_id");
        assertThat(defs.service("churn_model", "x")).hasSize(19).allMatch(r -> r.view().equals("churn_features"));
        assertThat(defs.pushTargets("churn_push", "x")).containsExactly(view);
    }

    @Test
    void ttlsReadAsPeopleWriteThem() {
        assertThat(FeatureDefinitions.duration("90d", "t")).isEqualTo(Duration.ofDays(90));
        assertThat(FeatureDefinitions.duration("12h", "t")).isEqualTo(Duration.ofHours(12));
        assertThat(FeatureDefinitions.duration("P1DT2H", "t")).isEqualTo(Duration.ofHours(26));
        assertThat(FeatureDefinitions.duration("0", "t")).isZero();
        assertThat(FeatureDefinitions.duration(null, "t")).isZero();
        Problems.expect(QuiverException.Kind.BAD_INPUT, "t", () -> FeatureDefinitions.duration("soon", "t"));
    }

    @Test
    void aViewNamingAnUndeclaredEntityFailsAtReadNamingIt(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("features.yaml");
        Files.writeString(f, """
                project: p
                entities: [{name: driver, join_key: driver_id, value_type: int64}]
                feature_views:
                  - name: stats
                    entities: [rider]
                    features: [{name: x, dtype: double}]
                """);
        assertThatThrownBy(() -> FeatureDefinitions.read(f)).hasMessageContaining("feature_views.stats.entities")
                .hasMessageContaining("unknown entity 'rider'");
    }

    @Test
    void aJoinKeyMustBeOfAKeyType() {
        Entity bad = new Entity("e", "e_id", ValueType.DOUBLE, null);
        Problems.expect(QuiverException.Kind.BAD_INPUT, "entities.e.value_type",
                () -> new FeatureDefinitions("p", List.of(bad), List.of(), Map.of()));
    }

    @Test
    void aServiceReferenceToAnUnknownFeatureFails() {
        Problems.expect(QuiverException.Kind.NOT_FOUND, "feature_services.s",
                () -> new FeatureDefinitions("p", List.of(FeatureFixtures.DRIVER), List.of(FeatureFixtures.DRIVER_STATS),
                        Map.of("s", List.of(new FeatureRef("driver_stats", "nope")))));
    }

    @Test
    void valueTypesCoerceJsonAndTextOrNameTheField() {
        assertThat(ValueType.INT64.coerce(7, "f")).isEqualTo(7L);
        assertThat(ValueType.INT64.coerce(7.0, "f")).isEqualTo(7L);
        assertThat(ValueType.INT32.parse("12", "f")).isEqualTo(12);
        assertThat(ValueType.DOUBLE.parse("265.1", "f")).isEqualTo(265.1);
        assertThat(ValueType.FLOAT.coerce(0.5, "f")).isEqualTo(0.5f);
        assertThat(ValueType.UNIX_TIMESTAMP.coerce("2022-05-13T10:59:42Z", "f")).isEqualTo(1652439582L);
        assertThat(ValueType.BOOL.parse("true", "f")).isEqualTo(true);
        assertThat(ValueType.STRING.parse("", "f")).isNull();
        Problems.expect(QuiverException.Kind.BAD_INPUT, "f", () -> ValueType.INT64.coerce("7", "f"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "f", () -> ValueType.INT64.coerce(7.5, "f"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "f", () -> ValueType.INT32.coerce(1L << 40, "f"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "f", () -> ValueType.DOUBLE.coerce(Double.NaN, "f"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "f", () -> ValueType.STRING.coerce(3, "f"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "f", () -> ValueType.DOUBLE.parse("abc", "f"));
    }
}
