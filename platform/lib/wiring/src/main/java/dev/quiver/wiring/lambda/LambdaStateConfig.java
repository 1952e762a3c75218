package dev.quiver.wiring.lambda;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** What a function on Lambda keeps that must outlive an instance, under {@code quiver.lambda}. */
@ConfigMapping(prefix = "quiver.lambda")
public interface LambdaStateConfig {

    /** The stores to check at start: {@code models}, {@code rollouts}, {@code capture}, {@code features}, {@code agent}. */
    Optional<List<String>> state();

    /** Keep the stores in /tmp, per instance, knowing that they start empty and are not shared. */
    @WithDefault("false")
    boolean throwawayState();
}
