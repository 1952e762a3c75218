package dev.quiver.drift.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.drift.capture.Outcome;
import dev.quiver.drift.evaluation.DriftService;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * What the drift function does when an event arrives, whatever carried it (a CloudEvent from Knative, an EventBridge
 * or SQS event on Lambda): the event kinds, their bodies, and the checks that name a bad field under the carrier's
 * own prefix ({@code data} for a CloudEvent, {@code detail} for EventBridge, {@code Records[2].body} for SQS).
 */
@ApplicationScoped
public class DriftTriggers {

    private static final Logger LOG = Logger.getLogger(DriftTriggers.class);

    /** Evaluate one window: {@code {"model", "version", "window"?}}. */
    public static final String EVALUATE = "drift.evaluate";
    /** Labels that arrived: {@code {"model", "outcomes": [{"request_id", "row"?, "label"}]}}. */
    public static final String FEEDBACK = "model.feedback";
    /** Knative PingSource's tick: evaluate the latest window of every captured version. */
    public static final String PING = "dev.knative.sources.ping";

    /** What a {@link #EVALUATE} event asks. */
    public record Evaluate(String model, String version, String window) {
    }

    /** What a {@link #FEEDBACK} event carries. */
    public record Feedback(String model, List<Outcome> outcomes) {
    }

    private final DriftService service;

    public DriftTriggers(DriftService service) {
        this.service = service;
    }

    /** Evaluates the latest window of every captured version; the versions skipped are logged with the reason. */
    public DriftService.Sweep sweep() {
        DriftService.Sweep sweep = service.evaluateLatest();
        sweep.skipped().forEach(s -> LOG.infof("drift of %s:%s not evaluated: %s", s.model(), s.version(), s.reason()));
        return sweep;
    }

    /** Evaluates the window an {@link #EVALUATE} body names (its latest when it names none). */
    public DriftService.Evaluation evaluate(JsonNode body, String at) {
        Evaluate e = read(body, Evaluate.class, at, "{model, version, window}");
        Check.required(e.model(), at + ".model");
        Check.required(e.version(), at + ".version");
        Instant window = null;
        if (e.window() != null) {
            try {
                window = Instant.parse(e.window());
            } catch (DateTimeParseException bad) {
                throw QuiverException.badInput(at + ".window", "not an ISO-8601 instant: '" + e.window() + "'");
            }
        }
        return service.evaluate(e.model(), e.version(), window);
    }

    /** Records the labels of a {@link #FEEDBACK} body; a bad one refuses them all. */
    public int feedback(JsonNode body, String at) {
        Feedback f = read(body, Feedback.class, at, "{model, outcomes}");
        Check.required(f.model(), at + ".model");
        try {
            return service.feedback(f.model(), f.outcomes());
        } catch (QuiverException e) {
            throw e.field() == null || e.field().startsWith(at) ? e : new QuiverException(e.kind(),
                    at + "." + e.field(), e.reason(), e);
        }
    }

    /** Parses an event body as JSON, naming {@code at} when it is not. */
    public static JsonNode json(String body, String at) {
        try {
            return Json.MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException bad) {
            throw QuiverException.badInput(at, "not JSON: " + bad.getOriginalMessage());
        }
    }

    private static <T> T read(JsonNode body, Class<T> type, String at, String shape) {
        Check.that(body != null && body.isObject(), at, "must be a JSON object " + shape);
        try {
            return Json.MAPPER.treeToValue(body, type);
        } catch (JsonProcessingException bad) {
            throw QuiverException.badInput(at, "not a " + shape + " body: " + bad.getOriginalMessage());
        }
    }
}
