package dev.quiver.redis.agent;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quiver.audit.RecentLog;
import dev.quiver.json.Json;
import dev.quiver.redis.client.GuardedRedis;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link RecentLog} in one Redis list, newest first: an append is {@code LPUSH} and {@code LTRIM} to the last
 * {@code keep} records in one transaction, sent without waiting, so the caller never waits on Redis; a failed append
 * is reported to {@code problems}, as the embedded log reports a failed write.
 */
final class RedisRecentLog<T> implements RecentLog<T> {

    private final GuardedRedis redis;
    private final String key;
    private final int keep;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final Consumer<String> problems;

    RedisRecentLog(GuardedRedis redis, String key, Class<T> type, int keep, Consumer<String> problems) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep: must be at least 1, not " + keep);
        }
        this.redis = redis;
        this.key = key;
        this.keep = keep;
        this.writer = Json.MAPPER.writerFor(type).without(SerializationFeature.INDENT_OUTPUT);
        this.reader = Json.MAPPER.readerFor(type);
        this.problems = problems;
    }

    @Override
    public void append(T record) {
        String json;
        try {
            json = writer.writeValueAsString(record);
        } catch (IOException e) {
            problems.accept("cannot write a record of " + key + " as JSON: " + e.getMessage());
            return;
        }
        List<Request> batch = List.of(Request.cmd(Command.MULTI),
                Request.cmd(Command.LPUSH).arg(key).arg(json),
                Request.cmd(Command.LTRIM).arg(key).arg(0).arg(keep - 1),
                Request.cmd(Command.EXEC));
        try {
            redis.call("LPUSH", 1, client -> client.batch(batch)).whenComplete((ok, failure) -> {
                if (failure != null) {
                    problems.accept("cannot append to " + key + ": " + failure.getMessage());
                }
            });
        } catch (RuntimeException e) {
            problems.accept("cannot append to " + key + ": " + e.getMessage());
        }
    }

    @Override
    public List<T> recent(int limit) {
        int n = Math.min(Math.max(limit, 0), keep);
        if (n == 0) {
            return List.of();
        }
        Response items = redis.callAndWait("LRANGE", n,
                client -> client.send(Request.cmd(Command.LRANGE).arg(key).arg(0).arg(n - 1)));
        List<T> out = new ArrayList<>();
        int skipped = 0;
        if (items != null) {
            for (Response item : items) {
                try {
                    out.add(reader.readValue(item.toBytes()));
                } catch (IOException e) {
                    skipped++;
                }
            }
        }
        if (skipped > 0) {
            // a record another version wrote: the rest are still worth listing
            problems.accept("skipped " + skipped + " records of " + key + " that do not read");
        }
        return out;
    }
}
