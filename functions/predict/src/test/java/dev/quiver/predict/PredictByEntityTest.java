package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Predictions by customer id: the function reads the churn model's features from the embedded online store
 * (loaded with the demo customers at start) in process, and answers as if the features had been sent.
 */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
class PredictByEntityTest {

    private static Map<String, Object> byIds(Object... ids) {
        return Map.of("model", "churn", "entities", Map.of("customer_id", List.of(ids)));
    }

    @Test
    void customerOneScoresExactlyAsItsFeaturesSentInTheRequest() {
        Map<String, Object> sent = given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.customer()))
                .post("/predict").then().statusCode(200).extract().jsonPath().getMap("predictions[0].probabilities");
        Response r = given().contentType(ContentType.JSON).body(byIds(1)).post("/predict").then().statusCode(200)
                .body("model", equalTo("churn")).body("version", equalTo("1"))
                .body("predictions[0].entity.customer_id", equalTo(1))
                .extract().response();
        assertThat(r.jsonPath().getMap("predictions[0].probabilities")).isEqualTo(sent);
        assertThat(r.jsonPath().getList("predictions[0].missing")).isNull();
        assertThat(r.jsonPath().getList("predictions[0].stale")).isNull();
    }

    @Test
    void anUnknownCustomerFailsItsOwnRowAndTheOthersAreScored() {
        given().contentType(ContentType.JSON).body(byIds(2, 999_999, 5000)).post("/predict").then().statusCode(200)
                .body("predictions.size()", equalTo(3))
                .body("predictions[0].label", equalTo(r0Label()))
                .body("predictions[1].error", equalTo("no features stored for {customer_id=999999}"))
                .body("predictions[1].entity.customer_id", equalTo(999_999))
                .body("predictions[2].entity.customer_id", equalTo(5000));
    }

    private static String r0Label() {
        return given().contentType(ContentType.JSON).body(byIds(2)).post("/predict").then().statusCode(200)
                .extract().jsonPath().getString("predictions[0].label");
    }

    @Test
    void badEntityRequestsAre4xxNamingTheField() {
        given().contentType(ContentType.JSON).body(Map.of("model", "churn", "entities", Map.of("user_id", List.of(1))))
                .post("/predict").then().statusCode(400).body("field", equalTo("entities.user_id"));
        given().contentType(ContentType.JSON).body(byIds("one")).post("/predict").then().statusCode(400)
                .body("field", equalTo("entities.customer_id[0]")).body("error", containsString("integer"));
        given().contentType(ContentType.JSON).body(Map.of("model", "churn", "entities", Map.of("customer_id", List.of())))
                .post("/predict").then().statusCode(400).body("field", equalTo("entities.customer_id"));
        given().contentType(ContentType.JSON).body(Map.of("model", "churn", "entities", Map.of("customer_id", List.of(1)),
                        "rows", List.of(ChurnRows.customer())))
                .post("/predict").then().statusCode(400).body("field", equalTo("rows"));
    }
}
