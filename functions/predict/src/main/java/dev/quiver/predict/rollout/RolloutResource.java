package dev.quiver.predict.rollout;

import dev.quiver.error.Check;
import dev.quiver.function.security.Caller;
import dev.quiver.rollout.RolloutPolicy;
import dev.quiver.rollout.Rollouts;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Map;

/**
 * Rollouts over HTTP, one per model: start one (with the catalog's policy or one in the body), read where it
 * stands with every instance's counters, promote, pause, resume or roll it back by hand, and send A/B outcomes.
 * Every change names who made it (the subject of the caller's credential) and why ({@code reason}) in the rollout's
 * audit log.
 */
@Path("/rollouts/{model}")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutResource {

    /** The body of a manual change: why it is made. */
    public record Reason(String reason) {
    }

    /**
     * An outcome for an A/B test.
     *
     * @param requestId the {@code request_id} of the answered prediction
     * @param row       which row of it (default 0)
     * @param outcome   the true label (metric accuracy) or true/false (conversion)
     */
    public record Feedback(String requestId, Integer row, Object outcome) {
    }

    private final Rollouts rollouts;

    public RolloutResource(Rollouts rollouts) {
        this.rollouts = rollouts;
    }

    @GET
    public Rollouts.View get(@PathParam("model") String model) {
        return rollouts.view(model);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@PathParam("model") String model, RoutingContext ctx, Map<String, Object> policy) {
        RolloutPolicy p = policy == null || policy.isEmpty() ? null : RolloutPolicy.fromMap(policy, "");
        Rollouts.View v = rollouts.start(model, p, Caller.of(ctx).subject());
        return Response.created(URI.create("/rollouts/" + model)).entity(v).build();
    }

    /** {@code promote}, {@code pause}, {@code resume} or {@code rollback}, with an optional reason. */
    @POST
    @Path("/{action:promote|pause|resume|rollback}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Rollouts.View act(@PathParam("model") String model, @PathParam("action") String action,
                             RoutingContext ctx, Reason reason) {
        String by = Caller.of(ctx).subject();
        return switch (action) {
            case "promote" -> rollouts.promote(model, by, why(reason, "promoted by hand"));
            case "pause" -> rollouts.pause(model, by, why(reason, "paused by hand"));
            case "resume" -> rollouts.resume(model, by, why(reason, "resumed by hand"));
            default -> rollouts.rollBack(model, by, why(reason, "rolled back by hand"));
        };
    }

    @POST
    @Path("/feedback")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response feedback(@PathParam("model") String model, Feedback feedback) {
        Check.required(feedback, "body");
        Check.required(feedback.outcome(), "outcome");
        rollouts.feedback(model, Check.required(feedback.requestId(), "request_id"),
                feedback.row() == null ? 0 : feedback.row(), feedback.outcome());
        return Response.accepted().build();
    }

    private static String why(Reason reason, String otherwise) {
        if (reason == null || reason.reason() == null || reason.reason().isBlank()) {
            return otherwise;
        }
        Check.that(reason.reason().length() <= 1000, "reason", "must be at most 1,000 characters");
        return reason.reason().strip();
    }
}
