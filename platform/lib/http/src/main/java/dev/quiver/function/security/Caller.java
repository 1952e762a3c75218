package dev.quiver.function.security;

import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Who made a request, as {@link HttpGuard} established it: the subject recorded in audit logs (an API key's name, a
 * JWT's subject, {@code anonymous}), the roles it holds and how it proved them.
 *
 * @param subject what audit logs record as the actor
 * @param roles   the roles the credential grants; anonymous callers hold none (open reads are the route table's
 *                decision, not a role)
 * @param via     {@code api-key}, {@code jwt}, {@code cloudevent} (a trusted broker) or {@code anonymous}
 */
public record Caller(String subject, Set<Role> roles, String via) {

    public static final Caller ANONYMOUS = new Caller("anonymous", Set.of(), "anonymous");

    /** The key under which the guard leaves the caller in the request's routing context. */
    static final String CONTEXT_KEY = "quiver.caller";

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** The caller of the request {@code ctx} routes; anonymous when the guard did not run (a door under test alone). */
    public static Caller of(RoutingContext ctx) {
        Caller c = ctx == null ? null : ctx.get(CONTEXT_KEY);
        return c == null ? ANONYMOUS : c;
    }
}
