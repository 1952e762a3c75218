package dev.quiver.predict.app;

import dev.quiver.function.security.AccessRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import static dev.quiver.function.security.AccessRules.Body.JSON;
import static dev.quiver.function.security.AccessRules.Body.MULTIPART;
import static dev.quiver.function.security.AccessRules.Body.NONE;
import static dev.quiver.function.security.Role.DEPLOY;
import static dev.quiver.function.security.Role.INVOKE;
import static dev.quiver.function.security.Role.OBSERVE;
import static dev.quiver.function.security.Role.WRITE;

/** The predict function's route table (the README's, row for row): who may call each of its routes. */
@ApplicationScoped
public class PredictAccess {

    @Produces
    @Singleton
    AccessRules rules() {
        return AccessRules.builder()
                .route("POST", "/predict", INVOKE, JSON)
                .open("GET", "/v2/health/**")
                .route("GET", "/v2", INVOKE, NONE)
                .route("GET", "/v2/models/**", INVOKE, NONE)
                .route("POST", "/v2/models/{model}/infer", INVOKE, JSON)
                .route("POST", "/v2/models/{model}/versions/{version}/infer", INVOKE, JSON)
                .route("GET", "/registry/models/**", INVOKE, NONE)
                .route("POST", "/registry/models/{model}/versions", DEPLOY, MULTIPART)
                .route("POST", "/registry/models/{model}/candidates", DEPLOY, MULTIPART)
                .route("PUT", "/registry/models/{model}/aliases/{alias}", DEPLOY, JSON)
                .route("DELETE", "/registry/models/{model}/aliases/{alias}", DEPLOY, NONE)
                .route("GET", "/rollouts/{model}", OBSERVE, NONE)
                .route("PUT", "/rollouts/{model}", DEPLOY, JSON)
                .route("POST", "/rollouts/{model}/feedback", WRITE, JSON)
                .route("POST", "/rollouts/{model}/{action}", DEPLOY, JSON)
                .cloudEvents("/")
                .event("predict", INVOKE, true)
                .build();
    }
}
