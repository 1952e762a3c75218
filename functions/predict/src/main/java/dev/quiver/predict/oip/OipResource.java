package dev.quiver.predict.oip;

import dev.quiver.error.Check;
import dev.quiver.function.tracing.Spans;
import io.opentelemetry.api.trace.Tracer;
import dev.quiver.prediction.InferResult;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictionService;
import dev.quiver.inference.ServedModel;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.tensor.Tensor;
import dev.quiver.tensor.TensorSpec;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol (KServe V2) REST door: health, server and model metadata, readiness and
 * inference, under {@code /v2}. A path without a version means the model's {@code champion}.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class OipResource {

    static final String SERVER_NAME = "quiver";
    static final String SERVER_VERSION = "0.1.0";

    private final PredictionService service;
    private final ModelRegistry registry;
    private final Tracer tracer;

    public OipResource(PredictionService service, Tracer tracer) {
        this.service = service;
        this.registry = service.registry();
        this.tracer = tracer;
    }

    @GET
    public OipModels.ServerMetadata server() {
        return new OipModels.ServerMetadata(SERVER_NAME, SERVER_VERSION, List.of());
    }

    /** 200 while the process serves HTTP; the protocol defines no body. */
    @GET
    @Path("/health/live")
    public Response live() {
        return Response.ok().build();
    }

    /** 200 when every champion model is loaded and warm, else 503; the protocol defines no body. */
    @GET
    @Path("/health/ready")
    public Response ready() {
        return Response.status(registry.championsReady() ? 200 : 503).build();
    }

    @GET
    @Path("/models/{name}")
    public OipModels.ModelMetadata model(@PathParam("name") String name) {
        return metadata(registry.resolve(name, null, null));
    }

    @GET
    @Path("/models/{name}/versions/{version}")
    public OipModels.ModelMetadata model(@PathParam("name") String name, @PathParam("version") String version) {
        return metadata(registry.resolve(name, version, null));
    }

    /** 200 when the model's champion is loaded and warm, 503 when not, 404 for an unknown model. */
    @GET
    @Path("/models/{name}/ready")
    public Response modelReady(@PathParam("name") String name) {
        String version = registry.aliases(name).get(ModelRegistry.CHAMPION);
        boolean ready = version != null && registry.isLoaded(name, version);
        return Response.status(ready ? 200 : 503).build();
    }

    /** 200 when the version is loaded and warm, 503 when not (it loads on first use), 404 when unknown. */
    @GET
    @Path("/models/{name}/versions/{version}/ready")
    public Response modelReady(@PathParam("name") String name, @PathParam("version") String version) {
        registry.descriptor(name, version);
        return Response.status(registry.isLoaded(name, version) ? 200 : 503).build();
    }

    @POST
    @Path("/models/{name}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    public OipModels.InferenceResponse infer(@PathParam("name") String name, OipModels.InferenceRequest request) {
        return infer(name, null, request);
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    public OipModels.InferenceResponse infer(@PathParam("name") String name, @PathParam("version") String version,
                                             OipModels.InferenceRequest request) {
        Check.required(request, "body");
        Check.required(request.inputs(), "inputs");
        Check.that(request.id() == null || request.id().length() <= PredictRequest.MAX_ID_LENGTH, "id",
                "must be at most " + PredictRequest.MAX_ID_LENGTH + " characters");
        List<Tensor> inputs = new ArrayList<>(request.inputs().size());
        for (int i = 0; i < request.inputs().size(); i++) {
            inputs.add(OipTensors.read(request.inputs().get(i), i));
        }
        List<String> outputs = new ArrayList<>();
        if (request.outputs() != null) {
            for (int i = 0; i < request.outputs().size(); i++) {
                OipModels.RequestOutput o = request.outputs().get(i);
                Check.that(o != null && o.name() != null, "outputs[" + i + "].name", "is required");
                outputs.add(o.name());
            }
        }
        InferResult r = Spans.describing(tracer, "quiver.infer", () -> service.infer(name, version, inputs, outputs), (span, res) -> {
            span.setAttribute("quiver.model.name", res.model());
            span.setAttribute("quiver.model.version", res.version());
            span.setAttribute("quiver.rows", inputs.get(0).shape().length > 0 ? inputs.get(0).shape()[0] : 1);
        });
        List<OipModels.ResponseOutput> out = new ArrayList<>(r.outputs().size());
        for (Tensor t : r.outputs()) {
            out.add(new OipModels.ResponseOutput(t.name(), t.shape(), t.datatype().name(), t.data()));
        }
        return new OipModels.InferenceResponse(r.model(), r.version(), request.id(), out);
    }

    private OipModels.ModelMetadata metadata(ServedModel served) {
        ModelDescriptor d = served.descriptor();
        Map<String, String> properties = new LinkedHashMap<>();
        if (!d.labels().isEmpty()) {
            properties.put("labels", String.join(",", d.labels()));
        }
        if (d.sha256() != null) {
            properties.put("sha256", d.sha256());
        }
        d.metrics().forEach((k, v) -> properties.put("metric." + k, Double.toString(v)));
        return new OipModels.ModelMetadata(d.name(), registry.versions(d.name()), "onnxruntime_onnx",
                tensors(served.model().inputs()), tensors(served.model().outputs()), properties);
    }

    private static List<OipModels.MetadataTensor> tensors(List<TensorSpec> specs) {
        return specs.stream().map(s -> new OipModels.MetadataTensor(s.name(), s.datatype().name(), s.shape())).toList();
    }
}
