package dev.quiver.prediction.acceptance;

import dev.quiver.inference.ServedModel;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictionService;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures a loaded model as the predict function would serve it, and decides whether it meets a
 * {@link Requirement}.
 *
 * <p>A run warms up for {@link AcceptanceSettings#warmup}, then measures for {@link AcceptanceSettings#duration}:
 * {@link AcceptanceSettings#concurrency} threads each send one-row requests in a closed loop (the next as soon as
 * the last is answered), cycling through the given rows from a different starting row each. Every request's latency
 * is recorded (HdrHistogram, three significant digits); throughput is the successful requests over the measured
 * time. The model is accepted when no request failed and every stated bound holds: p99 at most the bound, throughput
 * at least the bound.
 *
 * <p>The figures are those of this process's hardware, shared with whatever else it runs meanwhile (live traffic
 * included). Thread-safe; each run uses threads of its own and blocks its caller for about warm-up plus duration.
 */
public final class AcceptanceBenchmark {

    /** One request: scores one row, throwing when the request fails. Called from several threads at once. */
    @FunctionalInterface
    public interface Scoring {
        void score(Map<String, Object> row);
    }

    private static final long HIGHEST_NANOS = 60_000_000_000L;

    private final AcceptanceSettings settings;

    public AcceptanceBenchmark(AcceptanceSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public AcceptanceSettings settings() {
        return settings;
    }

    /**
     * Measures {@code candidate} through {@link PredictionService#predictWith}, the path {@code POST /predict} takes
     * for rows (checks, encoding, the run, the answer), one row a request.
     */
    public AcceptanceReport run(PredictionService service, ServedModel candidate, List<Map<String, Object>> rows,
                                Requirement required) {
        String model = candidate.key().name();
        return run(row -> service.predictWith(candidate, new PredictRequest(model, null, null, List.of(row),
                "acceptance")), rows, required);
    }

    /** Measures {@code scoring} on {@code rows} (at least one), and decides against {@code required}. */
    public AcceptanceReport run(Scoring scoring, List<Map<String, Object>> rows, Requirement required) {
        Objects.requireNonNull(scoring, "scoring");
        Objects.requireNonNull(required, "required");
        if (rows == null || rows.isEmpty()) {
            throw new IllegalArgumentException("the benchmark needs at least one row");
        }
        List<Map<String, Object>> sent = List.copyOf(rows);
        if (!settings.warmup().isZero()) {
            load(scoring, sent, settings.warmup().toNanos(), false);
        }
        Load measured = load(scoring, sent, settings.duration().toNanos(), true);
        return decide(measured.figures(settings.concurrency()), measured.firstError(), required);
    }

    /**
     * The decision on measured figures: refused when a request failed ({@code firstError} says how) or a stated
     * bound is missed, each missed bound named with its figure; accepted otherwise.
     */
    public static AcceptanceReport decide(AcceptanceReport.Measured m, String firstError, Requirement required) {
        List<String> missed = new ArrayList<>();
        List<String> met = new ArrayList<>();
        if (m.requests() == 0) {
            missed.add("no request was answered within " + figure(m.durationS()) + " s");
        } else if (m.errors() > 0) {
            missed.add(m.errors() + " of " + m.requests() + " requests failed"
                    + (firstError == null ? "" : " (" + firstError + ")"));
        }
        if (required.p99Ms() != null && m.requests() > m.errors()) {
            String s = "latency_p99_ms: measured p99 " + figure(m.p99Ms()) + " ms";
            if (m.p99Ms() <= required.p99Ms()) {
                met.add(s + " <= required " + figure(required.p99Ms()) + " ms");
            } else {
                missed.add(s + " is over the required " + figure(required.p99Ms()) + " ms");
            }
        }
        if (required.requestsPerSecond() != null && m.requests() > m.errors()) {
            String s = "requests_per_second: measured " + figure(m.requestsPerSecond()) + " requests/s";
            if (m.requestsPerSecond() >= required.requestsPerSecond()) {
                met.add(s + " >= required " + figure(required.requestsPerSecond()));
            } else {
                missed.add(s + " is under the required " + figure(required.requestsPerSecond()));
            }
        }
        String at = " (" + m.concurrency() + " concurrent one-row requests for " + figure(m.durationS()) + " s)";
        if (!missed.isEmpty()) {
            return new AcceptanceReport(AcceptanceReport.Decision.REFUSED, "refused: " + String.join("; ", missed)
                    + at, m, required);
        }
        String why = met.isEmpty() ? "accepted: no bound stated, and every request was answered"
                : "accepted: " + String.join("; ", met);
        return new AcceptanceReport(AcceptanceReport.Decision.ACCEPTED, why + at, m, required);
    }

    /** A figure for people: three significant digits at most, no exponent. */
    static String figure(double x) {
        if (x == 0 || !Double.isFinite(x)) {
            return Double.toString(x);
        }
        return new java.math.BigDecimal(x).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** What one phase of load counted. */
    private record Load(Histogram latency, long requests, long errors, long nanos, String firstError) {

        AcceptanceReport.Measured figures(int concurrency) {
            double seconds = nanos / 1e9;
            long ok = requests - errors;
            boolean any = latency.getTotalCount() > 0;
            return new AcceptanceReport.Measured(any ? latency.getValueAtPercentile(50) / 1e6 : 0,
                    any ? latency.getValueAtPercentile(99) / 1e6 : 0, seconds > 0 ? ok / seconds : 0, requests,
                    errors, seconds, concurrency);
        }
    }

    /** Runs the closed loop on every thread for {@code nanos}; counts only when {@code record}. */
    private Load load(Scoring scoring, List<Map<String, Object>> rows, long nanos, boolean record) {
        int n = settings.concurrency();
        Histogram[] latencies = new Histogram[n];
        long[] requests = new long[n];
        long[] errors = new long[n];
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            int id = t;
            latencies[t] = new Histogram(1, HIGHEST_NANOS, 3);
            Thread thread = new Thread(() -> {
                ready.countDown();
                awaitQuietly(go);
                long end = window[1];
                int next = (int) ((long) id * rows.size() / n);
                Histogram h = latencies[id];
                long now = System.nanoTime();
                while (now < end) {
                    Map<String, Object> row = rows.get(next);
                    next = next + 1 == rows.size() ? 0 : next + 1;
                    long start = now;
                    boolean ok = true;
                    try {
                        scoring.score(row);
                    } catch (RuntimeException e) {
                        ok = false;
                        firstError.compareAndSet(null, e.getMessage() == null ? e.getClass().getSimpleName()
                                : e.getMessage());
                    }
                    now = System.nanoTime();
                    if (record) {
                        requests[id]++;
                        if (ok) {
                            h.recordValue(Math.min(Math.max(1, now - start), HIGHEST_NANOS));
                        } else {
                            errors[id]++;
                        }
                    }
                }
            }, "quiver-acceptance-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        awaitQuietly(ready);
        window[0] = System.nanoTime();
        window[1] = window[0] + nanos;
        go.countDown();
        for (Thread thread : threads) {
            joinQuietly(thread);
        }
        long elapsed = Math.max(window[1], System.nanoTime()) - window[0];
        Histogram all = new Histogram(1, HIGHEST_NANOS, 3);
        long total = 0;
        long failed = 0;
        for (int t = 0; t < n; t++) {
            all.add(latencies[t]);
            total += requests[t];
            failed += errors[t];
        }
        return new Load(all, total, failed, elapsed, firstError.get());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
