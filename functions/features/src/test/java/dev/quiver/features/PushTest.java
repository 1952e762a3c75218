package dev.quiver.features;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static dev.quiver.features.FeastBodies.customer;
import static dev.quiver.features.FeastBodies.get;
import static dev.quiver.features.FeastBodies.push;
import static dev.quiver.features.FeastBodies.refs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** {@code POST /push} in Feast's shape: what is pushed is read back, and the newest event time wins. */
@QuarkusTest
@WithTestResource(TempFeatureStore.class)
class PushTest {

    private static final Instant T = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @Test
    void aPushedRowIsReadBackWithItsEventTime() {
        Feast.push(push(customer(920_001, T).with("state", "NY").with("total_day_minutes", 12.5)))
                .statusCode(200).body("rows", equalTo(1)).body("written", equalTo(1)).body("skipped", equalTo(0));

        Feast.Answer a = Feast.read(get(refs("state", "total_day_minutes", "account_length"), 920_001));
        assertThat(a.values("state")).containsExactly("NY");
        assertThat(a.values("total_day_minutes")).containsExactly(12.5f);
        assertThat(a.values("account_length")).containsExactly(128);
        assertThat(a.statuses("state")).containsExactly("PRESENT");
        assertThat(a.timestamps("state")).containsExactly(T.toString());
    }

    @Test
    void theNewestEventTimeWinsWhateverOrderPushesArriveIn() {
        Instant older = T.minusSeconds(60);
        Instant newer = T.plusSeconds(60);
        Feast.push(push(customer(920_002, T).with("state", "CA"))).statusCode(200).body("written", equalTo(1));
        Feast.push(push(customer(920_002, older).with("state", "TX"))).statusCode(200)
                .body("written", equalTo(0)).body("skipped", equalTo(1));
        Feast.push(push(customer(920_002, T).with("state", "OR"))).statusCode(200)
                .body("written", equalTo(0)).body("skipped", equalTo(1));
        assertThat(Feast.read(get(refs("state"), 920_002)).values("state")).containsExactly("CA");

        Feast.push(push(customer(920_002, newer).with("state", "WA"))).statusCode(200).body("written", equalTo(1));
        Feast.Answer a = Feast.read(get(refs("state"), 920_002));
        assertThat(a.values("state")).containsExactly("WA");
        assertThat(a.timestamps("state")).containsExactly(newer.toString());
    }

    @Test
    void acceptsFeastsOwnPushFieldsAndTimestampForms() {
        Map<String, Object> body = push(customer(920_003, T).with("event_timestamp", "2026-11-01 10:59:42+00:00")
                .with("created", "2026-11-01 10:59:42"), customer(920_004, T).with("created", T.toString()));
        body.put("to", "online");
        body.put("allow_registry_cache", true);
        body.put("transform_on_write", true);
        Feast.push(body).statusCode(200).body("rows", equalTo(2)).body("written", equalTo(2));

        Feast.Answer a = Feast.read(get(refs("state"), 920_003, 920_004));
        assertThat(a.timestamps("state")).containsExactly("2026-11-01T10:59:42Z", T.toString());
    }

    @Test
    void anExplicitNullIsStoredAsANullValue() {
        Feast.push(push(customer(920_005, T).with("area_code", null))).statusCode(200);

        Feast.Answer a = Feast.read(get(refs("area_code", "state"), 920_005));
        assertThat(a.values("area_code")).containsExactly((Object) null);
        assertThat(a.statuses("area_code")).containsExactly("NULL_VALUE");
        assertThat(a.statuses("state")).containsExactly("PRESENT");
    }
}
