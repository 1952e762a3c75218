package dev.quiver.redis.ledger;

import dev.quiver.agent.ledger.MessageLedger;
import dev.quiver.error.Stages;
import dev.quiver.redis.client.GuardedRedis;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A {@link MessageLedger} on Redis, for instances that share no disk: one string key per message id,
 * {@code <prefix>:<id>}, claimed with {@code SET NX} (atomic in Redis, so exactly one instance acts), holding the
 * empty string while the first is acting and the answer once it is recorded. Every key expires after the retention,
 * counted from the claim, so a duplicate older than that acts again.
 */
public final class RedisMessageLedger implements MessageLedger, AutoCloseable {

    /** Deletes the key only while it still holds no answer, so a late release cannot undo a recorded one. */
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == '' then return redis.call('DEL', KEYS[1]) "
            + "end return 0";

    private final String prefix;
    private final long retentionMillis;
    private final GuardedRedis redis;

    /**
     * @param uri       {@code redis://[user:password@]host[:port][/db]} or {@code rediss://...}
     * @param prefix    the start of every key, so that several deployments can share one Redis
     * @param timeout   how long one call may take
     * @param retention how long a message id is remembered after its claim; must be positive
     * @throws IllegalArgumentException naming the option that is invalid
     */
    public RedisMessageLedger(String uri, String prefix, Duration timeout, Duration retention, Tracer tracer) {
        String redacted = GuardedRedis.checkOptions(uri, prefix, timeout);
        require(retention != null && retention.toMillis() >= 1, "retention", "must be at least 1 ms, not "
                + retention);
        this.prefix = prefix;
        this.retentionMillis = retention.toMillis();
        this.redis = new GuardedRedis(uri, redacted, timeout, 5, Duration.ofSeconds(1), 2, tracer, null);
    }

    private static void require(boolean ok, String option, String reason) {
        if (!ok) {
            throw new IllegalArgumentException(option + ": " + reason);
        }
    }

    private String key(String messageId) {
        return prefix + ':' + MessageLedger.checkId(messageId);
    }

    @Override
    public CompletionStage<Claim> claim(String messageId) {
        return Stages.call(() -> {
            String key = key(messageId);
            Request set = Request.cmd(Command.SET).arg(key).arg("").arg("NX").arg("PX").arg(retentionMillis);
            return redis.call("SET", 1, client -> client.send(set)).thenCompose(r -> r != null
                    ? java.util.concurrent.CompletableFuture.completedStage(Claim.FIRST)
                    : redis.call("GET", 1, client -> client.send(Request.cmd(Command.GET).arg(key)))
                            .thenApply(RedisMessageLedger::found));
        });
    }

    /** What a taken key holds: nothing yet (the first is acting; or it expired between the two calls), or the answer. */
    private static Claim found(Response value) {
        String text = value == null ? "" : value.toString();
        return text.isEmpty() ? Claim.PENDING : new Claim(false, text);
    }

    @Override
    public CompletionStage<Void> record(String messageId, String answer) {
        return Stages.call(() -> {
            if (answer == null || answer.isEmpty()) {
                throw new IllegalArgumentException("an answer must not be empty");
            }
            Request set = Request.cmd(Command.SET).arg(key(messageId)).arg(answer).arg("XX").arg("KEEPTTL");
            return redis.call("SET", 1, client -> client.send(set)).thenApply(r -> {
                if (r == null) {
                    throw new IllegalStateException("message '" + messageId + "' was not claimed");
                }
                return null;
            });
        });
    }

    @Override
    public CompletionStage<Void> release(String messageId) {
        return Stages.call(() -> {
            Request eval = Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(key(messageId));
            return redis.call("EVAL", 1, client -> client.send(eval)).thenApply(r -> null);
        });
    }

    @Override
    public void close() {
        redis.close();
    }
}
