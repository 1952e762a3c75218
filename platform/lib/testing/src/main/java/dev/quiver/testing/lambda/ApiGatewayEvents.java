package dev.quiver.testing.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Sends a recorded API Gateway HTTP API event (payload format 2.0), from the test resources under
 * {@code events/http-api/}, to a function built for AWS Lambda through {@link LambdaEvents}, and reads back the
 * function's API Gateway response.
 */
public final class ApiGatewayEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The function's answer as API Gateway would turn it into an HTTP response.
     *
     * @param statusCode the HTTP status
     * @param headers    the response headers, as a JSON object; null when the function set none
     * @param body       the body as text, decoded when the function sent it base64-encoded; null when there is none
     */
    public record Response(int statusCode, JsonNode headers, String body) {

        /** The body as JSON; a missing or empty body is a missing node. */
        public JsonNode json() {
            try {
                return JSON.readTree(body == null ? "" : body);
            } catch (IOException e) {
                throw new UncheckedIOException("the body is not JSON: " + body, e);
            }
        }

        /** The value of the header {@code name}, whatever its case; null when it is absent. */
        public String header(String name) {
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

    /** Invokes the function with the fixture {@code events/http-api/<name>.json}; the invocation itself must succeed. */
    public static Response invoke(String name) {
        io.restassured.response.Response invocation = LambdaEvents.invoke("events/http-api/" + name + ".json");
        String output = invocation.asString();
        if (invocation.statusCode() != 200) {
            throw new AssertionError("the invocation failed with " + invocation.statusCode() + ": " + output);
        }
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
}
