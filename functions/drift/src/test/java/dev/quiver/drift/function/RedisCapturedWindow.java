package dev.quiver.drift.function;

import dev.quiver.drift.capture.ProfileStore;
import dev.quiver.redis.profiles.RedisProfileStore;
import dev.quiver.testing.redis.RedisServer;
import io.opentelemetry.api.trace.TracerProvider;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** {@link CapturedWindow}, in a real redis-server on a free port, with the drift function reading it there. */
public class RedisCapturedWindow extends CapturedWindow {

    static final String PREFIX = "test:drift";
    private RedisServer redis;
    private RedisProfileStore writer;

    @Override
    protected ProfileStore store(Path dir) {
        redis = RedisServer.start();
        writer = new RedisProfileStore(redis.uri(), PREFIX, Duration.ofSeconds(5), Duration.ZERO,
                TracerProvider.noop().get("test"), Clock.systemUTC());
        return writer;
    }

    @Override
    protected void closeWriter() {
        writer.close();
    }

    @Override
    protected Map<String, String> storeConfig(Path dir) {
        return Map.of("quiver.capture.store", "redis", "quiver.capture.redis.uri", redis.uri(),
                "quiver.capture.redis.key-prefix", PREFIX);
    }

    @Override
    public void stop() {
        redis.close();
        super.stop();
    }
}
