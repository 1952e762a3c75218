package dev.quiver.function.security;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A function's route table: for each method and path, the role a caller needs and the kind of body the route takes.
 * Each function declares its own as a bean; {@link HttpGuard} enforces it in front of every door, and the README's
 * route table is this table written out.
 *
 * <p>Paths are patterns of segments: a segment in braces ({@code {model}}) matches any one segment, a last segment
 * {@code **} matches any number of them, including none. Empty segments are ignored, so {@code /predict/} is
 * {@code /predict}. A request that no rule matches needs {@link Role#OBSERVE} to read ({@code GET}, {@code HEAD},
 * {@code OPTIONS}) and {@link Role#DEPLOY} for anything else, so a route added without a rule is never open to
 * anonymous writes. Every table starts with the rules every function shares: health probes open to all, metrics,
 * alerts and the audit log for {@link Role#OBSERVE}.
 */
public final class AccessRules {

    /** How a route takes its body; the guard accepts only that media type and caps its size. */
    public enum Body {
        /** No body is read. */
        NONE,
        /** {@code application/json} (or {@code application/*+json}), up to {@code quiver.http.max-json-body-size}. */
        JSON,
        /** {@code multipart/form-data}: files are streamed to disk, up to {@code quarkus.http.limits.max-body-size}. */
        MULTIPART,
        /**
         * A CloudEvent, binary mode (JSON data, {@code ce-*} headers) or structured
         * ({@code application/cloudevents+json}); the role is its type's ({@link AccessRules#event}).
         */
        CLOUDEVENT
    }

    /**
     * One row of the table.
     *
     * @param role the role a caller needs; null: anyone, always (health probes)
     */
    public record Rule(String method, String path, Role role, Body body) {
    }

    /**
     * A CloudEvent type the function takes.
     *
     * @param needsData whether an event of this type must carry data (a Funqy function's input); one without is a 400
     *                  naming {@code data}, never a failure inside the function
     */
    public record EventRule(String type, Role role, boolean needsData) {
    }

    private static final EventRule UNLISTED_EVENT = new EventRule("(any other)", Role.DEPLOY, false);
    private static final Rule READ_UNLISTED = new Rule("GET", "(any other)", Role.OBSERVE, Body.NONE);
    private static final Rule WRITE_UNLISTED = new Rule("POST", "(any other)", Role.DEPLOY, Body.JSON);

    private final List<Rule> rules;
    /** Rules without wildcards, by method and path: the common case costs two lookups and no allocation. */
    private final Map<String, Map<String, Rule>> exact = new HashMap<>();
    private final List<Compiled> patterns = new ArrayList<>();
    private final Map<String, EventRule> events;

    private record Compiled(Rule rule, String[] segments, boolean rest) {
    }

    private AccessRules(List<Rule> rules, Map<String, EventRule> events) {
        this.rules = List.copyOf(rules);
        this.events = Map.copyOf(events);
        for (Rule r : rules) {
            String[] segments = segments(r.path());
            boolean rest = segments.length > 0 && segments[segments.length - 1].equals("**");
            boolean wild = rest;
            for (String s : segments) {
                wild |= s.startsWith("{");
            }
            if (wild) {
                String[] fixed = rest ? java.util.Arrays.copyOf(segments, segments.length - 1) : segments;
                patterns.add(new Compiled(r, fixed, rest));
            } else {
                exact.computeIfAbsent(r.method(), m -> new HashMap<>()).putIfAbsent("/" + String.join("/", segments), r);
            }
        }
    }

    /** The rule for a request: the first that matches its method and path, else the rule for unlisted routes. */
    public Rule match(String method, String path) {
        String m = method.equals("HEAD") ? "GET" : method;
        Map<String, Rule> byPath = exact.getOrDefault(m, Map.of());
        Rule r = byPath.get(path);
        if (r != null) {
            return r;
        }
        String[] segments = segments(path);
        r = byPath.get("/" + String.join("/", segments));
        if (r != null) {
            return r;
        }
        for (Compiled c : patterns) {
            if (c.rule().method().equals(m) && matches(c, segments)) {
                return c.rule();
            }
        }
        return m.equals("GET") || m.equals("OPTIONS") ? READ_UNLISTED : WRITE_UNLISTED;
    }

    /** The rule of CloudEvents of {@code type}; an unlisted type needs {@link Role#DEPLOY}. */
    public EventRule event(String type) {
        return type == null ? UNLISTED_EVENT : events.getOrDefault(type, UNLISTED_EVENT);
    }

    /** The rules in the order they were declared, the shared ones first. */
    public List<Rule> rules() {
        return rules;
    }

    /** The CloudEvent types the function takes, by type. */
    public Map<String, EventRule> events() {
        return events;
    }

    /** A table that starts with the rules every function shares. */
    public static Builder builder() {
        return new Builder()
                .open("GET", "/q/health/**")
                .route("GET", "/q/metrics", Role.OBSERVE, Body.NONE)
                .route("GET", "/alerts", Role.OBSERVE, Body.NONE)
                .route("GET", "/audit", Role.OBSERVE, Body.NONE);
    }

    private static boolean matches(Compiled c, String[] segments) {
        if (c.rest() ? segments.length < c.segments().length : segments.length != c.segments().length) {
            return false;
        }
        for (int i = 0; i < c.segments().length; i++) {
            String p = c.segments()[i];
            if (!p.startsWith("{") && !p.equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out.toArray(String[]::new);
    }

    /** Declares a table, rule by rule; the first rule that matches a request wins. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private final Map<String, EventRule> events = new LinkedHashMap<>();

        private Builder() {
        }

        /** A route anyone may call, with or without a credential (health probes). */
        public Builder open(String method, String path) {
            rules.add(new Rule(method.toUpperCase(Locale.ROOT), path, null, Body.NONE));
            return this;
        }

        /** A route that needs {@code role}, taking a body of the kind {@code body}. */
        public Builder route(String method, String path, Role role, Body body) {
            if (role == null) {
                throw new IllegalArgumentException("a route needs a role; use open() for one that needs none");
            }
            rules.add(new Rule(method.toUpperCase(Locale.ROOT), path, role, body));
            return this;
        }

        /**
         * The CloudEvents door at {@code path} ({@code POST}); what each type needs is declared with {@link #event}, and a
         * type not declared needs {@link Role#DEPLOY}.
         */
        public Builder cloudEvents(String path) {
            rules.add(new Rule("POST", path, Role.DEPLOY, Body.CLOUDEVENT));
            return this;
        }

        /** A CloudEvent type the function takes, the role it needs, and whether it must carry data. */
        public Builder event(String type, Role role, boolean needsData) {
            events.put(type, new EventRule(type, role, needsData));
            return this;
        }

        public AccessRules build() {
            return new AccessRules(rules, events);
        }
    }
}
