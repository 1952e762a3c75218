package dev.quiver.rollout;

import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import dev.quiver.prediction.PredictionService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 *   <li>Shadow: the champion answers; a copy of the request is scored by the challenger on a background thread
 *       and compared row by row. A full queue drops the copy (counted), never delays the caller.</li>
 *   <li>A/B: each answered row is remembered under {@link Rollouts#outcomeId} for its outcome.</li>
 * </ul>
 * A pinned request ({@code version} or {@code alias}) bypasses the rollout.
 */
public final class RoutedPredictions implements AutoCloseable {

    private final PredictionService service;
    private final Rollouts rollouts;
    private final ThreadPoolExecutor shadowPool;
    private final AtomicLong shadowDropped = new AtomicLong();
    private final LongSupplier nanoTime;

    /**
     * @param shadowQueue how many shadow copies may wait for the background thread before new ones are dropped
     */
    public RoutedPredictions(PredictionService service, Rollouts rollouts, int shadowQueue) {
        this(service, rollouts, shadowQueue, System::nanoTime);
    }

    /** @param nanoTime the clock each arm's latency is measured with (simulations drive their own) */
    public RoutedPredictions(PredictionService service, Rollouts rollouts, int shadowQueue, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.service = service;
        this.rollouts = rollouts;
        this.shadowPool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(shadowQueue),
                r -> {
                    Thread t = new Thread(r, "quiver-shadow");
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY);
                    return t;
                }, (r, pool) -> shadowDropped.incrementAndGet());
    }

    public Rollouts rollouts() {
        return rollouts;
    }

    /** Shadow copies dropped because the background thread was behind. */
    public long shadowDropped() {
        return shadowDropped.get();
    }

    public PredictResult predict(PredictRequest request) {
        if (request == null || request.model() == null || request.version() != null || request.alias() != null) {
            return service.predict(request);
        }
        Rollout rollout = rollouts.routing(request.model());
        if (rollout == null) {
            return service.predict(request);
        }
        String id = request.requestId() != null ? request.requestId() : PredictionService.requestId();
        String rolloutId = rollout.state().id();
        List<List<Object>> ids = entityIds(request);
        PredictResult result;
        Rollout.Route single;
        if (ids == null) {
            single = rollout.route(request.key());
            result = answer(rollout, single, request, id);
        } else {
            List<Integer> toChampion = new ArrayList<>();
            List<Integer> toChallenger = new ArrayList<>();
            for (int r = 0; r < ids.get(0).size(); r++) {
                (rollout.route(rowKey(ids, r)).challenger() ? toChallenger : toChampion).add(r);
            }
            if (toChallenger.isEmpty() || toChampion.isEmpty()) {
                single = rollout.route(rowKey(ids, 0));
                result = answer(rollout, single, request, id);
            } else {
                single = null;
                result = merge(id, request.model(),
                        toChampion, answer(rollout, champion(rollout), request.entityRows(toChampion), id),
                        toChallenger, answer(rollout, challenger(rollout), request.entityRows(toChallenger), id));
            }
        }
        result = new PredictResult(result.requestId(), result.model(), result.version(), result.predictions(), rolloutId);
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
            PredictResult answered = result;
            shadowPool.execute(() -> shadow(rollout, request, id, answered));
        }
        return result;
    }

    private static Rollout.Route champion(Rollout r) {
        return new Rollout.Route(false, r.state().championVersion());
    }

    private static Rollout.Route challenger(Rollout r) {
        return new Rollout.Route(true, r.state().challengerVersion());
    }

    /** Answers with the routed version, recording what it did; falls back to the champion when only the challenger fails. */
    private PredictResult answer(Rollout rollout, Rollout.Route route, PredictRequest request, String id) {
        long start = nanoTime.getAsLong();
        try {
            PredictResult r = service.predict(request.pinned(route.version(), id));
            rollout.record(route.challenger(), nanoTime.getAsLong() - start, false, meanScore(r));
            return r;
        } catch (RuntimeException e) {
            long failed = nanoTime.getAsLong() - start;
            if (!route.challenger()) {
                throw e;
            }
            PredictResult fallback = service.predict(request.pinned(rollout.state().championVersion(), id));
            rollout.record(true, failed, true, Double.NaN);
            return fallback;
        }
    }

    private void shadow(Rollout rollout, PredictRequest request, String id, PredictResult champion) {
        long start = nanoTime.getAsLong();
        PredictResult challenger;
        try {
            challenger = service.predict(request.pinned(rollout.state().challengerVersion(), id));
        } catch (RuntimeException e) {
            rollout.recordShadowFailure(nanoTime.getAsLong() - start);
            return;
        }
        long nanos = nanoTime.getAsLong() - start;
        List<String> cmLabels = new ArrayList<>();
        List<double[]> cmProbs = new ArrayList<>();
        List<String> chLabels = new ArrayList<>();
        List<double[]> chProbs = new ArrayList<>();
        for (int r = 0; r < champion.predictions().size() && r < challenger.predictions().size(); r++) {
            PredictResult.Row a = champion.predictions().get(r);
            PredictResult.Row b = challenger.predictions().get(r);
            if (a.label() != null && b.label() != null) {
                cmLabels.add(a.label());
                cmProbs.add(probabilities(a));
                chLabels.add(b.label());
                chProbs.add(probabilities(b));
            }
        }
        rollout.recordShadow(cmLabels, cmProbs, chLabels, chProbs, nanos, meanScore(challenger));
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

    @Override
    public void close() {
        shadowPool.shutdownNow();
    }
}
