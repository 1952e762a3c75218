package dev.quiver.redis.agent;

import dev.quiver.agent.outbox.DeadLetter;
import dev.quiver.agent.outbox.OutboxStore;
import dev.quiver.agent.outbox.Outgoing;
import dev.quiver.redis.client.GuardedRedis;
import dev.quiver.redis.client.RedisJson;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An {@link OutboxStore} in Redis that instances share: a hash of the messages waiting ({@code <prefix>:outbox}, id to
 * JSON), a sorted set of their ids by due time ({@code <prefix>:outbox:due}), and a list of dead letters
 * ({@code <prefix>:outbox:dead}, newest first, the last {@code keepDead} kept). {@link #due} leases what it returns:
 * their due times move {@code lease} ahead in the same script, so that another instance does not try them meanwhile;
 * the outbox then removes a delivered message or puts it back with its next due time, and a message whose instance
 * died is due again once the lease has passed.
 */
final class RedisOutboxStore implements OutboxStore {

    /** KEYS: due set, messages hash. ARGV: now (ms), max, lease end (ms). The due messages, each leased. */
    private static final String TAKE_DUE = """
            local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
            local out = {}
            for i = 1, #ids do
              local m = redis.call('HGET', KEYS[2], ids[i])
              if m then
                redis.call('ZADD', KEYS[1], ARGV[3], ids[i])
                out[#out + 1] = m
              else
                redis.call('ZREM', KEYS[1], ids[i])
              end
            end
            return out
            """;

    private final GuardedRedis redis;
    private final String messages;
    private final String dueSet;
    private final String dead;
    private final long leaseMillis;
    private final int keepDead;

    RedisOutboxStore(GuardedRedis redis, String prefix, Duration lease, int keepDead) {
        if (lease == null || lease.toMillis() < 1) {
            throw new IllegalArgumentException("lease: must be at least 1 ms, not " + lease);
        }
        this.redis = redis;
        this.messages = prefix + ":outbox";
        this.dueSet = prefix + ":outbox:due";
        this.dead = prefix + ":outbox:dead";
        this.leaseMillis = lease.toMillis();
        this.keepDead = keepDead;
    }

    @Override
    public void put(Outgoing message) {
        List<Request> batch = List.of(Request.cmd(Command.MULTI),
                Request.cmd(Command.HSET).arg(messages).arg(message.id()).arg(RedisJson.write(message)),
                Request.cmd(Command.ZADD).arg(dueSet).arg(message.due().toEpochMilli()).arg(message.id()),
                Request.cmd(Command.EXEC));
        redis.callAndWait("HSET", 1, client -> client.batch(batch));
    }

    @Override
    public List<Outgoing> due(Instant now, int max) {
        if (max < 1) {
            return List.of();
        }
        Request eval = Request.cmd(Command.EVAL).arg(TAKE_DUE).arg(2).arg(dueSet).arg(messages)
                .arg(now.toEpochMilli()).arg(max).arg(now.toEpochMilli() + leaseMillis);
        Response taken = redis.callAndWait("EVAL", max, client -> client.send(eval));
        List<Outgoing> out = new ArrayList<>();
        if (taken != null) {
            for (Response m : taken) {
                out.add(RedisJson.read(m, Outgoing.class, "in " + messages));
            }
        }
        return out;
    }

    @Override
    public void remove(String id) {
        IndexedHash.remove(redis, messages, dueSet, id);
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        String id = letter.message().id();
        List<Request> batch = List.of(Request.cmd(Command.MULTI),
                Request.cmd(Command.LPUSH).arg(dead).arg(RedisJson.write(letter)),
                Request.cmd(Command.LTRIM).arg(dead).arg(0).arg(keepDead - 1),
                Request.cmd(Command.HDEL).arg(messages).arg(id),
                Request.cmd(Command.ZREM).arg(dueSet).arg(id),
                Request.cmd(Command.EXEC));
        redis.callAndWait("LPUSH", 1, client -> client.batch(batch));
    }

    @Override
    public List<DeadLetter> deadLetters() {
        Response all = redis.callAndWait("LRANGE", 1,
                client -> client.send(Request.cmd(Command.LRANGE).arg(dead).arg(0).arg(-1)));
        List<DeadLetter> out = new ArrayList<>();
        if (all != null) {
            for (Response d : all) {
                out.add(RedisJson.read(d, DeadLetter.class, "in " + dead));
            }
        }
        Collections.reverse(out);
        return out;
    }

    @Override
    public int pending() {
        Response n = redis.callAndWait("HLEN", 1, client -> client.send(Request.cmd(Command.HLEN).arg(messages)));
        return n == null ? 0 : n.toInteger();
    }

}
