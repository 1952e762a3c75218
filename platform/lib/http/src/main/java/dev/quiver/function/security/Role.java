package dev.quiver.function.security;

import dev.quiver.error.QuiverException;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a caller may do. The roles are independent of each other: a key that may deploy may not push features
 * unless it also has {@link #WRITE}.
 */
public enum Role {
    /** Predict, and read features, models and their metadata. */
    INVOKE,
    /** Write features (push) and labels (feedback on predictions). */
    WRITE,
    /** Register model versions, move and remove aliases, start and steer rollouts. */
    DEPLOY,
    /** Read audit logs, rollout state, drift reports, alerts and metrics. */
    OBSERVE;

    /** The role as configuration, tokens and answers write it: lowercase. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code id} (any case); BAD_INPUT on {@code field} naming the four roles when there is none. */
    public static Role parse(String id, String field) {
        if (id != null) {
            for (Role r : values()) {
                if (r.id().equalsIgnoreCase(id.trim())) {
                    return r;
                }
            }
        }
        throw QuiverException.badInput(field, "unknown role '" + id + "'; the roles are invoke, write, deploy and observe");
    }

    /** The roles named in {@code ids}; see {@link #parse}. */
    public static Set<Role> parseAll(Collection<String> ids, String field) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String id : ids) {
            if (!id.isBlank()) {
                roles.add(parse(id, field));
            }
        }
        return roles;
    }
}
