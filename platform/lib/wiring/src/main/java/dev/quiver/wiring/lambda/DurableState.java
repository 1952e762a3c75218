package dev.quiver.wiring.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The stores a function keeps that must outlive one instance, and whether the settings give them a home that does:
 * on Lambda the only writable directory, {@code /tmp}, lives and dies with one execution environment, so a model
 * registered, an alias moved or a rollout started there is lost at the next cold start and never seen by the other
 * instances. Plain Java over a lookup of settings, so that it is tested without a function.
 */
public final class DurableState {

    /** A store: its name in {@code quiver.lambda.state}, whether the settings make it durable, and how to. */
    private record Store(String name, Function<Function<String, Optional<String>>, Boolean> durable, String fix) {
    }

    private static final List<Store> STORES = List.of(
            new Store("models", s -> is(s, "quiver.store.kind", "s3"),
                    "set quiver.store.kind=s3 and quiver.store.s3.bucket"),
            new Store("rollouts", s -> is(s, "quiver.rollouts.store", "redis") || outsideTmp(s, "quiver.rollouts.path"),
                    "set quiver.rollouts.store=redis and quiver.rollouts.redis.uri, or quiver.rollouts.path on EFS"),
            new Store("capture", s -> is(s, "quiver.capture.store", "redis") || outsideTmp(s, "quiver.capture.path"),
                    "set quiver.capture.store=redis and quiver.capture.redis.uri, or quiver.capture.path on EFS"),
            new Store("features", s -> is(s, "quiver.features.store.kind", "redis")
                    || outsideTmp(s, "quiver.features.store.path"),
                    "set quiver.features.store.kind=redis and quiver.features.redis.uri, or quiver.features.store.path"
                            + " on EFS"),
            // its ledger follows quiver.agent.store unless set apart; a directory ledger in /tmp is per instance
            new Store("agent", s -> outsideTmp(s, "quiver.agent.state") || is(s, "quiver.agent.store", "redis")
                    && !is(s, "quiver.agent.ledger.store", "directory"),
                    "set quiver.agent.store=redis and quiver.agent.redis.uri (its message ledger, outbox, journal,"
                            + " incidents and dead letters), or quiver.agent.state to a directory on EFS"));

    private DurableState() {
    }

    /**
     * What is wrong with the settings for the stores named, one line each; empty when every one is durable or a
     * throwaway state is wanted.
     *
     * @throws IllegalArgumentException naming a store that is not known
     */
    public static List<String> problems(List<String> stores, boolean throwaway,
                                        Function<String, Optional<String>> settings) {
        List<String> out = new ArrayList<>();
        for (String name : stores) {
            Store store = STORES.stream().filter(s -> s.name().equals(name.strip())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("quiver.lambda.state: '" + name
                            + "' is not a store; they are " + STORES.stream().map(Store::name).toList()));
            if (!throwaway && !store.durable().apply(settings)) {
                out.add(store.name() + ": " + store.fix());
            }
        }
        return out;
    }

    /** The message a start that {@link #problems} refuses fails with. */
    public static String message(List<String> problems) {
        return "this function's state would live in /tmp, which lives and dies with one Lambda instance: "
                + String.join("; ", problems) + " (as environment variables: QUIVER_STORE_KIND, ...); or set"
                + " quiver.lambda.throwaway-state=true (QUIVER_LAMBDA_THROWAWAY_STATE) to keep it per instance";
    }

    private static boolean is(Function<String, Optional<String>> settings, String key, String value) {
        return settings.apply(key).map(v -> v.strip().toLowerCase(Locale.ROOT)).filter(value::equals).isPresent();
    }

    private static boolean outsideTmp(Function<String, Optional<String>> settings, String key) {
        return settings.apply(key).map(v -> !v.strip().equals("/tmp") && !v.strip().startsWith("/tmp/"))
                .orElse(false);
    }
}
