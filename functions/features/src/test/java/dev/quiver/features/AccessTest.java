package dev.quiver.features;

import dev.quiver.function.security.AccessCases;
import dev.quiver.testing.security.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Who may call what on the features function: the shared cases of {@link AccessCases} over its table; reads are open
 * by default, and a push, over HTTP or as a CloudEvent, needs the write role.
 */
@QuarkusTest
@WithTestResource(TempFeatureStore.class)
class AccessTest extends AccessCases {

    @Override
    protected String function() {
        return "features";
    }

    @Test
    void readsAreOpenByDefault() {
        given().contentType(ContentType.JSON)
                .body("{\"features\":[\"churn_features:state\"],\"entities\":{\"customer_id\":[1]}}")
                .post("/get-online-features").then().statusCode(200);
    }

    @Test
    void aPushAsACloudEventNeedsTheWriteRole() {
        given().header("ce-id", "1").header("ce-specversion", "1.0").header("ce-type", "push")
                .header("ce-source", "/test").contentType(ContentType.JSON).body("{}").post("/").then()
                .statusCode(401).body("reason", containsString("the write role"));
        given().auth().oauth2(TestKeys.INVOKE).header("ce-id", "2").header("ce-specversion", "1.0")
                .header("ce-type", "push").header("ce-source", "/test").contentType(ContentType.JSON).body("{}")
                .post("/").then().statusCode(403);
        given().auth().oauth2(TestKeys.WRITE).header("ce-id", "3").header("ce-specversion", "1.0")
                .header("ce-type", "push").header("ce-source", "/test").post("/").then().statusCode(400)
                .body("field", equalTo("data"));
    }
}
