package dev.quiver.predict.lambda;

import dev.quiver.testing.lambda.ApiGatewayEvents;
import dev.quiver.testing.quarkus.TempModelStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The predict function as an AWS Lambda behind API Gateway HTTP API: recorded payload-2.0 events go in
 * through the Lambda runtime API of the mock event server, and API Gateway responses come out.
 */
@QuarkusTest
@QuarkusTestResource(value = TempModelStore.class, restrictToAnnotatedClass = true)
class PredictLambdaTest {

    @Test
    void predictEventAnswersTheChampionsPrediction() {
        ApiGatewayEvents.Response res = ApiGatewayEvents.invoke("predict-ok");

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.header("content-type")).startsWith("application/json");
        JsonNode body = res.json();
        assertThat(body.path("request_id").asText()).isNotBlank();
        assertThat(body.path("model").asText()).isEqualTo("churn");
        assertThat(body.path("version").asText()).isEqualTo("1");
        assertThat(body.path("predictions")).hasSize(1);
        JsonNode row = body.path("predictions").get(0);
        JsonNode probabilities = row.path("probabilities");
        assertThat(names(probabilities)).containsExactlyInAnyOrder("no", "yes");
        double sum = probabilities.path("no").asDouble() + probabilities.path("yes").asDouble();
        assertThat(sum).isCloseTo(1.0, within(1e-6));
        assertThat(row.path("label").asText()).isIn("no", "yes");
    }

    @Test
    void predictByCustomerIdReadsTheOnlineStoreAndFailsOnlyTheUnknownCustomersRow() {
        ApiGatewayEvents.Response res = ApiGatewayEvents.invoke("predict-by-entity");

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode rows = res.json().path("predictions");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("entity").path("customer_id").asLong()).isEqualTo(1);
        assertThat(rows.get(0).path("label").asText()).isIn("no", "yes");
        assertThat(rows.get(1).path("error").asText()).isEqualTo("no features stored for {customer_id=999999}");
    }

    @Test
    void unknownCategoryIsA400NamingTheField() {
        ApiGatewayEvents.Response res = ApiGatewayEvents.invoke("predict-unknown-category");

        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(res.header("content-type")).startsWith("application/json");
        JsonNode body = res.json();
        assertThat(body.path("field").asText()).isEqualTo("rows[0].state");
        assertThat(body.path("reason").asText()).isNotBlank();
        assertThat(body.path("error").asText()).contains("rows[0].state").doesNotContain("Exception");
    }

    @Test
    void malformedJsonIsA400NotA500() {
        ApiGatewayEvents.Response res = ApiGatewayEvents.invoke("predict-malformed-json");

        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        JsonNode body = res.json();
        assertThat(body.path("field").asText()).isEqualTo("body");
        assertThat(body.path("error").asText()).doesNotContain("Exception");
    }

    @Test
    void openInferenceProtocolModelMetadataThroughTheSameEventPath() {
        ApiGatewayEvents.Response res = ApiGatewayEvents.invoke("oip-model-metadata");

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = res.json();
        assertThat(body.path("name").asText()).isEqualTo("churn");
        assertThat(body.path("versions")).extracting(JsonNode::asText).contains("1");
        assertThat(body.path("inputs")).isNotEmpty();
        assertThat(body.path("outputs")).isNotEmpty();
    }

    @Test
    void aPrincipalThatTheIamAuthorizerLetThroughMayMoveAnAliasAndASignatureAloneMayNot() {
        // the test profile trusts the gateway (quiver.security.gateway.iam=true), as the CDK app's IAM mode does
        ApiGatewayEvents.Response moved = ApiGatewayEvents.invoke("alias-move-iam");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);

        // the same signed request without the authorizer's context: the signature is no credential of the function's
        ApiGatewayEvents.Response refused = ApiGatewayEvents.invoke("alias-move-sigv4-without-authorizer");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(refused.body()).doesNotContain("Exception");
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }
}
