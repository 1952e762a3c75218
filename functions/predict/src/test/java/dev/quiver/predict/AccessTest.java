package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import dev.quiver.function.security.AccessCases;
import dev.quiver.testing.security.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * Who may call what on the predict function: the shared cases of {@link AccessCases} over its table, and what is the
 * predict function's own: open reads and predictions, CloudEvents by type, the audit log of its writes.
 */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
class AccessTest extends AccessCases {

    @Override
    protected String function() {
        return "predict";
    }

    @Test
    void theTableCoversTheWriteRoutes() {
        assertThat(writeRules()).extracting(r -> r.method() + " " + r.path()).contains(
                "POST /registry/models/{model}/versions", "PUT /registry/models/{model}/aliases/{alias}",
                "DELETE /registry/models/{model}/aliases/{alias}", "PUT /rollouts/{model}",
                "POST /rollouts/{model}/{action}", "POST /rollouts/{model}/feedback");
    }

    @Test
    void readsAndPredictionsAreOpenByDefault() {
        given().get("/registry/models").then().statusCode(200);
        given().get("/v2/models/churn").then().statusCode(200);
        given().get("/alerts").then().statusCode(200);
        given().get("/audit").then().statusCode(200);
        given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.customer())).post("/predict").then()
                .statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aCloudEventNeedsTheRoleOfItsType() {
        given().header("ce-id", "1").header("ce-specversion", "1.0").header("ce-type", "predict")
                .header("ce-source", "/test").contentType(ContentType.JSON)
                .body(ChurnRows.request(ChurnRows.customer())).post("/").then().statusCode(200);
        given().header("ce-id", "2").header("ce-specversion", "1.0").header("ce-type", "register")
                .header("ce-source", "/test").contentType(ContentType.JSON).body("{}").post("/").then()
                .statusCode(401).body("reason", containsString("a CloudEvent of type 'register' needs"));
    }

    @Test
    void everyWriteIsInTheAuditLogWithWhoMadeIt() {
        given().contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/registry/models/churn/aliases/audited").then().statusCode(401);
        given().auth().oauth2(TestKeys.DEPLOY).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/registry/models/churn/aliases/audited").then().statusCode(200);
        given().auth().oauth2(TestKeys.DEPLOY).delete("/registry/models/churn/aliases/audited").then().statusCode(200);
        List<Map<String, Object>> recent = given().get("/audit?limit=3").then().statusCode(200).extract().jsonPath()
                .getList("$");
        assertThat(recent).extracting(r -> r.get("subject") + " " + r.get("action") + " " + r.get("status"))
                .containsExactly("test-deploy DELETE /registry/models/churn/aliases/audited 200",
                        "test-deploy PUT /registry/models/churn/aliases/audited 200",
                        "anonymous PUT /registry/models/churn/aliases/audited 401");
    }
}
