package dev.quiver.cdk;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An app with context overriding the defaults: no JWT issuer (so SigV4), a subset of functions (the agent without
 * predict), drift's timeout, both schedules, a native OTel layer, and a canary policy.
 */
class ContextOverridesTest {

    static final String LAYER = "arn:aws:lambda:eu-west-1:123456789012:layer:otel-collector:7";
    static final String SCHEDULE = "cron(0/15 * * * ? *)";
    static final String AGENT_SCHEDULE = "rate(5 minutes)";
    static final List<Integer> STEPS = List.of(10, 100);
    static final int MINUTES = 5;
    static final int DRIFT_TIMEOUT = 120;
    static TestApps builder;
    static Template functions;

    @BeforeAll
    static void synthesize() {
        builder = TestApps.quiver()
                .context("quiver.jwt.issuer", null)
                .context("quiver.functions", "features,drift,agent")
                .context("quiver.timeout.drift", String.valueOf(DRIFT_TIMEOUT))
                .context("quiver.drift.schedule", SCHEDULE)
                .context("quiver.agent.schedule", AGENT_SCHEDULE)
                .context("quiver.otel.layerArn.native", LAYER)
                .context("quiver.nag", "false")
                .context("quiver.bucket.drift", "none")
                .steps(STEPS).minDuration("PT" + MINUTES + "M").p99Ms(250);
        App app = builder.app();
        functions = Template.fromStack(QuiverApp.define(app).functions());
    }

    @Test
    void withoutAnIssuerEveryRouteNeedsSigV4() {
        Map<String, Map<String, Object>> routes = Cfn.resources(functions, "AWS::ApiGatewayV2::Route");
        assertThat(routes).hasSize(1);
        routes.forEach((id, r) -> assertThat(Cfn.at(r, "AuthorizationType")).as(id).isEqualTo("AWS_IAM"));
        functions.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 0);
    }

    @Test
    void withoutAnIssuerAnHttpsFunctionTrustsTheIamAuthorizerAndTakesNoJwt() {
        Object env = Cfn.at(Cfn.resources(functions, "AWS::Lambda::Function")
                .get(Cfn.id(functions, "AWS::Lambda::Function", "Features")), "Environment", "Variables");
        assertThat(Cfn.at(env, "QUIVER_SECURITY_GATEWAY_IAM")).isEqualTo("true");
        assertThat(Cfn.at(env, "QUIVER_SECURITY_JWT_ISSUER")).isNull();
    }

    @Test
    void onlyTheNamedFunctionsAreDeployed() {
        assertThat(Cfn.resources(functions, "AWS::Lambda::Function")).hasSize(3);
    }

    @Test
    void withoutPredictTheAgentIsGivenNoPredictUrl() {
        Map<String, Object> agent = Cfn.resources(functions, "AWS::Lambda::Function")
                .get(Cfn.id(functions, "AWS::Lambda::Function", "Agent"));
        assertThat(Cfn.at(agent, "Environment", "Variables", "QUIVER_AGENT_STORE")).isEqualTo("redis");
        assertThat(Cfn.at(agent, "Environment", "Variables", "QUIVER_AGENT_PREDICT_URL")).isNull();
    }

    @Test
    void anUnknownFunctionIsRefusedNamingTheKnownOnes() {
        TestApps t = TestApps.quiver().context("quiver.functions", "predict,scoring");
        assertThatThrownBy(() -> QuiverApp.define(t.app())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'scoring'").hasMessageContaining(QuiverFunction.names());
    }

    @Test
    void theQueueFollowsTheTimeoutFromContext() {
        Map<String, Object> queue = Cfn.resources(functions, "AWS::SQS::Queue")
                .get(Cfn.id(functions, "AWS::SQS::Queue", "DriftQueue"));
        assertThat(Cfn.integer(queue, "VisibilityTimeout")).isEqualTo(6 * DRIFT_TIMEOUT);
    }

    @Test
    void theScheduleAndLayerComeFromContext() {
        Map<String, Object> rule = Cfn.resources(functions, "AWS::Events::Rule")
                .get(Cfn.id(functions, "AWS::Events::Rule", "DriftSchedule"));
        assertThat(Cfn.at(rule, "ScheduleExpression")).isEqualTo(SCHEDULE);
        Map<String, Object> agent = Cfn.resources(functions, "AWS::Events::Rule")
                .get(Cfn.id(functions, "AWS::Events::Rule", "AgentSchedule"));
        assertThat(Cfn.at(agent, "ScheduleExpression")).isEqualTo(AGENT_SCHEDULE);
        Cfn.resources(functions, "AWS::Lambda::Function").values()
                .forEach(f -> assertThat(Cfn.list(f, "Layers")).contains(LAYER).hasSize(2));
    }

    @Test
    void bucketAccessFollowsContext() {
        String drift = Cfn.id(functions, "AWS::Lambda::Function", "Drift");
        Map<String, Object> f = Cfn.resources(functions, "AWS::Lambda::Function").get(drift);
        assertThat(Cfn.at(f, "Environment", "Variables", "QUIVER_STORE_KIND")).isNull();
        String role = Cfn.ref(Cfn.at(f, "Role"));
        assertThat(Cfn.resources(functions, "AWS::IAM::Policy").values().stream()
                .filter(p -> Cfn.list(p, "Roles").stream().map(Cfn::ref).anyMatch(role::equals))
                .map(p -> String.valueOf(Cfn.at(p, "PolicyDocument")))).noneMatch(d -> d.contains("s3:"));
    }

    @Test
    void aTwoStepPolicyIsACanaryOfItsFirstStep() {
        Map<String, Object> config = Cfn.resources(functions, "AWS::CodeDeploy::DeploymentConfig").values().iterator().next();
        assertThat(Cfn.at(config, "TrafficRoutingConfig", "Type")).isEqualTo("TimeBasedCanary");
        assertThat(Cfn.integer(config, "TrafficRoutingConfig", "TimeBasedCanary", "CanaryPercentage")).isEqualTo(STEPS.get(0));
        assertThat(Cfn.integer(config, "TrafficRoutingConfig", "TimeBasedCanary", "CanaryInterval")).isEqualTo(MINUTES);
    }
}
