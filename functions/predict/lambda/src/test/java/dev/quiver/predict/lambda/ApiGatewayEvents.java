package dev.quiver.predict.lambda;

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
 * Sends a recorded API Gateway HTTP API (payload format 2.0) event, as Lambda would hand it to the function,
 * through the Lambda mock event server that Quarkus starts for tests, and reads back the function's
 * API Gateway response.
 */
final class ApiGatewayEvents {

    /** The mock event server's door for raw events: the body is the event, the answer is the function's output. */
    private static final String POST_EVENT = "/_lambda_";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The function's answer as API Gateway would turn it into an HTTP response. */
    record Response(int statusCode, JsonNode headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("the body is not JSON: " + body, e);
            }
        }

        String header(String name) {
            if (headers == null) {
                return null;
            }
            return headers.properties().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().asText())
                    .findFirst().orElse(null);
        }
    }

    private ApiGatewayEvents() {
    }

    /** Invokes the function with the fixture {@code events/http-api/<name>.json}. */
    static Response invoke(String name) {
        String event = fixture(name);
        String output = given()
                .port(mockEventServerPort())
                .contentType(ContentType.JSON)
                .body(event)
                .when().post(POST_EVENT)
                .then().statusCode(200)
                .extract().asString();
        try {
            JsonNode res = JSON.readTree(output);
            String body = res.path("body").isNull() ? null : res.path("body").asText(null);
            if (body != null && res.path("isBase64Encoded").asBoolean(false)) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            return new Response(res.path("statusCode").asInt(), res.get("headers"), body);
        } catch (IOException e) {
            throw new UncheckedIOException("the function's output is not an API Gateway response: " + output, e);
        }
    }

    static String fixture(String name) {
        String path = "events/http-api/" + name + ".json";
        try (InputStream in = ApiGatewayEvents.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int mockEventServerPort() {
        return ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
    }
}
