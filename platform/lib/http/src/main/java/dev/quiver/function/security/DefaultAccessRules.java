package dev.quiver.function.security;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The route table of an application that declares none: only the shared rules, so that every other route needs
 * {@link Role#OBSERVE} to read and {@link Role#DEPLOY} to write. Each function declares its own.
 */
@ApplicationScoped
public class DefaultAccessRules {

    @Produces
    @Singleton
    @DefaultBean
    AccessRules rules() {
        return AccessRules.builder().build();
    }
}
