package dev.quiver.cdk;

import dev.quiver.rollout.RolloutPolicy;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The functions stack of {@link Synthesized}: predict on the JVM runtime, the rest native, JWT routes. */
class FunctionsStackTest {

    static final Template T = Synthesized.FUNCTIONS;
    static final RolloutPolicy POLICY = Synthesized.POLICY;

    static String functionId(QuiverFunction fn) {
        return Cfn.id(T, "AWS::Lambda::Function", fn.id());
    }

    static Map<String, Object> function(QuiverFunction fn) {
        return Cfn.resources(T, "AWS::Lambda::Function").get(functionId(fn));
    }

    static String aliasId(QuiverFunction fn) {
        return Cfn.id(T, "AWS::Lambda::Alias", fn.id() + "Live");
    }

    @Test
    void everyFunctionRunsAsItsContextSays() {
        // each Lambda build a function of its own, beside CDK's handler that sets the batch bucket's notification
        Set<String> ours = QuiverFunction.ALL.stream().map(FunctionsStackTest::functionId).collect(Collectors.toSet());
        assertThat(ours).hasSize(QuiverFunction.ALL.size());
        assertThat(Cfn.resources(T, "AWS::Lambda::Function").keySet()).containsAll(ours)
                .filteredOn(id -> !ours.contains(id)).singleElement().asString()
                .startsWith(FunctionsStack.NOTIFICATIONS_HANDLER);
        assertThat(QuiverFunction.ALL.stream().map(fn -> Cfn.at(function(fn), "Code", "S3Key")).distinct())
                .as("each its own zip").hasSize(QuiverFunction.ALL.size());
        Map<String, Object> predict = function(QuiverFunction.PREDICT);
        assertThat(Cfn.at(predict, "Runtime")).isEqualTo("java21");
        assertThat(Cfn.at(predict, "Handler")).isEqualTo(FunctionsStack.JVM_HANDLER);
        assertThat(Cfn.at(predict, "SnapStart", "ApplyOn")).isEqualTo("PublishedVersions");
        for (QuiverFunction fn : QuiverFunction.ALL.stream().filter(f -> f != QuiverFunction.PREDICT).toList()) {
            Map<String, Object> f = function(fn);
            assertThat(Cfn.at(f, "Runtime")).as(fn.name()).isEqualTo("provided.al2023");
            assertThat(Cfn.at(f, "Handler")).as(fn.name()).isEqualTo(FunctionsStack.NATIVE_HANDLER);
            assertThat(Cfn.at(f, "SnapStart")).as(fn.name()).isNull();
        }
        for (QuiverFunction fn : QuiverFunction.ALL) {
            assertThat((String) Cfn.at(function(fn), "Code", "S3Key")).as(fn.name()).endsWith(".zip");
            assertThat(Cfn.integer(function(fn), "Timeout")).isEqualTo(fn.timeoutSeconds());
        }
    }

    @Test
    void everyFunctionRunsInThePrivateSubnetsWithTheFunctionsSecurityGroup() {
        Map<String, String> exported = new HashMap<>();
        Map<String, Object> outputs = (Map<String, Object>) Synthesized.DATA.toJSON().get("Outputs");
        outputs.values().forEach(o -> exported.put((String) Cfn.at(o, "Export", "Name"), Cfn.ref(Cfn.at(o, "Value"))));
        Set<String> privateSubnets = DataStackTest.privateSubnets();
        String functionsSg = Cfn.id(Synthesized.DATA, "AWS::EC2::SecurityGroup", "FunctionsSecurityGroup");
        for (QuiverFunction fn : QuiverFunction.ALL) {
            List<String> subnets = Cfn.list(function(fn), "VpcConfig", "SubnetIds").stream()
                    .map(s -> exported.get((String) Cfn.at(s, "Fn::ImportValue"))).toList();
            assertThat(subnets).as(fn.name()).isNotEmpty();
            assertThat(privateSubnets).as(fn.name()).containsAll(subnets);
            List<String> groups = Cfn.list(function(fn), "VpcConfig", "SecurityGroupIds").stream()
                    .map(s -> exported.get((String) Cfn.at(s, "Fn::ImportValue"))).toList();
            assertThat(groups).as(fn.name()).containsExactly(functionsSg);
        }
    }

    @Test
    void eachFunctionHasALiveAliasOnAPublishedVersion() {
        for (QuiverFunction fn : QuiverFunction.ALL) {
            Map<String, Object> alias = Cfn.resources(T, "AWS::Lambda::Alias").get(aliasId(fn));
            assertThat(Cfn.at(alias, "Name")).isEqualTo(FunctionsStack.LIVE);
            assertThat(Cfn.ref(Cfn.at(alias, "FunctionName"))).isEqualTo(functionId(fn));
            String version = (String) Cfn.at(Cfn.at(alias, "FunctionVersion"), "Fn::GetAtt", 0);
            assertThat(T.findResources("AWS::Lambda::Version")).containsKey(version);
        }
    }

    @Test
    void theDeploymentConfigShiftsTrafficStepForStepAsTheCatalogPolicySays() {
        Map<String, Map<String, Object>> configs = Cfn.resources(T, "AWS::CodeDeploy::DeploymentConfig");
        assertThat(configs).hasSize(1);
        Map<String, Object> routing = (Map<String, Object>) Cfn.at(configs.values().iterator().next(), "TrafficRoutingConfig");
        List<Integer> steps = POLICY.steps();
        long minutes = (POLICY.minDuration().toSeconds() + 59) / 60;
        if (steps.size() == 2) {
            assertThat(Cfn.at(routing, "Type")).isEqualTo("TimeBasedCanary");
            assertThat(Cfn.integer(routing, "TimeBasedCanary", "CanaryPercentage")).isEqualTo(steps.get(0));
            assertThat(Cfn.integer(routing, "TimeBasedCanary", "CanaryInterval")).isEqualTo((int) minutes);
        } else {
            assertThat(Cfn.at(routing, "Type")).isEqualTo("TimeBasedLinear");
            int increment = Cfn.integer(routing, "TimeBasedLinear", "LinearPercentage");
            // CodeDeploy shifts increment% per interval until 100: the same number of steps, each at the
            // policy's weight (basis points / 100)
            assertThat((100 + increment - 1) / increment).isEqualTo(steps.size());
            IntStream.range(0, steps.size()).forEach(i ->
                    assertThat(Math.min(100, increment * (i + 1))).as("step %d", i).isEqualTo(POLICY.weightAt(i) / 100));
            assertThat(Cfn.integer(routing, "TimeBasedLinear", "LinearInterval")).isEqualTo((int) minutes);
        }
    }

    @Test
    void eachLiveAliasIsDeployedByCodeDeployWithItsAlarmsRollingBack() {
        String config = Cfn.resources(T, "AWS::CodeDeploy::DeploymentConfig").keySet().iterator().next();
        Map<String, Map<String, Object>> alarms = Cfn.resources(T, "AWS::CloudWatch::Alarm");
        for (QuiverFunction fn : QuiverFunction.ALL) {
            Map<String, Object> group = Cfn.resources(T, "AWS::CodeDeploy::DeploymentGroup")
                    .get(Cfn.id(T, "AWS::CodeDeploy::DeploymentGroup", fn.id() + "Deployment"));
            assertThat(Cfn.ref(Cfn.at(group, "DeploymentConfigName"))).isEqualTo(config);
            assertThat(Cfn.at(group, "AlarmConfiguration", "Enabled")).isEqualTo(true);
            Set<String> wired = Cfn.list(group, "AlarmConfiguration", "Alarms").stream()
                    .map(a -> Cfn.ref(Cfn.at(a, "Name"))).collect(Collectors.toSet());
            assertThat(wired).containsExactlyInAnyOrder(
                    Cfn.id(T, "AWS::CloudWatch::Alarm", fn.id() + "ErrorRateAlarm"),
                    Cfn.id(T, "AWS::CloudWatch::Alarm", fn.id() + "P99DurationAlarm"));
            assertThat(Cfn.list(group, "AutoRollbackConfiguration", "Events")).contains("DEPLOYMENT_STOP_ON_ALARM",
                    "DEPLOYMENT_FAILURE");
            // the alarms watch the alias, the traffic CodeDeploy shifts
            for (String alarm : wired) {
                String dims = String.valueOf(alarms.get(alarm));
                assertThat(dims).contains(":live").contains(functionId(fn));
            }
        }
        // the alias's update policy is what CodeDeploy acts on
        for (QuiverFunction fn : QuiverFunction.ALL) {
            Object policy = T.findResources("AWS::Lambda::Alias").get(aliasId(fn)).get("UpdatePolicy");
            assertThat(Cfn.at(policy, "CodeDeployLambdaAliasUpdate")).isNotNull();
        }
    }

    @Test
    void theAlarmsThresholdsComeFromTheCatalog() {
        Map<String, Map<String, Object>> alarms = Cfn.resources(T, "AWS::CloudWatch::Alarm");
        for (QuiverFunction fn : QuiverFunction.ALL) {
            Map<String, Object> errors = alarms.get(Cfn.id(T, "AWS::CloudWatch::Alarm", fn.id() + "ErrorRateAlarm"));
            assertThat(Cfn.number(errors, "Threshold")).isEqualTo(POLICY.gates().maxErrorRateIncrease());
            assertThat(Cfn.at(errors, "ComparisonOperator")).isEqualTo("GreaterThanThreshold");
            Map<String, Object> p99 = alarms.get(Cfn.id(T, "AWS::CloudWatch::Alarm", fn.id() + "P99DurationAlarm"));
            assertThat(Cfn.at(p99, "ExtendedStatistic")).isEqualTo("p99");
            assertThat(Cfn.at(p99, "MetricName")).isEqualTo("Duration");
            double expected = fn.servesPredictions() ? Synthesized.MODEL.sla().p99Ms()
                    : 0.8 * Cfn.integer(function(fn), "Timeout") * 1000;
            assertThat(Cfn.number(p99, "Threshold")).as(fn.name()).isEqualTo(expected);
        }
    }

    @Test
    void queuesHoldMessagesSixTimesTheTimeoutAndDeadLetterAfterFiveReceives() {
        Map<String, Map<String, Object>> queues = Cfn.resources(T, "AWS::SQS::Queue");
        for (QuiverFunction fn : QuiverFunction.ALL) {
            if (fn.queue() == null) {
                assertThat(queues.keySet()).noneMatch(q -> q.startsWith(fn.id() + "Queue"));
                continue;
            }
            Map<String, Object> queue = queues.get(Cfn.id(T, "AWS::SQS::Queue", fn.id() + "Queue"));
            assertThat(Cfn.integer(queue, "VisibilityTimeout")).as(fn.name())
                    .isEqualTo(6 * Cfn.integer(function(fn), "Timeout"));
            assertThat(Cfn.integer(queue, "RedrivePolicy", "maxReceiveCount")).isEqualTo(5);
            String dlq = Cfn.ref(Cfn.at(queue, "RedrivePolicy", "deadLetterTargetArn"));
            assertThat(dlq).isEqualTo(Cfn.id(T, "AWS::SQS::Queue", fn.id() + "Dlq"));
        }
        assertThat(queues).isNotEmpty();
        queues.forEach((id, q) -> assertThat(Cfn.at(q, "SqsManagedSseEnabled")).as(id).isEqualTo(true));
        // every queue refuses requests without TLS
        Map<String, Map<String, Object>> policies = Cfn.resources(T, "AWS::SQS::QueuePolicy");
        for (String queue : queues.keySet()) {
            assertThat(policies.values()).as(queue).anySatisfy(p -> {
                assertThat(Cfn.list(p, "Queues").stream().map(Cfn::ref)).contains(queue);
                assertThat(String.valueOf(Cfn.at(p, "PolicyDocument"))).contains("aws:SecureTransport=false")
                        .contains("Effect=Deny");
            });
        }
    }

    @Test
    void queuesFeedTheLiveAliasWithPartialBatchFailures() {
        Map<String, Map<String, Object>> mappings = Cfn.resources(T, "AWS::Lambda::EventSourceMapping");
        long withQueues = QuiverFunction.ALL.stream().filter(f -> f.queue() != null).count();
        assertThat(mappings).hasSize((int) withQueues);
        for (QuiverFunction fn : QuiverFunction.ALL) {
            if (fn.queue() == null) {
                continue;
            }
            Map<String, Object> m = mappings.values().stream()
                    .filter(e -> Cfn.id(T, "AWS::SQS::Queue", fn.id() + "Queue").equals(Cfn.ref(Cfn.at(e, "EventSourceArn"))))
                    .findFirst().orElseThrow();
            assertThat(Cfn.list(m, "FunctionResponseTypes")).containsExactly("ReportBatchItemFailures");
            assertThat(String.valueOf(Cfn.at(m, "FunctionName"))).contains(aliasId(fn)).contains(":live");
        }
    }

    /**
     * Every public route has the JWT authorizer from context; predict's internal API, which only the agent calls
     * (signed), has the IAM authorizer. None is open.
     */
    @Test
    void everyRouteHasTheJwtAuthorizerFromContextOrIamAndNoneIsOpen() {
        Map<String, Map<String, Object>> routes = Cfn.resources(T, "AWS::ApiGatewayV2::Route");
        Map<String, Map<String, Object>> authorizers = Cfn.resources(T, "AWS::ApiGatewayV2::Authorizer");
        long http = QuiverFunction.ALL.stream().filter(QuiverFunction::httpApi).count();
        String internal = Cfn.id(T, "AWS::ApiGatewayV2::Api", "PredictInternalApi");
        assertThat(Cfn.resources(T, "AWS::ApiGatewayV2::Api")).hasSize((int) http + 1);
        assertThat(routes).hasSize((int) http + 1);
        routes.forEach((id, route) -> {
            if (internal.equals(Cfn.ref(Cfn.at(route, "ApiId")))) {
                assertThat(Cfn.at(route, "AuthorizationType")).as(id).isEqualTo("AWS_IAM");
                return;
            }
            assertThat(Cfn.at(route, "AuthorizationType")).as(id).isEqualTo("JWT").isNotEqualTo("NONE");
            Map<String, Object> authorizer = authorizers.get(Cfn.ref(Cfn.at(route, "AuthorizerId")));
            assertThat(authorizer).as(id).isNotNull();
            assertThat(Cfn.at(authorizer, "ApiId")).isEqualTo(Cfn.at(route, "ApiId"));
            assertThat(Cfn.at(authorizer, "JwtConfiguration", "Issuer"))
                    .isEqualTo(Synthesized.APP.getNode().tryGetContext("quiver.jwt.issuer"));
            assertThat(Cfn.list(authorizer, "JwtConfiguration", "Audience")).containsExactlyElementsOf(
                    List.of(String.valueOf(Synthesized.APP.getNode().tryGetContext("quiver.jwt.audience")).split(",")));
        });
    }

    /**
     * Behind the gateway each HTTPS function checks the same JWTs itself (README, Security): the issuer, its keys
     * and the audiences from context; and it trusts the IAM authorizer's principal on its IAM API.
     */
    @Test
    void eachHttpsFunctionChecksTheIssuersTokensItself() {
        String issuer = String.valueOf(Synthesized.APP.getNode().tryGetContext("quiver.jwt.issuer"));
        for (QuiverFunction fn : QuiverFunction.ALL) {
            Object env = Cfn.at(function(fn), "Environment", "Variables");
            if (!fn.httpApi()) {
                assertThat(Cfn.at(env, "QUIVER_SECURITY_JWT_ISSUER")).as(fn.name()).isNull();
                continue;
            }
            assertThat(Cfn.at(env, "QUIVER_SECURITY_JWT_ISSUER")).as(fn.name()).isEqualTo(issuer);
            assertThat(Cfn.at(env, "QUIVER_SECURITY_JWT_JWKS_URL")).as(fn.name())
                    .isEqualTo(issuer + ".well-known/jwks.json");
            assertThat(Cfn.at(env, "QUIVER_SECURITY_JWT_AUDIENCE")).as(fn.name())
                    .isEqualTo(Synthesized.APP.getNode().tryGetContext("quiver.jwt.audience"));
            assertThat(Cfn.at(env, "QUIVER_SECURITY_GATEWAY_IAM")).as(fn.name()).isEqualTo("true");
        }
    }

    @Test
    void everyApiStageWritesAccessLogs() {
        Map<String, Map<String, Object>> stages = Cfn.resources(T, "AWS::ApiGatewayV2::Stage");
        assertThat(stages).isNotEmpty();
        stages.forEach((id, s) -> {
            String logGroup = Cfn.ref(Cfn.at(s, "AccessLogSettings", "DestinationArn"));
            assertThat(T.findResources("AWS::Logs::LogGroup")).as(id).containsKey(logGroup);
        });
    }

    @Test
    void eventRulesRouteTheTeamsEnvelopesAndTheDriftScheduleToLiveAliases() {
        Map<String, Map<String, Object>> rules = Cfn.resources(T, "AWS::Events::Rule");
        String bus = Cfn.id(T, "AWS::Events::EventBus", "TeamBus");
        for (QuiverFunction fn : QuiverFunction.ALL) {
            if (fn.detailTypes().isEmpty()) {
                continue;
            }
            Map<String, Object> rule = rules.get(Cfn.id(T, "AWS::Events::Rule", fn.id() + "Events"));
            assertThat(Cfn.ref(Cfn.at(rule, "EventBusName"))).isEqualTo(bus);
            assertThat(Cfn.list(rule, "EventPattern", "detail-type")).containsExactlyElementsOf(fn.detailTypes());
            assertThat(Cfn.ref(Cfn.at(rule, "Targets", 0, "Arn"))).isEqualTo(aliasId(fn));
            assertThat(Cfn.ref(Cfn.at(rule, "Targets", 0, "DeadLetterConfig", "Arn")))
                    .isEqualTo(Cfn.id(T, "AWS::SQS::Queue", fn.id() + "Dlq"));
        }
        assertThat(Cfn.list(rules.get(Cfn.id(T, "AWS::Events::Rule", "AgentEvents")), "EventPattern", "detail-type"))
                .containsExactlyElementsOf(QuiverFunction.TEAM_ENVELOPES);
        Map<String, Object> schedule = rules.get(Cfn.id(T, "AWS::Events::Rule", "DriftSchedule"));
        assertThat(Cfn.at(schedule, "ScheduleExpression")).isEqualTo("rate(1 hour)");
        assertThat(Cfn.ref(Cfn.at(schedule, "Targets", 0, "Arn"))).isEqualTo(aliasId(QuiverFunction.DRIFT));
    }

    /**
     * A frozen Lambda instance runs no timers, so the agent's outbox and rollout watch run on a schedule: every
     * minute on the default bus, to the live alias, retried and dead-lettered as drift's schedule is.
     */
    @Test
    void theAgentsScheduleInvokesItsLiveAliasEveryMinuteOnTheDefaultBus() {
        Map<String, Map<String, Object>> rules = Cfn.resources(T, "AWS::Events::Rule");
        Map<String, Object> schedule = rules.get(Cfn.id(T, "AWS::Events::Rule", "AgentSchedule"));
        assertThat(Cfn.at(schedule, "ScheduleExpression")).isEqualTo("rate(1 minute)");
        assertThat(Cfn.at(schedule, "EventBusName")).as("the default bus").isNull();
        assertThat(Cfn.at(schedule, "State")).isEqualTo("ENABLED");
        assertThat(Cfn.list(schedule, "Targets")).hasSize(1);
        assertThat(Cfn.ref(Cfn.at(schedule, "Targets", 0, "Arn"))).isEqualTo(aliasId(QuiverFunction.AGENT));
        assertThat(Cfn.ref(Cfn.at(schedule, "Targets", 0, "DeadLetterConfig", "Arn")))
                .isEqualTo(Cfn.id(T, "AWS::SQS::Queue", "AgentDlq"));
        for (String id : List.of("AgentSchedule", "DriftSchedule")) {
            Object target = Cfn.at(rules.get(Cfn.id(T, "AWS::Events::Rule", id)), "Targets", 0);
            assertThat(Cfn.integer(target, "RetryPolicy", "MaximumRetryAttempts")).as(id).isEqualTo(4);
            assertThat(Cfn.integer(target, "RetryPolicy", "MaximumEventAgeInSeconds")).as(id).isEqualTo(7200);
        }
        // EventBridge may invoke the alias for this rule
        assertThat(Cfn.resources(T, "AWS::Lambda::Permission").values()).anySatisfy(p -> {
            assertThat(Cfn.at(p, "Principal")).isEqualTo("events.amazonaws.com");
            assertThat(Cfn.ref(Cfn.at(p, "FunctionName"))).isEqualTo(aliasId(QuiverFunction.AGENT));
            assertThat(Cfn.ref(Cfn.at(p, "SourceArn"))).isEqualTo(Cfn.id(T, "AWS::Events::Rule", "AgentSchedule"));
        });
    }

    /**
     * The agent keeps its ledger, outbox, journal, incidents and dead letters in the online store, and drives
     * predict's rollouts and candidate intake at predict's HTTPS endpoint.
     */
    @Test
    void theAgentKeepsItsStateInRedisAndCallsPredictsApi() {
        Object env = Cfn.at(function(QuiverFunction.AGENT), "Environment", "Variables");
        assertThat(Cfn.at(env, "QUIVER_AGENT_STORE")).isEqualTo("redis");
        assertThat(String.valueOf(Cfn.at(env, "QUIVER_AGENT_REDIS_URI"))).startsWith("{Fn::Join=[, [rediss://,")
                .contains("OnlineStoreEndpointAddress").contains("OnlineStoreEndpointPort");
        assertThat(((Map<?, ?>) env).keySet().stream().map(String::valueOf))
                .doesNotContain("QUIVER_AGENT_LEDGER_STORE", "QUIVER_AGENT_LEDGER_REDIS_URI", "QUIVER_AGENT_STATE");
        // with a JWT issuer the public API takes only tokens: the agent signs its calls to predict's internal API
        String api = Cfn.id(T, "AWS::ApiGatewayV2::Api", "PredictInternalApi");
        Object url = Cfn.at(env, "QUIVER_AGENT_PREDICT_URL");
        assertThat(Cfn.ref(url)).isEqualTo(api);
        assertThat(Cfn.at(url, "Fn::GetAtt", 1)).isEqualTo("ApiEndpoint");
        assertThat(Cfn.at(env, "QUIVER_AGENT_PREDICT_AUTH")).isEqualTo("sigv4");
        Object output = Cfn.at(T.toJSON(), "Outputs", "PredictInternalUrl", "Value");
        assertThat(Cfn.at(env, "QUIVER_AGENT_PREDICT_URL")).isEqualTo(output);
        // the role invokes exactly the routes the agent calls, on that API's default stage
        List<String> invoked = statements(QuiverFunction.AGENT).stream()
                .filter(s -> actions(s).contains("execute-api:Invoke"))
                .flatMap(s -> Cfn.list(s, "Resource").stream()).map(String::valueOf).toList();
        assertThat(invoked).hasSize(3).allSatisfy(r -> assertThat(r).contains(api).contains(":execute-api:"));
        assertThat(invoked).anySatisfy(r -> assertThat(r).contains("/$default/GET/rollouts/*"))
                .anySatisfy(r -> assertThat(r).contains("/$default/POST/rollouts/*"))
                .anySatisfy(r -> assertThat(r).contains("/$default/POST/registry/models/*"));
        for (QuiverFunction fn : QuiverFunction.ALL) {
            if (fn.predictUrlEnv() == null) {
                assertThat(Cfn.at(function(fn), "Environment", "Variables", "QUIVER_AGENT_PREDICT_URL")).as(fn.name())
                        .isNull();
            }
        }
    }

    /** Every statement of the function's own policy, as (actions, resources-as-text). */
    static List<Map<String, Object>> statements(QuiverFunction fn) {
        String role = Cfn.ref(Cfn.at(function(fn), "Role"));
        return Cfn.resources(T, "AWS::IAM::Policy").values().stream()
                .filter(p -> Cfn.list(p, "Roles").stream().map(Cfn::ref).anyMatch(role::equals))
                .flatMap(p -> Cfn.list(p, "PolicyDocument", "Statement").stream())
                .map(s -> (Map<String, Object>) s).toList();
    }

    static List<String> actions(Map<String, Object> statement) {
        return Cfn.list(statement, "Action").stream().map(String::valueOf).toList();
    }

    @Test
    void iamStatementsAreScopedToEachFunctionsOwnResources() {
        for (QuiverFunction fn : QuiverFunction.ALL) {
            List<Map<String, Object>> statements = statements(fn);
            for (Map<String, Object> s : statements) {
                List<String> actions = actions(s);
                String resources = String.valueOf(Cfn.at(s, "Resource"));
                assertThat(Cfn.at(s, "Effect")).isEqualTo("Allow");
                assertThat(actions).noneMatch(a -> a.equals("*") || a.endsWith(":*"));
                if (actions.stream().anyMatch(a -> a.startsWith("s3:")) && resources.contains("BatchBucket")) {
                    // exactly, in predictEventsReadsBatchInputAndWritesBatchOutputOnly
                    assertThat(fn.batchScoring()).as(fn.name()).isTrue();
                    assertThat(resources).as(fn.name()).doesNotContain("ModelBucket");
                } else if (actions.stream().anyMatch(a -> a.startsWith("s3:"))) {
                    assertThat(fn.bucket()).as(fn.name()).isNotEqualTo(QuiverFunction.BucketAccess.NONE);
                    assertThat(resources).as(fn.name()).contains("ModelBucket").doesNotContain("AccessLogs");
                    if (fn.bucket() == QuiverFunction.BucketAccess.READ) {
                        assertThat(actions).as(fn.name()).allMatch(a -> a.startsWith("s3:Get") || a.equals("s3:ListBucket"));
                    }
                } else if (actions.stream().anyMatch(a -> a.startsWith("sqs:"))) {
                    assertThat(Cfn.ref(Cfn.at(s, "Resource"))).as(fn.name())
                            .isEqualTo(Cfn.id(T, "AWS::SQS::Queue", fn.id() + "Queue"));
                    assertThat(actions).contains("sqs:ReceiveMessage", "sqs:DeleteMessage").doesNotContain("sqs:SendMessage");
                } else if (actions.contains("execute-api:Invoke")) {
                    assertThat(fn.predictUrlEnv()).as(fn.name()).isNotNull();
                    assertThat(actions).containsExactly("execute-api:Invoke");
                    assertThat(resources).contains("PredictInternalApi").doesNotContain("/*/*");
                } else {
                    // X-Ray's trace writes: the only actions that take Resource "*"
                    assertThat(actions).as(fn.name()).allMatch(a -> a.startsWith("xray:Put"));
                }
            }
            List<String> all = statements.stream().flatMap(s -> actions(s).stream()).toList();
            assertThat(all).as(fn.name()).doesNotContain("events:PutEvents");
            assertThat(all.contains("execute-api:Invoke")).as(fn.name()).isEqualTo(fn.predictUrlEnv() != null);
            List<String> model = statements.stream().filter(s -> String.valueOf(Cfn.at(s, "Resource")).contains("ModelBucket"))
                    .flatMap(s -> actions(s).stream()).toList();
            assertThat(model.stream().anyMatch(a -> a.startsWith("s3:")))
                    .as(fn.name()).isEqualTo(fn.bucket() != QuiverFunction.BucketAccess.NONE);
            assertThat(model.contains("s3:PutObject"))
                    .as(fn.name()).isEqualTo(fn.bucket() == QuiverFunction.BucketAccess.READ_WRITE);
            assertThat(all.stream().anyMatch(a -> a.startsWith("s3:")))
                    .as(fn.name()).isEqualTo(fn.bucket() != QuiverFunction.BucketAccess.NONE || fn.batchScoring());
            assertThat(all.contains("sqs:ReceiveMessage")).as(fn.name()).isEqualTo(fn.queue() != null);
        }
    }

    @Test
    void everyFunctionCarriesTheAdotLayerAndExportsOtlp() {
        for (QuiverFunction fn : QuiverFunction.ALL) {
            Map<String, Object> f = function(fn);
            String config = Cfn.id(T, "AWS::Lambda::LayerVersion", "ConfigLayer");
            List<Object> layers = Cfn.list(f, "Layers").stream().filter(l -> !config.equals(Cfn.ref(l))).toList();
            assertThat(layers).as(fn.name() + ": the ADOT layer beside the configuration").hasSize(1);
            assertThat(String.valueOf(layers.get(0))).contains("aws-otel-").contains("AWS::Region");
            assertThat(Cfn.at(f, "Environment", "Variables", "OTEL_EXPORTER_OTLP_ENDPOINT")).isEqualTo("http://localhost:4317");
            assertThat(Cfn.at(f, "Environment", "Variables", "OTEL_SERVICE_NAME")).isEqualTo("quiver-" + fn.name());
            Object wrapper = Cfn.at(f, "Environment", "Variables", "AWS_LAMBDA_EXEC_WRAPPER");
            if ("java21".equals(Cfn.at(f, "Runtime"))) {
                assertThat(wrapper).isEqualTo(FunctionsStack.OTEL_STREAM_HANDLER);
                assertThat(String.valueOf(layers.get(0))).contains("aws-otel-java");
            } else {
                assertThat(wrapper).as("an OS-only runtime runs no wrapper").isNull();
                assertThat(String.valueOf(layers.get(0))).contains("aws-otel-collector");
            }
            assertThat(Cfn.at(f, "TracingConfig", "Mode")).isEqualTo("Active");
        }
    }

    @Test
    void everyFunctionMountsTheConfigurationLayer() {
        String config = Cfn.id(T, "AWS::Lambda::LayerVersion", "ConfigLayer");
        for (QuiverFunction fn : QuiverFunction.ALL) {
            assertThat(Cfn.list(function(fn), "Layers").stream().map(Cfn::ref)).as(fn.name()).contains(config);
        }
    }

    @Test
    void functionsKeepTheirStoresInTheOnlineStoreOverTls() {
        for (QuiverFunction fn : QuiverFunction.ALL) {
            Object env = Cfn.at(function(fn), "Environment", "Variables");
            for (QuiverFunction.RedisStore store : fn.redisStores()) {
                assertThat(Cfn.at(env, store.kindEnv)).as(fn.name() + " " + store).isEqualTo("redis");
                assertThat(String.valueOf(Cfn.at(env, store.uriEnv))).as(fn.name() + " " + store)
                        .contains("rediss://").contains("OnlineStoreEndpointAddress");
            }
        }
    }

    @Test
    void functionsWithBucketAccessUseTheS3ModelStoreOnTheModelBucket() {
        for (QuiverFunction fn : QuiverFunction.ALL) {
            Object env = Cfn.at(function(fn), "Environment", "Variables");
            if (fn.bucket() == QuiverFunction.BucketAccess.NONE) {
                assertThat(Cfn.at(env, "QUIVER_STORE_KIND")).as(fn.name()).isNull();
                continue;
            }
            assertThat(Cfn.at(env, "QUIVER_STORE_KIND")).as(fn.name()).isEqualTo("s3");
            assertThat(String.valueOf(Cfn.at(env, "QUIVER_STORE_S3_BUCKET"))).as(fn.name()).contains("RefModelBucket");
            assertThat(Cfn.ref(Cfn.at(env, "QUIVER_STORE_S3_REGION"))).as(fn.name()).isEqualTo("AWS::Region");
        }
    }
}
