package dev.quiver.agent.features;

import dev.quiver.agent.FeatureAvailability;
import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.Header;
import dev.quiver.agent.requirement.LatencyBound;
import dev.quiver.error.QuiverException;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.Feature;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureMatrix;
import dev.quiver.feature.FeatureRef;
import dev.quiver.feature.FeatureStatus;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.OnlineFeatures;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What Quiver answers to a {@code feature_store_request}: for each feature asked for, whether it can be read online
 * as asked. A feature is available when {@code config/features.yaml} defines it and, for the probe entities of its
 * view, the store holds values no older than the requested update frequency and answers within the requested
 * latency; otherwise it is missing, with the reason.
 *
 * <p>Names: {@code view:feature} names one feature; a plain name is looked up across every view, and one that two
 * views define is BAD_INPUT on {@code request.features[i]} naming the candidates. Measurement: {@value #READS}
 * sequential reads of the view's features for its probe entities; the slowest is the latency compared with the
 * bound (with {@value #READS} reads, the slowest stands for the 95th percentile and above, so it is a bound the
 * percentile asked for cannot exceed). Freshness is the age of the newest value stored for the probe entities. A view
 * without probe entities is reported available with neither measured, and says so.
 */
public final class FeatureAvailabilityCheck {

    /** Reads per view that the latency is measured over. */
    static final int READS = 20;

    /**
     * The port that names, for a view, entities whose stored values show its freshness and read latency (the agent
     * takes them from the view's batch source or from configuration); an empty list when there are none.
     */
    @FunctionalInterface
    public interface Probes {
        List<EntityKey> of(FeatureView view);
    }

    private final FeatureDefinitions definitions;
    private final OnlineFeatures features;
    private final Probes probes;
    private final Clock clock;

    public FeatureAvailabilityCheck(FeatureDefinitions definitions, OnlineFeatures features, Probes probes,
                                    Clock clock) {
        this.definitions = definitions;
        this.features = features;
        this.probes = probes;
        this.clock = clock;
    }

    /**
     * Answers {@code request} on behalf of {@code self}. Fails at once with BAD_INPUT for an ambiguous or malformed
     * name or an unreadable requirement, and through the stage when the store cannot be read.
     */
    public CompletionStage<FeatureAvailability> check(FeatureRequest request, String self) {
        FeatureRequest.Request asked = request.request();
        Optional<LatencyBound> latency = asked.latencyBound();
        Optional<Duration> interval = asked.updateInterval();
        Map<String, FeatureAvailability.Feature> answers = new LinkedHashMap<>();
        Map<FeatureView, Map<String, Feature>> byView = new LinkedHashMap<>();
        for (int i = 0; i < asked.features().size(); i++) {
            String name = asked.features().get(i);
            answers.put(name, null);
            Resolved r = resolve(name, "request.features[" + i + "]");
            if (r == null) {
                answers.put(name, FeatureAvailability.Feature.missing(name,
                        "no feature view in config/features.yaml defines it"));
            } else {
                byView.computeIfAbsent(r.view(), v -> new LinkedHashMap<>()).put(name, r.feature());
            }
        }
        CompletionStage<Void> all = CompletableFuture.completedStage(null);
        for (Map.Entry<FeatureView, Map<String, Feature>> e : byView.entrySet()) {
            all = all.thenCompose(v -> measure(e.getKey(), e.getValue(), latency, interval)
                    .thenAccept(answers::putAll));
        }
        return all.thenApply(v -> {
            return new FeatureAvailability(Header.replyTo(request, self, clock.instant()),
                    request.header().messageId(), new FeatureAvailability.Availability(
                    new ArrayList<>(answers.values())));
        });
    }

    private record Resolved(FeatureView view, Feature feature) {
    }

    private Resolved resolve(String name, String field) {
        if (name.contains(":")) {
            FeatureRef ref = FeatureRef.parse(name, field);
            FeatureView view = definitions.views().stream().filter(v -> v.name().equals(ref.view())).findFirst()
                    .orElse(null);
            Feature f = view == null ? null : view.feature(ref.feature());
            return f == null ? null : new Resolved(view, f);
        }
        List<Resolved> found = new ArrayList<>();
        for (FeatureView v : definitions.views()) {
            Feature f = v.feature(name);
            if (f != null) {
                found.add(new Resolved(v, f));
            }
        }
        if (found.size() > 1) {
            throw QuiverException.badInput(field, "'" + name + "' is defined by more than one view; name one of "
                    + found.stream().map(r -> r.view().name() + ":" + name).toList());
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private CompletionStage<Map<String, FeatureAvailability.Feature>> measure(
            FeatureView view, Map<String, Feature> asked, Optional<LatencyBound> latency, Optional<Duration> interval) {
        List<EntityKey> keys = probes.of(view);
        Map<String, FeatureAvailability.Feature> out = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            asked.forEach((name, f) -> out.put(name, new FeatureAvailability.Feature(name,
                    FeatureAvailability.Status.AVAILABLE, "defined in view " + view.name()
                    + "; no probe entities, so freshness and read latency were not measured", f.dtype().yamlName(),
                    null)));
            return CompletableFuture.completedStage(out);
        }
        List<FeatureRef> refs = asked.values().stream().map(f -> new FeatureRef(view.name(), f.name())).toList();
        long[] slowest = {0};
        FeatureMatrix[] last = {null};
        // one read before those measured: a store opened lazily loads on its first read, a connection is made
        CompletionStage<Void> reads = features.fetch(refs, keys).thenAccept(m -> last[0] = m);
        for (int i = 0; i < READS; i++) {
            reads = reads.thenCompose(v -> {
                long start = System.nanoTime();
                return features.fetch(refs, keys).thenAccept(m -> {
                    slowest[0] = Math.max(slowest[0], System.nanoTime() - start);
                    last[0] = m;
                });
            });
        }
        return reads.thenApply(v -> {
            Duration read = Duration.ofNanos(slowest[0]);
            Instant now = clock.instant();
            int c = 0;
            for (Map.Entry<String, Feature> e : asked.entrySet()) {
                out.put(e.getKey(), judge(e.getKey(), e.getValue(), last[0], c++, read, now, latency, interval));
            }
            return out;
        });
    }

    private static FeatureAvailability.Feature judge(String name, Feature f, FeatureMatrix m, int column,
                                                     Duration read, Instant now, Optional<LatencyBound> latency,
                                                     Optional<Duration> interval) {
        Instant newest = null;
        for (int e = 0; e < m.entities(); e++) {
            if (m.statuses()[column][e] == FeatureStatus.PRESENT
                    && (newest == null || m.eventTimestamps()[column][e].isAfter(newest))) {
                newest = m.eventTimestamps()[column][e];
            }
        }
        if (newest == null) {
            return FeatureAvailability.Feature.missing(name, "the online store holds no value of it for the "
                    + m.entities() + " probe entities");
        }
        Duration age = Duration.between(newest, now).isNegative() ? Duration.ZERO : Duration.between(newest, now);
        if (interval.isPresent() && !interval.get().isZero() && age.compareTo(interval.get()) > 0) {
            return FeatureAvailability.Feature.missing(name, "stale: its newest value is " + age + " old, and an update"
                    + " every " + interval.get() + " was asked for");
        }
        if (latency.isPresent() && read.compareTo(latency.get().bound()) > 0) {
            return FeatureAvailability.Feature.missing(name, "too slow: the slowest of " + READS + " reads took "
                    + millis(read) + " ms, and " + latency.get() + " was asked for");
        }
        return new FeatureAvailability.Feature(name, FeatureAvailability.Status.AVAILABLE, "the slowest of " + READS
                + " reads took " + millis(read) + " ms", f.dtype().yamlName(), age);
    }

    private static String millis(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.2f", d.toNanos() / 1e6);
    }
}
