package dev.quiver.predict.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The predict function's settings, under the {@code quiver} prefix. */
@ConfigMapping(prefix = "quiver")
public interface PredictConfig {

    /** Where models are kept. */
    Store store();

    /** Limits and defaults of the prediction API. */
    Predict predict();

    /** ONNX Runtime session settings. */
    Inference inference();

    /** Where rollouts are kept and how often their gates are applied. */
    Rollouts rollouts();

    /** What is served, captured for drift. */
    Capture capture();

    /** The acceptance benchmark a delivered candidate runs before it is registered. */
    Acceptance acceptance();

    interface Acceptance {
        /** How long requests run, unmeasured, before the measurement. */
        @WithDefault("1s")
        java.time.Duration warmup();

        /** How long the measurement runs; the caller waits for warm-up and measurement. */
        @WithDefault("5s")
        java.time.Duration duration();

        /**
         * Requests in flight at once (closed loop). One measures the model's own latency and throughput whatever else
         * the machine runs, so that a decision is the same when it is taken again; with every core busy the figures
         * move with the machine's other work (docs/performance.md, Acceptance benchmark against JMH).
         */
        @WithDefault("1")
        int concurrency();
    }

    interface Capture {
        /** Capture every prediction's inputs and outputs into per-window sketches. */
        @WithDefault("true")
        boolean enabled();

        /** The length of a window; windows start at multiples of it since the epoch (1h: on the hour). */
        @WithDefault("1h")
        java.time.Duration window();

        // Where profiles go (quiver.capture.store, .path, .redis.*): dev.quiver.wiring.profiles.ProfileStoreConfig.

        /** How often this instance saves its profiles (a short-lived instance loses at most this much). */
        @WithDefault("10s")
        java.time.Duration flush();

        /**
         * How often this instance saves the predictions kept for their labels; more often than the profiles, since
         * each waits in memory until then.
         */
        @WithDefault("1s")
        java.time.Duration predictionsFlush();
    }

    interface Rollouts {
        /** {@code directory} (embedded, {@link #path}) or {@code redis} ({@link #redis}), for instances that share no disk. */
        @WithDefault("directory")
        String store();

        /**
         * The embedded rollout store's directory. Instances of the function that share it (a volume, or one
         * machine) share their rollouts: policy, decisions and counters.
         */
        @WithDefault(".quiver/rollouts")
        String path();

        RolloutRedis redis();

        /** How often this instance saves its counters, takes in other instances' decisions and applies the gates. */
        @WithDefault("1s")
        java.time.Duration tick();

        /** How many shadow copies may wait for the shadow thread; more are dropped, never delaying a caller. */
        @WithDefault("256")
        int shadowQueue();

        /** This instance's name among those sharing the store; unset: the host name, the process id and a random suffix. */
        java.util.Optional<String> instance();
    }

    interface RolloutRedis {
        /** {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for TLS. */
        @WithDefault("redis://localhost:6379")
        String uri();

        /** The start of every key, so that deployments can share one Redis. */
        @WithDefault("quiver:rollouts")
        String keyPrefix();

        /** How long one call may take. */
        @WithDefault("2s")
        java.time.Duration timeout();

        /** How long an instance's counters of a step are kept after its last save. */
        @WithDefault("168h")
        java.time.Duration tallyRetention();
    }

    interface Store {
        /** The embedded model store's directory: {@code <model>/<version>/model.onnx} plus descriptor. */
        @WithDefault(".quiver/models")
        String path();

        /** The model catalog that seeds the store at start; a missing file seeds nothing. */
        @WithDefault("config/models.yaml")
        String catalog();

        /**
         * Load the aliased versions at start on a thread of their own, so that the function finishes starting
         * meanwhile; a call that needs a model waits for them (answered on a worker thread, never on the event
         * loop). Off: start completes only once they are loaded, which suits Lambda, whose init phase is the
         * cheaper place for the work.
         */
        @WithDefault("true")
        boolean loadInBackground();

        /** How long a call waits for that loading before it is answered 503 with {@code Retry-After}. */
        @WithDefault("30s")
        java.time.Duration loadWait();

        /**
         * How often the aliases are read from the store again, so that an alias another instance moved is served
         * here within this time (and the time its version takes to load); 0 reads them only at start.
         */
        @WithDefault("10s")
        java.time.Duration refreshEvery();

        /** The most a model's files may hold together (model.onnx and its external data files); more is refused. */
        @WithDefault("1G")
        MemorySize maxModelSize();

        /** The most bytes a model's tensors may declare in all (inline, external or sparse); more is refused. */
        @WithDefault("1G")
        MemorySize maxTensorBytes();
    }

    interface Predict {
        /** The most rows one prediction request (or OIP batch) may carry; more is a 413. */
        @WithDefault("1000")
        int maxRows();

        /**
         * Score together the calls of {@code POST /predict} that one event loop reads at the same moment (each
         * keeps its own answer, metrics, span and capture), so that a model runs once for all of them: under load,
         * the runtime's fixed cost per run is shared. A call never waits for others to arrive.
         */
        @WithDefault("true")
        boolean batching();

        /**
         * When the online store cannot be read, score predictions by entity id on the model's declared feature
         * defaults, marked {@code degraded}, instead of answering 503 (only for models that declare a default
         * for every feature).
         */
        @WithDefault("false")
        boolean defaultsWhenFeaturesUnavailable();
    }

    interface Inference {
        /** Threads ONNX Runtime uses inside one operator. 1 suits many concurrent small requests. */
        @WithDefault("1")
        int intraOpThreads();

        /** Threads ONNX Runtime uses across independent operators of one graph. */
        @WithDefault("1")
        int interOpThreads();
    }
}
