package dev.quiver.function.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.audit.AuditLog;
import dev.quiver.audit.AuditRecord;
import dev.quiver.error.QuiverException;
import dev.quiver.function.http.HttpLimitsConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.Optional;
import java.util.Locale;

/**
 * The front door of every function's HTTP server, ahead of every route (REST, Funqy, CloudEvents, the JSON doors):
 * it finds the request's rule in the function's {@link AccessRules}, identifies the caller from its bearer token
 * ({@link Credentials}) and refuses, before reading a byte of the body, a caller without the role the rule names (401
 * without a credential, 403 with one that lacks the role), a body in another media type than the route takes (415),
 * and a {@code Content-Length} over the route's limit (413). Then it reads the body itself, in memory for JSON and
 * to disk for multipart uploads, capped at the same limit as it arrives, so that no door behind it ever waits on a
 * body that will not come: an empty body reaches the door as an empty body, a multipart body with no part as a 400.
 *
 * <p>A CloudEvent's role is its type's, read from {@code ce-type} or, in structured mode, from the event itself once
 * read. Every request to a route that writes ({@link Role#WRITE}, {@link Role#DEPLOY}) is recorded in the audit log
 * with its caller and status, refused ones included. The caller is left in the routing context for the doors
 * ({@link Caller#of}).
 */
@ApplicationScoped
public class HttpGuard {

    /**
     * Ahead of everything that reads a body: Quarkus reads every body into memory in a route of order
     * {@code Integer.MIN_VALUE + 1} when an extension asks it to (Funqy does), which this one must precede.
     */
    static final int ORDER = Integer.MIN_VALUE;
    /** What the guard does once the body is read: still ahead of every door (the JSON doors are at -100). */
    static final int AFTER_BODY_ORDER = -10_000;
    private static final String RULE = "quiver.rule";

    private final AccessRules rules;
    private final Credentials credentials;
    private final AuditLog audit;
    private final ObjectMapper mapper;
    private final boolean openReads;
    private final boolean trustCloudEvents;
    private final long maxJson;
    private final long maxUpload;
    private final BodyHandler jsonBody;
    private final BodyHandler multipartBody;
    /** What the gateway in front vouches for; null where there is none. */
    private final GatewayCallers gateway;

    public HttpGuard(AccessRules rules, Credentials credentials, AuditLog audit, ObjectMapper mapper,
                     SecurityConfig security, HttpLimitsConfig limits,
                     @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxUpload,
                     @ConfigProperty(name = "quarkus.http.body.uploads-directory") String uploads,
                     Instance<GatewayCallers> gateway) {
        this.gateway = gateway.isResolvable() ? gateway.get() : null;
        this.rules = rules;
        this.credentials = credentials;
        this.audit = audit;
        this.mapper = mapper;
        this.openReads = security.openReads();
        this.trustCloudEvents = security.cloudevents().trusted();
        this.maxUpload = maxUpload.asLongValue();
        // quarkus.http.limits.max-body-size caps every body, JSON ones included
        this.maxJson = Math.min(limits.maxJsonBodySize().asLongValue(), this.maxUpload);
        this.jsonBody = BodyHandler.create(false).setBodyLimit(maxJson);
        this.multipartBody = BodyHandler.create(uploads).setBodyLimit(this.maxUpload).setDeleteUploadedFilesOnEnd(true)
                .setMergeFormAttributes(false);
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::admit);
        router.route().order(AFTER_BODY_ORDER).handler(this::afterBody);
    }

    /** Before the body: the caller, its role, the media type and the declared size. */
    void admit(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        AccessRules.Rule rule = rules.match(req.method().name(), ctx.normalizedPath());
        ctx.put(RULE, rule);
        if (rule.role() == Role.WRITE || rule.role() == Role.DEPLOY || rule.body() == AccessRules.Body.CLOUDEVENT) {
            ctx.addEndHandler(done -> record(ctx, rule));
        }
        Optional<Caller> vouched = gateway == null ? Optional.empty() : gateway.identify(req);
        if (vouched.isPresent()) {
            // the gateway checked the request's own credential (a SigV4 signature, not a bearer token)
            ctx.put(Caller.CONTEXT_KEY, vouched.get());
            admit(ctx, rule, vouched.get());
            return;
        }
        String authorization = req.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            // the common case of an open route: no future, nothing more in the context (Caller.of gives anonymous)
            admit(ctx, rule, Caller.ANONYMOUS);
            return;
        }
        credentials.identify(authorization, ctx.vertx()).onComplete(identified -> {
            if (identified.failed()) {
                refuse(ctx, identified.cause());
                return;
            }
            ctx.put(Caller.CONTEXT_KEY, identified.result());
            admit(ctx, rule, identified.result());
        });
    }

    private void admit(RoutingContext ctx, AccessRules.Rule rule, Caller caller) {
        HttpServerRequest req = ctx.request();
        try {
            if (rule.body() != AccessRules.Body.CLOUDEVENT) {
                authorize(rule.role(), caller, ctx);
            }
            if (rule.body() == AccessRules.Body.NONE) {
                if (hasBody(req)) {
                    throw QuiverException.badInput("body", "this route takes no body");
                }
                ctx.next();
                return;
            }
            checkMediaType(req, rule.body());
            checkLength(req, rule.body() == AccessRules.Body.MULTIPART ? maxUpload : maxJson);
        } catch (QuiverException e) {
            refuse(ctx, e);
            return;
        }
        if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue();
        }
        (rule.body() == AccessRules.Body.MULTIPART ? multipartBody : jsonBody).handle(ctx);
    }

    /** After the body: a multipart body must have parts, a CloudEvent the role of its type and, if it needs, data. */
    void afterBody(RoutingContext ctx) {
        AccessRules.Rule rule = ctx.get(RULE);
        if (rule != null && rule.body() != AccessRules.Body.NONE && ctx.body().buffer() == null
                && ctx instanceof RoutingContextInternal internal) {
            // Vert.x leaves an empty body unset, and a REST door then waits to read it from a request that has ended
            internal.setBody(Buffer.buffer());
        }
        try {
            if (rule != null && rule.body() == AccessRules.Body.MULTIPART
                    && ctx.fileUploads().isEmpty() && ctx.request().formAttributes().isEmpty()) {
                throw QuiverException.badInput("body", "the multipart body has no parts: is the boundary in"
                        + " Content-Type the one the body uses, and does the body end with it?");
            }
            if (rule != null && rule.body() == AccessRules.Body.CLOUDEVENT) {
                admitCloudEvent(ctx);
            }
        } catch (QuiverException e) {
            refuse(ctx, e);
            return;
        }
        ctx.next();
    }

    private void admitCloudEvent(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        Buffer body = ctx.body().buffer();
        String type;
        String source;
        boolean hasData;
        if (req.getHeader("ce-specversion") != null || req.getHeader("ce-type") != null) {
            type = req.getHeader("ce-type");
            source = req.getHeader("ce-source");
            hasData = body != null && body.length() > 0;
        } else {
            JsonNode event = structured(body);
            type = event.path("type").isTextual() ? event.get("type").asText() : null;
            source = event.path("source").isTextual() ? event.get("source").asText() : null;
            hasData = event.hasNonNull("data") || event.hasNonNull("data_base64");
        }
        AccessRules.EventRule rule = rules.event(type);
        Caller caller = Caller.of(ctx);
        if (trustCloudEvents && caller == Caller.ANONYMOUS) {
            caller = new Caller("cloudevent:" + (source == null ? "unknown" : source),
                    java.util.EnumSet.allOf(Role.class), "cloudevent");
            ctx.put(Caller.CONTEXT_KEY, caller);
        }
        ctx.put(RULE, new AccessRules.Rule("POST", "cloudevent " + type, rule.role(), AccessRules.Body.CLOUDEVENT));
        authorize(rule.role(), caller, "a CloudEvent of type '" + type + "'");
        if (rule.needsData() && !hasData) {
            throw QuiverException.badInput("data", "a CloudEvent of type '" + type + "' must carry data, the function's"
                    + " input");
        }
    }

    private JsonNode structured(Buffer body) {
        if (body == null || body.length() == 0) {
            throw QuiverException.badInput("body", "a CloudEvent needs ce-* headers (binary mode) or a body that is the"
                    + " event (structured mode, application/cloudevents+json); this request has neither");
        }
        try {
            JsonNode node = mapper.readTree(body.getBytes());
            if (node == null || !node.isObject()) {
                throw QuiverException.badInput("body", "a structured CloudEvent is a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw QuiverException.badInput("body", "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw QuiverException.badInput("body", "unreadable: " + e.getMessage());
        }
    }

    private void authorize(Role needed, Caller caller, RoutingContext ctx) {
        if (needed == null || caller.has(needed)
                || caller == Caller.ANONYMOUS && openReads && (needed == Role.INVOKE || needed == Role.OBSERVE)) {
            return;
        }
        authorize(needed, caller, ctx.request().method().name() + " " + ctx.request().path());
    }

    private void authorize(Role needed, Caller caller, String what) {
        if (needed == null || caller.has(needed)) {
            return;
        }
        if (caller == Caller.ANONYMOUS) {
            if (openReads && (needed == Role.INVOKE || needed == Role.OBSERVE)) {
                return;
            }
            throw QuiverException.unauthenticated("Authorization", what + " needs a credential with the "
                    + needed.id() + " role: send Authorization: Bearer <key or token>");
        }
        throw QuiverException.forbidden("Authorization", caller.subject() + " may not " + describe(what)
                + ": it needs the " + needed.id() + " role");
    }

    private static String describe(String what) {
        return what.startsWith("a CloudEvent") ? "send " + what : "call " + what;
    }

    private static void checkMediaType(HttpServerRequest req, AccessRules.Body body) {
        if (!hasBody(req)) {
            return;
        }
        String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
        if (body == AccessRules.Body.JSON && type != null && type.regionMatches(true, 0, "application/json", 0, 16)
                && (type.length() == 16 || type.charAt(16) == ';' || type.charAt(16) == ' ')) {
            // the common case, without a copy of the header
            return;
        }
        String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean ok = switch (body) {
            case JSON -> isJson(media);
            case MULTIPART -> media.equals("multipart/form-data");
            case CLOUDEVENT -> isJson(media) || media.equals("application/cloudevents+json");
            case NONE -> true;
        };
        if (!ok) {
            String wanted = switch (body) {
                case MULTIPART -> "multipart/form-data";
                case CLOUDEVENT -> "application/json (binary mode) or application/cloudevents+json (structured)";
                default -> "application/json";
            };
            throw QuiverException.unsupportedMediaType("Content-Type", "this route takes " + wanted + ", not "
                    + (type == null ? "a body without one" : "'" + type + "'"));
        }
    }

    private static boolean isJson(String media) {
        return media.equals("application/json") || media.startsWith("application/") && media.endsWith("+json");
    }

    private static void checkLength(HttpServerRequest req, long limit) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return;
        }
        long n;
        try {
            n = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw QuiverException.badInput("Content-Length", "not a number: '" + length + "'");
        }
        if (n < 0) {
            throw QuiverException.badInput("Content-Length", "must not be negative");
        }
        if (n > limit) {
            throw QuiverException.tooLarge("body", "the body is " + n + " bytes, more than the " + limit
                    + " this route takes");
        }
    }

    private static boolean hasBody(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length != null ? !length.trim().equals("0") : req.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    /**
     * Answers a refusal through the failure handler, which leaves an unread body unread and closes the connection after
     * the answer; a 401 says how to authenticate.
     */
    private void refuse(RoutingContext ctx, Throwable failure) {
        if (failure instanceof QuiverException q && q.kind() == QuiverException.Kind.UNAUTHENTICATED) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"quiver\"");
        }
        ctx.fail(failure);
    }

    private void record(RoutingContext ctx, AccessRules.Rule admitted) {
        AccessRules.Rule rule = ctx.get(RULE);
        AccessRules.Rule r = rule == null ? admitted : rule;
        if (r.role() != Role.WRITE && r.role() != Role.DEPLOY) {
            return;
        }
        Caller c = Caller.of(ctx);
        String action = r.body() == AccessRules.Body.CLOUDEVENT ? r.path()
                : ctx.request().method().name() + " " + ctx.request().path();
        // 499, as nginx logs it: the caller went away before it was answered
        int status = ctx.response().ended() ? ctx.response().getStatusCode() : 499;
        audit.append(new AuditRecord(Instant.now(), c.subject(), c.via(), action, r.role() == null ? "none"
                : r.role().id(), status));
    }
}
