package dev.quiver.redis.client;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quiver.json.Json;
import io.vertx.redis.client.Response;

import java.io.IOException;

/**
 * Records kept in Redis as JSON, as the adapters here keep them: one line each, and a value that does not read named
 * by where it was found.
 */
public final class RedisJson {

    private static final ObjectWriter WRITER = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private RedisJson() {
    }

    /** {@code value} as one line of JSON. */
    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The record of {@code type} that {@code value} holds; IllegalStateException naming {@code where} otherwise. */
    public static <T> T read(Response value, Class<T> type, String where) {
        try {
            return Json.MAPPER.readValue(value.toBytes(), type);
        } catch (IOException e) {
            throw new IllegalStateException("redis holds a " + type.getSimpleName() + " " + where
                    + " that does not parse", e);
        }
    }
}
