package dev.quiver.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import dev.quiver.testing.Problems;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published schema and the Java reader agree: the team's examples and the recorded answers pass both, every
 * recorded bad message fails both (the reader naming the expected field), and every record written back to JSON
 * is valid against the schema and reads back equal.
 */
class AgentSchemaTest {

    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = AgentSchemaTest.class.getResourceAsStream(Messages.SCHEMA_RESOURCE)) {
            assertThat(in).as("schema resource %s", Messages.SCHEMA_RESOURCE).isNotNull();
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    private static List<Error> validate(JsonNode json) {
        return schema.validate(json, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)));
    }

    static Stream<String> examples() {
        return Stream.concat(SampleMessages.TEAM_EXAMPLES.stream(), SampleMessages.ANSWER_EXAMPLES.stream());
    }

    @ParameterizedTest(name = "{0} is valid")
    @MethodSource("examples")
    void examplesAreValid(String file) throws IOException {
        JsonNode json = Json.MAPPER.readTree(SampleMessages.fixture(file));
        assertThat(validate(json)).isEmpty();
        assertThat(Messages.parse(SampleMessages.fixture(file)).action().wireName())
                .isEqualTo(json.get("action").textValue());
    }

    static Stream<Arguments> badMessages() throws IOException {
        JsonNode cases = Json.MAPPER.readTree(SampleMessages.fixture("bad-envelopes.json"));
        return java.util.stream.StreamSupport.stream(cases.spliterator(), false)
                .map(c -> Arguments.of(c.get("case").textValue(),
                        c.get("field").isNull() ? null : c.get("field").textValue(), c.get("message")));
    }

    @ParameterizedTest(name = "{0}: invalid, on {1}")
    @MethodSource("badMessages")
    void badMessagesFailTheSchemaAndTheReader(String name, String field, JsonNode message) throws IOException {
        assertThat(validate(message)).as("schema errors for %s", name).isNotEmpty();
        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, field, () -> Messages.parse(message));
        assertThat(e.reason()).isNotBlank();
        // the same through the text entry point
        Problems.expect(QuiverException.Kind.BAD_INPUT, field,
                () -> Messages.parse(Json.MAPPER.writeValueAsString(message)));
    }

    static Stream<Message> records() {
        return SampleMessages.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void everyRecordWrittenBackIsValidAndReadsBackEqual(Message message) {
        JsonNode json = Messages.toTree(message);
        assertThat(validate(json)).as("schema errors for %s", json).isEmpty();
        assertThat(json.get("action").textValue()).isEqualTo(message.action().wireName());
        assertThat(Messages.parse(Messages.toJson(message))).isEqualTo(message);
        assertThat(Messages.check(message)).isSameAs(message);
    }

    /** Variants of the team's alert and of a delivery that both the schema and the reader accept. */
    static Stream<String> goodVariants() {
        String alert = SampleMessages.fixture("model_issue_alert.json");
        String delivery = SampleMessages.fixture("model_delivery_uri.json");
        String uri = "s3://quiver-models/churn_prediction_v2/3/model.onnx";
        return Stream.of(
                alert.replace("2024-03-15T10:30:00Z", "2024-03-15T11:30:00+01:00"),
                alert.replace("2024-03-15T10:30:00Z", "2024-03-15T10:30:00.123456Z"),
                alert.replace("\"high\"", "\"critical\""),
                alert.replace("\"action\": \"Investigating data drift\"",
                        "\"action\": \"Rolled back\", \"details\": {\"version\": \"3\", \"psi\": 0.31}"),
                delivery.replace(uri, "https://models.example:8443/churn/3/model.onnx?versionId=abc"),
                delivery.replace(uri, "file:///var/quiver/models/churn_prediction_v2/3/model.onnx"),
                delivery.replace(uri, "gs://my_bucket/churn/3/model.onnx"),
                delivery.replace("\"ONNX\"", "\"TensorRT\""));
    }

    @ParameterizedTest
    @MethodSource("goodVariants")
    void variantsPassBoth(String json) throws IOException {
        assertThat(validate(Json.MAPPER.readTree(json))).isEmpty();
        assertThat(Messages.parse(json)).isNotNull();
    }

    /** What a schema cannot say: these pass the schema, and the reader refuses them naming the field. */
    static Stream<Arguments> validForTheSchemaOnly() {
        return Stream.of(
                Arguments.of("request.requirements.latency", "{\"action\": \"model_deployment_request\","
                        + " \"recipient\": \"ds\", \"request\": {\"model_id\": \"m\", \"requirements\": {\"latency\": \"snappy\"}}}"),
                Arguments.of("request.requirements.throughput", "{\"action\": \"model_deployment_request\","
                        + " \"recipient\": \"ds\", \"request\": {\"model_id\": \"m\", \"requirements\": {\"throughput\": \"a lot\"}}}"),
                Arguments.of("request.requirements.format", "{\"action\": \"model_deployment_request\","
                        + " \"recipient\": \"ds\", \"request\": {\"model_id\": \"m\", \"requirements\": {\"format\": \"ONNX or pickle\"}}}"),
                Arguments.of("request.latency_requirement", "{\"action\": \"feature_store_request\","
                        + " \"recipient\": \"de\", \"request\": {\"features\": [\"a\"], \"latency_requirement\": \"instant\"}}"),
                Arguments.of("request.update_frequency", "{\"action\": \"feature_store_request\","
                        + " \"recipient\": \"de\", \"request\": {\"features\": [\"a\"], \"update_frequency\": \"often\"}}"),
                Arguments.of("delivery.format", "{\"action\": \"model_delivery\", \"in_reply_to\": \"m-1\","
                        + " \"correlation_id\": \"c-1\", \"delivery\": {\"model_id\": \"m\", \"version\": \"1\","
                        + " \"format\": \"pickle\", \"sha256\": \"" + "a".repeat(64) + "\","
                        + " \"artifact\": {\"uri\": \"s3://b/m/1/model.onnx\"}}}"),
                Arguments.of("delivery.artifact.model_base64", "{\"action\": \"model_delivery\", \"in_reply_to\": \"m-1\","
                        + " \"correlation_id\": \"c-1\", \"delivery\": {\"model_id\": \"m\", \"version\": \"1\","
                        + " \"format\": \"onnx\", \"sha256\": \"" + "a".repeat(64) + "\","
                        + " \"artifact\": {\"model_base64\": \"not base64!\", \"descriptor\": {}}}}"),
                Arguments.of("availability.features[1].name", "{\"action\": \"feature_availability\", \"in_reply_to\": \"m-1\","
                        + " \"correlation_id\": \"c-1\", \"availability\": {\"features\": [{\"name\": \"a\", \"status\": \"available\"},"
                        + " {\"name\": \"a\", \"status\": \"missing\", \"reason\": \"r\"}]}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validForTheSchemaOnly")
    void whatOnlyTheReaderRefuses(String field, String json) throws IOException {
        assertThat(validate(Json.MAPPER.readTree(json))).isEmpty();
        Problems.expect(QuiverException.Kind.BAD_INPUT, field, () -> Messages.parse(json));
    }
}
