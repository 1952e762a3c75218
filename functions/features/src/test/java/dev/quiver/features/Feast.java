package dev.quiver.features;

import dev.quiver.testing.security.TestKeys;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

import java.util.List;

import static io.restassured.RestAssured.given;

/** Calls the function's Feast doors over HTTP and reads their answers by column name. */
public final class Feast {

    /** RFC 3339 in UTC with a Z, with 0, 3, 6 or 9 fractional digits, as protobuf's JSON writes timestamps. */
    public static final String RFC3339_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3}|\\.\\d{6}|\\.\\d{9})?Z";

    private Feast() {
    }

    public static ValidatableResponse getOnlineFeatures(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/get-online-features").then();
    }

    public static ValidatableResponse push(Object body) {
        return given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(body).post("/push").then();
    }

    /** A successful read's answer. */
    public static Answer read(Object body) {
        return new Answer(getOnlineFeatures(body).statusCode(200).extract().jsonPath());
    }

    /** A {@code get-online-features} answer, column by name. */
    public record Answer(JsonPath json) {

        public List<String> names() {
            return json.getList("metadata.feature_names", String.class);
        }

        private int column(String name) {
            int c = names().indexOf(name);
            if (c < 0) {
                throw new AssertionError("no column " + name + " in " + names());
            }
            return c;
        }

        public List<Object> values(String name) {
            return json.getList("results[" + column(name) + "].values");
        }

        public List<String> statuses(String name) {
            return json.getList("results[" + column(name) + "].statuses", String.class);
        }

        public List<String> timestamps(String name) {
            return json.getList("results[" + column(name) + "].event_timestamps", String.class);
        }
    }
}
