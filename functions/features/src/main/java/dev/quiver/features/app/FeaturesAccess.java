package dev.quiver.features.app;

import dev.quiver.function.security.AccessRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import static dev.quiver.function.security.AccessRules.Body.JSON;
import static dev.quiver.function.security.Role.INVOKE;
import static dev.quiver.function.security.Role.WRITE;

/** The features function's route table (the README's, row for row): who may call each of its routes. */
@ApplicationScoped
public class FeaturesAccess {

    @Produces
    @Singleton
    AccessRules rules() {
        return AccessRules.builder()
                .route("POST", "/get-online-features", INVOKE, JSON)
                .route("POST", "/push", WRITE, JSON)
                .cloudEvents("/")
                .event("push", WRITE, true)
                .build();
    }
}
