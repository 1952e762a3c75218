package dev.quiver.wiring.lambda;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;

/**
 * Refuses to start a function on Lambda whose state would silently live in {@code /tmp}: the Lambda builds name in
 * {@code quiver.lambda.state} what their function keeps, and the start fails with the settings that are missing,
 * unless {@code quiver.lambda.throwaway-state} says a store per instance is wanted. Functions off Lambda name nothing.
 */
@ApplicationScoped
public class DurableStateCheck {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, LambdaStateConfig config) {
        List<String> stores = config.state().orElse(List.of());
        if (stores.isEmpty()) {
            return;
        }
        Config settings = ConfigProvider.getConfig();
        List<String> problems = DurableState.problems(stores, config.throwawayState(),
                key -> settings.getOptionalValue(key, String.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException(DurableState.message(problems));
        }
    }
}
