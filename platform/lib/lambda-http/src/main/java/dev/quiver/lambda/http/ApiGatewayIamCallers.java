package dev.quiver.lambda.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.quiver.function.security.Caller;
import dev.quiver.function.security.GatewayCallers;
import dev.quiver.function.security.Role;
import dev.quiver.function.security.SecurityConfig;
import io.quarkus.vertx.http.runtime.QuarkusHttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.Set;

/**
 * The callers API Gateway's IAM authorizer let through, when {@code quiver.security.gateway.iam} trusts it: the
 * payload 2.0 event that quarkus-amazon-lambda-http turned into the request names the IAM principal whose SigV4
 * signature the gateway checked ({@code requestContext.authorizer.iam.userArn}). A request without that context
 * (another authorizer, or none) is left to the function's own credentials.
 */
@ApplicationScoped
public class ApiGatewayIamCallers implements GatewayCallers {

    private final boolean trusted;
    private final Set<Role> roles;

    public ApiGatewayIamCallers(SecurityConfig security) {
        this.trusted = security.gateway().iam();
        this.roles = Role.parseAll(security.gateway().iamRoles(), "quiver.security.gateway.iam-roles");
    }

    @Override
    public Optional<Caller> identify(HttpServerRequest request) {
        if (!trusted || !(request.headers() instanceof QuarkusHttpHeaders headers)) {
            return Optional.empty();
        }
        Object event = headers.getContextObjects().get(APIGatewayV2HTTPEvent.class);
        if (!(event instanceof APIGatewayV2HTTPEvent e) || e.getRequestContext() == null
                || e.getRequestContext().getAuthorizer() == null
                || e.getRequestContext().getAuthorizer().getIam() == null) {
            return Optional.empty();
        }
        String principal = e.getRequestContext().getAuthorizer().getIam().getUserArn();
        return principal == null || principal.isBlank() ? Optional.empty()
                : Optional.of(new Caller(principal, roles, "iam"));
    }
}
