package dev.quiver.rollout;

import dev.quiver.error.Stages;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import dev.quiver.prediction.PredictionService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
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
 *   <li>Shadow: the champion answers; a copy of the request is queued for a background thread, which scores
 *       the copies waiting (rows of features batched into one model run) with the challenger and compares them
 *       row by row. Queuing is lock-free and wakes nobody; a full queue drops the copy (counted).</li>
 *   <li>A/B: each answered row is remembered under {@link Rollouts#outcomeId} for its outcome.</li>
 * </ul>
 * A pinned request ({@code version} or {@code alias}) bypasses the rollout.
 */
public final class RoutedPredictions implements AutoCloseable {

    private final PredictionService service;
    private final Rollouts rollouts;
    private final AtomicLong shadowDropped = new AtomicLong();
    private final LongSupplier nanoTime;
    private final int shadowCapacity;
    private final int maxShadowRows;
    private final ConcurrentLinkedQueue<Copy> shadowQueue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger shadowQueued = new AtomicInteger();
    private volatile Thread shadowThread;
    private volatile boolean closed;
    /** Set by the shadow thread when it has had nothing to do for a second and parks until woken. */
    private volatile boolean shadowAsleep;

    /** A shadow copy waiting for the shadow thread: the request, its id, and what the champion answered. */
    private record Copy(Rollout rollout, PredictRequest request, String id, PredictResult champion) {
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
        this.shadowCapacity = shadowQueue;
        this.maxShadowRows = service.maxRows();
    }

    public Rollouts rollouts() {
        return rollouts;
    }

    /** Shadow copies dropped because the background thread was behind. */
    public long shadowDropped() {
        return shadowDropped.get();
    }

    public PredictResult predict(PredictRequest request) {
        return Stages.join(predict(request, false));
    }

    /**
     * Answers as {@link #predict} does, without waiting on the online store ({@link PredictionService#predictAsync}):
     * a request by entity id is scored, routed and recorded where its read completes.
     */
    public CompletionStage<PredictResult> predictAsync(PredictRequest request) {
        return Stages.call(() -> predict(request, true));
    }

    /**
     * The routing behind both: synchronous, every stage is complete on return and everything ran on the calling
     * thread.
     */
    private CompletionStage<PredictResult> predict(PredictRequest request, boolean async) {
        return predict(request, routing(request), async);
    }

    /** Answers {@code request} under {@code rollout}, its model's rollout; null for none. */
    private CompletionStage<PredictResult> predict(PredictRequest request, Rollout rollout, boolean async) {
        if (rollout == null) {
            return scored(request, async);
        }
        String id = request.requestId() != null ? request.requestId() : PredictionService.requestId();
        String rolloutId = rollout.state().id();
        List<List<Object>> ids = entityIds(request);
        CompletionStage<PredictResult> answered;
        Rollout.Route single;
        if (ids == null) {
            single = rollout.route(request.key());
            answered = answer(rollout, single, request, id, async);
        } else {
            List<Integer> toChampion = new ArrayList<>();
            List<Integer> toChallenger = new ArrayList<>();
            for (int r = 0; r < ids.get(0).size(); r++) {
                (rollout.route(rowKey(ids, r)).challenger() ? toChallenger : toChampion).add(r);
            }
            if (toChallenger.isEmpty() || toChampion.isEmpty()) {
                single = rollout.route(rowKey(ids, 0));
                answered = answer(rollout, single, request, id, async);
            } else {
                single = null;
                // the champion's arm first, and the challenger's only once it answered: a failed champion fails the
                // call before the challenger runs, so the gates never count a challenger answer nobody received
                answered = answer(rollout, champion(rollout), request.entityRows(toChampion), id, async)
                        .thenCompose(a -> answer(rollout, challenger(rollout), request.entityRows(toChallenger), id,
                                async).thenApply(b -> merge(id, request.model(), toChampion, a, toChallenger, b)));
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
            enqueueShadow(new Copy(rollout, request, id, result));
        }
        return result;
    }

    /**
     * Answers several requests as {@link #predict} answers each: those that no rollout routes are scored together
     * ({@link PredictionService#predictAll}), those under a rollout one by one, since each is routed on its own.
     */
    public List<PredictionService.Answer> predictAll(List<PredictRequest> requests) {
        PredictionService.Answer[] answers = new PredictionService.Answer[requests.size()];
        List<PredictRequest> direct = new ArrayList<>(requests.size());
        List<Integer> directAt = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            PredictRequest request = requests.get(i);
            Rollout rollout;
            try {
                rollout = routing(request);
            } catch (RuntimeException e) {
                // a request no request may be (both a version and an alias) fails alone
                answers[i] = new PredictionService.Answer(null, e);
                continue;
            }
            if (rollout == null) {
                direct.add(request);
                directAt.add(i);
            } else {
                answers[i] = PredictionService.Answer.of(() -> Stages.join(predict(request, rollout, false)));
            }
        }
        List<PredictionService.Answer> scored = direct.isEmpty() ? List.of() : service.predictAll(direct);
        for (int k = 0; k < scored.size(); k++) {
            answers[directAt.get(k)] = scored.get(k);
        }
        return java.util.Arrays.asList(answers);
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

    /** Answers with the routed version, recording what it did; falls back to the champion when only the challenger fails. */
    private CompletionStage<PredictResult> answer(Rollout rollout, Rollout.Route route, PredictRequest request,
                                                  String id, boolean async) {
        long start = nanoTime.getAsLong();
        return scored(request.pinned(route.version(), id), async).handle((r, failure) -> {
            long took = nanoTime.getAsLong() - start;
            if (failure == null) {
                rollout.record(route.challenger(), took, false, meanScore(r));
                return CompletableFuture.completedStage(r);
            }
            if (!route.challenger()) {
                return CompletableFuture.<PredictResult>failedStage(Stages.cause(failure));
            }
            return scored(request.pinned(rollout.state().championVersion(), id), async).thenApply(fallback -> {
                rollout.record(true, took, true, Double.NaN);
                return fallback;
            });
        }).thenCompose(Function.identity());
    }

    /** The service's answer: read without waiting, or on the calling thread as a complete stage. */
    private CompletionStage<PredictResult> scored(PredictRequest request, boolean async) {
        return async ? service.predictAsync(request) : Stages.now(() -> service.predict(request));
    }

    /**
     * Hands a copy to the shadow thread without waking it: a lock-free queue the thread polls every millisecond
     * while there is work, so the caller's thread makes no system call. A full queue drops the copy.
     */
    private void enqueueShadow(Copy copy) {
        if (shadowQueued.incrementAndGet() > shadowCapacity) {
            shadowQueued.decrementAndGet();
            shadowDropped.incrementAndGet();
            return;
        }
        shadowQueue.add(copy);
        Thread t = shadowThread;
        if (t == null) {
            startShadowThread();
        } else if (shadowAsleep) {
            shadowAsleep = false;
            LockSupport.unpark(t);
        }
    }

    private synchronized void startShadowThread() {
        if (shadowThread != null || closed) {
            return;
        }
        Thread t = new Thread(this::shadowLoop, "quiver-shadow");
        t.setDaemon(true);
        shadowThread = t;
        t.start();
    }

    private void shadowLoop() {
        List<Copy> batch = new ArrayList<>();
        int idle = 0;
        while (!closed) {
            Copy c;
            int rows = 0;
            while (rows < maxShadowRows && (c = shadowQueue.peek()) != null) {
                int n = c.request().rows() == null ? 1 : c.request().rows().size();
                if (!batch.isEmpty() && rows + n > maxShadowRows) {
                    break;
                }
                shadowQueue.poll();
                shadowQueued.decrementAndGet();
                batch.add(c);
                rows += n;
            }
            if (batch.isEmpty()) {
                if (++idle < 1000) {
                    LockSupport.parkNanos(1_000_000);
                } else {
                    // a second without copies: sleep until the next copy wakes this thread (once)
                    shadowAsleep = true;
                    if (shadowQueue.isEmpty() && !closed) {
                        LockSupport.park();
                    }
                    shadowAsleep = false;
                    idle = 0;
                }
                continue;
            }
            idle = 0;
            try {
                shadow(batch);
            } catch (RuntimeException e) {
                // a shadow failure is recorded per copy in shadow(); nothing here may stop the thread
            }
            batch.clear();
        }
    }

    /**
     * Scores a batch of copies with their challengers: copies of rows of features for the same rollout go to the
     * challenger as one request (one model run), entity copies one by one. Each copy's latency is its share,
     * by rows, of the run that scored it.
     */
    private void shadow(List<Copy> batch) {
        java.util.Map<Rollout, List<Copy>> byRollout = new java.util.LinkedHashMap<>();
        for (Copy c : batch) {
            if (c.request().rows() == null) {
                shadowOne(c.rollout(), List.of(c), c.request());
            } else {
                byRollout.computeIfAbsent(c.rollout(), k -> new ArrayList<>()).add(c);
            }
        }
        byRollout.forEach((rollout, copies) -> {
            List<java.util.Map<String, Object>> rows = new ArrayList<>();
            copies.forEach(c -> rows.addAll(c.request().rows()));
            PredictRequest first = copies.get(0).request();
            shadowOne(rollout, copies, new PredictRequest(first.model(), null, null, rows, null, null, null));
        });
    }

    private void shadowOne(Rollout rollout, List<Copy> copies, PredictRequest request) {
        long start = nanoTime.getAsLong();
        PredictResult challenger;
        try {
            challenger = service.predict(request.pinned(rollout.state().challengerVersion(), copies.get(0).id()));
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

    @Override
    public void close() {
        closed = true;
        Thread t = shadowThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
