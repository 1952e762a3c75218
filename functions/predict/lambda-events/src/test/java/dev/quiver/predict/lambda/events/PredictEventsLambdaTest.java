package dev.quiver.predict.lambda.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.predict.prediction.PredictFunction;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import dev.quiver.testing.lambda.LambdaEvents;
import dev.quiver.testing.quarkus.TempModelStore;
import dev.quiver.testing.s3.S3Server;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Batch scoring on Lambda, driven through the Lambda runtime API of Quarkus's mock event server with the events AWS
 * delivers (S3 event notifications, EventBridge "Object Created", an SQS batch), against a real S3-compatible server
 * (s3proxy) holding the objects of rows; the predictions read back from it are held to what the predict function
 * answers for the same rows.
 */
@QuarkusTest
@QuarkusTestResource(value = PredictEventsLambdaTest.Bucket.class, restrictToAnnotatedClass = true)
class PredictEventsLambdaTest {

    /** The predict function's temporary stores, and an S3 server with the bucket {@code quiver-batch}. */
    public static class Bucket extends TempModelStore {
        private S3Server s3;

        @Override
        public Map<String, String> start() {
            s3 = S3Server.start("quiver-batch");
            // the SDK's default chain reads these, as it reads the function's role on Lambda
            System.setProperty("aws.accessKeyId", s3.accessKey());
            System.setProperty("aws.secretAccessKey", s3.secretKey());
            Map<String, String> config = new HashMap<>(super.start());
            config.put("quiver.batch-scoring.bucket", s3.bucket());
            config.put("quiver.batch-scoring.chunk-rows", "2");
            config.put("quiver.batch-scoring.s3.endpoint", s3.endpoint().toString());
            config.put("quiver.batch-scoring.s3.region", s3.region());
            config.put("quiver.batch-scoring.s3.path-style", "true");
            return config;
        }

        @Override
        public void stop() {
            s3.close();
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            super.stop();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "quiver-batch";
    private static S3Client s3;

    @Inject
    PredictFunction predict;

    @BeforeAll
    static void client() {
        URI endpoint = ConfigProvider.getConfig().getValue("quiver.batch-scoring.s3.endpoint", URI.class);
        s3 = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.of(S3Server.REGION))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                .build();
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @Test
    void anObjectCreatedEventScoresTheObjectInChunksByOneVersionIntoJsonLines() {
        upload("batch/churn-rows.jsonl", "batch/in/churn/2026-11-28.jsonl");

        JsonNode answer = invoke("eventbridge-object-created", 200);
        assertThat(answer.get("output").asText()).isEqualTo("s3://quiver-batch/batch/out/churn/2026-11-28.jsonl");
        assertThat(answer.get("rows").asInt()).isEqualTo(5);
        assertThat(answer.get("version").asText()).isEqualTo("1");

        ResponseBytes<GetObjectResponse> out = s3.getObjectAsBytes(r -> r.bucket(BUCKET)
                .key("batch/out/churn/2026-11-28.jsonl"));
        assertThat(out.response().metadata()).containsEntry("quiver-model", "churn")
                .containsEntry("quiver-version", "1").containsEntry("quiver-rows", "5");
        List<JsonNode> lines = lines(out.asUtf8String());
        List<Map<String, Object>> rows = rows("batch/churn-rows.jsonl");
        assertThat(lines).hasSize(rows.size());
        // the blank fourth line is skipped and still counted
        assertThat(lines).extracting(l -> l.get("line").asInt()).containsExactly(1, 2, 3, 5, 6);
        // chunks of two rows: three requests, each numbering its rows from 0
        assertThat(lines.stream().map(l -> l.get("request_id").asText()).distinct()).hasSize(3);
        assertThat(lines).extracting(l -> l.get("row").asInt()).containsExactly(0, 1, 0, 1, 0);
        PredictResult direct = predict.predictNow(new PredictRequest("churn", null, null, rows, null));
        for (int i = 0; i < rows.size(); i++) {
            JsonNode line = lines.get(i);
            PredictResult.Row expected = direct.predictions().get(i);
            assertThat(line.get("model").asText()).isEqualTo("churn");
            assertThat(line.get("version").asText()).isEqualTo("1");
            assertThat(line.get("label").asText()).isEqualTo(expected.label());
            expected.probabilities().forEach((label, p) ->
                    assertThat(line.at("/probabilities/" + label).asDouble()).isCloseTo(p, within(1e-9)));
        }
    }

    @Test
    void aBucketNotificationScoresTheObjectItNamesWithItsKeyDecoded() {
        upload("batch/churn-rows.jsonl", "batch/in/churn/day 2.jsonl");

        JsonNode answer = invoke("s3-object-created", 200);
        assertThat(answer.at("/written/0/output").asText()).isEqualTo("s3://quiver-batch/batch/out/churn/day 2.jsonl");
        assertThat(lines(read("batch/out/churn/day 2.jsonl"))).hasSize(5);
    }

    @Test
    void aBadRowRefusesTheObjectNamingItsLineAndWritesNothing() {
        upload("batch/churn-bad-row.jsonl", "batch/in/churn/bad-row.jsonl");

        JsonNode bad = invoke("eventbridge-object-created-bad-row", 500);
        assertThat(bad.get("errorMessage").asText()).contains("QuiverException: line 3.state:")
                .contains("s3://quiver-batch/batch/in/churn/bad-row.jsonl");
        assertThatThrownBy(() -> read("batch/out/churn/bad-row.jsonl")).isInstanceOf(NoSuchKeyException.class);

        JsonNode malformed = invoke("eventbridge-object-created-no-key", 500);
        assertThat(malformed.get("errorMessage").asText()).contains("detail.object.key");
    }

    @Test
    void anSqsBatchOfRequestsKeepsTheGoodMessagesAndReturnsEachBadOne() {
        JsonNode batch = invoke("sqs-requests", 200);
        // m-2: an unknown category; m-3: an object that is not there; m-5: not JSON. m-4 is S3's test message.
        assertThat(batch.get("batchItemFailures")).extracting(f -> f.get("itemIdentifier").asText())
                .containsExactlyInAnyOrder("m-2", "m-3", "m-5");
        List<JsonNode> written = lines(read("batch/out/churn/requests/sqs-req-1.jsonl"));
        assertThat(written).hasSize(2).allSatisfy(l -> {
            assertThat(l.get("request_id").asText()).isEqualTo("sqs-req-1");
            assertThat(l.get("version").asText()).isEqualTo("1");
        });
        assertThatThrownBy(() -> read("batch/out/churn/requests/sqs-req-2.jsonl"))
                .isInstanceOf(NoSuchKeyException.class);
    }

    private static JsonNode invoke(String fixture, int status) {
        Response r = LambdaEvents.invoke("events/" + fixture + ".json");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        try {
            return JSON.readTree(r.asString());
        } catch (IOException e) {
            throw new UncheckedIOException(r.asString(), e);
        }
    }

    private static void upload(String resource, String key) {
        s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(resource(resource)));
    }

    private static String read(String key) {
        return s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String();
    }

    private static String resource(String name) {
        try (InputStream in = PredictEventsLambdaTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> lines(String text) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(line, e);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(String resource) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode line : lines(resource(resource))) {
            rows.add(JSON.convertValue(line, Map.class));
        }
        return rows;
    }
}
