package dev.quiver.cdk;

import dev.quiver.registry.Catalog;
import dev.quiver.rollout.RolloutPolicy;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpApiProps;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmProps;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MathExpressionProps;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.codedeploy.AutoRollbackConfig;
import software.amazon.awscdk.services.codedeploy.ILambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentGroup;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentGroupProps;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventBusProps;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleProps;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.lambda.AdotLambdaLayerGenericVersion;
import software.amazon.awscdk.services.lambda.AdotLambdaLayerJavaSdkVersion;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.AliasProps;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionProps;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.LayerVersionProps;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketAttributes;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.notifications.SqsDestination;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.QueueProps;
import software.constructs.Construct;
import software.constructs.IConstruct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quiver's functions on Lambda and what reaches them: per function an alias {@code live} that CodeDeploy moves
 * the way the governing model's rollout policy says (rolled back by the function's alarms), an HTTPS route
 * behind a JWT or IAM authorizer, its SQS queue with a dead-letter queue, its EventBridge rules and its schedule
 * (drift's, the agent's); the team's event bus.
 */
public final class FunctionsStack extends Stack {

    /** The Quarkus JVM Lambda handler (quarkus-amazon-lambda and -http both use it). */
    static final String JVM_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    /** provided.al2023 runs the zip's {@code bootstrap}; the handler string is only passed through. */
    static final String NATIVE_HANDLER = "bootstrap";
    /** The alias CodeDeploy shifts and every trigger invokes, so events follow the rollout too. */
    static final String LIVE = "live";
    /** The routes of predict's API that the agent calls: rollouts read and rolled back, candidates offered. */
    static final List<String[]> AGENT_ROUTES = List.of(new String[] {"GET", "/rollouts/*"},
            new String[] {"POST", "/rollouts/*"}, new String[] {"POST", "/registry/models/*"});
    /** The id of the function CDK adds to a stack to set bucket notifications (one per stack). */
    static final String NOTIFICATIONS_HANDLER = "BucketNotificationsHandler050a0587b7544547bf325f094a3db834";
    /** ADOT's wrapper for RequestStreamHandler (Quarkus's handler), propagating HTTP context. */
    static final String OTEL_STREAM_HANDLER = "/opt/otel-stream-handler";

    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final Map<String, Alias> aliases = new LinkedHashMap<>();
    private final Map<String, HttpApi> apis = new LinkedHashMap<>();
    private final Settings settings;
    private final RolloutDeployment rollout;
    private final LayerVersion configLayer;

    /**
     * @param governing the catalog model whose rollout policy and SLA govern the deployments
     * @param at        where that model sits in the catalog ({@code models[0].}), prefixed to a field a problem names
     */
    public FunctionsStack(Construct scope, String id, Settings settings, DataStack data, Catalog.Model governing,
                          RolloutPolicy policy, String at, StackProps props) {
        super(scope, id, props);
        this.settings = settings;
        // Rendered before anything else: a policy CodeDeploy cannot express stops synthesis here.
        rollout = RolloutDeployment.of(policy, at);
        ILambdaDeploymentConfig deploymentConfig = rollout.config(this, "RolloutConfig");

        // The asset's hash is its content's, so an unchanged config/ publishes no new layer version.
        configLayer = new LayerVersion(this, "ConfigLayer", LayerVersionProps.builder()
                .code(Code.fromAsset(ConfigLayer.stage(settings.config()).toString()))
                .compatibleArchitectures(List.of(Architecture.X86_64))
                .description("Quiver's config/ (model catalog, features, drift, agents), at /opt/quiver/config")
                .build());

        EventBus bus = new EventBus(this, "TeamBus", EventBusProps.builder().eventBusName("quiver-team").build());
        new CfnOutput(this, "TeamBusName", CfnOutputProps.builder().value(bus.getEventBusName()).build());

        for (QuiverFunction fn : settings.functions()) {
            Function function = function(fn, settings, data);
            Alias live = new Alias(this, fn.id() + "Live", AliasProps.builder()
                    .aliasName(LIVE).version(function.getCurrentVersion()).build());
            functions.put(fn.name(), function);
            aliases.put(fn.name(), live);

            List<IAlarm> alarms = alarms(fn, live, governing, policy, settings);
            LambdaDeploymentGroup group = new LambdaDeploymentGroup(this, fn.id() + "Deployment",
                    LambdaDeploymentGroupProps.builder()
                    .alias(live)
                    .deploymentConfig(deploymentConfig)
                    .alarms(alarms)
                    .autoRollback(AutoRollbackConfig.builder()
                            .failedDeployment(true).stoppedDeployment(true).deploymentInAlarm(true).build())
                    .build());
            allowManagedPolicy(group, "AWSCodeDeployRoleForLambdaLimited", "AWSCodeDeployRoleForLambdaLimited is"
                    + " AWS's policy for CodeDeploy shifting a Lambda alias: it may invoke only functions named"
                    + " CodeDeployHook_* and read the alarms");

            if (fn.httpApi()) {
                apis.put(fn.name(), httpApi(fn, live, settings));
            }
            Queue dlq = fn.queue() != null || !fn.detailTypes().isEmpty() || fn.schedule() != null
                    ? deadLetterQueue(fn) : null;
            if (fn.queue() != null) {
                Queue queue = queue(fn, live, dlq, settings);
                if (fn.batchScoring()) {
                    notifyOfBatchInput(fn, queue, data);
                }
            }
            if (!fn.detailTypes().isEmpty()) {
                EventPattern.Builder pattern = EventPattern.builder().detailType(fn.detailTypes());
                new Rule(this, fn.id() + "Events", RuleProps.builder()
                        .description("The team bus's " + String.join(", ", fn.detailTypes()) + " to " + fn.name())
                        .eventBus(bus)
                        .eventPattern(pattern.build())
                        .targets(List.of(target(live, dlq)))
                        .build());
            }
            if (fn.schedule() != null) {
                // on the default bus, where EventBridge's schedules run
                new Rule(this, fn.id() + "Schedule", RuleProps.builder()
                        .description(fn.schedule().description())
                        .schedule(Schedule.expression(settings.schedule(fn)))
                        .targets(List.of(target(live, dlq)))
                        .build());
            }
        }

        // Set once every function exists, so the order of quiver.functions does not matter.
        HttpApi predictApi = apis.get(QuiverFunction.PREDICT.name());
        for (QuiverFunction fn : settings.functions()) {
            if (fn.predictUrlEnv() != null && predictApi != null) {
                callPredict(functions.get(fn.name()), fn, settings);
            }
        }
    }

    private Function function(QuiverFunction fn, Settings settings, DataStack data) {
        Settings.Runtime runtime = settings.runtime(fn);
        boolean jvm = runtime == Settings.Runtime.JVM;
        int timeout = settings.timeoutSeconds(fn);

        Map<String, String> env = new LinkedHashMap<>();
        for (QuiverFunction.RedisStore store : fn.redisStores()) {
            env.put(store.kindEnv, "redis");
            env.put(store.uriEnv, data.cacheUri());
        }
        QuiverFunction.BucketAccess bucket = settings.bucket(fn);
        if (bucket != QuiverFunction.BucketAccess.NONE) {
            // the S3 model store (platform/lib/s3): models and aliases shared by every instance
            env.put("QUIVER_STORE_KIND", "s3");
            env.put("QUIVER_STORE_S3_BUCKET", data.modelBucket().getBucketName());
            env.put("QUIVER_STORE_S3_REGION", Aws.REGION);
        }
        if (fn.batchScoring()) {
            // predictions of SQS prediction requests go there too, not only those of the bucket's own objects
            env.put("QUIVER_BATCH_SCORING_BUCKET", data.batchBucket().getBucketName());
        }
        if (fn.httpApi()) {
            security(env, settings);
        }
        // OpenTelemetry: the ADOT layer's collector listens on localhost; Quarkus reads its own key, the ADOT
        // Java wrapper the standard one.
        env.put("OTEL_SERVICE_NAME", "quiver-" + fn.name());
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", settings.otelEndpoint());
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", settings.otelEndpoint());
        if (!jvm) {
            // Quarkus's advice for native executables on Lambda: the runtime, not the executable, handles signals.
            env.put("DISABLE_SIGNAL_HANDLERS", "true");
        }
        if (jvm) {
            // A native executable has no JVM for the wrapper to instrument, and OS-only runtimes run no wrapper.
            env.put("AWS_LAMBDA_EXEC_WRAPPER", OTEL_STREAM_HANDLER);
        }

        LogGroup logs = new LogGroup(this, fn.id() + "Logs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH).removalPolicy(RemovalPolicy.DESTROY).build());

        String layerArn = settings.otelLayerArn(runtime);
        if (layerArn == null) {
            layerArn = jvm ? AdotLambdaLayerJavaSdkVersion.LATEST.layerArn(this, Architecture.X86_64)
                    : AdotLambdaLayerGenericVersion.LATEST.layerArn(this, Architecture.X86_64);
        }

        FunctionProps.Builder props = FunctionProps.builder()
                .description("Quiver " + fn.name() + " (" + runtime.name().toLowerCase() + ")")
                .runtime(jvm ? Runtime.JAVA_21 : Runtime.PROVIDED_AL2023)
                .handler(jvm ? JVM_HANDLER : NATIVE_HANDLER)
                .code(Code.fromAsset(settings.code(fn).toString()))
                .architecture(Architecture.X86_64)
                .memorySize(settings.memoryMb(fn))
                .timeout(Duration.seconds(timeout))
                .vpc(data.vpc())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .securityGroups(List.of(data.functionsSecurityGroup()))
                .environment(env)
                .tracing(Tracing.ACTIVE)
                .logGroup(logs)
                .layers(List.of(configLayer, LayerVersion.fromLayerVersionArn(this, fn.id() + "OtelLayer", layerArn)));
        if (jvm) {
            // SnapStart restores published versions from a snapshot taken after Quarkus's start: the alias
            // always points at a published version, so every invocation benefits.
            props.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        }
        Function function = new Function(this, fn.id(), props.build());
        if (jvm) {
            Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "the alias live points at the function's current version, which CDK publishes");
        }

        String bucketArn = data.modelBucket().getBucketArn();
        String objects = data.modelBucket().arnForObjects("*");
        // What the S3 model store calls: ListObjectsV2 (s3:ListBucket), GetObject and HeadObject (s3:GetObject);
        // a writer also PutObject (conditional puts included) and DeleteObject (clearing a failed write).
        switch (bucket) {
            case READ -> {
                function.addToRolePolicy(statement(List.of("s3:ListBucket"), List.of(bucketArn)));
                function.addToRolePolicy(statement(List.of("s3:GetObject"), List.of(objects)));
            }
            case READ_WRITE -> {
                function.addToRolePolicy(statement(List.of("s3:ListBucket"), List.of(bucketArn)));
                function.addToRolePolicy(statement(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                        List.of(objects)));
            }
            case NONE -> { }
        }
        if (fn.batchScoring()) {
            // Batch scoring reads the rows' objects (GetObject) and writes one object of predictions (PutObject).
            function.addToRolePolicy(statement(List.of("s3:GetObject"),
                    List.of(data.batchBucket().arnForObjects(QuiverFunction.BATCH_INPUT_PREFIX + "*"))));
            function.addToRolePolicy(statement(List.of("s3:PutObject"),
                    List.of(data.batchBucket().arnForObjects(QuiverFunction.BATCH_OUTPUT_PREFIX + "*"))));
        }
        suppress(function, jvm, bucket, fn.batchScoring());
        return function;
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources) {
        return new PolicyStatement(PolicyStatementProps.builder()
                .effect(Effect.ALLOW).actions(actions).resources(resources).build());
    }

    /**
     * The alarms that roll a deployment back: the error rate above the policy's {@code max_error_rate_increase},
     * and the p99 duration above the model's {@code sla.p99_ms} (predict) or near the timeout (the others); both
     * on the alias, so they watch the traffic the deployment shifts.
     */
    private List<IAlarm> alarms(QuiverFunction fn, Alias live, Catalog.Model governing, RolloutPolicy policy,
                                Settings settings) {
        List<IAlarm> alarms = new ArrayList<>();
        MetricOptions perMinute = MetricOptions.builder().period(Duration.minutes(1)).statistic("Sum").build();
        MathExpression errorRate = new MathExpression(MathExpressionProps.builder()
                .expression("IF(invocations > 0, errors / invocations, 0)")
                .usingMetrics(Map.of("errors", live.metricErrors(perMinute),
                        "invocations", live.metricInvocations(perMinute)))
                .period(Duration.minutes(1))
                .label(fn.name() + " error rate")
                .build());
        alarms.add(new Alarm(this, fn.id() + "ErrorRateAlarm", AlarmProps.builder()
                .alarmDescription("Quiver " + fn.name() + ": error rate above the rollout policy's"
                        + " max_error_rate_increase of " + governing.name() + " (" + policy.gates().maxErrorRateIncrease()
                        + "); breaching rolls the deployment back")
                .metric(errorRate)
                .threshold(policy.gates().maxErrorRateIncrease())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(3)
                .datapointsToAlarm(2)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build()));
        // predict's invocations are the model's predictions, held to its SLA; the other functions' work (a
        // drift evaluation, a feature fetch) is not, and is held to 80% of its timeout: calls about to time out.
        boolean sla = fn.servesPredictions() && governing.sla() != null && governing.sla().p99Ms() != null;
        double p99Ms = sla ? governing.sla().p99Ms() : 0.8 * settings.timeoutSeconds(fn) * 1000;
        alarms.add(new Alarm(this, fn.id() + "P99DurationAlarm", AlarmProps.builder()
                .alarmDescription("Quiver " + fn.name() + ": p99 duration above " + (sla ? governing.name()
                        + "'s sla.p99_ms" : "80% of the function's timeout") + " (" + p99Ms
                        + " ms); breaching rolls the deployment back")
                .metric(live.metricDuration(MetricOptions.builder()
                        .period(Duration.minutes(1)).statistic("p99").build()))
                .threshold(p99Ms)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(3)
                .datapointsToAlarm(2)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build()));
        return alarms;
    }

    /**
     * What the function checks after the gateway (README, Security): the same JWTs as the JWT authorizer, or, behind
     * the IAM authorizer, the principal it let through ({@code quiver.security.gateway.iam}).
     */
    private static void security(Map<String, String> env, Settings settings) {
        if (settings.jwtIssuer() != null) {
            env.put("QUIVER_SECURITY_JWT_ISSUER", settings.jwtIssuer());
            env.put("QUIVER_SECURITY_JWT_JWKS_URL", settings.jwksUrl());
            if (!settings.jwtAudience().isEmpty()) {
                env.put("QUIVER_SECURITY_JWT_AUDIENCE", String.join(",", settings.jwtAudience()));
            }
        }
        // the IAM API: the public one without an issuer, else the agent's (predict's internal API); the function
        // trusts an IAM caller only in a request that carries the IAM authorizer's context
        env.put("QUIVER_SECURITY_GATEWAY_IAM", "true");
    }

    /**
     * {@code caller} reaches predict through an API behind the IAM authorizer, signing with its role: predict's own
     * API without a JWT issuer, else an internal API of predict's that only IAM principals granted it reach; the role
     * may invoke only the routes the agent calls.
     */
    private void callPredict(Function caller, QuiverFunction fn, Settings settings) {
        HttpApi api = settings.jwtIssuer() == null ? apis.get(QuiverFunction.PREDICT.name())
                : apis.computeIfAbsent("predict-internal", k -> httpApi(QuiverFunction.PREDICT,
                        aliases.get(QuiverFunction.PREDICT.name()), true, "Internal"));
        caller.addEnvironment(fn.predictUrlEnv(), api.getApiEndpoint());
        caller.addEnvironment("QUIVER_AGENT_PREDICT_AUTH", "sigv4");
        List<String> routes = new ArrayList<>();
        for (String[] route : AGENT_ROUTES) {
            routes.add(api.arnForExecuteApi(route[0], route[1], "$default"));
        }
        caller.addToRolePolicy(statement(List.of("execute-api:Invoke"), routes));
        NagSuppressions.addResourceSuppressions(caller, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("the agent invokes predict's rollout and registry routes for any model:"
                        + " GET and POST /rollouts/<model>[/rollback], POST /registry/models/<model>/candidates")
                .appliesTo(List.of(RegexAppliesTo.builder().regex("/^Resource::arn:.*:execute-api:.*\\/\\*$/")
                        .build()))
                .build()), true);
    }

    private HttpApi httpApi(QuiverFunction fn, Alias live, Settings settings) {
        return httpApi(fn, live, settings.jwtIssuer() == null, "");
    }

    /**
     * An HTTP API whose {@code $default} route sends every path to {@code live}, behind the IAM authorizer or the JWT
     * authorizer of the issuer in context; {@code variant} tells a second API of the same function apart.
     */
    private HttpApi httpApi(QuiverFunction fn, Alias live, boolean iam, String variant) {
        String id = fn.id() + variant;
        // An authorizer belongs to one API, so each API gets its own.
        IHttpRouteAuthorizer authorizer = iam ? new HttpIamAuthorizer()
                : new HttpJwtAuthorizer(id + "JwtAuthorizer", settings.jwtIssuer(), HttpJwtAuthorizerProps.builder()
                        .jwtAudience(settings.jwtAudience()).build());
        HttpApi api = new HttpApi(this, id + "Api", HttpApiProps.builder()
                .apiName("quiver-" + fn.name() + (variant.isEmpty() ? "" : "-" + variant.toLowerCase()))
                .description("Quiver " + fn.name() + (variant.isEmpty() ? "" : " (" + variant.toLowerCase()
                        + ", IAM only)") + ": every path to the function's live alias ($default route)")
                .defaultIntegration(new HttpLambdaIntegration(id + "Integration", live))
                .defaultAuthorizer(authorizer)
                .build());
        LogGroup accessLogs = new LogGroup(this, id + "ApiAccessLogs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH).removalPolicy(RemovalPolicy.DESTROY).build());
        CfnStage stage = (CfnStage) api.getDefaultStage().getNode().getDefaultChild();
        stage.setAccessLogSettings(CfnStage.AccessLogSettingsProperty.builder()
                .destinationArn(accessLogs.getLogGroupArn())
                .format("{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
                        + "\"caller\":\"$context.identity.caller\",\"user\":\"$context.identity.user\","
                        + "\"principal\":\"$context.authorizer.principalId\",\"requestTime\":\"$context.requestTime\","
                        + "\"method\":\"$context.httpMethod\",\"path\":\"$context.path\","
                        + "\"status\":\"$context.status\",\"latency\":\"$context.responseLatency\","
                        + "\"integrationError\":\"$context.integrationErrorMessage\"}")
                .build());
        new CfnOutput(this, id + "Url", CfnOutputProps.builder().value(api.getApiEndpoint()).build());
        return api;
    }

    private Queue deadLetterQueue(QuiverFunction fn) {
        return new Queue(this, fn.id() + "Dlq", QueueProps.builder()
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build());
    }

    private Queue queue(QuiverFunction fn, Alias live, Queue dlq, Settings settings) {
        // Six times the timeout, as Lambda advises: a batch that times out and is retried does not reappear
        // to another poller while the first attempt may still be running.
        Queue queue = new Queue(this, fn.id() + "Queue", QueueProps.builder()
                .visibilityTimeout(Duration.seconds(6L * settings.timeoutSeconds(fn)))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .deadLetterQueue(DeadLetterQueue.builder().queue(dlq).maxReceiveCount(5).build())
                .build());
        // Partial batch failures: a refused message alone is retried and ends in the DLQ, not its batch.
        live.addEventSource(new SqsEventSource(queue, SqsEventSourceProps.builder()
                .batchSize(fn.queueBatchSize()).reportBatchItemFailures(true).build()));
        new CfnOutput(this, fn.id() + "QueueUrl", CfnOutputProps.builder().value(queue.getQueueUrl()).build());
        return queue;
    }

    /**
     * The batch bucket tells {@code queue} of every object created under the input prefix. Through a queue rather
     * than by invoking the function: a failed object is retried and then dead-lettered, which S3's own invocation
     * does not do. The bucket is the data stack's and the queue this stack's; a notification set on the data stack's
     * bucket would make it depend on this stack, so it is set here on the bucket imported by name (CDK's custom
     * resource, which leaves the bucket's other notifications as they are).
     */
    private void notifyOfBatchInput(QuiverFunction fn, Queue queue, DataStack data) {
        IBucket batch = Bucket.fromBucketAttributes(this, fn.id() + "BatchBucket", BucketAttributes.builder()
                .bucketName(data.batchBucket().getBucketName())
                .bucketArn(data.batchBucket().getBucketArn())
                .build());
        batch.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(queue),
                NotificationKeyFilter.builder().prefix(QuiverFunction.BATCH_INPUT_PREFIX).build());
        IConstruct handler = getNode().tryFindChild(NOTIFICATIONS_HANDLER);
        if (handler == null) {
            throw new IllegalStateException("CDK's bucket notifications handler is no longer " + NOTIFICATIONS_HANDLER
                    + "; name its new id here so that its role's suppression applies");
        }
        allowManagedPolicy(handler, "AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole lets CDK's bucket"
                + " notifications handler write its own logs; its only other rights are s3:Get/PutBucketNotification on"
                + " the batch bucket");
    }

    /** cdk-nag's AwsSolutions-IAM4 suppressed on {@code scope}'s role for AWS's managed service-role {@code policy}. */
    private static void allowManagedPolicy(IConstruct scope, String policy, String why) {
        NagSuppressions.addResourceSuppressions(scope, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM4")
                .reason(why)
                .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/" + policy))
                .build()), true);
    }

    private static LambdaFunction target(Alias live, Queue dlq) {
        return new LambdaFunction(live, LambdaFunctionProps.builder()
                .deadLetterQueue(dlq).retryAttempts(4).maxEventAge(Duration.hours(2)).build());
    }

    /** The cdk-nag findings each function's role raises by design, each with its reason. */
    private void suppress(Function function, boolean jvm, QuiverFunction.BucketAccess bucket, boolean batchScoring) {
        List<NagPackSuppression> s = new ArrayList<>();
        s.add(NagPackSuppression.builder().id("AwsSolutions-IAM4")
                .reason("AWSLambdaBasicExecutionRole (write its own log streams) and AWSLambdaVPCAccessExecutionRole"
                        + " (manage the ENIs of its private subnets) are AWS's minimal policies for a Lambda function"
                        + " in a VPC; the ENI actions support no resource-level scoping")
                .appliesTo(List.of(
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"))
                .build());
        List<Object> wildcards = new ArrayList<>();
        // X-Ray's PutTraceSegments and PutTelemetryRecords accept no resource but "*".
        wildcards.add("Resource::*");
        String reason = "X-Ray's trace actions (tracing is active) accept only Resource \"*\"";
        if (bucket != QuiverFunction.BucketAccess.NONE) {
            wildcards.add(RegexAppliesTo.builder().regex("/^Resource::.*ModelBucket.*\\/\\*$/").build());
            reason += "; the model store reads (predict and predict-events also write) any key of the model"
                    + " bucket, <model>/<version>/<file> and the aliases' generations"
                    + " <model>/.aliases/<generation>.json, for models registered at run time";
        }
        if (batchScoring) {
            wildcards.add(RegexAppliesTo.builder()
                    .regex("/^Resource::.*BatchBucket.*\\/batch\\/(in|out)\\/\\*$/").build());
            reason += "; batch scoring reads any object of rows under batch/in/ and writes its predictions under"
                    + " batch/out/ of the batch bucket, named <model>/<name> by whoever uploads them";
        }
        s.add(NagPackSuppression.builder().id("AwsSolutions-IAM5").reason(reason).appliesTo(wildcards).build());
        if (jvm) {
            s.add(NagPackSuppression.builder().id("AwsSolutions-L1")
                    .reason("Java 21 (LTS, SnapStart) is the managed runtime the Quarkus JVM Lambda builds are run and"
                            + " tested on; a newer Java runtime is adopted once they are tested there")
                    .build());
        }
        NagSuppressions.addResourceSuppressions(function, s, true);
    }

    public Map<String, Function> functions() {
        return functions;
    }

    public Map<String, Alias> aliases() {
        return aliases;
    }

    public RolloutDeployment rollout() {
        return rollout;
    }
}
