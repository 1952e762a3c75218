package dev.quiver.redis.agent;

import dev.quiver.redis.client.GuardedRedis;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.List;

/** Records kept in a hash by id, their ids ordered in a sorted set beside it (the outbox, the memories). */
final class IndexedHash {

    private IndexedHash() {
    }

    /** Takes {@code id} out of {@code hash} and out of its {@code index} in one transaction. */
    static void remove(GuardedRedis redis, String hash, String index, String id) {
        List<Request> batch = List.of(Request.cmd(Command.MULTI),
                Request.cmd(Command.HDEL).arg(hash).arg(id),
                Request.cmd(Command.ZREM).arg(index).arg(id),
                Request.cmd(Command.EXEC));
        redis.callAndWait("HDEL", 1, client -> client.batch(batch));
    }
}
