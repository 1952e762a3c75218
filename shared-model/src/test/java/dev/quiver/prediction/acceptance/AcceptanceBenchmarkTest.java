package dev.quiver.prediction.acceptance;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AcceptanceBenchmarkTest {

    private static final List<Map<String, Object>> ROWS = List.of(Map.of("x", 1.0), Map.of("x", 2.0));

    /** Figures of a measurement: p50 0.3 ms, p99 {@code p99} ms, {@code rps} requests/s, no errors. */
    private static AcceptanceReport.Measured measured(double p99, double rps) {
        return new AcceptanceReport.Measured(0.3, p99, rps, 5000, 0, 5.0, 2);
    }

    private static AcceptanceBenchmark benchmark(int concurrency, int millis) {
        return new AcceptanceBenchmark(new AcceptanceSettings(Duration.ofMillis(20), Duration.ofMillis(millis),
                concurrency));
    }

    @Test
    void acceptsWhenEveryStatedBoundIsMet() {
        AcceptanceReport r = AcceptanceBenchmark.decide(measured(0.8, 2400), null, new Requirement(100.0, 1000.0));

        assertThat(r.accepted()).isTrue();
        assertThat(r.reason()).contains("latency_p99_ms: measured p99 0.8 ms <= required 100 ms")
                .contains("requests_per_second: measured 2400 requests/s >= required 1000");
    }

    @Test
    void refusesNamingTheMissedLatencyBoundAndItsFigure() {
        AcceptanceReport r = AcceptanceBenchmark.decide(measured(0.8, 2400), null, new Requirement(0.001, 1000.0));

        assertThat(r.accepted()).isFalse();
        assertThat(r.reason()).startsWith("refused: latency_p99_ms: measured p99 0.8 ms is over the required 0.001 ms")
                .doesNotContain("requests_per_second");
    }

    @Test
    void refusesNamingTheMissedThroughputBound() {
        AcceptanceReport r = AcceptanceBenchmark.decide(measured(0.8, 640.4), null, new Requirement(null, 1000.0));

        assertThat(r.accepted()).isFalse();
        assertThat(r.reason()).contains("requests_per_second: measured 640 requests/s is under the required 1000");
    }

    @Test
    void refusesBothMissedBoundsAtOnce() {
        AcceptanceReport r = AcceptanceBenchmark.decide(measured(250, 10), null, new Requirement(100.0, 1000.0));

        assertThat(r.reason()).contains("latency_p99_ms").contains("requests_per_second");
    }

    @Test
    void aBoundExactlyMetIsMet() {
        assertThat(AcceptanceBenchmark.decide(measured(100, 1000), null, new Requirement(100.0, 1000.0)).accepted())
                .isTrue();
    }

    @Test
    void noBoundAcceptsAModelThatAnswers() {
        AcceptanceReport r = AcceptanceBenchmark.decide(measured(50, 1), null, Requirement.NONE);

        assertThat(r.accepted()).isTrue();
        assertThat(r.reason()).contains("no bound stated");
    }

    @Test
    void failedRequestsRefuseWhateverTheFigures() {
        AcceptanceReport.Measured m = new AcceptanceReport.Measured(0.3, 0.5, 4000, 100, 3, 1.0, 2);

        AcceptanceReport r = AcceptanceBenchmark.decide(m, "rows[0].x: not a number", Requirement.NONE);

        assertThat(r.accepted()).isFalse();
        assertThat(r.reason()).contains("3 of 100 requests failed (rows[0].x: not a number)");
    }

    @Test
    void theFiguresOfAKnownLatencyArePlausible() {
        long sleep = 2_000_000;
        AcceptanceReport r = benchmark(2, 400).run(row -> LockSupport.parkNanos(sleep), ROWS,
                new Requirement(1000.0, 10.0));

        AcceptanceReport.Measured m = r.measured();
        assertThat(r.accepted()).as(r.reason()).isTrue();
        assertThat(m.concurrency()).isEqualTo(2);
        assertThat(m.errors()).isZero();
        assertThat(m.p50Ms()).isGreaterThanOrEqualTo(2.0).isLessThan(50.0);
        assertThat(m.p99Ms()).isGreaterThanOrEqualTo(m.p50Ms());
        assertThat(m.durationS()).isBetween(0.4, 1.0);
        // a closed loop of 2 requests of at least 2 ms each: at most 1,000 requests a second
        assertThat(m.requestsPerSecond()).isGreaterThan(20).isLessThanOrEqualTo(1000);
        assertThat(m.requests() / m.durationS()).isCloseTo(m.requestsPerSecond(),
                org.assertj.core.api.Assertions.within(0.01));
    }

    @Test
    void warmUpRequestsAreNotCounted() {
        AtomicLong calls = new AtomicLong();
        AcceptanceReport r = new AcceptanceBenchmark(new AcceptanceSettings(Duration.ofMillis(100),
                Duration.ofMillis(50), 1)).run(row -> {
                    calls.incrementAndGet();
                    LockSupport.parkNanos(1_000_000);
                }, ROWS, Requirement.NONE);

        assertThat(r.measured().requests()).isLessThan(calls.get());
    }

    @Test
    void everyRowIsSentAndFailuresAreCountedWithTheFirstReason() {
        AcceptanceReport r = benchmark(1, 100).run(row -> {
            if ((double) row.get("x") == 2.0) {
                throw new IllegalStateException("x is two");
            }
        }, ROWS, Requirement.NONE);

        assertThat(r.accepted()).isFalse();
        assertThat(r.measured().errors()).isPositive().isLessThan(r.measured().requests());
        assertThat(r.reason()).contains("requests failed (x is two)");
    }

    @Test
    void settingsAreCheckedOnConstruction() {
        assertThatThrownBy(() -> new AcceptanceSettings(Duration.ZERO, Duration.ofMillis(1), 1))
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> new AcceptanceSettings(Duration.ofSeconds(-1), Duration.ofSeconds(1), 1))
                .hasMessageContaining("warmup");
        assertThatThrownBy(() -> new AcceptanceSettings(Duration.ZERO, Duration.ofSeconds(1), 0))
                .hasMessageContaining("concurrency");
        assertThat(AcceptanceSettings.defaults().concurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThatThrownBy(() -> benchmark(1, 100).run(row -> { }, List.of(), Requirement.NONE))
                .hasMessageContaining("at least one row");
    }

    @Test
    void requirementsAreCheckedAndFilledFromTheServiceLevel() {
        assertThatThrownBy(() -> new Requirement(0.0, null)).hasMessageContaining("latency_p99_ms");
        assertThatThrownBy(() -> new Requirement(null, -5.0)).hasMessageContaining("requests_per_second");
        Requirement r = new Requirement(null, 50.0).orElse(new dev.quiver.registry.Catalog.Sla(100.0, 1000.0));
        assertThat(r).isEqualTo(new Requirement(100.0, 50.0));
        assertThat(Requirement.NONE.orElse(null)).isEqualTo(Requirement.NONE);
    }
}
