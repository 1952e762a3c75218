package dev.quiver.cdk;

import java.util.List;
import java.util.Locale;

/**
 * The functions Quiver deploys, with what each needs from AWS. Least privilege starts here: a function gets a
 * permission only when its row says it uses the resource.
 *
 * @param httpApi        whether callers reach it over HTTPS (an API Gateway HTTP API in front)
 * @param queue          the name of the SQS queue it consumes (with a dead-letter queue), or null
 * @param detailTypes    the EventBridge detail-types on the team bus routed to it
 * @param bucket         what it does with the model bucket (the S3 model store), unless context says otherwise
 * @param sendsEvents    whether it puts events on the team bus
 * @param redisStores    the stores it keeps in the online store (Valkey), each set to Redis with the store's URI
 * @param timeoutSeconds its default timeout
 * @param servesPredictions whether its invocations are the model's predictions, bound by the model's
 *                       {@code sla.p99_ms}; the others' latency is bounded by their own timeout
 */
public record QuiverFunction(String name, boolean httpApi, String queue, List<String> detailTypes, BucketAccess bucket,
                             boolean sendsEvents, List<RedisStore> redisStores, int timeoutSeconds,
                             boolean servesPredictions) {

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
        LEDGER("QUIVER_AGENT_LEDGER_STORE", "QUIVER_AGENT_LEDGER_REDIS_URI");

        public final String kindEnv;
        public final String uriEnv;

        RedisStore(String kindEnv, String uriEnv) {
            this.kindEnv = kindEnv;
            this.uriEnv = uriEnv;
        }
    }

    /** The team's envelopes (README, The team protocol), which the agent answers. */
    public static final List<String> TEAM_ENVELOPES =
            List.of("model_deployment_request", "feature_store_request", "model_issue_alert");

    /**
     * predict: scores over HTTPS; the model registry, so it reads and writes the model store (the catalog seeded at
     * start, uploads, alias moves); features, capture windows and rollouts in the online store.
     */
    public static final QuiverFunction PREDICT = new QuiverFunction("predict", true, null, List.of(),
            BucketAccess.READ_WRITE, false, List.of(RedisStore.FEATURES, RedisStore.CAPTURE, RedisStore.ROLLOUTS), 30,
            true);
    /** features: Feast's get-online-features and push over HTTPS, on the online store. */
    public static final QuiverFunction FEATURES = new QuiverFunction("features", true, null, List.of(),
            BucketAccess.NONE, false, List.of(RedisStore.FEATURES), 30, false);
    /** drift: events only (schedule, drift.evaluate, model.feedback, labels on SQS); reads reference profiles. */
    public static final QuiverFunction DRIFT = new QuiverFunction("drift", false, "labels",
            List.of("drift.evaluate", "model.feedback"), BucketAccess.READ, false, List.of(RedisStore.CAPTURE), 300,
            false);
    /**
     * agent: the team's envelopes from the bus and its inbox queue (its Lambda build, functions/agent/lambda, has
     * only those event doors; A2A over HTTPS is the JVM or Knative build's), sent on through PutEvents; it registers
     * delivered models through predict's registry, not the bucket; its ledger and feature checks use the online store.
     */
    public static final QuiverFunction AGENT = new QuiverFunction("agent", false, "inbox", TEAM_ENVELOPES,
            BucketAccess.NONE, true, List.of(RedisStore.FEATURES, RedisStore.LEDGER), 60, false);

    public static final List<QuiverFunction> ALL = List.of(PREDICT, FEATURES, DRIFT, AGENT);

    /** The function named {@code name}; IllegalArgumentException naming the known ones otherwise. */
    public static QuiverFunction named(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return ALL.stream().filter(f -> f.name.equals(n)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "quiver.functions: unknown function '" + name + "'; one of predict, features, drift, agent"));
    }

    /** The name as CDK construct ids spell it: {@code Predict}. */
    public String id() {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
