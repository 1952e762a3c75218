package dev.quiver.agent.function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quiver.error.Stages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agent's calls to a predict function behind API Gateway's IAM authorizer: a server in the test checks each
 * request's SigV4 signature the way the gateway does, from what actually arrived (method, path, signed headers, body),
 * with the credentials the client was given.
 */
class PredictClientSigV4Test {

    private static final AwsSessionCredentials ROLE = AwsSessionCredentials.create("ASIAEXAMPLEKEY123456",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjEXAMPLE");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private HttpServer server;
    private final List<String> verdicts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            verdicts.add(verify(exchange, body));
            byte[] answer = exchange.getRequestURI().getPath().endsWith("/rollback") ? "{}".getBytes()
                    : "{\"rollout\":{\"id\":\"r1\",\"champion_version\":\"1\",\"challenger_version\":\"2\",\"status\":\"RUNNING\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** What the gateway would conclude: "ok", or why the signature does not match. */
    private String verify(HttpExchange exchange, byte[] body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return "not signed: " + authorization;
        }
        String scope = authorization.replaceAll(".*Credential=([^,]+),.*", "$1");
        if (!scope.matches("ASIAEXAMPLEKEY123456/\\d{8}/eu-west-1/execute-api/aws4_request")) {
            return "wrong scope " + scope;
        }
        String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .uri(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + exchange.getRequestURI()))
                .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()));
        for (String name : authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1").split(";")) {
            if (!name.equals("host")) {
                request.putHeader(name, exchange.getRequestHeaders().getFirst(name));
            }
        }
        Clock then = Clock.fixed(LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        String expected = AwsV4HttpSigner.create().sign(r -> r.identity(ROLE).request(request.build())
                        .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                        .putProperty(HttpSigner.SIGNING_CLOCK, then))
                .request().firstMatchingHeader("Authorization").orElse("");
        return expected.equals(authorization) ? "ok" : "signature differs: got " + authorization + ", expected "
                + expected;
    }

    private PredictClient client() {
        return new PredictClient("http://127.0.0.1:" + server.getAddress().getPort(), Optional.empty(),
                new SigV4(StaticCredentialsProvider.create(ROLE), "eu-west-1"), Duration.ofSeconds(5));
    }

    @Test
    void aReadAndAWriteWithABodyAreSignedAsTheGatewayChecks() {
        PredictClient predict = client();

        assertThat(Stages.join(predict.latest("churn model"))).hasValueSatisfying(s ->
                assertThat(s.challengerVersion()).isEqualTo("2"));
        Stages.join(predict.rollBack("churn", "project_manager_id", "accuracy fell"));

        assertThat(verdicts).containsExactly("ok", "ok");
    }

    @Test
    void sigv4AndAnApiKeyAreNotBothTakenAndARegionIsNeeded() {
        assertThatThrownBy(() -> new PredictClient("http://127.0.0.1:1", Optional.of("key"),
                new SigV4(StaticCredentialsProvider.create(ROLE), "eu-west-1"), Duration.ofSeconds(1)))
                .hasMessageStartingWith("quiver.agent.predict.api-key:");
        assertThatThrownBy(() -> new SigV4(StaticCredentialsProvider.create(ROLE), null))
                .hasMessageStartingWith("quiver.agent.predict.region:");
    }
}
