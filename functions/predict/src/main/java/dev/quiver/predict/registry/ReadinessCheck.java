package dev.quiver.predict.registry;

import dev.quiver.registry.ModelRegistry;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready ({@code /q/health/ready}) only when every model with a champion alias is loaded and warm. */
@Readiness
public class ReadinessCheck implements HealthCheck {

    private final ModelRegistry registry;

    public ReadinessCheck(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("champion models loaded").status(registry.championsReady()).build();
    }
}
