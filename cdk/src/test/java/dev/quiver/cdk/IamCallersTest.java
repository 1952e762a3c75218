package dev.quiver.cdk;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a JWT issuer predict's own API takes SigV4, and the agent signs its calls to that API: no second API. */
class IamCallersTest {

    static Template functions;

    @BeforeAll
    static void synthesize() {
        functions = Template.fromStack(QuiverApp.define(TestApps.quiver()
                .context("quiver.jwt.issuer", null)
                .context("quiver.functions", "predict,agent")
                .context("quiver.nag", "false")
                .app()).functions());
    }

    @Test
    void theAgentSignsItsCallsToPredictsOwnApi() {
        functions.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
        Object env = Cfn.at(Cfn.resources(functions, "AWS::Lambda::Function")
                .get(Cfn.id(functions, "AWS::Lambda::Function", "Agent")), "Environment", "Variables");
        assertThat(Cfn.ref(Cfn.at(env, "QUIVER_AGENT_PREDICT_URL")))
                .isEqualTo(Cfn.id(functions, "AWS::ApiGatewayV2::Api", "PredictApi"));
        assertThat(Cfn.at(env, "QUIVER_AGENT_PREDICT_AUTH")).isEqualTo("sigv4");
        Object predict = Cfn.at(Cfn.resources(functions, "AWS::Lambda::Function")
                .get(Cfn.id(functions, "AWS::Lambda::Function", "Predict")), "Environment", "Variables");
        assertThat(Cfn.at(predict, "QUIVER_SECURITY_GATEWAY_IAM")).isEqualTo("true");
    }
}
