package dev.quiver.redis.agent;

import dev.quiver.agent.memory.Memories;
import dev.quiver.agent.memory.Memory;
import dev.quiver.redis.client.GuardedRedis;
import dev.quiver.redis.client.RedisJson;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent's memories in Redis, shared by its instances: per memory a hash of the records by id
 * ({@code <prefix>:memory:<name>}) and a sorted set of their ids by a counter of puts
 * ({@code <prefix>:memory:<name>:order}), which a put trims to the newest {@code keep} in the same script.
 */
final class RedisMemories implements Memories {

    /** KEYS: hash, order, counter. ARGV: id, JSON, keep. */
    private static final String PUT = """
            local seq = redis.call('INCR', KEYS[3])
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[2], seq, ARGV[1])
            local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
            if over > 0 then
              local old = redis.call('ZRANGE', KEYS[2], 0, over - 1)
              for i = 1, #old do
                redis.call('HDEL', KEYS[1], old[i])
                redis.call('ZREM', KEYS[2], old[i])
              end
            end
            return 1
            """;

    private final GuardedRedis redis;
    private final String prefix;

    RedisMemories(GuardedRedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    @Override
    public <T> Memory<T> open(String name, Class<T> type, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep: must be at least 1, not " + keep);
        }
        return new InRedis<>(prefix + ":memory:" + name, type, keep);
    }

    private final class InRedis<T> implements Memory<T> {
        private final String hash;
        private final String order;
        private final String counter;
        private final int keep;
        private final Class<T> type;

        InRedis(String key, Class<T> type, int keep) {
            this.hash = key;
            this.order = key + ":order";
            this.counter = key + ":puts";
            this.keep = keep;
            this.type = type;
        }

        @Override
        public void put(String id, T value) {
            Request eval = Request.cmd(Command.EVAL).arg(PUT).arg(3).arg(hash).arg(order).arg(counter)
                    .arg(id).arg(RedisJson.write(value)).arg(keep);
            redis.callAndWait("EVAL", 1, client -> client.send(eval));
        }

        @Override
        public Optional<T> get(String id) {
            Response r = redis.callAndWait("HGET", 1, client -> client.send(Request.cmd(Command.HGET).arg(hash)
                    .arg(id)));
            return r == null ? Optional.empty() : Optional.of(RedisJson.read(r, type, "in " + hash));
        }

        @Override
        public void remove(String id) {
            IndexedHash.remove(redis, hash, order, id);
        }

        @Override
        public List<T> values() {
            Response ids = redis.callAndWait("ZRANGE", 1, client -> client.send(Request.cmd(Command.ZRANGE)
                    .arg(order).arg(0).arg(-1)));
            List<T> out = new ArrayList<>();
            if (ids == null || ids.size() == 0) {
                return out;
            }
            Request get = Request.cmd(Command.HMGET).arg(hash);
            ids.forEach(id -> get.arg(id.toString()));
            Response values = redis.callAndWait("HMGET", ids.size(), client -> client.send(get));
            for (Response v : values) {
                if (v != null) {
                    out.add(RedisJson.read(v, type, "in " + hash));
                }
            }
            return out;
        }
    }
}
