package dev.quiver.drift.function;

import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The drift function's CloudEvents door (binary mode, as a Knative Trigger or PingSource delivers them to {@code /}):
 * <ul>
 *   <li>{@code ce-type: drift.evaluate} with {@code {"model": ..., "version": ..., "window": ...}} (window optional)
 *       evaluates that window;</li>
 *   <li>{@code ce-type: dev.knative.sources.ping} (a PingSource on a schedule) evaluates the latest window of every
 *       captured model version;</li>
 *   <li>{@code ce-type: model.feedback} with {@code {"model": ..., "outcomes": [...]}} records labels that arrived.</li>
 * </ul>
 * The reply to an evaluation is a CloudEvent of type {@code drift.evaluated} whose data is the evaluations; to
 * feedback, {@code drift.feedback.accepted} with the count. The work is {@link DriftTriggers}'.
 */
@Path("/")
public class DriftEvents {

    public static final String EVALUATED = "drift.evaluated";
    public static final String ACCEPTED = "drift.feedback.accepted";

    private final DriftTriggers triggers;

    public DriftEvents(DriftTriggers triggers) {
        this.triggers = triggers;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response event(@HeaderParam("ce-type") String type, @HeaderParam("ce-id") String id, String body) {
        Check.that(type != null && !type.isBlank(), "ce-type", "a CloudEvent in binary mode needs its ce-type header");
        Check.that(id != null && !id.isBlank(), "ce-id", "a CloudEvent in binary mode needs its ce-id header");
        Object data;
        String replyType = EVALUATED;
        switch (type) {
            case DriftTriggers.PING -> data = triggers.sweep().evaluations();
            case DriftTriggers.EVALUATE -> data = List.of(triggers.evaluate(DriftTriggers.json(body, "data"), "data"));
            case DriftTriggers.FEEDBACK -> {
                data = Map.of("accepted", triggers.feedback(DriftTriggers.json(body, "data"), "data"));
                replyType = ACCEPTED;
            }
            default -> throw QuiverException.badInput("ce-type", "'" + type + "' is not an event this function takes;"
                    + " send " + DriftTriggers.EVALUATE + ", " + DriftTriggers.FEEDBACK + " or " + DriftTriggers.PING);
        }
        return Response.ok(data).header("ce-specversion", "1.0").header("ce-type", replyType)
                .header("ce-id", UUID.randomUUID().toString()).header("ce-source", "/quiver/drift")
                .header("ce-subject", id).build();
    }
}
