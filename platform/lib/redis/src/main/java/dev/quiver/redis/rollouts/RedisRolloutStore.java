package dev.quiver.redis.rollouts;

import dev.quiver.redis.client.GuardedRedis;
import dev.quiver.redis.client.RedisJson;
import dev.quiver.rollout.Rollout;
import dev.quiver.rollout.RolloutStore;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rollout store on Redis, for instances that share no disk (Lambda, Knative), with the directory store's
 * semantics. Keys, under a prefix ({@code quiver:rollouts} by default):
 * <pre>
 * &lt;prefix&gt;:models                        set: the models that have a rollout
 * &lt;prefix&gt;:&lt;model&gt;:rollout               hash: {@code state} (the state as JSON), {@code tag} ({@code <id>#<revision>})
 * &lt;prefix&gt;:&lt;model&gt;:windows               set: the tally keys of the model's current rollout
 * &lt;prefix&gt;:&lt;model&gt;:tallies:&lt;window&gt;      hash: instance → its tally of that window (JSON)
 * </pre>
 * {@link #replace} compares the stored tag with the expected state's and writes in one Lua script, so of instances
 * that decided from the same revision exactly one wins; a new rollout of a model deletes the tallies of the one
 * before in the same script. Tallies expire {@code tallyRetention} after their last save, so a window nobody reads
 * again does not stay. Every call blocks its caller, bounded by the timeout, behind the client's circuit breaker,
 * and fails as UNAVAILABLE when Redis is slow or down; the rollout ticker retries at its next tick.
 */
public final class RedisRolloutStore implements RolloutStore, AutoCloseable {

    /** KEYS: rollout hash, models set, windows set. ARGV: expected tag ('' for none), next tag, next state, model. */
    private static final String REPLACE = """
            local stored = redis.call('HGET', KEYS[1], 'tag')
            if (stored or '') ~= ARGV[1] then return 0 end
            local nextId = string.match(ARGV[2], '^(.*)#')
            if stored and string.match(stored, '^(.*)#') ~= nextId then
              local windows = redis.call('SMEMBERS', KEYS[3])
              for i = 1, #windows do redis.call('DEL', windows[i]) end
              redis.call('DEL', KEYS[3])
            end
            redis.call('HSET', KEYS[1], 'state', ARGV[3], 'tag', ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[4])
            return 1
            """;

    private final String prefix;
    private final long tallyRetentionMillis;
    private final GuardedRedis redis;

    /**
     * @param uri            {@code redis://[user:password@]host[:port][/db]} or {@code rediss://...}
     * @param prefix         the start of every key, so that several deployments can share one Redis
     * @param timeout        how long one call may take
     * @param tallyRetention how long a tally is kept after its last save; must be positive
     * @throws IllegalArgumentException naming the option that is invalid
     */
    public RedisRolloutStore(String uri, String prefix, Duration timeout, Duration tallyRetention, Tracer tracer) {
        String redacted = GuardedRedis.checkOptions(uri, prefix, timeout);
        if (tallyRetention == null || tallyRetention.toMillis() < 1) {
            throw new IllegalArgumentException("tally-retention: must be at least 1 ms, not " + tallyRetention);
        }
        this.prefix = prefix;
        this.tallyRetentionMillis = tallyRetention.toMillis();
        this.redis = new GuardedRedis(uri, redacted, timeout, 5, Duration.ofSeconds(1), 2, tracer, null);
    }

    private String key(String model, String what) {
        return prefix + ':' + model + ':' + what;
    }

    @Override
    public Optional<Rollout.State> load(String model) {
        Response state = redis.callAndWait("HGET", 1,
                client -> client.send(Request.cmd(Command.HGET).arg(key(model, "rollout")).arg("state")));
        return state == null ? Optional.empty() : Optional.of(RedisJson.read(state, Rollout.State.class, "of " + model));
    }

    @Override
    public List<String> models() {
        Response all = redis.callAndWait("SMEMBERS", 1,
                client -> client.send(Request.cmd(Command.SMEMBERS).arg(prefix + ":models")));
        List<String> out = new ArrayList<>();
        if (all != null) {
            all.forEach(m -> out.add(m.toString()));
        }
        out.sort(null);
        return out;
    }

    @Override
    public boolean replace(String model, Rollout.State expected, Rollout.State next) {
        Request eval = Request.cmd(Command.EVAL).arg(REPLACE).arg(3).arg(key(model, "rollout")).arg(prefix + ":models")
                .arg(key(model, "windows")).arg(expected == null ? "" : tag(expected)).arg(tag(next))
                .arg(RedisJson.write(next)).arg(model);
        Response won = redis.callAndWait("EVAL", 1, client -> client.send(eval));
        return won != null && won.toInteger() == 1;
    }

    private static String tag(Rollout.State s) {
        return s.id() + '#' + s.revision();
    }

    @Override
    public void saveTally(String model, String instance, Rollout.Tally tally) {
        String tallies = key(model, "tallies:" + tally.window());
        List<Request> batch = List.of(Request.cmd(Command.MULTI),
                Request.cmd(Command.HSET).arg(tallies).arg(instance).arg(RedisJson.write(tally)),
                Request.cmd(Command.PEXPIRE).arg(tallies).arg(tallyRetentionMillis),
                Request.cmd(Command.SADD).arg(key(model, "windows")).arg(tallies),
                Request.cmd(Command.EXEC));
        redis.callAndWait("HSET", 1, client -> client.batch(batch));
    }

    @Override
    public Map<String, Rollout.Tally> tallies(String model, String window) {
        Response all = redis.callAndWait("HGETALL", 1,
                client -> client.send(Request.cmd(Command.HGETALL).arg(key(model, "tallies:" + window))));
        Map<String, Rollout.Tally> out = new TreeMap<>();
        for (Map.Entry<String, Response> e : GuardedRedis.entries(all)) {
            out.put(e.getKey(), RedisJson.read(e.getValue(), Rollout.Tally.class, "of " + model));
        }
        return out;
    }

    @Override
    public void close() {
        redis.close();
    }
}
