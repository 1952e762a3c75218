package dev.quiver.predict.registry;

import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.function.security.Caller;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.prediction.acceptance.CandidateAcceptance;
import dev.quiver.prediction.acceptance.Requirement;
import dev.quiver.registry.ModelArtifact;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.net.URI;
import java.util.List;

/**
 * A delivered model offered for acceptance: {@code POST /registry/models/{name}/candidates}, multipart form data with
 * the parts of a registration ({@code model}, {@code descriptor}, optional {@code reference_profile} and
 * {@code external_data}) and the fields {@code sha256} (the model file's digest, required), {@code latency_p99_ms}
 * and {@code requests_per_second} (the bounds; each unstated one is the catalog's {@code sla}) and {@code by} (who
 * delivers, recorded with the rollout it starts).
 *
 * <p>The model is measured in this process before it is registered ({@link CandidateAcceptance}). Accepted: 201, the
 * new version registered as the challenger and its rollout started. Refused (it misses a bound, or does not load):
 * 200 with {@code "decision": "refused"} and the reason, nothing registered. Bad input is a 400 naming the field.
 * The call takes the benchmark's warm-up and duration (seconds), on a worker thread.
 */
@Path("/registry/models/{name}/candidates")
@Produces(MediaType.APPLICATION_JSON)
public class CandidateResource {

    private final CandidateAcceptance acceptance;

    public CandidateResource(CandidateAcceptance acceptance) {
        this.acceptance = acceptance;
    }

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response offer(@PathParam("name") String name, RoutingContext ctx, @RestForm("model") FileUpload model,
                          @RestForm("descriptor") String descriptor,
                          @RestForm("reference_profile") FileUpload referenceProfile,
                          @RestForm("external_data") List<FileUpload> externalData,
                          @RestForm("sha256") String sha256,
                          @RestForm("latency_p99_ms") String latencyP99Ms,
                          @RestForm("requests_per_second") String requestsPerSecond,
                          @RestForm("by") String by) {
        Check.required(model, "model");
        ModelDescriptor d = RegistryResource.descriptor(descriptor);
        Check.required(sha256, "sha256");
        Requirement requirement = new Requirement(number(latencyP99Ms, "latency_p99_ms"),
                number(requestsPerSecond, "requests_per_second"));
        ModelArtifact artifact = new ModelArtifact(model.uploadedFile(), RegistryResource.dataFiles(externalData));
        byte[] reference = referenceProfile == null ? null : RegistryResource.checkedReference(referenceProfile, d);
        CandidateAcceptance.Outcome outcome = acceptance.accept(new CandidateAcceptance.Delivery(name, d, artifact,
                sha256.strip(), reference, requirement, deliveredBy(Caller.of(ctx).subject(), by)));
        if (!outcome.accepted()) {
            return Response.ok(outcome).build();
        }
        return Response.created(URI.create("/registry/models/" + name + "/versions/" + outcome.version()))
                .entity(outcome).build();
    }

    /** A bound from its form field: null when absent or blank; BAD_INPUT naming the field when not a number. */
    private static Double number(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw QuiverException.badInput(field, "must be a number, not '" + shortened(value) + "'");
        }
    }

    /** Who the rollout's audit log records: the caller, and whom it delivers for when it says. */
    private static String deliveredBy(String caller, String by) {
        if (by == null || by.isBlank()) {
            return caller;
        }
        String b = by.strip();
        Check.that(b.length() <= 200 && b.chars().noneMatch(Character::isISOControl), "by",
                "must be at most 200 characters, without control characters");
        return caller + " for " + b;
    }

    private static String shortened(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
