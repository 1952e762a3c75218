package dev.quiver.drift.function;

import dev.quiver.function.security.AccessRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import static dev.quiver.function.security.AccessRules.Body.JSON;
import static dev.quiver.function.security.AccessRules.Body.NONE;
import static dev.quiver.function.security.Role.DEPLOY;
import static dev.quiver.function.security.Role.INVOKE;
import static dev.quiver.function.security.Role.OBSERVE;
import static dev.quiver.function.security.Role.WRITE;

/** The drift function's route table (the README's, row for row): who may call each of its routes. */
@ApplicationScoped
public class DriftAccess {

    @Produces
    @Singleton
    AccessRules rules() {
        return AccessRules.builder()
                .route("POST", "/drift", INVOKE, JSON)
                .route("GET", "/drift/models/{model}/versions/{version}/**", OBSERVE, NONE)
                .route("POST", "/drift/models/{model}/versions/{version}/evaluate", OBSERVE, JSON)
                .route("POST", "/drift/models/{model}/feedback", WRITE, JSON)
                .route("POST", "/drift/models/{model}/retraining-request", DEPLOY, JSON)
                .cloudEvents("/")
                .event(DriftTriggers.EVALUATE, OBSERVE, true)
                .event(DriftTriggers.PING, OBSERVE, false)
                .event(DriftTriggers.FEEDBACK, WRITE, true)
                .build();
    }
}
