package dev.quiver.cdk;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static dev.quiver.cdk.FunctionsStackTest.actions;
import static dev.quiver.cdk.FunctionsStackTest.aliasId;
import static dev.quiver.cdk.FunctionsStackTest.function;
import static dev.quiver.cdk.FunctionsStackTest.statements;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event builds deployed beside the HTTP ones: predict-events scoring the batch bucket's objects of rows and
 * prediction requests from its queue, features-events writing pushes from its queue.
 */
class EventFunctionsTest {

    static final Template T = Synthesized.FUNCTIONS;
    static final Template DATA = Synthesized.DATA;

    /** The data stack's export of the batch bucket's {@code attribute} ("Arn", or null for its name, the Ref). */
    static String batchBucketExport(String attribute) {
        String bucket = Cfn.id(DATA, "AWS::S3::Bucket", "BatchBucket");
        Map<String, Object> outputs = (Map<String, Object>) DATA.toJSON().get("Outputs");
        return outputs.values().stream()
                .filter(o -> attribute == null ? bucket.equals(Cfn.at(o, "Value", "Ref"))
                        : List.of(bucket, attribute).equals(Cfn.at(o, "Value", "Fn::GetAtt")))
                .map(o -> (String) Cfn.at(o, "Export", "Name"))
                .filter(name -> name != null)
                .findFirst().orElseThrow(() -> new AssertionError("the batch bucket's " + attribute
                        + " is not exported"));
    }

    static Map<String, Object> queue(QuiverFunction fn) {
        return Cfn.resources(T, "AWS::SQS::Queue").get(Cfn.id(T, "AWS::SQS::Queue", fn.id() + "Queue"));
    }

    @Test
    void theBatchBucketsNewInputObjectsAreAnnouncedToPredictEventsQueue() {
        Map<String, Map<String, Object>> notifications = Cfn.resources(T, "Custom::S3BucketNotifications");
        assertThat(notifications).hasSize(1);
        Map<String, Object> n = notifications.values().iterator().next();
        assertThat(Cfn.at(n, "BucketName", "Fn::ImportValue")).isEqualTo(batchBucketExport(null));
        // the bucket's other notifications, if any, are kept
        assertThat(Cfn.at(n, "Managed")).isEqualTo(false);
        List<Object> queues = Cfn.list(n, "NotificationConfiguration", "QueueConfigurations");
        assertThat(queues).hasSize(1);
        assertThat(Cfn.list(queues.get(0), "Events")).containsExactly("s3:ObjectCreated:*");
        assertThat(Cfn.list(queues.get(0), "Filter", "Key", "FilterRules"))
                .containsExactly(Map.of("Name", "prefix", "Value", "batch/in/"));
        assertThat(Cfn.ref(Cfn.at(queues.get(0), "QueueArn")))
                .isEqualTo(Cfn.id(T, "AWS::SQS::Queue", "PredictEventsQueue"));
        assertThat(Cfn.list(n, "NotificationConfiguration", "LambdaFunctionConfigurations")).isEmpty();
        assertThat(Cfn.list(n, "NotificationConfiguration", "TopicConfigurations")).isEmpty();
    }

    @Test
    void onlyTheBatchBucketMaySendToTheQueueAndOnlyOverTls() {
        String queue = Cfn.id(T, "AWS::SQS::Queue", "PredictEventsQueue");
        Map<String, Object> policy = Cfn.resources(T, "AWS::SQS::QueuePolicy").values().stream()
                .filter(p -> Cfn.list(p, "Queues").stream().map(Cfn::ref).anyMatch(queue::equals))
                .findFirst().orElseThrow();
        List<Object> statements = Cfn.list(policy, "PolicyDocument", "Statement");
        assertThat(statements).hasSize(2);
        assertThat(statements).anySatisfy(s -> {
            assertThat(Cfn.at(s, "Effect")).isEqualTo("Deny");
            assertThat(Cfn.at(s, "Condition", "Bool", "aws:SecureTransport")).isEqualTo("false");
        });
        assertThat(statements).anySatisfy(s -> {
            assertThat(Cfn.at(s, "Effect")).isEqualTo("Allow");
            assertThat(Cfn.at(s, "Principal", "Service")).isEqualTo("s3.amazonaws.com");
            assertThat(Cfn.list(s, "Action")).contains("sqs:SendMessage").doesNotContain("sqs:ReceiveMessage");
            assertThat(Cfn.at(s, "Condition", "ArnLike", "aws:SourceArn", "Fn::ImportValue"))
                    .isEqualTo(batchBucketExport("Arn"));
        });
    }

    @Test
    void eachEventBuildHasItsQueueDeadLetteringAfterFiveReceivesAndHiddenSixTimesItsTimeout() {
        assertThat(Cfn.integer(function(QuiverFunction.PREDICT_EVENTS), "Timeout")).isEqualTo(300);
        assertThat(Cfn.integer(function(QuiverFunction.FEATURES_EVENTS), "Timeout")).isEqualTo(30);
        Map<QuiverFunction, Integer> visibility = Map.of(QuiverFunction.PREDICT_EVENTS, 1800,
                QuiverFunction.FEATURES_EVENTS, 180);
        visibility.forEach((fn, seconds) -> {
            Map<String, Object> q = queue(fn);
            assertThat(Cfn.integer(q, "VisibilityTimeout")).as(fn.name()).isEqualTo(seconds);
            assertThat(Cfn.integer(q, "RedrivePolicy", "maxReceiveCount")).as(fn.name()).isEqualTo(5);
            assertThat(Cfn.ref(Cfn.at(q, "RedrivePolicy", "deadLetterTargetArn"))).as(fn.name())
                    .isEqualTo(Cfn.id(T, "AWS::SQS::Queue", fn.id() + "Dlq"));
            assertThat(Cfn.at(q, "SqsManagedSseEnabled")).as(fn.name()).isEqualTo(true);
            assertThat(Cfn.at(T.toJSON(), "Outputs", fn.id() + "QueueUrl", "Value", "Ref"))
                    .isEqualTo(Cfn.id(T, "AWS::SQS::Queue", fn.id() + "Queue"));
        });
    }

    @Test
    void eachQueueFeedsItsLiveAliasReportingBatchItemFailures() {
        Map<QuiverFunction, Integer> batchSize = Map.of(QuiverFunction.PREDICT_EVENTS, 1,
                QuiverFunction.FEATURES_EVENTS, 10);
        batchSize.forEach((fn, size) -> {
            String queue = Cfn.id(T, "AWS::SQS::Queue", fn.id() + "Queue");
            List<Map<String, Object>> mappings = Cfn.resources(T, "AWS::Lambda::EventSourceMapping").values().stream()
                    .filter(m -> queue.equals(Cfn.ref(Cfn.at(m, "EventSourceArn")))).toList();
            assertThat(mappings).as(fn.name()).hasSize(1);
            Map<String, Object> m = mappings.get(0);
            assertThat(Cfn.list(m, "FunctionResponseTypes")).as(fn.name()).containsExactly("ReportBatchItemFailures");
            assertThat(Cfn.integer(m, "BatchSize")).as(fn.name()).isEqualTo(size);
            List<Object> alias = Cfn.list(m, "FunctionName", "Fn::Join", 1);
            assertThat(String.valueOf(alias.get(0))).as(fn.name()).contains(aliasId(fn));
            assertThat(alias.get(1)).as(fn.name()).isEqualTo(":live");
        });
    }

    @Test
    void predictEventsReadsBatchInputAndWritesBatchOutputOnly() {
        String arn = batchBucketExport("Arn");
        List<Map<String, Object>> batch = statements(QuiverFunction.PREDICT_EVENTS).stream()
                .filter(s -> String.valueOf(Cfn.at(s, "Resource")).contains(arn)).toList();
        assertThat(batch).hasSize(2);
        Map<List<String>, Object> byActions = Map.of(actions(batch.get(0)), Cfn.at(batch.get(0), "Resource"),
                actions(batch.get(1)), Cfn.at(batch.get(1), "Resource"));
        assertThat(byActions).containsOnlyKeys(List.of("s3:GetObject"), List.of("s3:PutObject"));
        assertThat(byActions.get(List.of("s3:GetObject"))).isEqualTo(Map.of("Fn::Join", List.of("",
                List.of(Map.of("Fn::ImportValue", arn), "/batch/in/*"))));
        assertThat(byActions.get(List.of("s3:PutObject"))).isEqualTo(Map.of("Fn::Join", List.of("",
                List.of(Map.of("Fn::ImportValue", arn), "/batch/out/*"))));
        batch.forEach(s -> assertThat(Cfn.at(s, "Effect")).isEqualTo("Allow"));
        // no other function touches the batch bucket
        for (QuiverFunction fn : QuiverFunction.ALL) {
            if (fn != QuiverFunction.PREDICT_EVENTS) {
                assertThat(statements(fn)).as(fn.name())
                        .noneMatch(s -> String.valueOf(Cfn.at(s, "Resource")).contains(arn));
            }
        }
    }

    /** The registry wiring predict-events shares with predict seeds the model store from the catalog at start. */
    @Test
    void predictEventsWritesTheModelStoreAsPredictDoes() {
        List<String> model = statements(QuiverFunction.PREDICT_EVENTS).stream()
                .filter(s -> String.valueOf(Cfn.at(s, "Resource")).contains("ModelBucket"))
                .flatMap(s -> actions(s).stream()).toList();
        assertThat(model).containsExactlyInAnyOrder("s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject");
        Object env = Cfn.at(function(QuiverFunction.PREDICT_EVENTS), "Environment", "Variables");
        assertThat(Cfn.at(env, "QUIVER_STORE_KIND")).isEqualTo("s3");
        assertThat(String.valueOf(Cfn.at(env, "QUIVER_STORE_S3_BUCKET"))).contains("RefModelBucket");
        assertThat(Cfn.at(env, "QUIVER_BATCH_SCORING_BUCKET", "Fn::ImportValue")).isEqualTo(batchBucketExport(null));
        for (String kind : List.of("QUIVER_FEATURES_STORE_KIND", "QUIVER_CAPTURE_STORE", "QUIVER_ROLLOUTS_STORE")) {
            assertThat(Cfn.at(env, kind)).as(kind).isEqualTo("redis");
        }
        assertThat(Cfn.at(env, "QUIVER_AGENT_STORE")).isNull();
    }

    @Test
    void featuresEventsKeepsFeaturesInRedisAndTouchesNoBucket() {
        List<Map<String, Object>> statements = statements(QuiverFunction.FEATURES_EVENTS);
        assertThat(statements).isNotEmpty();
        assertThat(statements.stream().flatMap(s -> actions(s).stream())).noneMatch(a -> a.startsWith("s3:"));
        Object env = Cfn.at(function(QuiverFunction.FEATURES_EVENTS), "Environment", "Variables");
        assertThat(Cfn.at(env, "QUIVER_FEATURES_STORE_KIND")).isEqualTo("redis");
        assertThat(String.valueOf(Cfn.at(env, "QUIVER_FEATURES_REDIS_URI"))).contains("rediss://");
        assertThat(((Map<?, ?>) env).keySet().stream().map(String::valueOf))
                .doesNotContain("QUIVER_STORE_KIND", "QUIVER_BATCH_SCORING_BUCKET");
    }

    /** Batches of objects are not single predictions: held to 80% of the timeout, not the model's SLA. */
    @Test
    void predictEventsP99AlarmIsEightyPercentOfItsTimeout() {
        Map<String, Object> p99 = Cfn.resources(T, "AWS::CloudWatch::Alarm")
                .get(Cfn.id(T, "AWS::CloudWatch::Alarm", "PredictEventsP99DurationAlarm"));
        assertThat(Cfn.number(p99, "Threshold")).isEqualTo(240_000.0);
    }

    @Test
    void theNotificationsHandlersRoleIsExcusedOnlyAwsLambdaBasicExecutionRole() {
        Map<String, Map<String, Object>> roles = T.findResources("AWS::IAM::Role");
        String role = roles.keySet().stream().filter(id -> id.startsWith(FunctionsStack.NOTIFICATIONS_HANDLER + "Role"))
                .findFirst().orElseThrow();
        List<Object> suppressions = Cfn.list(roles.get(role), "Metadata", "cdk_nag", "rules_to_suppress");
        assertThat(suppressions).hasSize(1);
        assertThat(Cfn.at(suppressions.get(0), "id")).isEqualTo("AwsSolutions-IAM4");
        assertThat(Cfn.list(suppressions.get(0), "applies_to")).containsExactly(
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        // and its own policy reaches the batch bucket's notification configuration only
        String arn = batchBucketExport("Arn");
        List<Object> statements = Cfn.resources(T, "AWS::IAM::Policy").values().stream()
                .filter(p -> Cfn.list(p, "Roles").stream().map(Cfn::ref).anyMatch(role::equals))
                .flatMap(p -> Cfn.list(p, "PolicyDocument", "Statement").stream()).toList();
        assertThat(statements).isNotEmpty().allSatisfy(s -> {
            assertThat(Cfn.at(s, "Resource", "Fn::ImportValue")).isEqualTo(arn);
            assertThat(String.valueOf(Cfn.at(s, "Action"))).matches("s3:(Get|Put)BucketNotification");
        });
    }
}
