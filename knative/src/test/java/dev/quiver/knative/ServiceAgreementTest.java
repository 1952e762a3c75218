package dev.quiver.knative;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each function's Knative Service agrees with the function as built: the image the root pom names, the port and the
 * health paths of its own application.properties (with Quarkus's defaults where it sets none), and what a revision
 * that scales to zero needs.
 */
class ServiceAgreementTest {

    static List<String> functions() {
        return Repo.functions();
    }

    @Test
    void everyFunctionHasAService() {
        assertThat(functions()).isNotEmpty();
        functions().forEach(Repo::service);
    }

    @ParameterizedTest
    @MethodSource("functions")
    void theImageIsTheOneTheRootPomNames(String function) {
        Map<String, String> pom = Repo.rootPomProperties();
        String expected = pom.get("quiver.image.registry") + "/quiver-" + function + ":" + pom.get("quiver.image.tag");
        assertThat(Repo.container(function).path("image").asText()).isEqualTo(expected);
        // Maven's own reading of the same properties, handed over by surefire, agrees with the file's
        String registry = System.getProperty("quiver.image.registry");
        if (registry != null) {
            assertThat(expected)
                    .isEqualTo(registry + "/quiver-" + function + ":" + System.getProperty("quiver.image.tag"));
        }
    }

    @ParameterizedTest
    @MethodSource("functions")
    void theContainerListensWhereTheFunctionDoes(String function) {
        Map<String, String> properties = Repo.prodProperties(function);
        String port = QuarkusDefaults.value(properties, "quarkus.http.port");
        JsonNode container = Repo.container(function);
        assertThat(container.path("ports")).hasSize(1);
        assertThat(container.path("ports").get(0).path("containerPort").asText()).isEqualTo(port);
        Map<String, String> env = Repo.env(container);
        assertThat(env).containsEntry("QUARKUS_HTTP_PORT", port);
        // a function bound to loopback is unreachable from the kubelet's probes: the container listens on all
        String host = env.getOrDefault("QUARKUS_HTTP_HOST", properties.get("quarkus.http.host"));
        assertThat(host).as("the interface quiver-%s listens on", function).isEqualTo("0.0.0.0");
        // Knative speaks h2c to a port named h2c; the functions serve HTTP/1.1 only when http2 is off
        if ("false".equals(properties.get("quarkus.http.http2"))) {
            assertThat(container.path("ports").get(0).path("name").asText("http1")).isEqualTo("http1");
        }
    }

    @ParameterizedTest
    @MethodSource("functions")
    void theProbesAskTheFunctionsHealthEndpoints(String function) throws IOException {
        Map<String, String> properties = Repo.prodProperties(function);
        assertThat(Files.readString(Repo.functionDir(function).resolve("pom.xml")))
                .as("functions/%s serves SmallRye Health", function)
                .contains("<artifactId>quarkus-smallrye-health</artifactId>");
        // on a management interface health would answer on a port of its own, which a Knative revision cannot probe
        assertThat(QuarkusDefaults.value(properties, "quarkus.management.enabled")).isEqualTo("false");
        JsonNode container = Repo.container(function);
        String port = container.path("ports").get(0).path("containerPort").asText();
        for (String[] probe : new String[][]{{"readinessProbe", "readiness"}, {"livenessProbe", "liveness"}}) {
            JsonNode httpGet = container.path(probe[0]).path("httpGet");
            assertThat(httpGet.path("path").asText()).as("%s of quiver-%s", probe[0], function)
                    .isEqualTo(QuarkusDefaults.healthPath(properties, probe[1]));
            // Knative probes the serving port; one named explicitly must be it
            if (httpGet.has("port")) {
                assertThat(httpGet.path("port").asText())
                        .isIn(port, container.path("ports").get(0).path("name").asText());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("functions")
    void theServiceScalesToZeroAndStatesWhatItNeeds(String function) {
        JsonNode template = Repo.service(function).doc().path("spec").path("template");
        JsonNode annotations = template.path("metadata").path("annotations");
        assertThat(annotations.path("autoscaling.knative.dev/min-scale").asText()).isEqualTo("0");
        assertThat(annotations.path("autoscaling.knative.dev/metric").asText()).isEqualTo("concurrency");
        assertThat(Integer.parseInt(annotations.path("autoscaling.knative.dev/target").asText("0"))).isPositive();
        assertThat(Integer.parseInt(annotations.path("autoscaling.knative.dev/max-scale").asText("0"))).isPositive();
        JsonNode resources = Repo.container(function).path("resources");
        for (String bound : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertThat(resources.path(bound).path(resource).asText("")).as("%s.%s of quiver-%s", bound, resource,
                        function).isNotEmpty();
            }
        }
    }

    @Test
    void theAgentCallsPredictWithAKeyPredictKnows() {
        JsonNode agent = Repo.container("agent");
        assertThat(Repo.env(agent)).containsEntry("QUIVER_AGENT_PREDICT_URL", "http://" + Repo.service("predict").name());
        JsonNode key = secretRef(agent, "QUIVER_AGENT_PREDICT_API_KEY");
        // predict knows the agent's key by its hash and roles, from the same Secret
        JsonNode predict = Repo.container("predict");
        for (String part : List.of("SHA256", "ROLES")) {
            JsonNode ref = secretRef(predict, "QUIVER_SECURITY_API_KEYS_AGENT_" + part);
            assertThat(ref.path("name").asText()).isEqualTo(key.path("name").asText());
            // optional on both sides, or predict fails to start with half an API key
            assertThat(ref.path("optional").asBoolean()).isEqualTo(key.path("optional").asBoolean());
        }
    }

    /**
     * Instances share no disk and one scaled to zero keeps nothing: what must outlive an instance is in Redis, and
     * the model store is the namespace's S3 store where it has one.
     */
    @Test
    void whatMustOutliveAnInstanceIsInSharedStores() {
        String redis = "redis://quiver-redis:6379";
        Map<String, String> predict = Repo.env(Repo.container("predict"));
        assertThat(predict).containsEntry("QUIVER_ROLLOUTS_STORE", "redis").containsEntry("QUIVER_ROLLOUTS_REDIS_URI", redis)
                .containsEntry("QUIVER_CAPTURE_STORE", "redis").containsEntry("QUIVER_FEATURES_STORE_KIND", "redis");
        Map<String, String> agent = Repo.env(Repo.container("agent"));
        assertThat(agent).containsEntry("QUIVER_AGENT_STORE", "redis").containsEntry("QUIVER_AGENT_REDIS_URI", redis)
                .doesNotContainKey("QUIVER_AGENT_LEDGER_STORE");
        for (String function : List.of("predict", "drift")) {
            JsonNode from = Repo.container(function).path("envFrom");
            assertThat(from.findValues("name")).extracting(JsonNode::asText).as("envFrom of quiver-%s", function)
                    .containsExactly("quiver-store", "quiver-s3");
            // optional: without an S3 store the function starts on its embedded one
            assertThat(from.findValues("optional")).allMatch(JsonNode::asBoolean);
        }
    }

    private static JsonNode secretRef(JsonNode container, String variable) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(variable)) {
                return e.path("valueFrom").path("secretKeyRef");
            }
        }
        throw new AssertionError("no " + variable + " in the container's env");
    }
}
