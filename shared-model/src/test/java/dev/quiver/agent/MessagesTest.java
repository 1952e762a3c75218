package dev.quiver.agent;

import dev.quiver.agent.requirement.LatencyBound;
import dev.quiver.agent.requirement.ModelFormat;
import dev.quiver.error.QuiverException;
import dev.quiver.testing.Problems;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessagesTest {

    @Test
    void readsTheModelDeploymentRequestAsTheTeamWritesIt() {
        Message m = Messages.parse(SampleMessages.fixture("model_deployment_request.json"));

        DeploymentRequest r = (DeploymentRequest) m;
        assertThat(r.action()).isEqualTo(Action.MODEL_DEPLOYMENT_REQUEST);
        assertThat(r.header()).isEqualTo(Header.to("data_scientist_id"));
        assertThat(r.request().modelId()).isEqualTo("churn_prediction_v2");
        DeploymentRequest.Requirements q = r.request().requirements();
        assertThat(q.latency()).isEqualTo("< 100ms");
        assertThat(q.latencyBound()).contains(new LatencyBound(99, Duration.ofMillis(100)));
        assertThat(q.requestsPerSecond()).hasValue(1000);
        assertThat(q.formats()).containsExactly(ModelFormat.ONNX, ModelFormat.TENSORRT);
    }

    @Test
    void readsTheFeatureStoreRequestAsTheTeamWritesIt() {
        FeatureRequest r = (FeatureRequest) Messages.parse(SampleMessages.fixture("feature_store_request.json"));

        assertThat(r.header().recipient()).isEqualTo("data_engineer_id");
        assertThat(r.request().features()).containsExactly("user_age", "purchase_history", "last_login");
        assertThat(r.request().latencyBound()).contains(LatencyBound.REAL_TIME);
        assertThat(r.request().updateInterval()).contains(Duration.ofHours(1));
        assertThat(r.request().modelId()).isNull();
    }

    @Test
    void readsTheModelIssueAlertAsTheTeamWritesIt() {
        IssueAlert a = (IssueAlert) Messages.parse(SampleMessages.fixture("model_issue_alert.json"));

        assertThat(a.header().recipient()).isEqualTo("project_manager_id");
        assertThat(a.issue()).isEqualTo(new IssueAlert.Issue(Severity.HIGH, "churn_prediction_v2",
                "Model accuracy dropped from 0.89 to 0.82", Instant.parse("2024-03-15T10:30:00Z"),
                "Investigating data drift", null));
    }

    @Test
    void readsTheAnswers() {
        ModelDelivery byUri = (ModelDelivery) Messages.parse(SampleMessages.fixture("model_delivery_uri.json"));
        assertThat(byUri.inReplyTo()).isEqualTo("quiver-msg-0042");
        assertThat(byUri.header().correlationId()).isEqualTo("corr-2024-03-15-churn");
        assertThat(byUri.header().sentAt()).isEqualTo(Instant.parse("2024-03-16T08:00:00Z"));
        assertThat(byUri.delivery().format()).isEqualTo(ModelFormat.ONNX);
        assertThat(byUri.delivery().artifact().uri()).isEqualTo("s3://quiver-models/churn_prediction_v2/3/model.onnx");

        ModelDelivery uploaded = (ModelDelivery) Messages.parse(SampleMessages.fixture("model_delivery_upload.json"));
        assertThat(uploaded.delivery().artifact().modelBytes()).isEqualTo("test".getBytes(StandardCharsets.US_ASCII));
        assertThat(uploaded.delivery().artifact().descriptor().get("labels")).hasSize(2);

        FeatureAvailability fa = (FeatureAvailability) Messages.parse(SampleMessages.fixture("feature_availability.json"));
        assertThat(fa.availability().features()).extracting(FeatureAvailability.Feature::status).containsExactly(
                FeatureAvailability.Status.AVAILABLE, FeatureAvailability.Status.AVAILABLE,
                FeatureAvailability.Status.MISSING);
        assertThat(fa.availability().features().get(0).freshness()).isEqualTo(Duration.ofMinutes(20));

        Acknowledgement ack = (Acknowledgement) Messages.parse(SampleMessages.fixture("acknowledgement.json"));
        assertThat(ack.outcome().status()).isEqualTo(Acknowledgement.Status.DONE);
        assertThat(ack.outcome().details().get("incident").textValue()).isEqualTo("INC-311");
    }

    @Test
    void unknownActionListsTheKnownOnes() {
        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, "action",
                () -> Messages.parse("{\"action\": \"retrain\", \"recipient\": \"x\"}"));
        assertThat(e.reason()).contains("\"retrain\"");
        for (String known : Action.wireNames()) {
            assertThat(e.reason()).contains(known);
        }
    }

    @Test
    void aRequirementThatCannotBeReadNamesItsFieldAndQuotesIt() {
        String json = SampleMessages.fixture("model_deployment_request.json").replace("1000 req/s", "plenty");
        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, "request.requirements.throughput",
                () -> Messages.parse(json));
        assertThat(e.reason()).contains("\"plenty\"");
        assertThat(e.getMessage()).startsWith("request.requirements.throughput: ");
    }

    @Test
    void anOversizeMessageIsTooLarge() {
        String team = SampleMessages.fixture("model_issue_alert.json");
        int size = team.getBytes(StandardCharsets.UTF_8).length;
        assertThat(Messages.parse(team, size)).isInstanceOf(IssueAlert.class);
        Problems.expect(QuiverException.Kind.TOO_LARGE, null, () -> Messages.parse(team, size - 1));
        Problems.expect(QuiverException.Kind.TOO_LARGE, null,
                () -> Messages.parse(team.getBytes(StandardCharsets.UTF_8), size - 1));

        // counted in UTF-8 bytes, not in characters
        String accented = team.replace("Investigating data drift", "é".repeat(100));
        int chars = accented.length();
        Problems.expect(QuiverException.Kind.TOO_LARGE, null, () -> Messages.parse(accented, chars));
        assertThat(Messages.parse(accented, chars + 100)).isInstanceOf(IssueAlert.class);
    }

    @Test
    void theDefaultLimitLetsASmallUploadThroughAndStopsAHugeOne() {
        String upload = SampleMessages.fixture("model_delivery_upload.json");
        String huge = upload.replace("dGVzdA==", "A".repeat(Messages.DEFAULT_MAX_BYTES));
        Problems.expect(QuiverException.Kind.TOO_LARGE, null, () -> Messages.parse(huge));
        assertThat(Messages.parse(upload)).isInstanceOf(ModelDelivery.class);
    }

    @Test
    void textThatIsNotOneJsonObjectIsBadInputAboutTheWholeMessage() {
        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, null,
                () -> Messages.parse("{\"action\": \"model_issue_alert\","));
        assertThat(e.reason()).startsWith("is not valid JSON at line 1");
        Problems.expect(QuiverException.Kind.BAD_INPUT, null, () -> Messages.parse("\"model_issue_alert\""));
        Problems.expect(QuiverException.Kind.BAD_INPUT, null, () -> Messages.parse("null"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "body", () -> Messages.parse((String) null));
    }

    @Test
    void aKeyGivenTwiceIsRefusedRatherThanOneOfThemSilentlyWinning() {
        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, null, () -> Messages.parse(
                "{\"action\": \"feature_store_request\", \"recipient\": \"a\", \"recipient\": \"b\","
                        + " \"request\": {\"features\": [\"x\"]}}"));
        assertThat(e.reason()).contains("recipient");
    }

    @Test
    void detectedAtWithAnOffsetIsReadAsTheInstant() {
        String json = SampleMessages.fixture("model_issue_alert.json")
                .replace("2024-03-15T10:30:00Z", "2024-03-15T11:30:00+01:00");
        IssueAlert a = (IssueAlert) Messages.parse(json);
        assertThat(a.issue().detectedAt()).isEqualTo(Instant.parse("2024-03-15T10:30:00Z"));
        assertThat(Messages.toTree(a).get("issue").get("detected_at").textValue()).isEqualTo("2024-03-15T10:30:00Z");
    }

    @Test
    void parseEnvelopeRefusesAnswers() {
        assertThat(Messages.parseEnvelope(SampleMessages.fixture("feature_store_request.json")))
                .isInstanceOf(FeatureRequest.class);
        Problems.expect(QuiverException.Kind.BAD_INPUT, "action",
                () -> Messages.parseEnvelope(SampleMessages.fixture("acknowledgement.json")));
    }

    @Test
    void writesActionAndHeaderFirstAndLeavesAbsentFieldsOut() {
        String json = Messages.toJson(SampleMessages.bareDeploymentRequest());
        assertThat(json).isEqualTo("{\"action\":\"model_deployment_request\",\"recipient\":\"data_scientist_id\","
                + "\"request\":{\"model_id\":\"churn_prediction_v2\"}}");
        assertThat(Messages.toJson(SampleMessages.acknowledgement())).startsWith(
                "{\"action\":\"acknowledgement\",\"recipient\":\"quiver\",\"sender\":\"project_manager_id\","
                        + "\"correlation_id\":\"corr-2024-03-15-churn\",\"in_reply_to\":\"quiver-msg-0044\",\"outcome\":");
    }

    @Test
    void checkAppliesTheReadersRulesToARecordBuiltInCode() {
        FeatureRequest noFeatures = new FeatureRequest(Header.to("data_engineer_id"),
                new FeatureRequest.Request(List.of(), "real-time", "hourly", null));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "request.features", () -> Messages.check(noFeatures));

        DeploymentRequest badLatency = new DeploymentRequest(Header.to("data_scientist_id"),
                new DeploymentRequest.Request("churn_prediction_v2",
                        new DeploymentRequest.Requirements("quick", null, null)));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "request.requirements.latency",
                () -> Messages.check(badLatency));

        Acknowledgement noCorrelation = new Acknowledgement(Header.to("x"), "m-1",
                new Acknowledgement.Outcome(Acknowledgement.Status.DONE, "done", null));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "correlation_id", () -> Messages.check(noCorrelation));
    }

    @Test
    void detailsCannotBeChangedThroughTheRecord() {
        IssueAlert a = SampleMessages.issueAlert();
        a.issue().details().put("accuracy", 0.1);
        assertThat(a.issue().details().get("accuracy").doubleValue()).isEqualTo(0.82);
    }

    @Test
    void actionsKnowWhichAreAnswers() {
        assertThat(List.of(Action.values())).filteredOn(Action::isAnswer).containsExactly(Action.MODEL_DELIVERY,
                Action.FEATURE_AVAILABILITY, Action.ACKNOWLEDGEMENT);
        assertThat(Action.byWireName("model_issue_alert")).isEqualTo(Action.MODEL_ISSUE_ALERT);
        assertThat(Action.byWireName("MODEL_ISSUE_ALERT")).isNull();
    }
}
