package dev.quiver.knative;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks can fail: each test breaks one of the real manifests the way a hand edit might and expects the CRD's
 * schema (or the SinkBinding's structural check) to refuse it, and a few show what Kubernetes' extensions allow.
 */
class BrokenManifestTest {

    private static final CrdSchemas CRDS = new CrdSchemas();

    private static ObjectNode predict() {
        return Repo.service("predict").doc().deepCopy();
    }

    private static ObjectNode container(ObjectNode service) {
        return (ObjectNode) service.path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static ObjectNode deployed(String kind) {
        return Repo.deployed(kind).get(0).doc().deepCopy();
    }

    @Test
    void theRealManifestsBrokenHereValidateAsTheyAre() {
        assertThat(CRDS.validate(predict())).isEmpty();
        assertThat(CRDS.validate(deployed("Trigger"))).isEmpty();
        assertThat(CRDS.validate(deployed("Broker"))).isEmpty();
        assertThat(ManifestSchemaTest.sinkBindingProblems(deployed("SinkBinding"))).isEmpty();
    }

    @Test
    void aMisspeltContainerFieldIsRefused() {
        ObjectNode service = predict();
        container(service).set("imagee", container(service).remove("image"));
        assertThat(CRDS.validate(service)).anySatisfy(e -> assertThat(e).contains("imagee"));
    }

    @Test
    void aContainerPortThatIsNotANumberIsRefused() {
        ObjectNode service = predict();
        ((ObjectNode) container(service).path("ports").get(0)).put("containerPort", "http");
        assertThat(CRDS.validate(service)).anySatisfy(e -> assertThat(e).contains("containerPort"));
    }

    @Test
    void aServiceWithoutContainersIsRefused() {
        ObjectNode service = predict();
        ((ObjectNode) service.path("spec").path("template").path("spec")).remove("containers");
        assertThat(CRDS.validate(service)).anySatisfy(e -> assertThat(e).contains("containers"));
    }

    @Test
    void anEnvVariableSetTwiceIsRefused() {
        ObjectNode service = predict();
        ArrayNode env = (ArrayNode) container(service).path("env");
        env.add(env.get(0).deepCopy());
        assertThat(CRDS.validate(service)).anySatisfy(e -> assertThat(e).contains("env").contains("same"));
    }

    @Test
    void aServiceNameThatIsNotADnsSubdomainIsRefused() {
        ObjectNode service = predict();
        ((ObjectNode) service.path("metadata")).put("name", "Quiver_Predict");
        assertThat(CRDS.validate(service)).anySatisfy(e -> assertThat(e).contains("name"));
    }

    @Test
    void anUnknownBrokerFieldAndARetryThatIsNotANumberAreRefused() {
        ObjectNode broker = deployed("Broker");
        ((ObjectNode) broker.path("spec")).put("deadLetter", "quiver-dead-letters");
        assertThat(CRDS.validate(broker)).anySatisfy(e -> assertThat(e).contains("deadLetter"));

        ObjectNode retry = deployed("Broker");
        ((ObjectNode) retry.path("spec").path("delivery")).put("retry", "five");
        assertThat(CRDS.validate(retry)).anySatisfy(e -> assertThat(e).contains("retry"));
    }

    @Test
    void anApiVersionNoCrdServesIsRefused() {
        ObjectNode trigger = deployed("Trigger");
        trigger.put("apiVersion", "eventing.knative.dev/v1beta1");
        assertThat(CRDS.validate(trigger)).anySatisfy(e -> assertThat(e).contains("no CRD here serves"));
    }

    @Test
    void preservedUnknownFieldsAndIntOrStringAreAccepted() {
        // a Trigger's spec preserves unknown fields (x-kubernetes-preserve-unknown-fields), as the API server does
        ObjectNode trigger = deployed("Trigger");
        ((ObjectNode) trigger.path("spec")).put("experimentalField", "kept");
        assertThat(CRDS.validate(trigger)).isEmpty();
        // a probe's port is x-kubernetes-int-or-string: a port's name will do
        ObjectNode service = predict();
        ((ObjectNode) container(service).path("readinessProbe").path("httpGet")).put("port", "http1");
        assertThat(CRDS.validate(service)).isEmpty();
    }

    @Test
    void aSinkBindingWithTwoSubjectsOrNoSinkIsRefused() {
        ObjectNode both = deployed("SinkBinding");
        ((ObjectNode) both.path("spec").path("subject")).put("name", "quiver-predict");
        assertThat(ManifestSchemaTest.sinkBindingProblems(both)).anySatisfy(p -> assertThat(p).contains("exactly one"));

        ObjectNode noSink = deployed("SinkBinding");
        ((ObjectNode) noSink.path("spec")).remove("sink");
        assertThat(ManifestSchemaTest.sinkBindingProblems(noSink)).anySatisfy(p -> assertThat(p).contains("spec.sink"));
    }
}
