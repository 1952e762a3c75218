package dev.quiver.agent.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.Acknowledgement;
import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.ModelDelivery;
import dev.quiver.agent.inbox.ModelIntake;
import dev.quiver.agent.requirement.LatencyBound;
import dev.quiver.agent.requirement.ModelFormat;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * The agent's {@link ModelIntake}: what a delivered model goes through before it serves anyone.
 *
 * <ol>
 *   <li>Its format: ONNX is served by the predict function; a format only a GPU serves is taken only when this
 *       deployment has the {@code sagemaker-gpu} target and is refused, saying so, when it has not; any other
 *       format is refused. A format outside the request's stated formats is refused too.</li>
 *   <li>Its location: a URI must start with one of the allowed stores (after normalising, so {@code ..} cannot
 *       leave a store); Quiver never fetches anything else.</li>
 *   <li>Its digest, over the bytes fetched or uploaded, before anything loads it.</li>
 *   <li>The predict function's candidate intake, which benchmarks it and rolls it out as the challenger, or
 *       refuses it with the figures.</li>
 * </ol>
 */
public final class DeliveryIntake implements ModelIntake {

    /** The formats served only on a GPU target. */
    static final List<ModelFormat> GPU_FORMATS = List.of(ModelFormat.TENSORRT, ModelFormat.TORCHSCRIPT);

    private final List<URI> allowed;
    private final ArtifactStores stores;
    private final Candidates candidates;
    private final Optional<String> gpuTarget;

    /**
     * @param allowed    the stores models may come from, as URI prefixes ({@code s3://bucket/models/},
     *                   {@code file:///srv/models/}); each must be absolute and end with '/'
     * @param gpuTarget  the GPU endpoint models of the GPU formats are deployed to, or empty when there is none
     */
    public DeliveryIntake(List<String> allowed, ArtifactStores stores, Candidates candidates,
                          Optional<String> gpuTarget) {
        this.allowed = allowed.stream().map(DeliveryIntake::store).toList();
        this.stores = stores;
        this.candidates = candidates;
        this.gpuTarget = gpuTarget.filter(s -> !s.isBlank());
    }

    private static URI store(String prefix) {
        URI u = URI.create(prefix.trim()).normalize();
        if (!u.isAbsolute() || !u.getPath().endsWith("/") || u.getUserInfo() != null) {
            throw new IllegalArgumentException("an allowed store must be an absolute URI ending with '/' and without"
                    + " user info, like s3://bucket/models/ or file:///srv/models/; was '" + prefix + "'");
        }
        return u;
    }

    @Override
    public void check(Candidate c) {
        ModelDelivery.Delivery d = c.model();
        ModelFormat format = d.format();
        if (c.requirements() != null && c.requirements().format() != null
                && !c.requirements().formats().contains(format)) {
            throw QuiverException.badInput(c.at() + ".format", "is " + format.wireName() + ", which the request did"
                    + " not ask for: it asked for " + c.requirements().format());
        }
        if (GPU_FORMATS.contains(format)) {
            if (gpuTarget.isEmpty()) {
                throw QuiverException.badInput(c.at() + ".format", format.wireName() + " models are served by the"
                        + " sagemaker-gpu target, which this deployment does not configure; send ONNX, which the"
                        + " predict function serves");
            }
        } else if (format != ModelFormat.ONNX) {
            throw QuiverException.badInput(c.at() + ".format", format.wireName() + " is not served here: send ONNX"
                    + (gpuTarget.isPresent() ? ", or " + GPU_FORMATS + " for the sagemaker-gpu target" : ""));
        }
        if (d.artifact().uri() != null) {
            allowedOrRefused(d.artifact().uri(), c.at() + ".artifact.uri");
        }
    }

    /** The URI, checked to lie inside an allowed store. */
    URI allowedOrRefused(String uri, String field) {
        URI u;
        try {
            u = URI.create(uri).normalize();
        } catch (IllegalArgumentException e) {
            throw QuiverException.badInput(field, "is not a URI: " + e.getMessage());
        }
        String text = u.toString();
        boolean inside = u.isAbsolute() && u.getUserInfo() == null && !u.getPath().contains("/../")
                && allowed.stream().anyMatch(s -> text.startsWith(s.toString()));
        if (!inside) {
            throw QuiverException.badInput(field, "'" + uri + "' is outside the allowed stores " + allowed
                    + "; Quiver fetches models only from those");
        }
        return u;
    }

    @Override
    public CompletionStage<Acknowledgement.Outcome> accept(Candidate c, BooleanSupplier canceled) {
        check(c);
        ModelDelivery.Delivery d = c.model();
        CompletionStage<Fetched> files = d.artifact().uri() != null
                ? stores.fetch(allowedOrRefused(d.artifact().uri(), c.at() + ".artifact.uri"),
                d.artifact().descriptor() == null)
                .thenApply(f -> d.artifact().descriptor() == null ? f
                        : new Fetched(f.model(), d.artifact().descriptor(), f.referenceProfile()))
                : CompletableFuture.completedStage(new Fetched(d.artifact().modelBytes(), d.artifact().descriptor(),
                null));
        return files.thenCompose(f -> {
            String digest = sha256(f.model());
            if (!digest.equals(d.sha256())) {
                throw QuiverException.badInput(c.at() + ".sha256", "does not match the model: the message says "
                        + d.sha256() + ", the file's is " + digest);
            }
            if (canceled.getAsBoolean()) {
                return CompletableFuture.completedStage(new Acknowledgement.Outcome(Acknowledgement.Status.REFUSED,
                        "Canceled before the model was benchmarked; nothing registered", null));
            }
            if (GPU_FORMATS.contains(d.format())) {
                return CompletableFuture.completedStage(new Acknowledgement.Outcome(Acknowledgement.Status.REFUSED,
                        d.format().wireName() + " models are deployed to " + gpuTarget.orElseThrow() + " by its"
                                + " deployment (cdk/), which benchmarks them there; the digest is verified", null));
            }
            DeploymentRequest.Requirements r = c.requirements();
            OptionalDouble p99 = r == null ? OptionalDouble.empty() : r.latencyBound()
                    .map(LatencyBound::bound).map(b -> OptionalDouble.of(b.toNanos() / 1e6))
                    .orElse(OptionalDouble.empty());
            OptionalDouble perSecond = r == null ? OptionalDouble.empty() : r.requestsPerSecond();
            return candidates.offer(c.modelId(), f, d.sha256(), p99, perSecond,
                    c.deliveredBy() == null ? "agent" : "agent:" + c.deliveredBy(), c.correlationId(), c.traceparent())
                    .thenApply(decision -> outcome(c,
                    decision));
        });
    }

    private static Acknowledgement.Outcome outcome(Candidate c, Candidates.Decision decision) {
        ObjectNode details = decision.figures() == null ? Json.MAPPER.createObjectNode() : decision.figures().deepCopy();
        if (decision.accepted()) {
            return new Acknowledgement.Outcome(Acknowledgement.Status.DONE, "Accepted " + c.modelId() + " as version "
                    + decision.version() + " (delivered as " + c.model().version() + "): it met the requirements"
                    + " and is rolling out as the challenger", details);
        }
        return new Acknowledgement.Outcome(Acknowledgement.Status.REFUSED, "Refused " + c.modelId() + " version "
                + c.model().version() + ": " + decision.reason(), details);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
