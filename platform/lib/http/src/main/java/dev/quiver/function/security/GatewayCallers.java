package dev.quiver.function.security;

import io.vertx.core.http.HttpServerRequest;

import java.util.Optional;

/**
 * Callers that the gateway in front of the function has authenticated already, such as API Gateway's IAM authorizer
 * on Lambda. A build that has such a gateway provides this bean; the guard asks it first.
 */
public interface GatewayCallers {

    /** The caller the gateway vouches for in {@code request}; empty: the guard reads the request's credential. */
    Optional<Caller> identify(HttpServerRequest request);
}
