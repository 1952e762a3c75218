package dev.quiver.agent.inbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quiver.agent.FeatureAvailability;
import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.memory.Memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The feature requests still open: those Quiver sent until a data engineer's answer finds every feature available,
 * and those Quiver received whose answer found features missing. Safe from any thread; held in memory, at most
 * {@code keep}, the oldest dropped first.
 */
public final class FeatureRequestBook {

    /**
     * One open request.
     *
     * @param messageId     the request's id
     * @param correlationId its exchange
     * @param direction     {@code sent} (Quiver asked) or {@code received} (another agent asked Quiver)
     * @param peer          the data engineer asked, or the agent that asked
     * @param model         the model that needs the features, or null
     * @param features      the features asked for
     * @param missing       those not available yet
     * @param openedAt      when it was sent or received
     * @param updatedAt     when an answer last changed it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Open(String messageId, String correlationId, String direction, String peer, String model,
                       List<String> features, List<String> missing, Instant openedAt, Instant updatedAt) {
    }

    private final Memory<Open> open;

    /** @param open where the open requests are kept, by message id */
    public FeatureRequestBook(Memory<Open> open) {
        this.open = open;
    }

    /** Quiver sent {@code request}: every feature is missing until answered. */
    public void sent(FeatureRequest request, Instant at) {
        FeatureRequest.Request r = request.request();
        put(new Open(request.header().messageId(), request.header().exchange(), "sent", request.header().recipient(),
                r.modelId(), r.features(), r.features(), at, at));
    }

    /** Quiver answered {@code request} from another agent; it stays open when features are missing. */
    public void received(FeatureRequest request, FeatureAvailability answer, Instant at) {
        List<String> missing = missing(answer);
        if (missing.isEmpty()) {
            return;
        }
        FeatureRequest.Request r = request.request();
        put(new Open(request.header().messageId(), request.header().exchange(), "received",
                request.header().sender(), r.modelId(), r.features(), missing, at, at));
    }

    /**
     * A data engineer answered the request {@code answer} names: the request closes when nothing is missing any more.
     *
     * @return the request as it stands after the answer (empty when it was not open); {@code missing} empty: closed
     */
    public Optional<Open> answered(FeatureAvailability answer, Instant at) {
        synchronized (open) {
            Open o = answer.inReplyTo() == null ? null : open.get(answer.inReplyTo()).orElse(null);
            if (o == null) {
                return Optional.empty();
            }
            List<String> missing = missing(answer);
            Open after = new Open(o.messageId(), o.correlationId(), o.direction(), o.peer(), o.model(), o.features(),
                    missing, o.openedAt(), at);
            if (missing.isEmpty()) {
                open.remove(o.messageId());
            } else {
                open.put(o.messageId(), after);
            }
            return Optional.of(after);
        }
    }

    /** The open requests, newest first. */
    public List<Open> list() {
        List<Open> all = new ArrayList<>(open.values());
        all.sort(Comparator.comparing(Open::openedAt).reversed());
        return all;
    }

    private void put(Open o) {
        open.put(o.messageId(), o);
    }

    private static List<String> missing(FeatureAvailability answer) {
        return answer.availability().features().stream()
                .filter(f -> f.status() != FeatureAvailability.Status.AVAILABLE)
                .map(FeatureAvailability.Feature::name).toList();
    }
}
