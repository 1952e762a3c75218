package dev.quiver.features;

import io.quarkus.test.common.WithTestResource;
import io.restassured.RestAssured;
import io.restassured.config.DecoderConfig;
import io.restassured.http.ContentType;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static dev.quiver.features.FeastBodies.FEATURES;
import static dev.quiver.features.FeastBodies.JOIN_KEY;
import static dev.quiver.features.FeastBodies.customer;
import static dev.quiver.features.FeastBodies.get;
import static dev.quiver.features.FeastBodies.getService;
import static dev.quiver.features.FeastBodies.push;
import static dev.quiver.features.FeastBodies.refs;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /get-online-features} over the demo data the function loads at start (customer n is row n of the
 * churn CSV): Feast's column-major answer with entity columns first, each value's status and event timestamp.
 */
@QuarkusTest
@WithTestResource(TempFeatureStore.class)
class GetOnlineFeaturesTest {

    private static final String EPOCH = "1970-01-01T00:00:00Z";

    @Test
    void answersColumnMajorWithTheEntityColumnFirstAndTheFeaturesInTheOrderAsked() {
        Feast.Answer a = Feast.read(get(refs("state", "total_day_minutes", "account_length"), 1, 2));

        assertThat(a.names()).containsExactly(JOIN_KEY, "state", "total_day_minutes", "account_length");
        assertThat(a.values(JOIN_KEY)).containsExactly(1, 2);
        assertThat(a.statuses(JOIN_KEY)).containsExactly("PRESENT", "PRESENT");
        assertThat(a.timestamps(JOIN_KEY)).containsExactly(EPOCH, EPOCH);
        assertThat(a.values("state")).containsExactly("KS", "OH");
        assertThat(a.values("total_day_minutes")).containsExactly(265.1f, 161.6f);
        assertThat(a.values("account_length")).containsExactly(128, 107);
        assertThat(a.statuses("state")).containsExactly("PRESENT", "PRESENT");
        assertThat(a.timestamps("state")).allMatch(t -> t.matches(Feast.RFC3339_UTC) && !t.equals(EPOCH));
    }

    @Test
    void aFeatureServiceReadsEveryFeatureItNames() {
        Feast.Answer a = Feast.read(getService(3));

        List<String> expected = new ArrayList<>(List.of(JOIN_KEY));
        expected.addAll(FEATURES);
        assertThat(a.names()).containsExactlyElementsOf(expected);
        assertThat(a.values("state")).containsExactly("NJ");
        assertThat(a.values("number_customer_service_calls")).containsExactly(0);
        FEATURES.forEach(f -> assertThat(a.statuses(f)).as(f).containsExactly("PRESENT"));
    }

    @Test
    void anEntityWithNothingStoredIsNotFoundWithANullValueAndTheEpoch() {
        Feast.Answer a = Feast.read(get(refs("state", "total_day_calls"), 1, 4_000_000));

        assertThat(a.values("state")).containsExactly("KS", null);
        assertThat(a.statuses("state")).containsExactly("PRESENT", "NOT_FOUND");
        assertThat(a.statuses("total_day_calls")).containsExactly("PRESENT", "NOT_FOUND");
        assertThat(a.timestamps("state").get(1)).isEqualTo(EPOCH);
    }

    @Test
    void aValueOlderThanTheViewsTtlIsOutsideMaxAgeAndStillReturned() {
        Instant old = Instant.now().minus(Duration.ofDays(100)).truncatedTo(ChronoUnit.SECONDS);
        Instant recent = Instant.now().minus(Duration.ofDays(89)).truncatedTo(ChronoUnit.SECONDS);
        Feast.push(push(customer(910_001, old).with("state", "VT"), customer(910_002, recent).with("state", "ME")))
                .statusCode(200);

        Feast.Answer a = Feast.read(get(refs("state"), 910_001, 910_002));

        assertThat(a.statuses("state")).containsExactly("OUTSIDE_MAX_AGE", "PRESENT");
        assertThat(a.values("state")).containsExactly("VT", "ME");
        assertThat(a.timestamps("state")).containsExactly(old.toString(), recent.toString());
    }

    @Test
    void fullFeatureNamesPrefixTheView() {
        Feast.Answer a = Feast.read(withFullNames(get(refs("state", "area_code"), 1)));

        assertThat(a.names()).containsExactly(JOIN_KEY, "churn_features__state", "churn_features__area_code");
        assertThat(a.values("churn_features__area_code")).containsExactly("area_code_415");
    }

    @Test
    void readsAHundredEntitiesInOneCall() {
        Object[] ids = LongStream.rangeClosed(1, TempFeatureStore.MAX_ENTITIES).boxed().toArray();
        Feast.Answer a = Feast.read(get(FeastBodies.allRefs(), ids));

        assertThat(a.values(JOIN_KEY)).hasSize(TempFeatureStore.MAX_ENTITIES);
        FEATURES.forEach(f -> assertThat(a.statuses(f)).as(f).hasSize(TempFeatureStore.MAX_ENTITIES)
                .containsOnly("PRESENT"));
        assertThat(a.values("state").subList(0, 3)).containsExactly("KS", "OH", "NJ");
    }

    @Test
    void aLargeAnswerIsGzippedForACallerThatAcceptsItAndASmallOneIsNot() {
        Object[] ids = LongStream.rangeClosed(1, TempFeatureStore.MAX_ENTITIES).boxed().toArray();
        io.restassured.response.Response large = given().contentType(ContentType.JSON)
                .header("Accept-Encoding", "gzip").body(get(FeastBodies.allRefs(), ids)).post("/get-online-features");
        io.restassured.response.Response small = given().contentType(ContentType.JSON)
                .header("Accept-Encoding", "gzip").body(get(refs("state"), 1)).post("/get-online-features");
        // a caller that asks for no encoding (RestAssured asks for gzip unless told it decodes nothing)
        io.restassured.response.Response plain = given()
                .config(RestAssured.config().decoderConfig(DecoderConfig.decoderConfig().noContentDecoders()))
                .contentType(ContentType.JSON).body(get(FeastBodies.allRefs(), ids)).post("/get-online-features");

        assertThat(large.statusCode()).isEqualTo(200);
        assertThat(large.header("Content-Encoding")).isEqualTo("gzip");
        // RestAssured inflates it: the same answer as the uncompressed one
        assertThat(large.asString()).isEqualTo(plain.asString()).contains("\"KS\"");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.header("Content-Encoding")).isNull();
    }

    private static java.util.Map<String, Object> withFullNames(java.util.Map<String, Object> body) {
        body.put("full_feature_names", true);
        return body;
    }
}
