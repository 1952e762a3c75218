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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Evaluation as a CloudEvent (binary mode, as a Knative Trigger or PingSource delivers it to {@code /}):
 * <ul>
 *   <li>{@code ce-type: drift.evaluate} with {@code {"model": ..., "version": ..., "window": ...}} (window optional)
 *       evaluates that window;</li>
 *   <li>{@code ce-type: dev.knative.sources.ping} (a PingSource on a schedule) evaluates the latest window of every
 *       captured model version.</li>
 * </ul>
 * The reply is a CloudEvent of type {@code drift.evaluated} whose data is the evaluations.
 */
@Path("/")
public class DriftEvents {

    public static final String EVALUATE = "drift.evaluate";
    public static final String PING = "dev.knative.sources.ping";
    public static final String EVALUATED = "drift.evaluated";

    /** What a {@code drift.evaluate} event asks. */
    public record Evaluate(String model, String version, String window) {
    }

    private final DriftService service;

    public DriftEvents(DriftService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response event(@HeaderParam("ce-type") String type, @HeaderParam("ce-id") String id, String body) {
        Check.that(type != null && !type.isBlank(), "ce-type", "a CloudEvent in binary mode needs its ce-type header");
        Check.that(id != null && !id.isBlank(), "ce-id", "a CloudEvent in binary mode needs its ce-id header");
        List<DriftService.Evaluation> done = new ArrayList<>();
        if (type.equals(PING)) {
            for (String[] mv : service.captured()) {
                done.add(service.evaluate(mv[0], mv[1], null));
            }
        } else if (type.equals(EVALUATE)) {
            Evaluate e;
            try {
                e = dev.quiver.registry.Json.MAPPER.readValue(body == null || body.isBlank() ? "{}" : body, Evaluate.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException bad) {
                throw QuiverException.badInput("data", "not a drift.evaluate body {model, version, window}: "
                        + bad.getOriginalMessage());
            }
            Check.required(e.model(), "data.model");
            Check.required(e.version(), "data.version");
            Instant window = null;
            if (e.window() != null) {
                try {
                    window = Instant.parse(e.window());
                } catch (java.time.format.DateTimeParseException bad) {
                    throw QuiverException.badInput("data.window", "not an ISO-8601 instant: '" + e.window() + "'");
                }
            }
            done.add(service.evaluate(e.model(), e.version(), window));
        } else {
            throw QuiverException.badInput("ce-type", "'" + type + "' is not an event this function takes; send "
                    + EVALUATE + " or " + PING);
        }
        return Response.ok(done).header("ce-specversion", "1.0").header("ce-type", EVALUATED)
                .header("ce-id", UUID.randomUUID().toString()).header("ce-source", "/quiver/drift")
                .header("ce-subject", id).build();
    }
}
