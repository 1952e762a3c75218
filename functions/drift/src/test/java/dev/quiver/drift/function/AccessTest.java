package dev.quiver.drift.function;

import dev.quiver.function.security.AccessCases;
import dev.quiver.testing.security.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * Who may call what on the drift function: the shared cases of {@link AccessCases} over its table; reports are open by
 * default, labels need the write role on every door.
 */
@QuarkusTest
@QuarkusTestResource(value = CapturedWindow.class, restrictToAnnotatedClass = true)
class AccessTest extends AccessCases {

    @Override
    protected String function() {
        return "drift";
    }

    @Test
    void reportsAreOpenByDefault() {
        given().get("/drift/models/churn/versions/1/windows").then().statusCode(200);
    }

    @Test
    void labelsAsACloudEventNeedTheWriteRole() {
        Map<String, Object> labels = Map.of("model", "churn", "outcomes", List.of(Map.of("request_id", "r-1",
                "label", "no")));
        given().header("ce-id", "1").header("ce-specversion", "1.0").header("ce-type", "model.feedback")
                .header("ce-source", "/crm").contentType(ContentType.JSON).body(labels).post("/").then()
                .statusCode(401);
        given().auth().oauth2(TestKeys.WRITE).header("ce-id", "1").header("ce-specversion", "1.0")
                .header("ce-type", "model.feedback").header("ce-source", "/crm").contentType(ContentType.JSON)
                .body(labels).post("/").then().statusCode(200);
    }
}
