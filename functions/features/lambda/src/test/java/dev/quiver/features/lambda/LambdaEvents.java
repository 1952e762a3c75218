package dev.quiver.features.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.restassured.RestAssured.given;

/**
 * Hands an API Gateway HTTP API event (payload format 2.0) from {@code events/http-api/} to the function through
 * the Lambda runtime API of Quarkus's mock event server, and reads back the function's API Gateway response.
 */
final class LambdaEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The function's answer, as API Gateway turns it into an HTTP response. */
    record Answer(int status, JsonNode headers, JsonNode body) {

        String header(String name) {
            for (var e : headers.properties()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().asText();
                }
            }
            return null;
        }
    }

    private LambdaEvents() {
    }

    static Answer invoke(String fixture) {
        String output = given().port(ConfigProvider.getConfig()
                        .getValue("quarkus.lambda.mock-event-server.test-port", Integer.class))
                .contentType(ContentType.JSON).body(read("events/http-api/" + fixture + ".json"))
                .post("/_lambda_").then().statusCode(200).extract().asString();
        try {
            JsonNode response = JSON.readTree(output);
            String body = response.path("body").asText("");
            if (response.path("isBase64Encoded").asBoolean(false)) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            return new Answer(response.path("statusCode").asInt(), response.path("headers"), JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException("not an API Gateway response with a JSON body: " + output, e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = LambdaEvents.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
