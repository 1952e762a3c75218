package dev.quiver.rollout;

import dev.quiver.error.Stages;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import dev.quiver.prediction.PredictionService;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Predictions under rollouts: a request that pins no version or alias goes to the version its model's rollout
 * chooses, and what each version did is recorded for the gates.
 *
 * <ul>
 *   <li>Rows of features are placed as one by the request's {@code key} (at random without one).</li>
 *   <li>Entity rows are placed one by one by their entity ids, so each entity stays with its version for the
 *       whole rollout; a batch that straddles both arms is answered by both, each row naming its version.</li>
 *   <li>When the challenger fails on rows the champion can answer, the champion answers them and the failure
 *       counts against the challenger; when both fail, the caller gets the champion's error.</li>
 *   <li>Shadow: the champion answers; a copy of the request is queued ({@link ShadowQueue}: bounded, a full queue
 *       drops the copy and counts it) for a background thread, which scores the copies waiting (rows of features
 *       batched into one model run) with the challenger and compares them row by row.</li>
 *   <li>A/B: each answered row is remembered under {@link Rollouts#outcomeId} for its outcome.</li>
 * </ul>
 * A pinned request ({@code version} or {@code alias}) bypasses the rollout.
 */
public final class RoutedPredictions implements AutoCloseable {

    private final PredictionService service;
    private final Rollouts rollouts;
    private final LongSupplier nanoTime;
    private final ShadowQueue<Copy> shadows;

    /** A shadow copy waiting for the shadow thread: the request, its id, and what the champion answered. */
    private record Copy(Rollout rollout, PredictRequest request, String id, PredictResult champion) {
        int rows() {
            return request.rows() == null ? 1 : request.rows().size();
        }
    }

    /**
     * @param shadowQueue how many shadow copies may wait for the shadow thread before new ones are dropped
     */
    public RoutedPredictions(PredictionService service, Rollouts rollouts, int shadowQueue) {
        this(service, rollouts, shadowQueue, System::nanoTime);
    }

    /** @param nanoTime the clock each arm's latency is measured with (simulations drive their own) */
    public RoutedPredictions(PredictionService service, Rollouts rollouts, int shadowQueue, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.service = service;
        this.rollouts = rollouts;
        this.shadows = new ShadowQueue<>(shadowQueue, service.maxRows(), Copy::rows, this::shadow, "quiver-shadow");
    }

    public Rollouts rollouts() {
        return rollouts;
    }

    /** Shadow copies dropped because the background thread was behind. */
    public long shadowDropped() {
        return shadows.dropped();
    }

    /**
     * Answers a request as its model's rollout routes it, or as the service does when none does
     * ({@link PredictionService#predict}): a request by entity id is read without waiting on the online store and is
     * scored, routed and recorded where its read completes. The stage fails with the request's problem.
     */
    public CompletionStage<PredictResult> predict(PredictRequest request) {
        return Stages.call(() -> predict(request, routing(request)));
    }

    /** Answers {@code request} under {@code rollout}, its model's rollout; null for none. */
    private CompletionStage<PredictResult> predict(PredictRequest request, Rollout rollout) {
        if (rollout == null) {
            return service.predict(request);
        }
        String id = request.requestId() != null ? request.requestId() : PredictionService.requestId();
        String rolloutId = rollout.state().id();
        List<List<Object>> ids = entityIds(request);
        CompletionStage<PredictResult> answered;
        Rollout.Route single;
        if (ids == null) {
            single = rollout.route(request.key());
            answered = answer(rollout, single, request, id);
        } else {
            List<Integer> toChampion = new ArrayList<>();
            List<Integer> toChallenger = new ArrayList<>();
            for (int r = 0; r < ids.get(0).size(); r++) {
                (rollout.route(rowKey(ids, r)).challenger() ? toChallenger : toChampion).add(r);
            }
            if (toChallenger.isEmpty() || toChampion.isEmpty()) {
                single = rollout.route(rowKey(ids, 0));
                answered = answer(rollout, single, request, id);
            } else {
                single = null;
                // the champion's arm first, and the challenger's only once it answered: a failed champion fails the
                // call before the challenger runs, so the gates never count a challenger answer nobody received
                answered = answer(rollout, champion(rollout), request.entityRows(toChampion), id)
                        .thenCompose(a -> answer(rollout, challenger(rollout), request.entityRows(toChallenger), id)
                                .thenApply(b -> merge(id, request.model(), toChampion, a, toChallenger, b)));
            }
        }
        return answered.thenApply(r -> routed(rollout, rolloutId, request, id, ids, single, r));
    }

    /** The routed answer, named by its rollout, with what A/B and shadow keep of it recorded. */
    private PredictResult routed(Rollout rollout, String rolloutId, PredictRequest request, String id,
                                 List<List<Object>> ids, Rollout.Route single, PredictResult answered) {
        PredictResult result = new PredictResult(answered.requestId(), answered.model(), answered.version(),
                answered.predictions(), rolloutId);
        if (rollout.state().policy().strategy() == RolloutPolicy.Strategy.AB) {
            List<PredictResult.Row> rows = result.predictions();
            for (int r = 0; r < rows.size(); r++) {
                PredictResult.Row row = rows.get(r);
                if (row.label() != null) {
                    boolean onChallenger = row.version().equals(rollout.state().challengerVersion());
                    rollout.answered(Rollouts.outcomeId(id, r), onChallenger ? challenger(rollout) : champion(rollout),
                            row.label());
                }
            }
        }
        if (single != null && !single.challenger() && rollout.shadows(request.key() != null ? request.key()
                : ids != null ? rowKey(ids, 0) : null)) {
            shadows.offer(new Copy(rollout, request, id, result));
        }
        return result;
    }

    /** {@link #predictAll(List, PredictionService.Alone)}, starting each request answered alone as it comes. */
    public List<CompletionStage<PredictResult>> predictAll(List<PredictRequest> requests) {
        return predictAll(requests, PredictionService.Alone.DIRECT);
    }

    /**
     * Answers requests that arrived together, each as {@link #predict} would: those that no rollout routes go to
     * {@link PredictionService#predictAll} (requests of rows scored together), those under a rollout one by one,
     * since each is routed on its own, started through {@code alone}. Answer {@code i} belongs to request {@code i};
     * a request that fails fails alone.
     */
    public List<CompletionStage<PredictResult>> predictAll(List<PredictRequest> requests,
                                                           PredictionService.Alone alone) {
        List<CompletionStage<PredictResult>> answers = new ArrayList<>(Collections.nCopies(requests.size(), null));
        List<PredictRequest> direct = new ArrayList<>(requests.size());
        List<Integer> directAt = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            PredictRequest request = requests.get(i);
            Rollout rollout;
            try {
                rollout = routing(request);
            } catch (RuntimeException e) {
                // a request no request may be (both a version and an alias) fails alone
                answers.set(i, CompletableFuture.failedFuture(e));
                continue;
            }
            if (rollout == null) {
                direct.add(request);
                directAt.add(i);
            } else {
                int at = i;
                answers.set(i, Stages.call(() -> alone.start(at, () -> predict(request, rollout))));
            }
        }
        List<CompletionStage<PredictResult>> scored = direct.isEmpty() ? List.of()
                : service.predictAll(direct, (k, start) -> alone.start(directAt.get(k), start));
        for (int k = 0; k < scored.size(); k++) {
            answers.set(directAt.get(k), scored.get(k));
        }
        return answers;
    }

    /**
     * The rollout that routes this request: none when it names a version or alias, or its model has none. Fails with
     * BAD_INPUT for a request that no request may be ({@link PredictRequest#check}).
     */
    private Rollout routing(PredictRequest request) {
        if (request == null) {
            return null;
        }
        request.check();
        if (request.model() == null || request.version() != null || request.alias() != null) {
            return null;
        }
        return rollouts.routing(request.model());
    }

    private static Rollout.Route champion(Rollout r) {
        return new Rollout.Route(false, r.state().championVersion());
    }

    private static Rollout.Route challenger(Rollout r) {
        return new Rollout.Route(true, r.state().challengerVersion());
    }

    /**
     * Answers with the routed version, recording what it did; falls back to the champion when only the challenger
     * fails.
     */
    private CompletionStage<PredictResult> answer(Rollout rollout, Rollout.Route route, PredictRequest request,
                                                  String id) {
        long start = nanoTime.getAsLong();
        return service.predict(request.pinned(route.version(), id)).handle((r, failure) -> {
            long took = nanoTime.getAsLong() - start;
            if (failure == null) {
                rollout.record(route.challenger(), took, false, meanScore(r));
                return CompletableFuture.completedStage(r);
            }
            if (!route.challenger()) {
                return CompletableFuture.<PredictResult>failedStage(Stages.cause(failure));
            }
            return service.predict(request.pinned(rollout.state().championVersion(), id)).thenApply(fallback -> {
                rollout.record(true, took, true, Double.NaN);
                return fallback;
            });
        }).thenCompose(Function.identity());
    }

    /**
     * Scores a batch of copies with their challengers, on the shadow thread: copies of rows of features for the same
     * rollout go to the challenger as one request (one model run), entity copies one by one. Each copy's latency is
     * its share, by rows, of the run that scored it.
     */
    private void shadow(List<Copy> batch) {
        Map<Rollout, List<Copy>> byRollout = new LinkedHashMap<>();
        for (Copy c : batch) {
            if (c.request().rows() == null) {
                shadowOne(c.rollout(), List.of(c), c.request());
            } else {
                byRollout.computeIfAbsent(c.rollout(), k -> new ArrayList<>()).add(c);
            }
        }
        byRollout.forEach((rollout, copies) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            copies.forEach(c -> rows.addAll(c.request().rows()));
            PredictRequest first = copies.get(0).request();
            shadowOne(rollout, copies, new PredictRequest(first.model(), null, null, rows, null, null, null));
        });
    }

    private void shadowOne(Rollout rollout, List<Copy> copies, PredictRequest request) {
        long start = nanoTime.getAsLong();
        PredictResult challenger;
        try {
            // the shadow thread is this one's own, so it may wait on the online store
            challenger = Stages.join(service.predict(request.pinned(rollout.state().challengerVersion(),
                    copies.get(0).id())));
        } catch (RuntimeException e) {
            long each = (nanoTime.getAsLong() - start) / copies.size();
            copies.forEach(c -> rollout.recordShadowFailure(each));
            return;
        }
        long nanos = nanoTime.getAsLong() - start;
        int total = challenger.predictions().size();
        int at = 0;
        for (Copy copy : copies) {
            List<PredictResult.Row> mine = challenger.predictions().subList(at,
                    Math.min(total, at + copy.champion().predictions().size()));
            at += copy.champion().predictions().size();
            List<String> cmLabels = new ArrayList<>();
            List<double[]> cmProbs = new ArrayList<>();
            List<String> chLabels = new ArrayList<>();
            List<double[]> chProbs = new ArrayList<>();
            for (int r = 0; r < mine.size(); r++) {
                PredictResult.Row a = copy.champion().predictions().get(r);
                PredictResult.Row b = mine.get(r);
                if (a.label() != null && b.label() != null) {
                    cmLabels.add(a.label());
                    cmProbs.add(probabilities(a));
                    chLabels.add(b.label());
                    chProbs.add(probabilities(b));
                }
            }
            long share = total == 0 ? nanos : nanos * mine.size() / total;
            rollout.recordShadow(cmLabels, cmProbs, chLabels, chProbs, share,
                    meanScore(new PredictResult(null, null, null, mine, null)));
        }
    }

    private static double[] probabilities(PredictResult.Row row) {
        return row.probabilities().values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The mean, over answered rows, of the probability of the model's last class (a binary model's positive class). */
    private static double meanScore(PredictResult r) {
        double sum = 0;
        int n = 0;
        for (PredictResult.Row row : r.predictions()) {
            if (row.probabilities() != null && !row.probabilities().isEmpty()) {
                double last = 0;
                for (double p : row.probabilities().values()) {
                    last = p;
                }
                sum += last;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Every join key's ids, in the map's order, when the request is a well-formed entity request; else null. */
    private static List<List<Object>> entityIds(PredictRequest request) {
        Map<String, List<Object>> entities = request.entities();
        if (entities == null || entities.isEmpty() || request.rows() != null) {
            return null;
        }
        List<List<Object>> ids = new ArrayList<>(entities.values());
        int n = ids.get(0) == null ? 0 : ids.get(0).size();
        for (List<Object> list : ids) {
            if (list == null || list.size() != n || n == 0) {
                return null;
            }
        }
        return ids;
    }

    private static String rowKey(List<List<Object>> ids, int row) {
        if (ids.size() == 1) {
            return String.valueOf(ids.get(0).get(row));
        }
        StringBuilder b = new StringBuilder();
        for (List<Object> list : ids) {
            b.append(list.get(row)).append('\u001f');
        }
        return b.toString();
    }

    private static PredictResult merge(String id, String model, List<Integer> aRows, PredictResult a,
                                       List<Integer> bRows, PredictResult b) {
        PredictResult.Row[] rows = new PredictResult.Row[aRows.size() + bRows.size()];
        for (int i = 0; i < aRows.size(); i++) {
            rows[aRows.get(i)] = a.predictions().get(i);
        }
        for (int i = 0; i < bRows.size(); i++) {
            rows[bRows.get(i)] = b.predictions().get(i);
        }
        String version = a.version().equals(b.version()) ? a.version() : null;
        return new PredictResult(id, model, version, List.of(rows), null);
    }

    /** Stops the shadow thread ({@link ShadowQueue#close}). */
    @Override
    public void close() {
        shadows.close();
    }
}
