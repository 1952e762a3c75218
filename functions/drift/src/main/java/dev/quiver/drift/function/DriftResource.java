package dev.quiver.drift.function;

import dev.quiver.drift.ColumnValues;
import dev.quiver.drift.DataDriftResult;
import dev.quiver.drift.WrittenOptions;
import dev.quiver.drift.capture.Outcome;
import dev.quiver.drift.evaluation.DriftService;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The drift function over HTTP. */
@Path("/drift")
@Produces(MediaType.APPLICATION_JSON)
public class DriftResource {

    /**
     * Exact mode: two samples as columns of raw values (numbers, or strings for categories).
     *
     * @param options per-column tests and thresholds; absent: config/drift.yaml's
     */
    public record ExactRequest(Map<String, List<Object>> reference, Map<String, List<Object>> current,
                               WrittenOptions options) {
    }

    private final DriftService service;

    public DriftResource(DriftService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public DataDriftResult exact(ExactRequest request) {
        Check.required(request, "body");
        Check.required(request.reference(), "reference");
        Check.required(request.current(), "current");
        return service.exact(columns(request.reference(), "reference"), columns(request.current(), "current"),
                request.options());
    }

    @GET
    @Path("/models/{model}/versions/{version}/windows")
    public List<DriftService.Window> windows(@PathParam("model") String model, @PathParam("version") String version) {
        return service.windows(model, version);
    }

    /** Sketch mode: a captured window (its start, ISO-8601; default the latest) against the reference profile. */
    @GET
    @Path("/models/{model}/versions/{version}/report")
    public DriftService.Report report(@PathParam("model") String model, @PathParam("version") String version,
                                      @QueryParam("window") String window) {
        return service.report(model, version, instant(window), null);
    }

    /**
     * Evaluates a window (default the latest) and raises the alerts config/drift.yaml asks for, each once per
     * incident: the report, the {@code model_issue_alert} envelopes raised now and the {@code model_deployment_request}s
     * sent with them.
     */
    @POST
    @Path("/models/{model}/versions/{version}/evaluate")
    public DriftService.Evaluation evaluate(@PathParam("model") String model, @PathParam("version") String version,
                                            @QueryParam("window") String window) {
        return service.evaluate(model, version, instant(window));
    }

    /** True labels for earlier predictions, by {@code request_id} and {@code row}. */
    public record Feedback(List<Outcome> outcomes) {
    }

    /**
     * Labels arriving after the predictions: {@code {"outcomes": [{"request_id": "...", "row": 0, "label": "yes"}]}}.
     * The same body as a binary-mode CloudEvent (a Knative trigger's delivery) is accepted as it is.
     */
    @POST
    @Path("/models/{model}/feedback")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response feedback(@PathParam("model") String model, Feedback feedback) {
        Check.required(feedback, "body");
        int n = service.feedback(model, feedback.outcomes());
        return Response.accepted(Map.of("accepted", n)).build();
    }

    /**
     * An operator's call for a retrained model.
     *
     * @param correlationId the incident it belongs to (an alert's {@code correlation_id}); absent: a new one
     */
    public record RetrainingRequest(String correlationId) {
    }

    /**
     * Sends the data scientist a {@code model_deployment_request} for {@code model} now, with the requirements of its
     * catalog entry; answers 202 with the envelope as sent. The body may be empty or {@code {}}.
     */
    @POST
    @Path("/models/{model}/retraining-request")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response retrainingRequest(@PathParam("model") String model, RetrainingRequest body) {
        return Response.accepted(service.requestRetraining(model, body == null ? null : body.correlationId())).build();
    }

    /** The same report as a self-contained HTML page with a chart per drifted column. */
    @GET
    @Path("/models/{model}/versions/{version}/report.html")
    @Produces(MediaType.TEXT_HTML)
    public String page(@PathParam("model") String model, @PathParam("version") String version,
                       @QueryParam("window") String window) {
        return service.page(model, version, instant(window));
    }

    private static Instant instant(String window) {
        if (window == null || window.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(window);
        } catch (DateTimeParseException e) {
            throw QuiverException.badInput("window", "not an ISO-8601 instant such as 2026-11-28T03:00:00Z: '"
                    + window + "'");
        }
    }

    /** A column of JSON values: all numbers, or all strings. */
    private static Map<String, ColumnValues> columns(Map<String, List<Object>> written, String at) {
        Check.that(!written.isEmpty(), at, "has no columns");
        Map<String, ColumnValues> out = new LinkedHashMap<>();
        written.forEach((name, values) -> {
            String field = at + "." + name;
            Check.required(values, field);
            Check.that(!values.isEmpty(), field, "has no values");
            if (values.get(0) instanceof Number) {
                double[] d = new double[values.size()];
                for (int i = 0; i < d.length; i++) {
                    if (!(values.get(i) instanceof Number n)) {
                        throw QuiverException.badInput(field + "[" + i + "]", "must be a number, as the column's first value is");
                    }
                    d[i] = n.doubleValue();
                }
                out.put(name, ColumnValues.of(d));
            } else {
                List<String> s = new ArrayList<>(values.size());
                for (int i = 0; i < values.size(); i++) {
                    if (!(values.get(i) instanceof String str)) {
                        throw QuiverException.badInput(field + "[" + i + "]",
                                "must be a string (a category), as the column's first value is");
                    }
                    s.add(str);
                }
                out.put(name, ColumnValues.of(s));
            }
        });
        return out;
    }
}
