package dev.quiver.testing.lambda;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;

/**
 * Hands an event to a function built for AWS Lambda, as Lambda would, through the mock event server that Quarkus
 * starts for {@code @QuarkusTest} (its port is read from {@code quarkus.lambda.mock-event-server.test-port}), and
 * gives back what the function answered.
 */
public final class LambdaEvents {

    /** The mock event server's door for raw events: the body is the event, the answer is the function's output. */
    private static final String POST_EVENT = "/_lambda_";

    private LambdaEvents() {
    }

    /**
     * Invokes the function with the event in the test resource {@code resource}. The answer's status is 200 with the
     * function's output as body, or 500 with {@code errorType} and {@code errorMessage} when the function threw.
     */
    public static Response invoke(String resource) {
        return given().port(mockEventServerPort()).contentType(ContentType.JSON).body(fixture(resource))
                .post(POST_EVENT).andReturn();
    }

    /** The text of the test resource {@code resource}, from the test's class path. */
    public static String fixture(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader != null ? loader : LambdaEvents.class.getClassLoader())
                .getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
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
