package dev.quiver.agent.function;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The agent function, under {@code quiver.agent}. */
@ConfigMapping(prefix = "quiver.agent")
public interface AgentConfig {

    /**
     * Where the agent keeps its message ledger, outbox, audit log, incidents and dead letters: {@code directory}
     * (embedded, under {@link #state}) or {@code redis} ({@link #redis}), which instances that share no disk share.
     */
    @WithDefault("directory")
    String store();

    /** The directory of the embedded stores: message ledger, outbox, audit log, incident log, dead letters. */
    @WithDefault(".quiver/agent")
    String state();

    /** The Redis of a {@code redis} store. */
    Redis redis();

    /** How many audit log entries are kept in memory for listing (the file keeps them all). */
    @WithDefault("10000")
    int journalKeep();

    /** How often the rollouts that delivered models started are looked at, to tell the project manager how they end. */
    @WithDefault("10s")
    Duration rolloutWatchEvery();

    /** The message ledger: which message ids have acted. */
    Ledger ledger();

    /** Retries of an action that failed for a reason not the sender's (the predict function unreachable). */
    Retries retries();

    /** Delivery of what Quiver sends. */
    Outbox outbox();

    /** The predict function, whose rollouts and candidate intake the agent drives. */
    Predict predict();

    /** Where delivered models may come from and where they may go. */
    Models models();

    /** Feature requests. */
    Features features();

    interface Redis {
        /** {@code redis://[user:password@]host[:port][/db]} or {@code rediss://...}. */
        @WithDefault("redis://127.0.0.1:6379")
        String uri();

        /** The prefix of the keys (the ledger's are under {@code ledger.redis-prefix}). */
        @WithDefault("quiver:agent")
        String prefix();

        /** How long a Redis command may take. */
        @WithDefault("2s")
        Duration timeout();
    }

    interface Ledger {
        /** {@code directory} or {@code redis}; unset, the agent's {@code store}. */
        Optional<String> store();

        /** The Redis server of a {@code redis} ledger; unset, the agent's {@code redis.uri}. */
        Optional<String> redisUri();

        /** The prefix of the ledger's Redis keys. */
        @WithDefault("quiver:agent:ledger:")
        String redisPrefix();

        /** How long a Redis command may take. */
        @WithDefault("2s")
        Duration redisTimeout();

        /** How long a message id is remembered after its claim, in either store. */
        @WithDefault("P30D")
        Duration retention();

        /** The most message ids a {@code directory} ledger remembers, the oldest forgotten first. */
        @WithDefault("1000000")
        int maxIds();
    }

    interface Retries {
        /** Tries in all, the first included. */
        @WithDefault("3")
        int maxAttempts();

        /** The wait before the second try; it doubles per try. */
        @WithDefault("200ms")
        Duration firstDelay();

        /** The longest wait between tries. */
        @WithDefault("2s")
        Duration maxDelay();
    }

    interface Outbox {
        /** How often due messages are delivered. */
        @WithDefault("1s")
        Duration every();

        /** Tries per message before it is dead-lettered. */
        @WithDefault("8")
        int maxAttempts();

        /** The wait before the second try; it doubles per try. */
        @WithDefault("1s")
        Duration firstDelay();

        /** The longest wait between tries. */
        @WithDefault("60s")
        Duration maxDelay();

        /** How long one delivery may take. */
        @WithDefault("5s")
        Duration timeout();
    }

    interface Predict {
        /** The predict function's base URL. */
        @WithDefault("http://127.0.0.1:8080")
        String url();

        /** An API key with the deploy role at the predict function, sent as a bearer token; none when empty. */
        Optional<String> apiKey();

        /**
         * How calls are authenticated: {@code api-key} (the {@link #apiKey} as a bearer token, when set) or
         * {@code sigv4} (signed with the function's AWS credentials for {@code execute-api}, for a predict function
         * behind API Gateway's IAM authorizer).
         */
        @WithDefault("api-key")
        String auth();

        /** The region of a {@code sigv4} call's API; unset, the function's own ({@code AWS_REGION}). */
        Optional<String> region();

        /** How long a call may take; a candidate's benchmark takes seconds. */
        @WithDefault("120s")
        Duration timeout();
    }

    interface Models {
        /**
         * The stores a delivered model may be fetched from, as URI prefixes ending with '/' (file:///srv/models/,
         * https://models.example.com/churn/); nothing else is ever fetched. Uploaded models need none.
         */
        @WithDefault("file:.quiver/incoming/")
        List<String> allowedStores();

        /** The sagemaker-gpu endpoint that takes models of the GPU formats; none when empty. */
        Optional<String> gpuTarget();
    }

    interface Features {
        /** How many entities of a view's batch source are read to measure its freshness and read latency. */
        @WithDefault("5")
        int probeEntities();
    }
}
