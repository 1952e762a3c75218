package dev.quiver.cdk;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The functions Quiver deploys, with what each needs from AWS. Least privilege starts here: a function gets a
 * permission only when its row says it uses the resource. A Lambda function has one handler, so each Lambda build is a
 * function of its own: predict's and features' event builds ({@code predict-events}, {@code features-events}) sit
 * beside their HTTP builds.
 *
 * @param build          the Lambda build's module directory, relative to the repository root; its zip is
 *                       {@code <build>/target/function.zip}
 * @param httpApi        whether callers reach it over HTTPS (an API Gateway HTTP API in front)
 * @param queue          the name of the SQS queue it consumes (with a dead-letter queue), or null
 * @param queueBatchSize the most messages of its queue one invocation takes
 * @param detailTypes    the EventBridge detail-types on the team bus routed to it
 * @param schedule       the schedule that invokes it on the default bus, or null
 * @param bucket         what it does with the model bucket (the S3 model store), unless context says otherwise
 * @param batchScoring   whether it scores objects of rows from the batch bucket: it reads {@code batch/in/}, writes
 *                       {@code batch/out/}, and its queue takes the bucket's notifications of new input objects
 * @param redisStores    the stores it keeps in the online store (Valkey), each set to Redis with the store's URI
 * @param predictUrlEnv  the environment variable that takes predict's HTTPS endpoint when predict is deployed too,
 *                       or null when it does not call predict
 * @param timeoutSeconds its default timeout
 * @param servesPredictions whether its invocations are the model's predictions, bound by the model's
 *                       {@code sla.p99_ms}; the others' latency is bounded by their own timeout
 */
public record QuiverFunction(String name, String build, boolean httpApi, String queue, int queueBatchSize,
                             List<String> detailTypes, Schedule schedule, BucketAccess bucket, boolean batchScoring,
                             List<RedisStore> redisStores, String predictUrlEnv,
                             int timeoutSeconds, boolean servesPredictions) {

    public QuiverFunction {
        detailTypes = List.copyOf(detailTypes);
        redisStores = List.copyOf(redisStores);
    }

    /** Access to the model bucket. */
    public enum BucketAccess {
        NONE, READ, READ_WRITE;

        /** {@code none}, {@code read} or {@code read-write}, as context spells it. */
        static BucketAccess of(String key, String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "read" -> READ;
                case "read-write" -> READ_WRITE;
                default -> throw new IllegalArgumentException(key + ": '" + value + "' is none, read or read-write");
            };
        }
    }

    /**
     * A store that must outlive one Lambda instance, kept in the online store: the setting that makes it Redis, and
     * the one that takes the URI (as environment variables; README, Where state lives).
     */
    public enum RedisStore {
        FEATURES("QUIVER_FEATURES_STORE_KIND", "QUIVER_FEATURES_REDIS_URI"),
        CAPTURE("QUIVER_CAPTURE_STORE", "QUIVER_CAPTURE_REDIS_URI"),
        ROLLOUTS("QUIVER_ROLLOUTS_STORE", "QUIVER_ROLLOUTS_REDIS_URI"),
        /** the agent's message ledger, outbox, audit journal, incident log and dead letters */
        AGENT("QUIVER_AGENT_STORE", "QUIVER_AGENT_REDIS_URI");

        public final String kindEnv;
        public final String uriEnv;

        RedisStore(String kindEnv, String uriEnv) {
            this.kindEnv = kindEnv;
            this.uriEnv = uriEnv;
        }
    }

    /**
     * A schedule on the default bus: its expression unless context key {@code quiver.<fn>.schedule} gives another,
     * and what the function does when it fires.
     */
    public record Schedule(String expression, String description) {
    }

    /** The team's envelopes (README, The team protocol), which the agent answers. */
    public static final List<String> TEAM_ENVELOPES =
            List.of("model_deployment_request", "feature_store_request", "model_issue_alert");

    /** Where batch scoring reads rows and writes predictions (the predict-events build's default prefixes). */
    public static final String BATCH_INPUT_PREFIX = "batch/in/";
    public static final String BATCH_OUTPUT_PREFIX = "batch/out/";

    /**
     * predict: scores over HTTPS; the model registry, so it reads and writes the model store (the catalog seeded at
     * start, uploads, alias moves); features, capture windows and rollouts in the online store.
     */
    public static final QuiverFunction PREDICT = of("predict", "functions/predict/lambda").withHttpApi()
            .withBucket(BucketAccess.READ_WRITE)
            .withRedis(RedisStore.FEATURES, RedisStore.CAPTURE, RedisStore.ROLLOUTS).withServesPredictions();
    /** features: Feast's get-online-features and push over HTTPS, on the online store. */
    public static final QuiverFunction FEATURES = of("features", "functions/features/lambda").withHttpApi()
            .withRedis(RedisStore.FEATURES);
    /** drift: events only (schedule, drift.evaluate, model.feedback, labels on SQS); reads reference profiles. */
    public static final QuiverFunction DRIFT = of("drift", "functions/drift/lambda").withQueue("labels", 10)
            .withDetailTypes(List.of("drift.evaluate", "model.feedback"))
            .withSchedule("rate(1 hour)", "Drift evaluates the latest window of every captured version")
            .withBucket(BucketAccess.READ).withRedis(RedisStore.CAPTURE).withTimeout(300);
    /**
     * agent: the team's envelopes from the bus and its inbox queue (its Lambda build, functions/agent/lambda, has
     * only those event doors and the schedule; A2A over HTTPS is the JVM or Knative build's), answered through the
     * channels of the team's directory; it registers delivered models and drives rollouts through predict's HTTPS API
     * (SigV4-signed, to an API behind the IAM authorizer), not the bucket; its
     * state (ledger, outbox, journal, incidents, dead letters) and feature checks use the online store. A Lambda
     * instance is frozen between invocations, so its timers never fire there: the schedule delivers the outbox's due
     * messages and watches the rollouts it started.
     */
    public static final QuiverFunction AGENT = of("agent", "functions/agent/lambda").withQueue("inbox", 10)
            .withDetailTypes(TEAM_ENVELOPES)
            .withSchedule("rate(1 minute)", "The agent delivers its outbox's due messages and watches the rollouts it"
                    + " started")
            .withRedis(RedisStore.FEATURES, RedisStore.AGENT)
            .withPredictUrl("QUIVER_AGENT_PREDICT_URL").withTimeout(60);
    /**
     * predict-events: batch scoring, objects of rows from the batch bucket (through its queue, which the bucket
     * notifies) and prediction requests on the same queue; one message an invocation, so one large object's time
     * never counts against another's. The same registry as predict, which seeds the model store from the catalog at
     * start, so it writes the store too.
     */
    public static final QuiverFunction PREDICT_EVENTS = of("predict-events", "functions/predict/lambda-events")
            .withQueue("batch", 1).withBucket(BucketAccess.READ_WRITE).withBatchScoring()
            .withRedis(RedisStore.FEATURES, RedisStore.CAPTURE, RedisStore.ROLLOUTS).withTimeout(300);
    /** features-events: pushes in SQS messages (its queue {@code push}), written to the online store. */
    public static final QuiverFunction FEATURES_EVENTS = of("features-events", "functions/features/lambda-events")
            .withQueue("push", 10).withRedis(RedisStore.FEATURES);

    public static final List<QuiverFunction> ALL =
            List.of(PREDICT, FEATURES, DRIFT, AGENT, PREDICT_EVENTS, FEATURES_EVENTS);

    /** The function named {@code name}; IllegalArgumentException naming the known ones otherwise. */
    public static QuiverFunction named(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return ALL.stream().filter(f -> f.name.equals(n)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "quiver.functions: unknown function '" + name + "'; one of " + names()));
    }

    /** Every function's name, comma-separated, as {@code quiver.functions} takes them. */
    public static String names() {
        return ALL.stream().map(QuiverFunction::name).collect(Collectors.joining(","));
    }

    /** The name as CDK construct ids spell it: {@code Predict}, {@code PredictEvents}. */
    public String id() {
        return Arrays.stream(name.split("-"))
                .map(part -> Character.toUpperCase(part.charAt(0)) + part.substring(1))
                .collect(Collectors.joining());
    }

    /** A function reached by nothing yet, with a 30 s timeout. */
    private static QuiverFunction of(String name, String build) {
        return new QuiverFunction(name, build, false, null, 10, List.of(), null, BucketAccess.NONE, false, List.of(),
                null, 30, false);
    }

    private QuiverFunction withHttpApi() {
        return new QuiverFunction(name, build, true, queue, queueBatchSize, detailTypes, schedule, bucket,
                batchScoring, redisStores, predictUrlEnv, timeoutSeconds, servesPredictions);
    }

    private QuiverFunction withQueue(String queue, int batchSize) {
        return new QuiverFunction(name, build, httpApi, queue, batchSize, detailTypes, schedule, bucket,
                batchScoring, redisStores, predictUrlEnv, timeoutSeconds, servesPredictions);
    }

    private QuiverFunction withDetailTypes(List<String> detailTypes) {
        return new QuiverFunction(name, build, httpApi, queue, queueBatchSize, detailTypes, schedule, bucket,
                batchScoring, redisStores, predictUrlEnv, timeoutSeconds, servesPredictions);
    }

    private QuiverFunction withSchedule(String expression, String description) {
        return new QuiverFunction(name, build, httpApi, queue, queueBatchSize, detailTypes,
                new Schedule(expression, description), bucket, batchScoring, redisStores, predictUrlEnv,
                timeoutSeconds, servesPredictions);
    }

    private QuiverFunction withBucket(BucketAccess bucket) {
        return new QuiverFunction(name, build, httpApi, queue, queueBatchSize, detailTypes, schedule, bucket,
                batchScoring, redisStores, predictUrlEnv, timeoutSeconds, servesPredictions);
    }

    private QuiverFunction withBatchScoring() {
        return new QuiverFunction(name, build, httpApi, queue, queueBatchSize, detailTypes, schedule, bucket, true,
                redisStores, predictUrlEnv, timeoutSeconds, servesPredictions);
    }

    private QuiverFunction withRedis(RedisStore... stores) {
        return new QuiverFunction(name, build, httpApi, queue, queueBatchSize, detailTypes, schedule, bucket,
                batchScoring, List.of(stores), predictUrlEnv, timeoutSeconds, servesPredictions);
    }

    private QuiverFunction withPredictUrl(String env) {
        return new QuiverFunction(name, build, httpApi, queue, queueBatchSize, detailTypes, schedule, bucket,
                batchScoring, redisStores, env, timeoutSeconds, servesPredictions);
    }

    private QuiverFunction withTimeout(int seconds) {
        return new QuiverFunction(name, build, httpApi, queue, queueBatchSize, detailTypes, schedule, bucket,
                batchScoring, redisStores, predictUrlEnv, seconds, servesPredictions);
    }

    private QuiverFunction withServesPredictions() {
        return new QuiverFunction(name, build, httpApi, queue, queueBatchSize, detailTypes, schedule, bucket,
                batchScoring, redisStores, predictUrlEnv, timeoutSeconds, true);
    }
}
