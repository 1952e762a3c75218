package dev.quiver.wiring.features;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Where feature definitions and feature values live, under the {@code quiver.features} prefix. Relative paths
 * here are resolved against the working directory (the repository root when run as the README says); a view's
 * batch source path against the definitions file's directory.
 */
@ConfigMapping(prefix = "quiver.features")
public interface FeatureStoreConfig {

    /** The feature definitions file: entities, feature views, feature services, push sources. */
    @WithDefault("config/features.yaml")
    String definitions();

    /** The most entity rows one read or push may carry; more is a 413. */
    @WithDefault("1000")
    int maxEntities();

    /**
     * At start, load each view's batch source into the embedded store when nothing was ever written to it (a view
     * added to a store in use is loaded with the {@code materialize} command).
     */
    @WithDefault("true")
    boolean loadDemo();

    /**
     * Whether {@code /q/health/ready} includes the online store. The features function needs it; the predict
     * function turns it off, since it serves rows of features without any store. An embedded store is read at start
     * only when this is on; otherwise at its first read.
     */
    @WithDefault("true")
    boolean readiness();

    /**
     * The features function only: whether {@code get-online-features} gzips answers of 8 KB or more for a caller that
     * sends {@code Accept-Encoding: gzip}. A 100-entity answer is 96 KB of JSON and 5 KB gzipped, for 0.4 to 1.3 ms
     * more per call at the median on the development VM: worth it for callers across a slow network, not in a cluster.
     */
    @WithDefault("false")
    boolean compressLargeAnswers();

    /** Which online store holds the values. */
    Store store();

    /** When online reads ask the data engineer for features ({@code feature_store_request}). */
    Requests requests();

    /**
     * The feature watch ({@code dev.quiver.feature.FeatureGaps}): per feature view, windows of rows read; a window where
     * more than {@code share} of the rows lacked a feature, or were older than the view's TTL, starts an incident, and an
     * incident sends one request.
     */
    interface Requests {
        /** Whether reads are watched at all. */
        @WithDefault("true")
        boolean enabled();

        /** The share of a window's rows, missing or stale, above which the window is a gap; between 0 and 1. */
        @WithDefault("0.1")
        double share();

        /** The rows read from a view that make one window, at least 1: fewer are never judged. */
        @WithDefault("1000")
        int windowRows();
    }

    /** The Redis online store's connection and failure handling (used when {@code store.kind} is redis). */
    Redis redis();

    /** The online stores this function can use. */
    enum Kind {
        /** A directory on local disk, read into memory: nothing to install. */
        EMBEDDED,
        /** Redis, in Feast's key layout. */
        REDIS
    }

    interface Store {
        /** Which store: {@code embedded} (a local directory) or {@code redis}. */
        @WithDefault("embedded")
        Kind kind();

        /** The embedded store's directory. */
        @WithDefault(".quiver/features")
        String path();
    }

    interface Redis {
        /** The server, {@code redis://[user:password@]host[:port][/db]} or {@code rediss://} for TLS. */
        @WithDefault("redis://127.0.0.1:6379")
        String uri();

        /** How long one call to Redis may take in all; a slower call is a 503. */
        @WithDefault("50ms")
        Duration timeout();

        /** How long one batch write of the materialize command may take; it replaces the timeout there. */
        @WithDefault("5s")
        Duration loadTimeout();

        /** The expiry set on an entity's hash on every write (Feast's key_ttl_seconds); unset for none. */
        Optional<Duration> keyTtl();

        /**
         * Feast's {@code entity_key_serialization_version} of the store, which sets the bytes of every Redis key: 3,
         * Feast's default since 0.50; 2; or 1, Feast's default before 0.50 (and its only layout before 0.23), for a
         * store that such a Feast materialized without setting it. Anything else stops the start, naming this key.
         */
        @WithDefault("3")
        @WithConverter(EntityKeySerializationVersion.class)
        int entityKeySerializationVersion();

        /**
         * Pooled connections kept to Redis, for writes. Reads do not use them: every HTTP event loop opens one
         * connection of its own at start and pipelines all its reads on it.
         */
        @WithDefault("4")
        int poolSize();

        /** The circuit breaker that stops calling a Redis that keeps failing. */
        Breaker breaker();
    }

    interface Breaker {
        /** Failed or late calls in a row that open the circuit. */
        @WithDefault("5")
        int failureThreshold();

        /** How long an open circuit answers 503 at once before letting one trial call through. */
        @WithDefault("1s")
        Duration openDuration();
    }
}
