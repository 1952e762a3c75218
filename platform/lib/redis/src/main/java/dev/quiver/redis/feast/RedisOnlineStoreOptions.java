package dev.quiver.redis.feast;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RedisOnlineStore} reaches Redis and how it behaves when Redis is slow or down. Validated on
 * construction: an invalid option fails with an {@link IllegalArgumentException} naming it.
 *
 * @param uri                           the server, {@code redis://[user:password@]host[:port][/db]} or
 *                                      {@code rediss://...} for TLS; default {@value #DEFAULT_URI}
 * @param project                       the Feast project: the suffix of every Redis key. Required
 * @param timeout                       how long one call may take in all, including waiting for a connection;
 *                                      default {@link #DEFAULT_TIMEOUT}
 * @param failureThreshold              failed or late calls in a row that open the circuit; default
 *                                      {@value #DEFAULT_FAILURE_THRESHOLD}
 * @param openDuration                  how long an open circuit fails calls without trying Redis before it lets
 *                                      one trial call through; default {@link #DEFAULT_OPEN_DURATION}
 * @param keyTtl                        the expiry set on an entity's hash on every write that changed it
 *                                      (Feast's {@code key_ttl_seconds}, with millisecond precision);
 *                                      {@link Duration#ZERO}, the default, for none
 * @param entityKeySerializationVersion Feast's {@code entity_key_serialization_version} of the store: 3, Feast's
 *                                      default since 0.50 and the default here; 2; or 1, Feast's default in 0.23 to
 *                                      0.49, for stores those versions materialized without setting it
 * @param poolSize                      pooled connections kept to Redis for writes; default
 *                                      {@value #DEFAULT_POOL_SIZE}. Reads go out on one connection per event loop,
 *                                      on top of these
 * @param tracer                        where Redis round trips are traced; default a no-op tracer
 */
public record RedisOnlineStoreOptions(String uri, String project, Duration timeout, int failureThreshold,
                                      Duration openDuration, Duration keyTtl, int entityKeySerializationVersion,
                                      int poolSize, Tracer tracer) {

    public static final String DEFAULT_URI = "redis://localhost:6379";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(1);
    public static final Duration DEFAULT_KEY_TTL = Duration.ZERO;
    public static final int DEFAULT_ENTITY_KEY_SERIALIZATION_VERSION = 3;
    public static final int DEFAULT_POOL_SIZE = 4;

    public RedisOnlineStoreOptions {
        Objects.requireNonNull(uri, "uri");
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("uri: '" + redact(uri) + "' is not a URI: " + e.getReason());
        }
        require("redis".equals(parsed.getScheme()) || "rediss".equals(parsed.getScheme()), "uri", "must be redis://host[:port] or rediss://host[:port], not '" + redact(uri) + "'");
        require(parsed.getHost() != null, "uri", "must name a host, not '" + redact(uri) + "'");
        require(project != null && !project.isBlank(), "project", "is required");
        require(timeout != null && timeout.toMillis() >= 1, "timeout", "must be at least 1 ms, not " + timeout);
        require(failureThreshold >= 1, "failureThreshold", "must be at least 1, not " + failureThreshold);
        require(openDuration != null && openDuration.toMillis() >= 1, "openDuration",
                "must be at least 1 ms, not " + openDuration);
        require(keyTtl != null && (keyTtl.isZero() || keyTtl.toMillis() >= 1), "keyTtl",
                "must be zero (no expiry) or at least 1 ms, not " + keyTtl);
        require(entityKeySerializationVersion >= 1 && entityKeySerializationVersion <= 3,
                "entityKeySerializationVersion", "must be 1, 2 or 3, not " + entityKeySerializationVersion);
        require(poolSize >= 1, "poolSize", "must be at least 1, not " + poolSize);
        Objects.requireNonNull(tracer, "tracer");
    }

    /** Options with every default, for {@code project}. */
    public static RedisOnlineStoreOptions of(String project) {
        return builder(project).build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder(String project) {
        return new Builder(project);
    }

    /** The server as {@code scheme://host:port[/db]}, without credentials: safe for messages and span attributes. */
    public String redactedUri() {
        return redact(uri);
    }

    /** Every option, the URI without credentials. */
    @Override
    public String toString() {
        return "RedisOnlineStoreOptions[uri=" + redactedUri() + ", project=" + project + ", timeout=" + timeout
                + ", failureThreshold=" + failureThreshold + ", openDuration=" + openDuration + ", keyTtl=" + keyTtl
                + ", entityKeySerializationVersion=" + entityKeySerializationVersion + ", poolSize=" + poolSize + "]";
    }

    private static String redact(String uri) {
        return dev.quiver.redis.client.GuardedRedis.redact(uri);
    }

    private static void require(boolean condition, String option, String reason) {
        if (!condition) {
            throw new IllegalArgumentException(option + ": " + reason);
        }
    }

    /** Builds {@link RedisOnlineStoreOptions}; every setter replaces a default. */
    public static final class Builder {
        private String uri = DEFAULT_URI;
        private final String project;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
        private Duration openDuration = DEFAULT_OPEN_DURATION;
        private Duration keyTtl = DEFAULT_KEY_TTL;
        private int entityKeySerializationVersion = DEFAULT_ENTITY_KEY_SERIALIZATION_VERSION;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Tracer tracer = TracerProvider.noop().get("dev.quiver.online-store");

        private Builder(String project) {
            this.project = project;
        }

        public Builder uri(String uri) {
            this.uri = uri;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder failureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
            return this;
        }

        public Builder openDuration(Duration openDuration) {
            this.openDuration = openDuration;
            return this;
        }

        public Builder keyTtl(Duration keyTtl) {
            this.keyTtl = keyTtl;
            return this;
        }

        public Builder entityKeySerializationVersion(int version) {
            this.entityKeySerializationVersion = version;
            return this;
        }

        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid option */
        public RedisOnlineStoreOptions build() {
            return new RedisOnlineStoreOptions(uri, project, timeout, failureThreshold, openDuration, keyTtl,
                    entityKeySerializationVersion, poolSize, tracer);
        }
    }
}
